import { Observable, switchMap, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { ConnectionLost } from '../errors/connection-lost.js';
import { afterPendingInput, delayTimer, nowMs } from './timer.js';

/**
 * Configuration of {@link liveness}.
 *
 * @example
 * ```ts
 * const c: LivenessConfig = { timeoutMs: 10_000, staleMs: 4_500, onStale: (ms) => console.warn(`silent ${ms} ms`) };
 * ```
 */
export interface LivenessConfig {
  /** Silence after which the source is presumed dead, ms. */
  readonly timeoutMs: number;
  /** Silence after which `onStale` is called, ms; ignored unless below `timeoutMs`. */
  readonly staleMs?: number | undefined;
  /** Scheduler of every timer (virtual time in tests); default: Node timers. */
  readonly scheduler?: SchedulerLike | undefined;
  /** Appended to the error message, e.g. `"from localhost:6802"`. */
  readonly detail?: string | undefined;
  /** The silence reached `staleMs` (called once per silent spell, with the silence in ms). */
  readonly onStale?: ((silentMs: number) => void) | undefined;
  /** A value arrived after `onStale`. */
  readonly onFresh?: (() => void) | undefined;
  /** Node timers only: let them not keep the process alive (default true). */
  readonly unref?: boolean | undefined;
}

/**
 * Operator: mirror the source, and error with `ConnectionLost` (reason
 * `"heartbeat"`) once it has been silent for `timeoutMs` — every value counts
 * as a sign of life. The silence is measured from the first value on (until
 * then the source's own deadline applies, e.g. a handshake timeout), and each
 * value restarts it once it has been delivered downstream, so time spent by a
 * slow synchronous consumer is never counted as silence.
 *
 * Judging is deferred until the input already waiting has been read (see
 * `afterPendingInput`): after a blocked event loop the timer fires before the
 * socket's data is delivered, and a value that was waiting wins. In virtual time
 * a value due at the very moment of the deadline wins likewise.
 *
 * One pending timer re-arms itself for the remaining time: values cost one
 * clock read each, never a timer operation.
 *
 * @example
 * ```ts
 * replyBatches$.pipe(liveness({ timeoutMs: 10_000, staleMs: 4_500, onStale: () => warn() }))
 *   .subscribe({ error: (e) => console.error((e as ConnectionLost).reason) }); // 'heartbeat'
 * ```
 */
export function liveness<T>(config: LivenessConfig): MonoTypeOperatorFunction<T> {
  const { timeoutMs, scheduler, onStale, onFresh } = config;
  const staleMs = config.staleMs !== undefined && config.staleMs < timeoutMs ? config.staleMs : undefined;
  const timerOptions = { unref: config.unref ?? true };
  const detail = config.detail === undefined ? '' : ` ${config.detail}`;
  return (source) =>
    new Observable<T>((subscriber) => {
      let last = 0;
      let started = false;
      let stale = false;
      let pending: Subscription | undefined;

      const arm = (ms: number): void => {
        pending = delayTimer(Math.max(0, ms), scheduler, timerOptions)
          .pipe(switchMap(() => afterPendingInput(scheduler)))
          .subscribe(judge);
      };

      const judge = (): void => {
        pending = undefined;
        const silent = nowMs(scheduler) - last;
        if (silent >= timeoutMs) {
          subscriber.error(new ConnectionLost('heartbeat', `no complete frame for ${timeoutMs} ms${detail}`));
          return;
        }
        if (staleMs !== undefined && !stale && silent >= staleMs) {
          stale = true;
          onStale?.(silent);
          if (subscriber.closed) return;
          arm(timeoutMs - silent);
          return;
        }
        arm((stale || staleMs === undefined ? timeoutMs : staleMs) - silent);
      };

      const upstream = source.subscribe({
        next(value) {
          subscriber.next(value);
          if (subscriber.closed) return;
          last = nowMs(scheduler);
          if (!started) {
            started = true;
            arm(staleMs ?? timeoutMs);
          } else if (stale) {
            stale = false;
            onFresh?.();
            if (subscriber.closed) return;
            // the pending check was armed for the expiry; the next judgement is the stale one
            pending?.unsubscribe();
            arm(staleMs!);
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        pending?.unsubscribe();
        pending = undefined;
        upstream.unsubscribe();
      };
    });
}
