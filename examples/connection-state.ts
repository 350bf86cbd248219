// Watch the client's connection state while a stream survives a dropped connection.
//
//   node --import tsx examples/connection-state.ts
//
// With the embedded simulator the first connection is dropped after 300 ms, so the
// stream goes reconnecting → connecting → open and reports the gap in-band; it is
// `closed` only at the end, when the stream is unsubscribed.
import { lastValueFrom, take, tap } from 'rxjs';
import { dpm } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint({ faults: (i) => (i === 0 ? { dropAfterMs: 300 } : {}) });
const client = dpm({ host: ep.host, port: ep.port });

const states = client.state$.subscribe((s) => {
  const extra = s.kind === 'reconnecting' ? ` in ${s.delayMs} ms (${s.reason.message})` : s.kind === 'closed' && s.reason ? ` (${s.reason.message})` : '';
  console.log(`state ${s.connection}: ${s.kind}${extra}`);
});

await lastValueFrom(
  client.stream('M:OUTTMP@p,100', { reconnect: { initialDelay: 200 } }).pipe(
    tap((r) =>
      console.log(r.valueType === undefined ? `gap: ${r.drf} ${r.status.name}` : `reading ${r.drf} ${Number(r.value).toFixed(2)}`),
    ),
    take(8),
  ),
);
states.unsubscribe();
client.close();
await ep.close();
console.log('done');
