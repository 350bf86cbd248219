// Stream two devices and shape the readings with the acsys-rx operators.
//
//   node --import tsx examples/stream-operators.ts
import { lastValueFrom, map, take, tap } from 'rxjs';
import { dpm, latestPerDevice, okOnly } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
const client = dpm({ host: ep.host, port: ep.port });

// okOnly() drops error readings; latestPerDevice() keeps a table of the newest reading per device.
await lastValueFrom(
  client.stream(['M:OUTTMP@p,100', 'G:AMANDA@p,100', 'Z:NOTFND@p,100']).pipe(
    tap((r) => {
      if (r.valueType === undefined) console.log(`error reading: ${r.drf} ${r.status.name}`);
    }),
    okOnly(),
    latestPerDevice(),
    map((table) => [...table.values()].map((r) => `${r.drf}=${Number(r.value).toFixed(3)}`).join('  ')),
    take(6),
    tap((line) => console.log(line)),
  ),
);
console.log('done');
client.close();
await ep.close();
