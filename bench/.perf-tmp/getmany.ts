import { firstValueFrom } from 'rxjs';
import { dpm } from '../../lib/index.js';
import { startSimulator } from '../../lib/sim/index.js';
const local = await startSimulator({ port: 0 });
const client = dpm({ host: local.host, port: local.port, poolSize: 4 });
const names = ['M:OUTTMP', 'G:AMANDA', 'Z:ACLTST', 'Z:LOGDEV', 'Z:STSDEV'];
const drfs = Array.from({ length: 1000 }, (_, i) => names[i % names.length]!);
for (let i = 0; i < 5; i++) await firstValueFrom(client.getMany(drfs));
const N = Number(process.env.N ?? 100);
const t = [];
for (let i = 0; i < N; i++) { const t0 = process.hrtime.bigint(); await firstValueFrom(client.getMany(drfs)); t.push(Number(process.hrtime.bigint() - t0) / 1e6); }
t.sort((a, b) => a - b);
console.log('getMany median', t[t.length >> 1].toFixed(2), 'min', t[0].toFixed(2));
client.close(); await local.close();
