// Simulator hot path: Scalar_reply frames pushed to a raw client that only counts frames.
// Prints `sim_scalar_push <n> replies/s`.
import { connect } from 'node:net';
import { startSimulator } from '../lib/sim/index.js';
import { encodeRequestFrames, HANDSHAKE_REQUEST } from '../lib/protocol/index.js';

const DURATION_MS = 2000;

export default async function bench(): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  try {
    const socket = connect({ port: sim.port, host: sim.host, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(HANDSHAKE_REQUEST);
    // minimal length-prefix scanner: count frames, remember the position of the next prefix
    let frames = 0;
    let need = 0; // bytes left of the current frame body
    const prefix = Buffer.alloc(4);
    let prefixHave = 0;
    let listIdSeen = false;
    let started = 0;
    let firstData = 0;
    socket.on('data', (chunk: Buffer) => {
      let i = 0;
      const n = chunk.length;
      while (i < n) {
        if (need > 0) {
          const take = Math.min(need, n - i);
          need -= take;
          i += take;
          if (need === 0) frames++;
          continue;
        }
        if (prefixHave === 0 && n - i >= 4) {
          need = chunk.readUInt32BE(i);
          i += 4;
        } else {
          prefix[prefixHave++] = chunk[i++]!;
          if (prefixHave < 4) continue;
          prefixHave = 0;
          need = prefix.readUInt32BE(0);
        }
      }
      if (!listIdSeen && frames >= 1) {
        listIdSeen = true;
        // list id is ignored by the TCP server; any value works for the requests below
        socket.write(
          encodeRequestFrames([
            { type: 'AddToList_request', list_id: 0, ref_id: 1, drf_request: 'Z:FAST@p,1000' },
            { type: 'StartList_request', list_id: 0 },
          ]),
        );
        started = frames;
      } else if (firstData === 0 && frames > started + 2) {
        firstData = performance.now();
        started = frames;
      }
    });
    await new Promise((r) => setTimeout(r, 300)); // warm-up
    const f0 = frames;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, DURATION_MS));
    const rate = ((frames - f0) * 1000) / (performance.now() - t0);
    socket.destroy();
    console.log(`sim_scalar_push ${Math.round(rate)} replies/s`);
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
