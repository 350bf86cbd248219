// README "Stream, and shape the stream with operators".
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/stream-operators.ts

import { lastValueFrom, map, take, tap } from 'rxjs';
import { latestPerDevice, okOnly, stream } from 'acsys-rx';

// okOnly() drops error readings (Z:NOTFND's); latestPerDevice() keeps the newest reading per device
await lastValueFrom(
  stream(['M:OUTTMP@p,100', 'G:AMANDA@p,100', 'Z:NOTFND@p,100']).pipe(
    okOnly(),
    latestPerDevice(),
    map((table) => [...table.values()].map((r) => `${r.drf}=${Number(r.value).toFixed(3)}`).join('  ')),
    take(6),
    tap((line) => console.log(line)),
  ),
);
