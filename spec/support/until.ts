/**
 * Waiting for a condition instead of sleeping a fixed time: polls `predicate` until it holds and
 * fails with a clear message when it does not within a generous deadline (a loaded machine makes
 * a fixed sleep too short; a deadline only bounds a failing test).
 *
 * @example
 * ```ts
 * await until(() => sim.connections === 0, { what: 'the simulator to see the close' });
 * ```
 */

/** Options of {@link until}. */
export interface UntilOptions {
  /** Fail after this many ms (default 5000). */
  readonly timeout?: number;
  /** Poll period in ms (default 5). */
  readonly every?: number;
  /** What is awaited, for the failure message. */
  readonly what?: string;
}

/**
 * Resolves as soon as `predicate()` is true (checked at once, then every `every` ms); rejects
 * with `timed out after N ms waiting for <what>` when the deadline passes first.
 *
 * @example
 * ```ts
 * await until(() => c.replies.length >= 3, { what: 'three replies', timeout: 3000 });
 * ```
 */
export async function until(predicate: () => boolean, o: UntilOptions = {}): Promise<void> {
  const timeout = o.timeout ?? 5000;
  const every = o.every ?? 5;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (predicate()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${o.what ?? predicate.toString()}`);
    await new Promise<void>((r) => setTimeout(r, every));
  }
}

/**
 * Resolves after `ms` of real time: the one legitimate use of a fixed wait in a spec, proving that
 * something does NOT happen within a window no event can express. Each caller names the window
 * and says why in a comment.
 *
 * @example
 * ```ts
 * await quietWindow(NO_SECOND_CONNECTION_MS); // a reconnect would have been attempted by now
 * ```
 */
export const quietWindow = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One turn of the event loop (a macrotask): lets pending I/O callbacks and `setImmediate`s run.
 * Not a wait for time: nothing here depends on how long the turn takes.
 *
 * @example
 * ```ts
 * vs.advance(67);
 * await turn(); // the simulator's writer flushed what the tick produced
 * ```
 */
export const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Advances a virtual clock `stepMs` at a time, letting the event loop turn after each step,
 * until `predicate()` holds; fails after `maxMs` of virtual time or `timeout` ms of real time.
 *
 * @example
 * ```ts
 * await advanceUntil(h.vs, 67, () => statsOf(h.sim, c).droppedReplies > 0, { what: 'coalescing' });
 * ```
 */
export async function advanceUntil(
  clock: { advance(ms: number): void },
  stepMs: number,
  predicate: () => boolean,
  o: UntilOptions & { readonly maxMs?: number } = {},
): Promise<void> {
  const maxMs = o.maxMs ?? 60_000;
  const timeout = o.timeout ?? 10_000;
  const deadline = Date.now() + timeout;
  let advanced = 0;
  while (!predicate()) {
    if (advanced >= maxMs) throw new Error(`not reached within ${maxMs} ms of virtual time: ${o.what ?? predicate.toString()}`);
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms (${advanced} ms virtual) waiting for ${o.what ?? predicate.toString()}`);
    clock.advance(stepMs);
    advanced += stepMs;
    await turn();
  }
}
