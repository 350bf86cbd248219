// Read one value with the module-level client and firstValueFrom.
//
//   node --import tsx examples/read-one.ts
//
// The module-level client is configured from PACSYS_DPM_HOST / PACSYS_DPM_PORT; this
// example points them at the endpoint. Nothing is closed explicitly except the embedded
// simulator: Node exits by itself because idle pooled connections do not hold the process.
import { firstValueFrom } from 'rxjs';
import { read, get } from '../lib/index.js';
import { endpoint } from './support/endpoint.js';

const ep = await endpoint();
process.env['PACSYS_DPM_HOST'] = ep.host;
process.env['PACSYS_DPM_PORT'] = String(ep.port);

const temperature = await firstValueFrom(read('M:OUTTMP'));
const reading = await firstValueFrom(get('M:OUTTMP'));
console.log(`M:OUTTMP = ${String(temperature)} ${reading.meta?.units ?? ''}`.trim());
console.log(`read at ${reading.timestamp?.toISOString() ?? '(no timestamp)'}`);

await ep.close();
