// A simulator in its own process for client benchmarks: prints `{"port":N}` once
// listening, exits when stdin closes. `--devices N`: the default devices plus
// Z:GEN00000… (a generated catalogue of N more). SIM_DEBUG=1: prints connection counts and
// event-loop delay (max, p99) on stderr every second.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateCatalogue, startSimulator } from '../../lib/sim/index.js';

const at = process.argv.indexOf('--devices');
const devices = at >= 0 ? Number(process.argv[at + 1]) : 0;
const sim = await startSimulator({ port: 0, ...(devices > 0 ? { catalogue: generateCatalogue(devices) } : {}) });
process.stdout.write(`${JSON.stringify({ host: sim.host, port: sim.port })}\n`);
if (process.env.SIM_DEBUG) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  setInterval(() => {
    process.stderr.write(`sim: ${sim.connections} open, ${sim.totalConnections} accepted, loop delay max ${(h.max / 1e6).toFixed(0)} ms p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms\n`);
    h.reset();
  }, 1000).unref();
}
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
