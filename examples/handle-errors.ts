// Tell acsys-rx errors apart: every one extends AcsysError and has a stable `code`.
//
//   node --import tsx examples/handle-errors.ts
//
// Like read-one.ts, this uses the module-level client (PACSYS_DPM_HOST / PACSYS_DPM_PORT,
// pointed at the endpoint here). Z:NOTFND does not exist, so its read fails with DeviceError.
import { firstValueFrom } from 'rxjs';
import { AcsysError, DeviceError, TimeoutError, read } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
process.env['PACSYS_DPM_HOST'] = ep.host;
process.env['PACSYS_DPM_PORT'] = String(ep.port);

for (const drf of ['M:OUTTMP', 'Z:NOTFND', 'M:OUTTMP[']) {
  try {
    console.log(`${drf}: ${String(await firstValueFrom(read(drf)))}`);
  } catch (e) {
    if (e instanceof DeviceError) console.error(`${e.drf}: ${e.status.name}`);
    else if (e instanceof TimeoutError) console.error(`no answer from ${e.missing.join(', ')}`);
    else if (e instanceof AcsysError) console.error(`${e.code}: ${e.message}`);
    else throw e;
  }
}

await ep.close();
