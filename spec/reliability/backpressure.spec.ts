/**
 * Backpressure (issue #8): a consumer slower than the stream must not grow memory
 * without bound. The client's documented policies are operators on the reading
 * stream (`dpm-behaviour.md` §5.4, `lib/dpm/operators`):
 * - `consumeLatest`: latest value per device — at most one pending reading per
 *   device, older ones dropped and counted, a device keeps its place (no starvation);
 * - `consumeBuffered`: a bounded FIFO of `size`, overflow dropped (newest or
 *   oldest) and counted.
 * Both are exercised over a real socket: 200 devices at 15 Hz (3 000 readings/s)
 * into a consumer that takes ≥ 2 ms per reading (a timer: a few hundred readings/s at most).
 */
import { expect } from 'chai';
import v8 from 'node:v8';
import vm from 'node:vm';
import { timer, map, tap, type OperatorFunction } from 'rxjs';
import { consumeBuffered } from '../../lib/dpm/operators/consume-buffered.js';
import { consumeLatest } from '../../lib/dpm/operators/consume-latest.js';
import { newBackpressureStats, type BackpressureStats } from '../../lib/dpm/operators/backpressure-stats.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { generateCatalogue } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';
import { until, withSim } from './helpers.js';

const DEVICES = 200;
const DRFS = Array.from({ length: DEVICES }, (_, i) => `Z:GEN${String(i).padStart(5, '0')}@e,0F`);
const WORK_MS = 2;
/** A run lasts until this many readings came in: 2.5 s of the stream (3,000 readings/s). */
const RUN_READINGS = 7_500;

function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Run {
  received: number;
  processed: Reading[];
  stats: BackpressureStats;
  heapGrowth: number;
}

/**
 * Streams DRFS through `op` into a WORK_MS consumer until `readings` came in (a run measured in
 * data, not in wall-clock time: on a loaded machine it just takes longer); counts what came in
 * and what was handled.
 */
async function runSlowConsumer(
  readings: number,
  op: (work: (r: Reading) => ReturnType<typeof slowWork>, stats: BackpressureStats) => OperatorFunction<Reading, Reading>,
): Promise<Run> {
  return withSim({ catalogue: generateCatalogue(DEVICES, { includeDefaults: false }) }, async (_sim, client) => {
    const gc = getGc();
    const stats = newBackpressureStats();
    const processed: Reading[] = [];
    let received = 0;
    const heapBefore = heapAfterGc(gc);
    const sub = client
      .stream(DRFS)
      .pipe(
        tap(() => received++),
        op(slowWork, stats),
      )
      .subscribe({ next: (r) => processed.push(r) });
    await until(() => received >= readings, 30_000, `${readings} readings`);
    const heapGrowth = heapAfterGc(gc) - heapBefore;
    sub.unsubscribe();
    return { received, processed, stats, heapGrowth };
  });
}

function slowWork(r: Reading) {
  return timer(WORK_MS).pipe(map(() => r));
}

function report(name: string, run: Run): void {
  const s = run.stats;
  console.log(
    `      ${name}: received ${run.received}, processed ${s.processed}, dropped ${s.dropped}, queued ${s.queued}, maxQueued ${s.maxQueued}, heap growth after GC ${(run.heapGrowth / 1024).toFixed(0)} KiB`,
  );
}

describe('reliability/backpressure (slow consumer over a real socket)', function () {
  this.timeout(20_000);
  checkLeaks(2500);

  it('consumeLatest: at most one pending reading per device, drops counted, every device served in turn, heap bounded', async () => {
    const run = await runSlowConsumer(RUN_READINGS, (work, stats) => consumeLatest(work, { stats }));
    report('consumeLatest', run);
    const s = run.stats;
    expect(run.received, 'the stream outpaced the consumer').to.be.greaterThan(3 * s.processed);
    expect(s.maxQueued).to.be.at.most(DEVICES);
    expect(s.dropped).to.be.greaterThan(0);
    // accounting: every reading was either handed on, dropped (replaced), or is waiting
    expect(s.processed + s.dropped + s.queued).to.equal(run.received);
    // no starvation: one pending slot per device, in FIFO order of arrival, so the first
    // DEVICES readings handed on are all of different devices (every device served in turn)
    const firstRound = run.processed.slice(0, DEVICES);
    expect(new Set(firstRound.map((r) => r.drf)).size).to.equal(firstRound.length);
    // never a stale value after a newer one of the same device
    const last = new Map<string, number>();
    for (const r of run.processed) {
      const t = r.timestamp?.getTime() ?? 0;
      expect(t, r.drf).to.be.at.least(last.get(r.drf) ?? 0);
      last.set(r.drf, t);
    }
    expect(run.heapGrowth).to.be.lessThan(16 * 1048576);
  });

  for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
    it(`consumeBuffered(size 100, ${overflow}): never more than 100 waiting, overflow counted exactly`, async () => {
      const run = await runSlowConsumer(RUN_READINGS, (work, stats) => consumeBuffered(work, { size: 100, overflow, stats }));
      report(`consumeBuffered ${overflow}`, run);
      const s = run.stats;
      expect(run.received).to.be.greaterThan(3 * s.processed);
      expect(s.maxQueued).to.be.at.most(100);
      expect(s.dropped).to.be.greaterThan(0);
      expect(s.processed + s.dropped + s.queued).to.equal(run.received);
      expect(run.heapGrowth).to.be.lessThan(16 * 1048576);
      if (overflow === 'drop-oldest') {
        // the last reading handled is recent: older ones were the ones discarded
        const newest = run.processed.at(-1)!.timestamp!.getTime();
        expect(Date.now() - newest).to.be.lessThan(1500);
      }
    });
  }

  it('onDrop is told of every overflow', async () => {
    let calls = 0;
    const run = await runSlowConsumer(2_400, (work, stats) => consumeBuffered(work, { size: 10, stats, onDrop: () => calls++ }));
    expect(calls).to.equal(run.stats.dropped);
    expect(run.stats.maxQueued).to.be.at.most(10);
  });
});
