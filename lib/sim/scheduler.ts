/**
 * The simulator's clock and timer abstraction. Every timer the simulator starts goes
 * through a {@link Scheduler}, so tests can shorten periods or substitute a fake clock,
 * and per-connection {@link TimerGroup}s guarantee that closing a connection leaves no
 * timer behind.
 *
 * @example
 * ```ts
 * const group = new TimerGroup(realScheduler);
 * group.interval(() => console.log('tick'), 2000);
 * group.cancelAll(); // nothing left running
 * ```
 *
 * @module
 */

/**
 * A handle to a pending timer. Cancelling twice is harmless.
 *
 * @example
 * ```ts
 * const t: Cancellable = realScheduler.setTimeout(() => {}, 10); t.cancel();
 * ```
 */
export interface Cancellable {
  /** Stops the timer; its callback will not run again. */
  cancel(): void;
}

/**
 * Time source and timer factory used by the simulator.
 *
 * @example
 * ```ts
 * const s: Scheduler = realScheduler;
 * const t = s.setTimeout(() => console.log('later', s.now()), 100);
 * t.cancel();
 * ```
 */
export interface Scheduler {
  /** Milliseconds since the Unix epoch (wall clock used for reply timestamps). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): Cancellable;
  /** Runs `fn` every `ms` milliseconds, first after `ms`. */
  setInterval(fn: () => void, ms: number): Cancellable;
  /**
   * Runs `fn` on the next event-loop turn, after pending I/O (Node's `setImmediate`): how
   * the simulator yields between slices of bounded work. Optional: without it, `setImmediate`.
   */
  setImmediate?(fn: () => void): Cancellable;
}

/**
 * The scheduler backed by Node's `setTimeout`/`setInterval` and `Date.now()`.
 *
 * @example
 * ```ts
 * startSimulator({ scheduler: realScheduler });
 * ```
 */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const h = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(h) };
  },
  setInterval(fn, ms) {
    const h = setInterval(fn, Math.max(1, ms));
    return { cancel: () => clearInterval(h) };
  },
  setImmediate: immediate,
};

function immediate(fn: () => void): Cancellable {
  const h = setImmediate(fn);
  return { cancel: () => clearImmediate(h) };
}

/**
 * `scheduler.setImmediate`, or Node's `setImmediate` for a scheduler without one.
 *
 * @example
 * ```ts
 * deferOn(realScheduler)(() => console.log('next turn')).cancel();
 * ```
 */
export function deferOn(scheduler: Scheduler): (fn: () => void) => Cancellable {
  return scheduler.setImmediate === undefined ? immediate : (fn) => scheduler.setImmediate!(fn);
}

/**
 * A set of timers that can all be cancelled at once (one per connection, one per
 * running job). Fired one-shot timers remove themselves.
 *
 * @example
 * ```ts
 * const g = new TimerGroup(realScheduler);
 * g.timeout(() => console.log('once'), 10);
 * g.cancelAll();
 * ```
 */
export class TimerGroup {
  private readonly timers = new Set<Cancellable>();
  private closed = false;

  constructor(readonly scheduler: Scheduler) {}

  /** Number of timers still pending. */
  get size(): number {
    return this.timers.size;
  }

  /** Runs `fn` once after `ms` ms unless the group is cancelled first. */
  timeout(fn: () => void, ms: number): Cancellable {
    if (this.closed) return NOOP;
    const entry: Cancellable = {
      cancel: () => {
        inner.cancel();
        this.timers.delete(entry);
      },
    };
    const inner = this.scheduler.setTimeout(() => {
      this.timers.delete(entry);
      fn();
    }, ms);
    this.timers.add(entry);
    return entry;
  }

  /** Runs `fn` every `ms` ms until cancelled. */
  interval(fn: () => void, ms: number): Cancellable {
    if (this.closed) return NOOP;
    const inner = this.scheduler.setInterval(fn, ms);
    const entry: Cancellable = {
      cancel: () => {
        inner.cancel();
        this.timers.delete(entry);
      },
    };
    this.timers.add(entry);
    return entry;
  }

  /** Cancels every pending timer; later `timeout`/`interval` calls do nothing. */
  cancelAll(): void {
    this.closed = true;
    for (const t of [...this.timers]) t.cancel();
    this.timers.clear();
  }
}

const NOOP: Cancellable = { cancel: () => undefined };
