// README "Connection state and reconnecting streams": the module-level client's state$.
// This file is the README's sample word for word (after this header); a test keeps them equal
// (and runs it against a simulator that drops the first connection after 300 ms).
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/connection-state.ts

import { lastValueFrom, take, tap } from 'rxjs';
import { globalClient, stream } from 'acsys-rx';

const states = globalClient().state$.subscribe((s) => {
  const why = s.kind === 'reconnecting' ? ` in ${s.delayMs} ms (${s.reason.message})` : s.kind === 'closed' && s.reason ? ` (${s.reason.message})` : '';
  console.log(`state ${s.connection}: ${s.kind}${why}`);
});

await lastValueFrom(
  stream('M:OUTTMP@p,100', { reconnect: { initialDelay: 200 } }).pipe(
    tap((r) => console.log(r.valueType === undefined ? `gap: ${r.status.name}` : `reading ${Number(r.value).toFixed(2)}`)),
    take(8),
  ),
);
states.unsubscribe();
