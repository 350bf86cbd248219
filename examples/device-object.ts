// README "Device objects": pacsys-style device('M:OUTTMP') objects on the module-level client.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
// The settings need a Kerberos ticket (kinit) that the DPM (or a simulator started with
// --auth-config and a keytab) accepts, and a role that may set the devices.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/device-object.ts

import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { device } from 'acsys-rx';

const temp = device('M:OUTTMP');
const [value, units] = await Promise.all([firstValueFrom(temp.read()), firstValueFrom(temp.units())]);
console.log(`${temp.name} = ${Number(value).toFixed(1)} ${units ?? ''}`);
const streamed = await lastValueFrom(temp.stream('p,200').pipe(take(3), toArray()));
console.log(`streamed ${streamed.length} readings of ${streamed[0]!.drf}`);

// settings: a Kerberos ticket (kinit) and a role allowed to set the device
const tst = device('Z:ACLTST');
const w = await firstValueFrom(tst.write(42, { role: 'testing' })); // SETTING
console.log(`write 42: ${w.success ? 'ok' : w.status.name}, setting now ${String(await firstValueFrom(tst.setting()))}`);
await firstValueFrom(tst.off({ role: 'testing' })); // CONTROL: OFF = 2 (ON = 1, RESET = 0)
console.log(`after off(): on = ${String((await firstValueFrom(tst.status())).on)}`);
