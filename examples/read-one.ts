// README "Read one value": the module-level functions, configured from PACSYS_DPM_HOST/PORT.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   npx acsys-sim                                   # a simulator on 127.0.0.1:6802, in another terminal
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/read-one.ts

import { firstValueFrom } from 'rxjs';
import { get, read } from 'acsys-rx';

const temperature = await firstValueFrom(read('M:OUTTMP')); // the value: number, array, text…
const reading = await firstValueFrom(get('M:OUTTMP')); // the whole reading
console.log(`M:OUTTMP = ${String(temperature)} ${reading.meta?.units ?? ''}`.trim());
console.log(`read at ${reading.timestamp?.toISOString() ?? '(no timestamp)'}`);
