// Simulator hot path: Scalar_reply frames pushed by a fast-stream device (Z:FAST) to a raw
// client that only counts frames with a minimal length-prefix scanner, for ~2 s.
// Prints `sim_scalar_push <n> replies/s`.
import { connect } from 'node:net';
import { startSimulator } from '../lib/sim/index.js';
import { encodeRequestFrames, HANDSHAKE_REQUEST } from '../lib/protocol/index.js';

const WARMUP_MS = 300;
const DURATION_MS = 2000;

export default async function bench(): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  const socket = connect({ port: sim.port, host: sim.host, noDelay: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(HANDSHAKE_REQUEST);
    let frames = 0;
    let need = 0; // body bytes still to skip
    const prefix = Buffer.alloc(4);
    let prefixHave = 0;
    let requested = false;
    socket.on('data', (chunk: Buffer) => {
      let i = 0;
      const n = chunk.length;
      while (i < n) {
        if (need > 0) {
          const take = Math.min(need, n - i);
          need -= take;
          i += take;
          if (need === 0) frames++;
        } else if (prefixHave === 0 && n - i >= 4) {
          need = chunk.readUInt32BE(i);
          i += 4;
        } else {
          prefix[prefixHave++] = chunk[i++]!;
          if (prefixHave === 4) {
            prefixHave = 0;
            need = prefix.readUInt32BE(0);
          }
        }
      }
      if (!requested && frames >= 1) {
        requested = true; // after OpenList_reply (the TCP server ignores the list_id field)
        socket.write(
          encodeRequestFrames([
            { type: 'AddToList_request', list_id: 0, ref_id: 1, drf_request: 'Z:FAST@p,1000' },
            { type: 'StartList_request', list_id: 0 },
          ]),
        );
      }
    });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const f0 = frames;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, DURATION_MS));
    const rate = ((frames - f0) * 1000) / (performance.now() - t0);
    console.log(`sim_scalar_push ${Math.round(rate)} replies/s`);
  } finally {
    socket.destroy();
    await sim.close();
  }
}
