// README "Errors": every error extends AcsysError and has a stable `code`.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/handle-errors.ts

import { firstValueFrom } from 'rxjs';
import { AcsysError, DeviceError, TimeoutError, read } from 'acsys-rx';

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
