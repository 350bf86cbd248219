// README "Read many devices in one round trip": one request, one deadline, readings in request order.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   PACSYS_DPM_HOST=127.0.0.1 PACSYS_DPM_PORT=6802 npx tsx examples/get-many.ts

import { firstValueFrom } from 'rxjs';
import { getMany, type Reading } from 'acsys-rx';

function show(r: Reading): string {
  switch (r.valueType) {
    case undefined:
      return `ERROR ${r.status.name}`; // a failed device is a reading with a status, not an exception
    case 'scalar':
      return `${r.value.toFixed(3)} ${r.meta?.units ?? ''}`;
    case 'scalarArray':
      return `[${r.value.length} values] first=${r.value[0]?.toFixed(3)}`;
    case 'text':
      return JSON.stringify(r.value);
    default:
      return r.valueType;
  }
}

const readings = await firstValueFrom(getMany(['M:OUTTMP', 'G:AMANDA', 'Z:ARRAY1K', 'Z:TEXTDEV', 'Z:NOTFND']));
for (const r of readings) console.log(`${r.drf.padEnd(10)} ${show(r)}`);
