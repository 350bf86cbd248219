import { spawn } from 'node:child_process';
import { dpm } from '../../lib/index.js';
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/sim-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
const info = await new Promise<{ host: string; port: number }>((resolve) => { let buf = ''; child.stdout.on('data', (d: Buffer) => { buf += d.toString(); const nl = buf.indexOf('\n'); if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as { host: string; port: number }); }); });
const c = dpm({ host: info.host, port: info.port });
const D = Number(process.env.D ?? 3000);
const rate = await new Promise<number>((resolve) => {
  let n = 0; let t0 = 0n;
  const sub = c.stream('Z:FAST@p,1000').subscribe({ next: () => { if (n++ === 0) { t0 = process.hrtime.bigint(); setTimeout(() => { const s = Number(process.hrtime.bigint() - t0) / 1e9; sub.unsubscribe(); resolve((n - 1) / s); }, D); } } });
});
console.log('rate', Math.round(rate));
c.close(); child.stdin.end();
