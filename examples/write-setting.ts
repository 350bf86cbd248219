// Write settings. Against a real DPM (PACSYS_DPM_HOST set) a write needs a Kerberos ticket
// (`kinit` first) and `kerberos()`; offline, an embedded simulator in its INSECURE mode
// accepts `insecureSimulatorAuth` instead (demos and tests only — a real DPM refuses it).
//
//   node --import tsx examples/write-setting.ts
import { firstValueFrom } from 'rxjs';
import { dpm, insecureSimulatorAuth, type DpmOptions } from '../lib/index.js';
import { AuthenticationError, kerberos } from '../lib/auth/index.js';
import { startSimulator } from '../lib/sim/index.js';

const realHost = process.env['PACSYS_DPM_HOST'];
const sim = realHost ? undefined : await startSimulator({ port: 0, insecureSettings: 'demo@FNAL.GOV' });
const options: DpmOptions = sim
  ? { host: sim.host, port: sim.port, auth: insecureSimulatorAuth('demo@FNAL.GOV'), role: 'testing' }
  : { host: realHost, port: Number(process.env['PACSYS_DPM_PORT'] ?? 6802), auth: kerberos(), role: 'testing' };
const client = dpm(options);

try {
  // one setting, read back and compared afterwards
  const r = await firstValueFrom(client.write('Z:ACLTST', 12.5, { verify: { tolerance: 0.001 } }));
  console.log(`${r.drf}: ${r.success ? 'ok' : 'FAILED'} ${r.status.name} verified=${String(r.verified?.ok)}`);

  // several settings in one round trip; results in input order
  const many = await firstValueFrom(client.writeMany({ 'Z:ACLTST': 13, 'Z:TEXTDEV': 'hello' }));
  for (const w of many) console.log(`${w.drf}: ${w.success ? 'ok' : 'FAILED'} ${w.status.name}`);
} catch (e) {
  // no ticket, expired ticket, refused by the server…: nothing was written
  if (e instanceof AuthenticationError) console.error(`not authenticated (${e.reason}): ${e.message}`);
  else throw e;
} finally {
  client.close();
  await sim?.close();
}
