/**
 * A virtual-time {@link Scheduler} for tests: time only moves when the test calls
 * `advance`, which runs every due timer in time order (then insertion order).
 *
 * @example
 * ```ts
 * const vs = new VirtualScheduler(1_700_000_000_000);
 * vs.setTimeout(() => console.log(vs.now()), 10);
 * vs.advance(10); // prints 1700000000010
 * ```
 */
import type { Cancellable, Scheduler } from '../../lib/sim/scheduler.js';

interface VTimer {
  at: number;
  readonly seq: number;
  readonly fn: () => void;
  readonly every: number | undefined;
  live: boolean;
}

/**
 * A scheduler whose clock advances only on {@link VirtualScheduler.advance}.
 *
 * @example
 * ```ts
 * const vs = new VirtualScheduler(0);
 * ```
 */
export class VirtualScheduler implements Scheduler {
  private timers: VTimer[] = [];
  private seq = 0;

  constructor(private t: number) {}

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): Cancellable {
    return this.add(fn, Math.max(0, ms), undefined);
  }

  setInterval(fn: () => void, ms: number): Cancellable {
    return this.add(fn, Math.max(1, ms), Math.max(1, ms));
  }

  /** Moves the clock `ms` forward, running due timers at their own times. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => x.live);
      let next: VTimer | undefined;
      for (const x of this.timers) if (x.at <= end && (next === undefined || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      if (next === undefined) break;
      this.t = Math.max(this.t, next.at);
      if (next.every === undefined) next.live = false;
      else next.at += next.every;
      next.fn();
    }
    this.t = end;
  }

  /** Moves the clock without running timers (a blocked event loop); the next `advance` runs them late. */
  jump(ms: number): void {
    this.t += ms;
  }

  private add(fn: () => void, ms: number, every: number | undefined): Cancellable {
    const x: VTimer = { at: this.t + ms, seq: this.seq++, fn, every, live: true };
    this.timers.push(x);
    return { cancel: () => (x.live = false) };
  }
}
