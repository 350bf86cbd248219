// Read many devices in one round trip; failures are readings, not exceptions.
//
//   node --import tsx examples/get-many.ts
import { firstValueFrom } from 'rxjs';
import { dpm, isOk, type Reading } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
const client = dpm({ host: ep.host, port: ep.port });

function show(r: Reading): string {
  if (!isOk(r)) return `ERROR ${r.status.name}`;
  switch (r.valueType) {
    case 'scalar':
      return `${r.value.toFixed(3)} ${r.meta?.units ?? ''}`.trim();
    case 'scalarArray':
      return `[${r.value.length} values] first=${r.value[0]?.toFixed(3) ?? '-'}`;
    case 'text':
      return JSON.stringify(r.value);
    default:
      return r.valueType;
  }
}

const drfs = ['M:OUTTMP', 'G:AMANDA', 'Z:ARRAY1K', 'Z:TEXTDEV', 'Z:NOTFND'];
const readings = await firstValueFrom(client.getMany(drfs));
for (const r of readings) console.log(`${r.drf.padEnd(10)} ${show(r)}`);
console.log(`${readings.filter(isOk).length}/${readings.length} ok`);
client.close();
await ep.close();
