// README "The simulator in the same process, without TCP": the client on an in-memory pipe.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   npx tsx examples/in-process.ts

import { firstValueFrom } from 'rxjs';
import { dpm } from 'acsys-rx';
import { startSimulator } from 'acsys-rx/sim';

const sim = await startSimulator({ port: 0 });
// every connection of this client is an in-memory pipe into the simulator: no port, no system calls
const client = dpm({ connectWith: () => sim.openInProcess() });
const temperature = await firstValueFrom(client.read('M:OUTTMP'));
const readings = await firstValueFrom(client.getMany(['G:AMANDA', 'Z:NOTFND']));
console.log(`M:OUTTMP = ${Number(temperature).toFixed(1)}`);
console.log(readings.map((r) => `${r.drf}: ${r.status.name}`).join(', '));
client.close();
await sim.close();
