// README "Many reads at once": reads issued together travel in one DPM list.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   npx acsys-sim                                   # a simulator on 127.0.0.1:6802, in another terminal
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/concurrent-reads.ts

import { firstValueFrom, forkJoin } from 'rxjs';
import { read } from 'acsys-rx';

const names = ['M:OUTTMP', 'G:AMANDA', 'Z:NOTFND'];
// issued in the same tick: one list, one round trip; each read keeps its own result and error
const results = await Promise.allSettled(names.map((name) => firstValueFrom(read(name, { timeout: 2000 }))));
results.forEach((r, i) => console.log(`${names[i]!.padEnd(9)} ${r.status === 'fulfilled' ? String(r.value) : `failed: ${(r.reason as Error).name}`}`));

// the same with RxJS: forkJoin subscribes to every read at once
const [temperature, amanda] = await firstValueFrom(forkJoin([read('M:OUTTMP'), read('G:AMANDA')]));
console.log(`sum ${(Number(temperature) + Number(amanda)).toFixed(3)}`);
