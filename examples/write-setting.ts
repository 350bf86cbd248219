// README "Writes (Kerberos)": module-level write/writeMany with a Kerberos ticket.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
// Needs a ticket (kinit) that the DPM accepts — or a simulator started with --auth-config and a
// keytab of your KDC — and a role allowed to set the devices.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/write-setting.ts

import { firstValueFrom } from 'rxjs';
import { AcsysError, closeGlobalClient, write, writeMany } from 'acsys-rx';

try {
  // one setting, read back and compared afterwards
  const r = await firstValueFrom(write('Z:ACLTST', 12.5, { role: 'testing', verify: { tolerance: 0.001 } }));
  console.log(`${r.drf}: ${r.outcome} ${r.status.name} verified=${String(r.verified?.ok)}`);

  // several settings in one round trip; results in input order
  const many = await firstValueFrom(writeMany({ 'Z:ACLTST': 13, 'Z:TEXTDEV': 'hello' }, { role: 'testing' }));
  for (const w of many) console.log(`${w.drf}: ${w.outcome} ${w.status.name}`);
} catch (e) {
  if (e instanceof AcsysError) console.error(`${e.code}: ${e.message}`);
  else throw e;
} finally {
  closeGlobalClient();
}
