/**
 * One scheduler for every continuous periodic request (`@p,N`) of a simulator, built for
 * many connections: drift-free, catching up, and doing bounded work per event-loop turn.
 *
 * - Drift-free: occurrence `n` of a job with period `P` started at `t0` is due at
 *   `t0 + ⌊n·P⌋` (ms), whenever its callback runs.
 * - Catching up: one visit delivers every occurrence that fell due since the previous one
 *   (up to {@link PERIODIC_CATCH_UP_MS} of them; older ones are skipped), so a stream keeps
 *   its average rate when visits are late, and its connection gets all of them in one
 *   buffer and one `socket.write`.
 * - Bounded: a turn visits jobs round-robin until it has spent its budget of work units
 *   (a delivered occurrence costs 1, a visit that delivers costs {@link VISIT_COST} more,
 *   for the socket write it causes), then yields (`setImmediate`) so that I/O runs before
 *   the next slice. When every job has been visited and none is due, it sleeps until the
 *   earliest due time (one timer for the whole simulator).
 *
 * Why: Node's libuv accepts at most one connection per event-loop turn, and before this
 * each `@p,1` stream had its own 1 ms timer: one reading per stream per turn, one socket
 * write per reading, and turns of 30 ms with 1,000 streams (30 readings/s each, new
 * connections accepted at ~30/s). See `bench/sim.bench.ts` for the figures.
 *
 * Time comes from the {@link Scheduler}, so the scheduling can be tested in virtual time.
 *
 * @example
 * ```ts
 * const ps = new PeriodicScheduler(realScheduler);
 * const job = ps.add(10, (first, count, at) => { for (let n = first; n < first + count; n++) send(at(n)); return count; });
 * job.cancel();
 * ps.close();
 * ```
 *
 * @module
 */
import { deferOn, type Cancellable, type Scheduler } from './scheduler.js';

/**
 * Longest stretch of overdue occurrences one visit delivers (ms of period time, at least
 * one occurrence); older ones are skipped.
 *
 * @example
 * ```ts
 * PERIODIC_CATCH_UP_MS; // 200
 * ```
 */
export const PERIODIC_CATCH_UP_MS = 200;

/**
 * Work units one turn may spend (see the module doc).
 *
 * @example
 * ```ts
 * PERIODIC_SLICE_UNITS; // 2000
 * ```
 */
export const PERIODIC_SLICE_UNITS = 2000;

/**
 * Extra work units a visit that delivers costs (its connection's socket write).
 *
 * @example
 * ```ts
 * VISIT_COST; // 30
 * ```
 */
export const VISIT_COST = 30;

/**
 * While connections are arriving (see {@link PeriodicScheduler.arrival}) a turn spends
 * only this fraction of {@link PERIODIC_SLICE_UNITS}, for {@link PERIODIC_LIGHT_TURNS}
 * turns after the latest arrival: Node's libuv accepts at most one connection per
 * event-loop turn, so shorter turns answer a burst of connections sooner. Streams keep
 * their rate (occurrences catch up), at the cost of more turns.
 *
 * @example
 * ```ts
 * PERIODIC_LIGHT_FRACTION; // 0.125
 * ```
 */
export const PERIODIC_LIGHT_FRACTION = 0.125;

/**
 * See {@link PERIODIC_LIGHT_FRACTION}.
 *
 * @example
 * ```ts
 * PERIODIC_LIGHT_TURNS; // 64
 * ```
 */
export const PERIODIC_LIGHT_TURNS = 64;

/**
 * Called with the index of the first occurrence due, how many are due (consecutive, ≥ 1)
 * and a function giving an occurrence's nominal time in ms since the epoch. Indices start
 * at 1 (occurrence 0 is the start); skipped occurrences show as a jump in `first`.
 *
 * @example
 * ```ts
 * const onDue: PeriodicListener = (first, count, at) => console.log(first, count, at(first));
 * ```
 */
export type PeriodicListener = (first: number, count: number, at: (n: number) => number) => void;

interface Job {
  readonly t0: number;
  readonly period: number;
  readonly maxCount: number;
  readonly onDue: PeriodicListener;
  readonly at: (n: number) => number;
  next: number;
  cancelled: boolean;
}

/**
 * Round-robin, budgeted scheduler of periodic jobs (see the module doc).
 *
 * @example
 * ```ts
 * const ps = new PeriodicScheduler(scheduler);
 * ps.add(1, (first, count) => console.log(first, count)).cancel();
 * ```
 */
export class PeriodicScheduler {
  private jobs: Job[] = [];
  private cursor = 0;
  private sleeping: Cancellable | undefined;
  private sleepingUntil = Number.POSITIVE_INFINITY;
  private deferred: Cancellable | undefined;
  private closed = false;
  /** Jobs not cancelled. */
  private live = 0;
  private light = 0;
  private readonly defer: (fn: () => void) => Cancellable;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly sliceUnits = PERIODIC_SLICE_UNITS,
    private readonly catchUpMs = PERIODIC_CATCH_UP_MS,
  ) {
    this.defer = deferOn(scheduler);
  }

  /** Jobs registered (cancelled ones leave at their next visit). */
  get size(): number {
    return this.jobs.length;
  }

  /** Adds a job whose first occurrence is due `periodMs` from now; `cancel()` removes it. */
  add(periodMs: number, onDue: PeriodicListener): Cancellable {
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be > 0, got ${periodMs}`);
    if (this.closed) return { cancel: () => undefined };
    const t0 = this.scheduler.now();
    const job: Job = {
      t0,
      period: periodMs,
      maxCount: Math.max(1, Math.floor(this.catchUpMs / periodMs)),
      onDue,
      at: (n) => t0 + Math.floor(n * periodMs),
      next: 1,
      cancelled: false,
    };
    this.jobs.push(job);
    this.live++;
    this.wakeAt(job.at(1));
    return {
      cancel: () => {
        if (job.cancelled) return;
        job.cancelled = true;
        if (--this.live === 0) this.idle();
      },
    };
  }

  /** A connection was accepted: the next turns are light (see {@link PERIODIC_LIGHT_FRACTION}). */
  arrival(): void {
    this.light = PERIODIC_LIGHT_TURNS;
  }

  /** Drops every job and timer. */
  close(): void {
    this.closed = true;
    this.idle();
  }

  /** No live job: nothing to keep, no timer left behind. */
  private idle(): void {
    this.jobs = [];
    this.cursor = 0;
    this.sleeping?.cancel();
    this.sleeping = undefined;
    this.sleepingUntil = Number.POSITIVE_INFINITY;
    this.deferred?.cancel();
    this.deferred = undefined;
  }

  /** Makes sure a slice runs at `t` at the latest. */
  private wakeAt(t: number): void {
    if (this.deferred !== undefined || this.closed || t >= this.sleepingUntil) return;
    this.sleeping?.cancel();
    this.sleepingUntil = t;
    this.sleeping = this.scheduler.setTimeout(this.slice, t - this.scheduler.now());
  }

  private readonly slice = (): void => {
    this.sleeping?.cancel();
    this.sleeping = undefined;
    this.sleepingUntil = Number.POSITIVE_INFINITY;
    this.deferred = undefined;
    if (this.closed) return;
    const jobs = this.jobs;
    const now = this.scheduler.now();
    let budget = this.sliceUnits;
    if (this.light > 0) {
      this.light--;
      budget = Math.max(1, Math.floor(budget * PERIODIC_LIGHT_FRACTION));
    }
    let earliest = Number.POSITIVE_INFINITY;
    let left = jobs.length;
    while (left > 0 && budget > 0) {
      if (this.cursor >= jobs.length) this.cursor = 0;
      const job = jobs[this.cursor]!;
      if (job.cancelled) {
        jobs[this.cursor] = jobs[jobs.length - 1]!;
        jobs.pop();
        left--;
        continue;
      }
      this.cursor++;
      left--;
      const due = Math.floor((now - job.t0) / job.period);
      if (due >= job.next) {
        if (due - job.next + 1 > job.maxCount) job.next = due - job.maxCount + 1;
        const first = job.next;
        job.next = due + 1;
        budget -= due - first + 1 + VISIT_COST;
        job.onDue(first, due - first + 1, job.at);
        if (this.closed || this.jobs !== jobs) return; // closed, or every job cancelled, meanwhile
      }
      const at = job.at(job.next);
      if (at < earliest) earliest = at;
    }
    if (this.jobs.length === 0) return;
    if (left > 0) {
      // budget spent before every job was visited: the rest after pending I/O
      this.deferred = this.defer(this.slice);
    } else if (earliest <= this.scheduler.now()) {
      this.deferred = this.defer(this.slice);
    } else {
      this.wakeAt(earliest);
    }
  };
}
