// A simulator with N generated devices (Z:GEN…) in its own process, for the web benchmark:
// prints `{"host":…,"port":N}` once listening, exits when stdin closes.
import { generateCatalogue, startSimulator } from '../../lib/sim/index.js';

const n = Number(process.argv[2] ?? 1000);
const sim = await startSimulator({ port: 0, catalogue: generateCatalogue(n) });
process.stdout.write(`${JSON.stringify({ host: sim.host, port: sim.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
