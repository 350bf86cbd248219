// README "Derived signals": combineDevices of two scalar devices on one stream.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/derived-signal.ts

import { lastValueFrom, map, take, tap } from 'rxjs';
import { combineDevices } from 'acsys-rx';

await lastValueFrom(
  combineDevices({ temp: 'M:OUTTMP@p,100', amps: 'G:AMANDA@p,100' }).pipe(
    map(({ temp, amps }) => ({ temp, amps, product: temp * amps })),
    take(5),
    tap(({ temp, amps, product }) => console.log(`temp=${temp.toFixed(2)} amps=${amps.toFixed(3)} product=${product.toFixed(3)}`)),
  ),
);
