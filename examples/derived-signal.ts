// Combine two devices into one derived signal.
//
//   node --import tsx examples/derived-signal.ts
import { lastValueFrom, map, take, tap } from 'rxjs';
import { combineDevices, dpm } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
const client = dpm({ host: ep.host, port: ep.port });

await lastValueFrom(
  combineDevices({ temp: 'M:OUTTMP@p,100', amps: 'G:AMANDA@p,100' }, client).pipe(
    map(({ temp, amps }) => ({ temp, amps, product: temp * amps })),
    take(5),
    tap(({ temp, amps, product }) =>
      console.log(`temp=${temp.toFixed(2)} amps=${amps.toFixed(3)} product=${product.toFixed(3)}`),
    ),
  ),
);
client.close();
await ep.close();
