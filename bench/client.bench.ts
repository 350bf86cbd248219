// Client hot paths against the simulator.
// Prints:
//   read_latency_median <n> us   read_latency_p99 <n> us   (1,000 sequential reads, warm pool)
//   read_latency_pipe_median <n> us  read_latency_pipe_p99 <n> us  (the same over an in-memory pipe: dpm({ connectWith: () => sim.openInProcess() }), 5,000 reads after 2,000 warm-up)
//   get_many_1000 <n> ms                                   (median of 15 batches of 1,000 distinct devices, after 20 warm-up batches)
//   stream_throughput <n> readings/s                       (Z:FAST, the simulator sending as fast as it can; 2 s after 0.5 s warm-up)
// and, with the simulator in its own process (as a real DPM would be):
//   read_latency_remote_median <n> us   read_latency_remote_p99 <n> us   (5,000 sequential reads after 2,000 warm-up)
//   get_many_1000_remote <n> ms                            (median of 50 getMany of 1,000 distinct devices, after 50 warm-up)
//   read_1000_concurrent_remote <n> ms                     (1,000 read() calls issued at once, coalesced; median of 50 after 20 warm-up)
//   read_1000_concurrent_vs_get_many <n> x                 (the ratio of the two medians above)
import { firstValueFrom, forkJoin } from 'rxjs';
import { dpm, type DpmClient } from '../lib/index.js';
import { generateCatalogue, startSimulator } from '../lib/sim/index.js';
import { startSimProcess } from './support/sim-process.js';

/** Prints `<name>_median` and `<name>_p99` of `n` sequential reads of M:OUTTMP after `warm` unmeasured ones. */
async function readLatency(client: DpmClient, name: string, warm: number, n: number): Promise<void> {
  for (let i = 0; i < warm; i++) await firstValueFrom(client.read('M:OUTTMP'));
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await firstValueFrom(client.read('M:OUTTMP'));
    lat.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  lat.sort((a, b) => a - b);
  console.log(`${name}_median ${quantile(lat, 0.5).toFixed(1)} us`);
  console.log(`${name}_p99 ${quantile(lat, 0.99).toFixed(1)} us`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export default async function bench(): Promise<void> {
  // Request/response figures: simulator in this process (no cross-process wake-ups
  // on a loaded machine). Throughput: simulator in its own process, so that its
  // encoding does not share this thread with the client's decoding.
  // default devices plus Z:GEN00000…Z:GEN00999, so getMany reads 1,000 distinct devices
  const local = await startSimulator({ port: 0, catalogue: generateCatalogue(1000) });
  const sim = await startSimProcess();
  const client = dpm({ host: local.host, port: local.port, poolSize: 4 });
  const streamClient = dpm({ host: sim.host, port: sim.port });
  try {
    // --- read latency: sequential reads on a warm pool
    await readLatency(client, 'read_latency', 1000, 1000);

    // --- the same over an in-memory pipe (no TCP)
    const piped = dpm({ connectWith: () => local.openInProcess() });
    try {
      await readLatency(piped, 'read_latency_pipe', 2000, 5000);
    } finally {
      piped.close();
    }

    // --- getMany of 1,000 distinct devices: one round trip
    const drfs = Array.from({ length: 1000 }, (_, i) => `Z:GEN${String(i).padStart(5, '0')}`);
    // warm-up: the JIT needs ~10 rounds of 1,000 replies before timings settle
    for (let i = 0; i < 20; i++) await firstValueFrom(client.getMany(drfs));
    const many: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = process.hrtime.bigint();
      const rs = await firstValueFrom(client.getMany(drfs));
      many.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (rs.length !== 1000 || !rs.every((r) => r.status.isSuccess)) throw new Error('getMany returned a wrong result');
    }
    many.sort((a, b) => a - b);
    console.log(`get_many_1000 ${quantile(many, 0.5).toFixed(2)} ms`);

    // --- stream throughput
    // readings delivered to the subscriber during DURATION ms, after WARMUP ms of
    // streaming (JIT warm-up) that are not counted
    const WARMUP = 500;
    const DURATION = 2000;
    const rate = await new Promise<number>((resolve, reject) => {
      let n = 0;
      let n0 = -1;
      let t0 = 0n;
      const sub = streamClient.stream('Z:FAST@p,1000').subscribe({
        next: () => {
          if (n++ === 0) {
            setTimeout(() => {
              n0 = n;
              t0 = process.hrtime.bigint();
              setTimeout(() => {
                const secs = Number(process.hrtime.bigint() - t0) / 1e9;
                sub.unsubscribe();
                resolve((n - n0) / secs);
              }, DURATION);
            }, WARMUP);
          }
        },
        error: reject,
      });
    });
    console.log(`stream_throughput ${Math.round(rate)} readings/s`);
    await remoteFigures(drfs);
  } finally {
    client.close();
    streamClient.close();
    await local.close();
    await sim.stop();
  }
}

/** The request/response figures with the simulator in its own process. */
async function remoteFigures(drfs: readonly string[]): Promise<void> {
  const sim = await startSimProcess([], ['--devices', '1000']);
  const client = dpm({ host: sim.host, port: sim.port, poolSize: 4 });
  try {
    await readLatency(client, 'read_latency_remote', 2000, 5000);

    for (let i = 0; i < 50; i++) await firstValueFrom(client.getMany(drfs));
    const many: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      const rs = await firstValueFrom(client.getMany(drfs));
      many.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (rs.length !== 1000 || !rs.every((r) => r.status.isSuccess)) throw new Error('getMany returned a wrong result');
    }
    many.sort((a, b) => a - b);
    const manyMedian = quantile(many, 0.5);
    console.log(`get_many_1000_remote ${manyMedian.toFixed(2)} ms`);

    const concurrent = (): Promise<unknown[]> => firstValueFrom(forkJoin(drfs.map((d) => client.read(d))));
    for (let i = 0; i < 20; i++) await concurrent();
    const conc: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      const vs = await concurrent();
      conc.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (vs.length !== 1000) throw new Error('concurrent reads returned a wrong result');
    }
    conc.sort((a, b) => a - b);
    const concMedian = quantile(conc, 0.5);
    console.log(`read_1000_concurrent_remote ${concMedian.toFixed(2)} ms`);
    console.log(`read_1000_concurrent_vs_get_many ${(concMedian / manyMedian).toFixed(2)} x`);
  } finally {
    client.close();
    await sim.stop();
  }
}
