// Simulator benchmarks.
//
// sim_scalar_push: simulator in this process; Scalar_reply frames pushed by a fast-stream
// device (Z:FAST) to a raw client that only counts frames with a minimal length-prefix
// scanner, for ~2 s. Prints `sim_scalar_push <n> replies/s`.
//
// Many-connection figures: the simulator in its own child process
// (bench/support/sim-server.ts, a fresh one per scenario), the load in this process.
// Raw-socket client (bench/support/raw-dpm-client.ts: handshake, one AddToList +
// StartList, then frames counted by a length-prefix scanner, no decoding), so the
// figures measure the simulator, not our client's decoding:
//   sim_1000_streams_p1 <n> readings/s           1,000 connections, each `M:OUTTMP@p,1` (1 kHz): frames/s in all, 3 s after 1 s warm-up (goal ≥ 300,000)
//   sim_1000_streams_p1_min_stream <n> readings/s  the slowest of those streams
//   sim_1000_streams_p1_handshake_max <n> ms      the 1,000 connections are opened at once: connect() → OpenList_reply, slowest
//   sim_1000_streams_p10 <n> readings/s          the same at `@p,10` (100 Hz; the full rate is 100,000)
//   sim_1000_streams_p10_min_stream <n> readings/s
//   sim_1000_fast_handshake_max / _p99 <n> ms   1,000 connections opened at once, each starting `Z:FAST@p,1000`
//                                                as soon as its list is open: connect() → OpenList_reply (goal < 1,000 ms)
//   sim_1000_fast_handshake_timeouts <n> count   of those, not answered within 5 s (the client's handshake timeout; unanswered after 10 s count as 10,000 ms above)
//   sim_1000_fast_heartbeat_max_gap <n> ms       5 quiet lists opened before: longest silence during 4 s of saturation (heartbeat every 2 s)
//   sim_1000_fast_new_handshake_max <n> ms       20 new connections opened one after another while the 1,000 fast streams run
//   sim_1000_fast_throughput <n> MB/s            bytes the 1,000 fast streams deliver in all
// Then our real client (`dpm({host, port}).stream(drf)`, one connection per stream), in this process:
//   sim_1000_streams_p1_client / sim_1000_streams_p10_client <n> readings/s   readings delivered to subscribers, 3 s after 1 s warm-up
//
// SIM_BENCH_ONLY=p1,fast runs only some scenarios; SIM_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'
// profiles the simulator process; SIM_DEBUG=1 makes it print its event-loop delay each second.
//
// Profile findings (issue #16, `--cpu-prof` of the simulator process, 2 cores):
// - 1,000 × @p,1 before: 44% of the time in socket writes (one `socket.write` per reading:
//   every stream had its own 1 ms timer, which Node runs at most once per event-loop turn, so
//   each turn gave one reading per stream and one write per reading), turns of ~30 ms →
//   ~30–50 readings/s per stream. Now: one PeriodicScheduler (drift-free, catching up,
//   budgeted slices), Scalar_reply frames encoded straight into the writer's buffer, one
//   write per connection per slice: encoding 19%, writes 14%, valueAt 12%, GC 10%, idle 7%.
// - 1,000 × Z:FAST before: 88% inside one check phase — each stream produced 256 KiB per
//   flush in its own setImmediate chain (~256 MB per turn, seconds); libuv accepts one
//   connection per event-loop turn (libuv #3696), so half the handshakes timed out. Now: a
//   FastStreamPump serves ready streams round-robin, 1 MiB per turn in all (almost nothing
//   while connections arrive), and turns stay short.
import { connect } from 'node:net';
import { dpm } from '../lib/index.js';
import { startSimulator } from '../lib/sim/index.js';
import { encodeRequestFrames, HANDSHAKE_REQUEST } from '../lib/protocol/index.js';
import { startSimProcess } from './support/sim-process.js';
import { quantile, RawConn, sleep, waitHandshakes } from './support/raw-dpm-client.js';

const WARMUP_MS = 300;
const DURATION_MS = 2000;
const STREAMS = 1000;

async function scalarPush(): Promise<void> {
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
    await sleep(WARMUP_MS);
    const f0 = frames;
    const t0 = performance.now();
    await sleep(DURATION_MS);
    const rate = ((frames - f0) * 1000) / (performance.now() - t0);
    console.log(`sim_scalar_push ${Math.round(rate)} replies/s`);
  } finally {
    socket.destroy();
    await sim.close();
  }
}

/** 1,000 raw connections, each streaming `M:OUTTMP@p,<period>`. */
async function periodic(periodMs: number, name: string): Promise<void> {
  const sim = await startSimProcess();
  const conns: RawConn[] = [];
  try {
    for (let i = 0; i < STREAMS; i++) conns.push(new RawConn({ host: sim.host, port: sim.port, drf: `M:OUTTMP@p,${periodMs}` }));
    await waitHandshakes(conns, 10_000);
    const hs = conns.map((c) => c.handshakeMs ?? 10_000).sort((a, b) => a - b);
    await sleep(1000);
    const f0 = conns.map((c) => c.frames);
    const t0 = performance.now();
    await sleep(3000);
    const secs = (performance.now() - t0) / 1000;
    const per = conns.map((c, i) => (c.frames - f0[i]!) / secs);
    const total = per.reduce((a, b) => a + b, 0);
    console.log(`${name} ${Math.round(total)} readings/s`);
    console.log(`${name}_min_stream ${Math.round(Math.min(...per))} readings/s`);
    console.log(`${name}_handshake_max ${Math.round(hs[hs.length - 1]!)} ms`);
  } finally {
    for (const c of conns) c.destroy();
    await sim.stop();
  }
}

/** 1,000 Z:FAST streams opened at once: handshakes, heartbeats of quiet lists, new connections. */
async function fastFairness(): Promise<void> {
  const sim = await startSimProcess();
  const conns: RawConn[] = [];
  const quiet: RawConn[] = [];
  try {
    for (let i = 0; i < 5; i++) quiet.push(new RawConn({ host: sim.host, port: sim.port }));
    await waitHandshakes(quiet, 5000);
    for (let i = 0; i < STREAMS; i++) conns.push(new RawConn({ host: sim.host, port: sim.port, drf: 'Z:FAST@p,1000', bytesOnly: true }));
    await waitHandshakes(conns, 10_000);
    // unanswered after 10 s count as 10,000 ms
    const hs = conns.map((c) => c.handshakeMs ?? 10_000).sort((a, b) => a - b);
    console.log(`sim_1000_fast_handshake_max ${Math.round(hs[hs.length - 1]!)} ms`);
    console.log(`sim_1000_fast_handshake_p99 ${Math.round(quantile(hs, 0.99))} ms`);
    console.log(`sim_1000_fast_handshake_timeouts ${hs.filter((x) => !(x < 5000)).length} count`);
    for (const q of quiet) q.resetGaps();
    const b0 = conns.reduce((a, c) => a + c.bytes, 0);
    const t0 = performance.now();
    await sleep(4000);
    const secs = (performance.now() - t0) / 1000;
    const mb = (conns.reduce((a, c) => a + c.bytes, 0) - b0) / 1e6 / secs;
    const gap = Math.max(...quiet.map((q) => Math.max(q.maxGapMs, performance.now() - q.lastFrameAt)));
    console.log(`sim_1000_fast_heartbeat_max_gap ${Math.round(gap)} ms`);
    let newMax = 0;
    for (let i = 0; i < 20; i++) {
      const c = new RawConn({ host: sim.host, port: sim.port });
      quiet.push(c);
      await waitHandshakes([c], 5000);
      newMax = Math.max(newMax, c.handshakeMs ?? 5000);
    }
    console.log(`sim_1000_fast_new_handshake_max ${Math.round(newMax)} ms`);
    console.log(`sim_1000_fast_throughput ${mb.toFixed(1)} MB/s`);
  } finally {
    for (const c of [...conns, ...quiet]) c.destroy();
    await sim.stop();
  }
}

/** Our client: 1,000 `stream()`s, each on its own connection. */
async function clientPeriodic(periodMs: number, name: string): Promise<void> {
  const sim = await startSimProcess();
  const client = dpm({ host: sim.host, port: sim.port });
  const counts = new Array<number>(STREAMS).fill(0);
  const subs = counts.map((_, i) =>
    client.stream(`M:OUTTMP@p,${periodMs}`).subscribe({
      next: () => {
        counts[i]!++;
      },
      error: () => undefined,
    }),
  );
  try {
    await sleep(3000);
    const n0 = counts.reduce((a, b) => a + b, 0);
    const t0 = performance.now();
    await sleep(3000);
    const secs = (performance.now() - t0) / 1000;
    console.log(`${name} ${Math.round((counts.reduce((a, b) => a + b, 0) - n0) / secs)} readings/s`);
  } finally {
    for (const s of subs) s.unsubscribe();
    client.close();
    await sim.stop();
  }
}

const SCENARIOS: Record<string, () => Promise<void>> = {
  push: scalarPush,
  p1: () => periodic(1, 'sim_1000_streams_p1'),
  p10: () => periodic(10, 'sim_1000_streams_p10'),
  fast: fastFairness,
  client_p1: () => clientPeriodic(1, 'sim_1000_streams_p1_client'),
  client_p10: () => clientPeriodic(10, 'sim_1000_streams_p10_client'),
};

// SIM_BENCH_ONLY=p1,fast runs only those scenarios (e.g. to profile the simulator under one load).
export default async function bench(): Promise<void> {
  const only = (process.env.SIM_BENCH_ONLY ?? '').split(',').filter((s) => s !== '');
  for (const [key, run] of Object.entries(SCENARIOS)) if (only.length === 0 || only.includes(key)) await run();
}
