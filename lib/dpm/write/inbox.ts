/**
 * A reply inbox for one write connection: buffers the connection's replies (heartbeats dropped)
 * so that request/response steps can `await` the next one with a deadline.
 *
 * @module
 */
import type { SchedulerLike, Subscription, Observable } from 'rxjs';
import { ConnectionLost } from '../../errors/connection-lost.js';
import type { ReplyMessage } from '../../protocol/index.js';
import { nowMs, scheduleOnce } from '../../transport/timer.js';

/**
 * The deadline of a step passed before its reply arrived.
 *
 * @example
 * ```ts
 * try { await inbox.next(deadline); } catch (e) { if (e instanceof DeadlineExceeded) discard(); }
 * ```
 */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

interface Waiter {
  resolve(m: ReplyMessage): void;
  reject(e: Error): void;
  cancel(): void;
}

/**
 * Buffers replies of one connection. `ListStatus_reply` heartbeats are dropped (every step skips
 * them, `dpm-behaviour.md` §9.2); the owner reports the connection's fatal error with
 * {@link fail}, after which every wait rejects with it.
 *
 * @example
 * ```ts
 * const inbox = new ReplyInbox(conn.replies$);
 * conn.send([{ type: 'Authenticate_request', list_id: conn.listId, token: new Uint8Array() }]);
 * const reply = await inbox.next(Date.now() + 5000);
 * ```
 */
export class ReplyInbox {
  private readonly buffer: ReplyMessage[] = [];
  private waiter: Waiter | undefined;
  private failure: Error | undefined;
  private readonly sub: Subscription;

  constructor(
    replies$: Observable<ReplyMessage>,
    private readonly scheduler?: SchedulerLike,
  ) {
    this.sub = replies$.subscribe({
      next: (m) => this.push(m),
      error: (e: unknown) => this.fail(e instanceof Error ? e : new ConnectionLost('closed', String(e))),
      // the connection's own error follows synchronously; let it win
      complete: () => queueMicrotask(() => this.fail(new ConnectionLost('closed', 'the connection closed'))),
    });
  }

  /** The fatal error of the connection, once it failed. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Drops buffered replies (late replies of an earlier operation). */
  clear(): void {
    this.buffer.length = 0;
  }

  /** Marks the connection failed: the pending and later waits reject with `e` (first error wins). */
  fail(e: Error): void {
    if (this.failure !== undefined) return;
    this.failure = e;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) {
      w.cancel();
      w.reject(e);
    }
  }

  /**
   * The next buffered or arriving reply. Rejects with {@link DeadlineExceeded} at `deadline`
   * (ms, `Date.now()` or the scheduler's clock), or with the connection's error.
   */
  next(deadline: number, timeoutMs = 0): Promise<ReplyMessage> {
    const m = this.buffer.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.waiter !== undefined) return Promise.reject(new Error('ReplyInbox: only one waiter at a time'));
    return new Promise<ReplyMessage>((resolve, reject) => {
      const cancel = scheduleOnce(
        () => {
          if (this.waiter !== w) return;
          this.waiter = undefined;
          reject(new DeadlineExceeded(timeoutMs));
        },
        Math.max(0, deadline - nowMs(this.scheduler)),
        this.scheduler,
      );
      const w: Waiter = { resolve, reject, cancel };
      this.waiter = w;
    });
  }

  /** Stops listening. */
  dispose(): void {
    this.sub.unsubscribe();
    this.fail(new ConnectionLost('closed', 'the connection was discarded'));
  }

  private push(m: ReplyMessage): void {
    if (m.type === 'ListStatus_reply') return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.cancel();
      w.resolve(m);
      return;
    }
    this.buffer.push(m);
  }
}
