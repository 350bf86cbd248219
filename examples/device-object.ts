// Device objects, as pacsys's `Device('M:OUTTMP')`: one device bound to a client, with read(),
// setting(), status(), alarms, stream(), write() and on()/off()/reset().
//
//   node --import tsx examples/device-object.ts
//
// Writes need an authenticated client: against a real DPM (PACSYS_DPM_HOST set) `kerberos()`
// after `kinit`; offline, an embedded simulator in its INSECURE mode accepts
// `insecureSimulatorAuth` instead (demos and tests only — a real DPM refuses it).
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { device, dpm, insecureSimulatorAuth } from '../lib/index.js';
import { kerberos } from '../lib/auth/index.js';
import { endpoint } from './support/endpoint.js';

const PRINCIPAL = 'demo@FNAL.GOV';
const ep = await endpoint({ insecureSettings: PRINCIPAL });
const auth = ep.embedded ? insecureSimulatorAuth(PRINCIPAL) : kerberos();
const client = dpm({ host: ep.host, port: ep.port, auth, role: 'testing' });

try {
  const temp = device('M:OUTTMP', client);
  const [value, units, description] = await Promise.all([
    firstValueFrom(temp.read()),
    firstValueFrom(temp.units()),
    firstValueFrom(temp.description()),
  ]);
  console.log(`${temp.name} (${description}) = ${Number(value).toFixed(1)} ${units ?? ''}`.trim());

  const streamed = await lastValueFrom(temp.stream('p,200').pipe(take(3), toArray()));
  console.log(`streamed ${streamed.length} readings of ${streamed[0]?.drf ?? '?'}`);

  const tst = device('Z:ACLTST', client);
  const w = await firstValueFrom(tst.write(42));
  console.log(`${tst.name}: write 42 ${w.success ? 'ok' : `FAILED ${w.status.name}`}, setting now ${String(await firstValueFrom(tst.setting()))}`);

  const sts = device('Z:STSDEV', client);
  await firstValueFrom(sts.off());
  console.log(`${sts.name}: after off() on=${String((await firstValueFrom(sts.status())).on)}`);
  await firstValueFrom(sts.on());
  console.log(`${sts.name}: after on() on=${String((await firstValueFrom(sts.status())).on)}`);
  const alarm = await firstValueFrom(sts.analogAlarm());
  console.log(`${sts.name}: analog alarm ${alarm.minimum}…${alarm.maximum}, in alarm: ${String(alarm.alarmStatus)}`);
} finally {
  client.close();
  await ep.close();
}
