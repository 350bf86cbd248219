// A simulator in its own process for client benchmarks: prints `{"port":N}` once
// listening, exits when stdin closes.
import { startSimulator } from '../../lib/sim/index.js';

const sim = await startSimulator({ port: 0 });
process.stdout.write(`${JSON.stringify({ host: sim.host, port: sim.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
