import { firstValueFrom } from 'rxjs';
import { dpm } from '../../lib/index.js';
import { generateCatalogue, startSimulator } from '../../lib/sim/index.js';
const local = await startSimulator({ port: 0, catalogue: generateCatalogue(1000) });
const client = dpm({ host: local.host, port: local.port, poolSize: 4 });
const drfs = process.env.SAME ? Array.from({ length: 1000 }, () => 'M:OUTTMP') : Array.from({ length: 1000 }, (_, i) => `Z:GEN${String(i).padStart(5, '0')}`);
const w=[]; for (let i = 0; i < Number(process.env.W ?? 5); i++) { const t0 = process.hrtime.bigint(); await firstValueFrom(client.getMany(drfs)); w.push((Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)); } console.log(w.join(" "));
const N = Number(process.env.N ?? 100);
const t = [];
for (let i = 0; i < N; i++) { const t0 = process.hrtime.bigint(); await firstValueFrom(client.getMany(drfs)); t.push(Number(process.hrtime.bigint() - t0) / 1e6); }
t.sort((a, b) => a - b);
console.log('getMany median', t[t.length >> 1].toFixed(2), 'min', t[0].toFixed(2));
client.close(); await local.close();
