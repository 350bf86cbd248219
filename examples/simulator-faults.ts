// README "The simulator: offline work and tests": your own devices, and faults that surface as
// typed errors. It starts its own simulators, so it needs no environment at all.
// This file is the README's sample word for word (after this header); a test keeps them equal.
//
//   npx tsx examples/simulator-faults.ts

import { firstValueFrom } from 'rxjs';
import { DBM_NOPROP, dpm, HandshakeError, TimeoutError } from 'acsys-rx';
import { defaultCatalogue, startSimulator, type Catalogue } from 'acsys-rx/sim';

// 1. your own devices (here: the default catalogue plus one device in a fault state)
const catalogue: Catalogue = {
  devices: [
    ...defaultCatalogue().devices,
    { name: 'Z:MYDEV', index: 900001, description: 'my test device', units: 'V', reading: { kind: 'scalar', value: 5, noise: 0.1 } },
    { name: 'Z:BROKEN', index: 900002, description: 'always failing', reading: { kind: 'scalar', value: 0 }, errorStatus: DBM_NOPROP.code },
  ],
};
const sim = await startSimulator({ port: 0, catalogue });
const client = dpm({ host: sim.host, port: sim.port });
const [mine, broken] = await firstValueFrom(client.getMany(['Z:MYDEV', 'Z:BROKEN']));
console.log(`Z:MYDEV = ${Number(mine!.value).toFixed(1)} ${mine!.meta?.units ?? ''}`);
console.log(`Z:BROKEN: ${broken!.status.name}`); // failures are readings, not exceptions
client.close();
await sim.close();

// 2. a proxy answering HTTP 503 at the handshake → HandshakeError
const down = await startSimulator({ port: 0, faults: { httpError: 'HTTP/1.1 503 Service Unavailable' } });
const c2 = dpm({ host: down.host, port: down.port });
try {
  await firstValueFrom(c2.read('M:OUTTMP'));
} catch (e) {
  if (e instanceof HandshakeError) console.log(`HandshakeError ${e.category}: ${e.statusLine ?? ''}`);
  else throw e;
} finally {
  c2.close();
  await down.close();
}

// 3. a server that goes silent after the handshake → the read's deadline → TimeoutError
const silent = await startSimulator({ port: 0, faults: { stallAfterFrames: 1 } });
const c3 = dpm({ host: silent.host, port: silent.port, timeouts: { operation: 500 } });
try {
  await firstValueFrom(c3.read('M:OUTTMP'));
} catch (e) {
  if (e instanceof TimeoutError) console.log(`TimeoutError: missing ${e.missing.join(', ')}`);
  else throw e;
} finally {
  c3.close();
  await silent.close();
}
