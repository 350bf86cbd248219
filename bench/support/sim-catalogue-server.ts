// A simulator with the default devices plus Z:GEN00000…Z:GEN00999, in its own process, for
// the client benchmarks that need 1,000 distinct devices: prints `{"host":…,"port":N}` once
// listening, exits when stdin closes.
import { generateCatalogue, startSimulator } from '../../lib/sim/index.js';

const sim = await startSimulator({ port: 0, catalogue: generateCatalogue(1000) });
process.stdout.write(`${JSON.stringify({ host: sim.host, port: sim.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
