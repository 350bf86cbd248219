import { Observable, timer as rxTimer, type SchedulerLike } from 'rxjs';

/**
 * An Observable that emits `0` once after `ms` milliseconds and completes.
 *
 * With a `scheduler` it is exactly `timer(ms, scheduler)` (virtual time in
 * tests). Without one it uses a Node timer; `unref: true` makes that timer not
 * keep the process alive (used for idle-connection housekeeping such as the
 * pool linger and the liveness watchdog, so that a program exits by itself once
 * every subscription is gone).
 *
 * @example
 * ```ts
 * delayTimer(5000, undefined, { unref: true }).subscribe(() => closeIdleConnection());
 * ```
 */
export function delayTimer(ms: number, scheduler?: SchedulerLike, opts?: { unref?: boolean }): Observable<0> {
  if (scheduler) return rxTimer(ms, scheduler);
  return new Observable<0>((subscriber) => {
    const handle = setTimeout(() => {
      subscriber.next(0);
      subscriber.complete();
    }, ms);
    if (opts?.unref) handle.unref();
    return () => clearTimeout(handle);
  });
}

/**
 * A cancellable one-shot callback after `ms` milliseconds, on `scheduler` when
 * given (virtual time), otherwise on a Node timer (optionally unref'd).
 * Returns the cancel function.
 *
 * @example
 * ```ts
 * const cancel = scheduleOnce(() => fail(), 5000, scheduler);
 * cancel();
 * ```
 */
export function scheduleOnce(
  fn: () => void,
  ms: number,
  scheduler?: SchedulerLike,
  opts?: { unref?: boolean },
): () => void {
  if (scheduler) {
    const sub = scheduler.schedule(fn, ms);
    return () => sub.unsubscribe();
  }
  const handle = setTimeout(fn, ms);
  if (opts?.unref) handle.unref();
  return () => clearTimeout(handle);
}

/**
 * The current time in milliseconds on `scheduler` (virtual in tests), or the wall clock.
 *
 * @example
 * ```ts
 * const t0 = nowMs(scheduler);
 * ```
 */
export function nowMs(scheduler?: SchedulerLike): number {
  return scheduler ? scheduler.now() : Date.now();
}

/**
 * An Observable that emits `0` once the input that is already waiting has been
 * read, then completes: after Node's next I/O poll (`setImmediate`, which runs
 * after the poll phase of the current loop iteration), or, with a `scheduler`,
 * after every action already queued for the current (virtual) time.
 *
 * A timer that fires after the event loop was blocked runs in the timers phase,
 * before the poll phase reads what arrived meanwhile; a judgement such as
 * "nothing arrived for 10 s" must wait for this first. (The immediate is never
 * unref'd: an unref'd immediate does not stop the poll phase from blocking, so
 * it could run arbitrarily late.)
 *
 * @example
 * ```ts
 * delayTimer(10_000).pipe(switchMap(() => afterPendingInput())).subscribe(() => judgeSilence());
 * ```
 */
export function afterPendingInput(scheduler?: SchedulerLike): Observable<0> {
  if (scheduler) return rxTimer(0, scheduler);
  return new Observable<0>((subscriber) => {
    const handle = setImmediate(() => {
      subscriber.next(0);
      subscriber.complete();
    });
    return () => clearImmediate(handle);
  });
}
