// Soak (issue #8, "Reliability, measured"). NOT a test and not part of `npm run bench`:
//
//   npx tsx bench/soak.ts [--devices 1000] [--minutes 2] [--reconnect-every 30] [--streams 4] [--in-process]
//
// N generated devices (`Z:GEN00000@e,0F`… — clock event 0F, 15 Hz in the simulator)
// streamed by one client over `--streams` connections with reconnect on, while the
// simulator (its own process unless --in-process) destroys every connection
// `--reconnect-every` seconds after its handshake (fault `dropAfterMs`). Stops by
// itself after `--minutes` and prints: readings received vs expected, gaps reported
// (ACNET_RETRY readings), reconnects, duplicates, losses, event-loop delays,
// client heap before/after (after GC). Exit code 0 when there was no duplicate, no
// reordering, no device behind its stream-mates, every reconnect reported in-band
// and no error; 1 otherwise; 2 on a watchdog timeout.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Subscription } from 'rxjs';
import { dpm, type Reading, type StreamEvent } from '../lib/index.js';
import { generateCatalogue, startSimulator } from '../lib/sim/index.js';

const ACNET_RETRY = -255;
const HZ = 15;

interface Args {
  devices: number;
  minutes: number;
  reconnectEvery: number;
  streams: number;
  inProcess: boolean;
  simChild: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { devices: 1000, minutes: 2, reconnectEvery: 30, streams: 4, inProcess: false, simChild: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${k} needs a positive number, got ${String(argv[i])}`);
      return v;
    };
    if (k === '--devices') a.devices = Math.floor(num());
    else if (k === '--minutes') a.minutes = num();
    else if (k === '--reconnect-every') a.reconnectEvery = num();
    else if (k === '--streams') a.streams = Math.floor(num());
    else if (k === '--in-process') a.inProcess = true;
    else if (k === '--sim-child') a.simChild = true;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

function simOptions(a: Args) {
  return {
    port: 0,
    catalogue: generateCatalogue(a.devices, { includeDefaults: false }),
    faults: { dropAfterMs: Math.round(a.reconnectEvery * 1000) },
  };
}

/** Child mode: run the simulator, print `{"host","port"}`, on stdin end print `{"totalConnections"}` and exit. */
async function simChild(a: Args): Promise<void> {
  const sim = await startSimulator(simOptions(a));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  process.stdout.write(`${JSON.stringify({ host: sim.host, port: sim.port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    const total = sim.totalConnections;
    void sim.close().then(() => {
      process.stdout.write(`${JSON.stringify({ totalConnections: total, lagP99Ms: lag.percentile(99) / 1e6 - 10, lagMaxMs: lag.max / 1e6 - 10 })}\n`);
      process.exit(0);
    });
  });
}

interface SimRef {
  host: string;
  port: number;
  stop(): Promise<SimStats>;
}

interface SimStats {
  totalConnections: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
}

async function startSim(a: Args): Promise<SimRef> {
  if (a.inProcess) {
    const sim = await startSimulator(simOptions(a));
    return {
      host: sim.host,
      port: sim.port,
      stop: async () => {
        const n = sim.totalConnections;
        await sim.close();
        return { totalConnections: n };
      },
    };
  }
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', self, '--sim-child', '--devices', String(a.devices), '--reconnect-every', String(a.reconnectEvery)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let buf = '';
  let wake: (() => void) | undefined;
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      wake?.();
    }
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) {
      await new Promise<void>((r) => {
        wake = r;
      });
    }
    return lines.shift()!;
  };
  const info = JSON.parse(await nextLine()) as { host: string; port: number };
  return {
    ...info,
    stop: async () => {
      child.stdin.end();
      return JSON.parse(await nextLine()) as SimStats;
    },
  };
}

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

interface DeviceTrack {
  stream: number;
  lastTs: number;
  lastCycle: number;
  gapSinceLast: boolean;
  received: number;
}

interface StreamTrack {
  openSince: number | undefined;
  connectedMs: number;
  reconnects: number;
  gapEvents: number;
}

async function main(a: Args): Promise<number> {
  const gc = getGc();
  const t0 = Date.now();
  const sim = await startSim(a);
  const client = dpm({ host: sim.host, port: sim.port });
  const periodMs = 1000 / HZ;
  const devices = new Map<string, DeviceTrack>();
  const drfs = Array.from({ length: a.devices }, (_, i) => `Z:GEN${String(i).padStart(Math.max(5, String(a.devices - 1).length), '0')}@e,0F`);
  const streamsTrack: StreamTrack[] = [];
  const per = Math.ceil(drfs.length / a.streams);
  drfs.forEach((d, i) => devices.set(d, { stream: Math.floor(i / per), lastTs: 0, lastCycle: -1, gapSinceLast: false, received: 0 }));
  let received = 0;
  let gapReadings = 0;
  let errorReadings = 0;
  let duplicates = 0;
  let reordered = 0;
  let lateIntervals = 0;
  const streamErrors: string[] = [];
  let protocolErrors = 0;
  const pe = client.protocolErrors$.subscribe(() => protocolErrors++);
  const LAG_RESOLUTION_MS = 10;
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  /** The histogram holds the whole sampling interval: subtract the resolution to get the delay. */
  const lagMs = (ns: number): string => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS).toFixed(1);

  const heapBefore = (() => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  })();
  lag.enable();

  const onReading = (r: Reading): void => {
    const d = devices.get(r.drf);
    if (d === undefined) return;
    if (r.status.code === ACNET_RETRY) {
      gapReadings++;
      d.gapSinceLast = true;
      return;
    }
    if (r.valueType === undefined || r.status.isFailure) {
      errorReadings++;
      return;
    }
    received++;
    d.received++;
    const ts = r.timestamp?.getTime() ?? 0;
    if (d.lastTs !== 0) {
      if (ts === d.lastTs && r.cycle === d.lastCycle) duplicates++;
      else if (ts < d.lastTs) reordered++;
      else if (ts - d.lastTs > 2.5 * periodMs && !d.gapSinceLast) lateIntervals++;
    }
    d.lastTs = ts;
    d.lastCycle = r.cycle;
    d.gapSinceLast = false;
  };

  const subs: Subscription[] = [];
  for (let s = 0; s < a.streams; s++) {
    const slice = drfs.slice(s * per, (s + 1) * per);
    if (slice.length === 0) continue;
    const track: StreamTrack = { openSince: undefined, connectedMs: 0, reconnects: 0, gapEvents: 0 };
    streamsTrack.push(track);
    subs.push(
      client.streamEvents(slice, { reconnect: { initialDelay: 250, maxDelay: 2000 } }).subscribe({
        next: (e: StreamEvent) => {
          if (e.kind === 'reading') onReading(e.reading);
          else if (e.kind === 'state') {
            const st = e.state;
            if (st.kind === 'open' && track.openSince === undefined) track.openSince = Date.now();
            else if (st.kind === 'closed' && track.openSince !== undefined) {
              track.connectedMs += Date.now() - track.openSince;
              track.openSince = undefined;
            } else if (st.kind === 'reconnecting') track.reconnects++;
          }
        },
        error: (e: unknown) => streamErrors.push(String(e)),
      }),
    );
  }

  const durationMs = a.minutes * 60_000;
  const watchdog = setTimeout(() => {
    console.error(`soak: watchdog: still running ${durationMs + 60_000} ms after start, exiting`);
    process.exit(2);
  }, durationMs + 60_000);
  watchdog.unref();

  console.log(
    `soak: ${a.devices} devices @e,0F (${HZ} Hz) over ${streamsTrack.length} streams, reconnect on, server drops every connection ${a.reconnectEvery} s after its handshake, for ${a.minutes} min (simulator ${a.inProcess ? 'in this process' : 'in its own process'})`,
  );
  let lastReceived = 0;
  const progress = setInterval(() => {
    const s = Math.round((Date.now() - t0) / 1000);
    const rate = (received - lastReceived) / 10;
    lastReceived = received;
    const heap = process.memoryUsage().heapUsed;
    console.log(
      `  t=${String(s).padStart(4)} s  received ${received}  (${rate.toFixed(0)}/s)  gaps ${gapReadings}  reconnects ${streamsTrack.reduce((n, t) => n + t.reconnects, 0)}  heap ${mb(heap)}`,
    );
  }, 10_000);

  await new Promise<void>((r) => setTimeout(r, durationMs));
  clearInterval(progress);
  const now = Date.now();
  for (const t of streamsTrack) {
    if (t.openSince !== undefined) t.connectedMs += now - t.openSince;
    t.openSince = undefined;
  }
  for (const s of subs) s.unsubscribe();
  pe.unsubscribe();
  lag.disable();
  client.close();
  const simStats = await sim.stop();
  await new Promise<void>((r) => setTimeout(r, 1500)); // sockets finish closing
  gc();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;

  const elapsedS = durationMs / 1000;
  const nominal = Math.round(a.devices * HZ * elapsedS);
  const perDevice = Math.ceil(a.devices / a.streams);
  // the simulator's clock timeline fires event 0F exactly 15 times a second
  const simHz = HZ;
  const whileConnected = Math.round(streamsTrack.reduce((n, t) => n + (t.connectedMs / 1000) * simHz * perDevice, 0));
  const reconnects = streamsTrack.reduce((n, t) => n + t.reconnects, 0);
  const counts = [...devices.values()].map((d) => d.received).sort((x, y) => x - y);
  const missingDevices = counts.filter((c) => c === 0).length;
  // Loss criterion: every device of a stream is in every batch the simulator sends for a
  // tick, so a reading the client lost shows up as a device behind its stream-mates. A
  // drop can cut one batch (covered by that stream's gap readings), and so can the end.
  let worstSpread = 0;
  let spreadViolations = 0;
  streamsTrack.forEach((t, si) => {
    const c = [...devices.values()].filter((d) => d.stream === si).map((d) => d.received);
    const spread = Math.max(...c) - Math.min(...c);
    worstSpread = Math.max(worstSpread, spread);
    if (spread > t.reconnects + 1) spreadViolations++;
  });
  const pct = (x: number, of: number): string => `${((100 * x) / Math.max(1, of)).toFixed(2)} %`;
  const lines = [
    '',
    `soak result (${elapsedS.toFixed(0)} s, ${a.devices} devices, ${streamsTrack.length} streams)`,
    `  readings received        ${received}`,
    `  expected (nominal)       ${nominal}  = devices × ${HZ} Hz × duration  → received ${pct(received, nominal)}`,
    `  expected while connected ${whileConnected}  (connected time per stream × ${simHz.toFixed(2)} Hz × its devices) → received ${pct(received, whileConnected)}`,
    `  per device               min ${counts[0] ?? 0}, median ${counts[Math.floor(counts.length / 2)] ?? 0}, max ${counts.at(-1) ?? 0}; devices with no reading: ${missingDevices}`,
    `  reconnects               ${reconnects}  (simulator accepted ${simStats.totalConnections} connections for ${streamsTrack.length} streams)`,
    `  gaps reported            ${gapReadings} ACNET_RETRY readings (= reconnects × devices per stream: ${reconnects * perDevice})`,
    `  other error readings     ${errorReadings}`,
    `  duplicates / reordered   ${duplicates} / ${reordered}`,
    `  losses (per-device)      worst spread of readings between devices of one stream: ${worstSpread} (allowed: reconnects of the stream + 1); streams over it: ${spreadViolations}`,
    `  late intervals           ${lateIntervals} intervals > 2.5 periods between two readings of a device with no gap report (simulator timer lateness; its event-loop delay p99 ${simStats.lagP99Ms?.toFixed(1) ?? 'n/a'} ms, max ${simStats.lagMaxMs?.toFixed(1) ?? 'n/a'} ms)`,
    `  protocol errors          ${protocolErrors}`,
    `  stream errors            ${streamErrors.length === 0 ? 'none' : streamErrors.join('; ')}`,
    `  event-loop delay         p50 ${lagMs(lag.percentile(50))} ms, p99 ${lagMs(lag.percentile(99))} ms, max ${lagMs(lag.max)} ms`,
    `  client heap after GC     before ${mb(heapBefore)}, after ${mb(heapAfter)} (Δ ${mb(heapAfter - heapBefore)})`,
    `  wall time                ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
  const ok =
    duplicates === 0 &&
    reordered === 0 &&
    spreadViolations === 0 &&
    missingDevices === 0 &&
    gapReadings === reconnects * perDevice &&
    protocolErrors === 0 &&
    streamErrors.length === 0;
  console.log(ok ? 'soak: OK' : 'soak: FAILED (duplicates, reordering, a device behind its stream, a gap not reported, or an error)');
  return ok ? 0 : 1;
}

const args = parseArgs(process.argv.slice(2));
if (args.simChild) {
  await simChild(args);
} else {
  const code = await main(args);
  process.exit(code);
}
