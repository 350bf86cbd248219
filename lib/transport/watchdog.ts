import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { ConnectionLost } from '../errors/connection-lost.js';
import { nowMs, scheduleOnce } from './timer.js';

/**
 * Callbacks of a {@link Watchdog}.
 *
 * @example
 * ```ts
 * const h: WatchdogHandlers = { expired: () => socket.destroy(), stale: () => console.warn('quiet') };
 * ```
 */
export interface WatchdogHandlers {
  /** Nothing arrived for `limitMs`: the connection is presumed dead. */
  readonly expired: () => void;
  /** Nothing arrived for `staleMs` (a heartbeat is overdue); optional. */
  readonly stale?: () => void;
  /** Something arrived again after `stale` fired; optional. */
  readonly fresh?: () => void;
}

/**
 * A liveness watchdog. `kick()` records that something arrived; it is O(1) (one
 * assignment) so it can be called for every received chunk on the hot path. The
 * timer is not re-armed per kick: one pending check re-schedules itself for the
 * remaining time, so timing is exact without per-frame timer churn.
 *
 * @example
 * ```ts
 * const dog = new Watchdog(10_000, 4_500, { expired: () => socket.destroy() }, scheduler);
 * socket.on('data', () => dog.kick());
 * dog.stop();
 * ```
 */
export class Watchdog {
  private last: number;
  private cancel: (() => void) | undefined;
  private isStale = false;
  private stopped = false;

  constructor(
    private readonly limitMs: number,
    private readonly staleMs: number | undefined,
    private readonly handlers: WatchdogHandlers,
    private readonly scheduler?: SchedulerLike,
    private readonly unref = true,
  ) {
    this.last = nowMs(scheduler);
    this.arm(staleMs !== undefined && staleMs < limitMs ? staleMs : limitMs);
  }

  /** Something arrived: reset the silence clock. */
  kick(): void {
    // after stop() (the connection is closing or closed) nothing may fire, not even `fresh`
    if (this.stopped) return;
    this.last = nowMs(this.scheduler);
    if (this.isStale) {
      this.isStale = false;
      this.handlers.fresh?.();
      // The pending check was armed for the expiry; re-arm for the stale threshold.
      if (this.staleMs !== undefined && !this.stopped) {
        this.cancel?.();
        this.arm(this.staleMs);
      }
    }
  }

  /** Stop the watchdog; no callback fires afterwards. */
  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  private arm(ms: number): void {
    this.cancel = scheduleOnce(() => this.check(), Math.max(0, ms), this.scheduler, { unref: this.unref });
  }

  private check(): void {
    this.cancel = undefined;
    if (this.stopped) return;
    const silent = nowMs(this.scheduler) - this.last;
    if (silent >= this.limitMs) {
      this.stopped = true;
      this.handlers.expired();
      return;
    }
    if (this.staleMs !== undefined && !this.isStale && silent >= this.staleMs) {
      this.isStale = true;
      this.handlers.stale?.();
      this.arm(this.limitMs - silent);
      return;
    }
    const next = !this.isStale && this.staleMs !== undefined && this.staleMs < this.limitMs ? this.staleMs : this.limitMs;
    this.arm(next - silent);
  }
}

/**
 * Operator: mirror the source, but error with `ConnectionLost` (reason
 * `"heartbeat"`) when the source stays silent for `limitMs` — every value
 * counts as a sign of life. The timing runs on `scheduler` when given.
 *
 * @example
 * ```ts
 * chunks$.pipe(watchdog(10_000)).subscribe({ error: (e) => console.error(e.reason) });
 * ```
 */
export function watchdog<T>(limitMs: number, scheduler?: SchedulerLike): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const dog = new Watchdog(
        limitMs,
        undefined,
        {
          expired: () =>
            subscriber.error(new ConnectionLost('heartbeat', `nothing received for ${limitMs} ms`)),
        },
        scheduler,
        false,
      );
      const sub = source.subscribe({
        next: (v) => {
          dog.kick();
          subscriber.next(v);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        dog.stop();
        sub.unsubscribe();
      };
    });
}
