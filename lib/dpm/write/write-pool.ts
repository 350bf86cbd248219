/**
 * The pool of authenticated write connections (bounded; default 4, `writePoolSize`), lending
 * them as a resource-scoped Observable: a lease begins on subscribe and ends on completion,
 * error or unsubscribe.
 *
 * @module
 */
import { Observable, Subscription } from 'rxjs';
import { ClientClosedError } from '../../errors/client-closed-error.js';
import type { WriteConnection } from './write-connection.js';

/**
 * The identity a write connection carries: a connection is reused only for the same principal
 * and role; a change means a fresh, re-authenticated connection.
 *
 * @example
 * ```ts
 * const key: WriteKey = { principal: 'alice@FNAL.GOV', role: 'testing' };
 * ```
 */
export interface WriteKey {
  readonly principal: string;
  readonly role: string | undefined;
}

/** An open authenticated connection owned by the pool. */
interface Slot {
  readonly key: WriteKey;
  readonly subscription: Subscription;
  wc: WriteConnection | undefined;
  /** The connection ended (error or close) while the pool held it. */
  dead: boolean;
}

/** A lease waiting for a connection. */
interface Waiter {
  readonly key: WriteKey;
  readonly open$: Observable<WriteConnection>;
  start(slot: Slot): void;
  fail(e: unknown): void;
  /** Set while a connection is being opened for this waiter. */
  opening?: Slot;
}

const same = (a: WriteKey, b: WriteKey): boolean => a.principal === b.principal && a.role === b.role;

/**
 * Lends authenticated connections exclusively. A lease reuses an idle connection of the same
 * principal and role; otherwise it opens one from `open$` (closing an idle connection of another
 * identity when the pool is full) or waits in FIFO order. A connection goes back to the idle set
 * only when its lease completed and `reusable` says so; any other end closes it. Unsubscribing
 * while the connection is still being opened (e.g. during authentication) closes that socket.
 *
 * @example
 * ```ts
 * const pool = new WritePool(4);
 * pool.lease(key, open$, (wc) => applyBatch(wc, settings, o), (r) => r.reusable).subscribe(...);
 * pool.close();
 * ```
 */
export class WritePool {
  private readonly idle: Slot[] = [];
  private readonly lent = new Map<Slot, (e: unknown) => void>();
  private readonly queue: Waiter[] = [];
  /** Waiters whose connection is being opened (connecting, authenticating). */
  private readonly opening = new Set<Waiter>();
  private total = 0;
  private isClosed = false;
  /** Number of connections opened (and authenticated or attempted) so far. */
  opened = 0;

  constructor(readonly size: number) {}

  /** Connections currently open (idle, lent or opening). */
  get count(): number {
    return this.total;
  }

  /** Number of idle connections. */
  get idleCount(): number {
    return this.idle.length;
  }

  /**
   * Runs `work` on an exclusive connection for `key` and mirrors its notifications. The connection
   * returns to the pool when `work` ends without error after a value for which `reusable(value)`
   * is true (also when the consumer unsubscribes right after that value); otherwise it is closed.
   */
  lease<T>(key: WriteKey, open$: Observable<WriteConnection>, work: (wc: WriteConnection) => Observable<T>, reusable: (last: T) => boolean): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.isClosed) {
        subscriber.error(new ClientClosedError());
        return;
      }
      let held: Slot | undefined;
      let last: { value: T } | undefined;
      const inner = new Subscription();
      const end = (keep: boolean): void => {
        const s = held;
        held = undefined;
        if (s !== undefined) this.giveBack(s, keep);
      };
      const waiter: Waiter = {
        key,
        open$,
        start: (slot) => {
          held = slot;
          this.lent.set(slot, (e) => {
            inner.unsubscribe();
            end(false);
            subscriber.error(e);
          });
          inner.add(
            work(slot.wc!).subscribe({
              next: (v) => {
                last = { value: v };
                subscriber.next(v);
              },
              error: (e: unknown) => {
                end(false);
                subscriber.error(e);
              },
              complete: () => {
                end(last !== undefined && reusable(last.value));
                subscriber.complete();
              },
            }),
          );
        },
        fail: (e) => subscriber.error(e),
      };
      this.queue.push(waiter);
      this.pump();
      return () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        const opening = waiter.opening;
        this.opening.delete(waiter);
        if (opening !== undefined && opening.wc === undefined) {
          // still connecting or authenticating: close that socket, nothing more is sent
          waiter.opening = undefined;
          this.discard(opening);
          this.pump();
        }
        inner.unsubscribe();
        // a consumer may stop at the value (e.g. firstValueFrom): the value says whether the
        // connection is clean
        end(last !== undefined && reusable(last.value));
      };
    });
  }

  /** Closes every connection (a write in flight fails with `ClientClosedError`) and fails waiters. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const err = new ClientClosedError();
    for (const w of [...this.queue.splice(0), ...this.opening]) {
      if (w.opening !== undefined) this.discard(w.opening);
      w.opening = undefined;
      w.fail(err);
    }
    this.opening.clear();
    for (const [, abort] of [...this.lent]) abort(err);
    for (const s of this.idle.splice(0)) this.discard(s);
  }

  private giveBack(slot: Slot, keep: boolean): void {
    this.lent.delete(slot);
    if (keep && !slot.dead && !this.isClosed) {
      slot.wc!.connection.unref();
      this.idle.push(slot);
    } else {
      this.discard(slot);
    }
    this.pump();
  }

  private discard(slot: Slot): void {
    if (slot.subscription.closed) return;
    slot.subscription.unsubscribe();
    this.total--;
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.isClosed) {
      const w = this.queue[0]!;
      const match = this.idle.findIndex((s) => same(s.key, w.key));
      if (match >= 0) {
        this.queue.shift();
        const [slot] = this.idle.splice(match, 1);
        slot!.wc!.connection.ref();
        w.start(slot!);
        continue;
      }
      if (this.total >= this.size && this.idle.length > 0) {
        // full: make room by closing the oldest idle connection of another identity
        this.discard(this.idle.shift()!);
      }
      if (this.total >= this.size) return;
      this.queue.shift();
      this.open(w);
    }
  }

  private open(w: Waiter): void {
    this.total++;
    this.opened++;
    const slot: Slot = { key: w.key, subscription: new Subscription(), wc: undefined, dead: false };
    w.opening = slot;
    this.opening.add(w);
    const died = (e: unknown): void => {
      slot.dead = true;
      if (slot.wc === undefined) {
        // failed while opening: the waiter gets the error
        w.opening = undefined;
        this.opening.delete(w);
        this.discard(slot);
        w.fail(e);
        this.pump();
        return;
      }
      const i = this.idle.indexOf(slot);
      if (i >= 0) {
        this.idle.splice(i, 1);
        this.discard(slot);
        this.pump();
      }
      // a lent connection's work sees the failure on its own replies and ends its lease
    };
    slot.subscription.add(
      w.open$.subscribe({
        next: (wc) => {
          if (slot.wc !== undefined) return;
          slot.wc = wc;
          w.opening = undefined;
          this.opening.delete(w);
          w.start(slot);
        },
        error: died,
        complete: () => died(new Error('the connection closed')),
      }),
    );
  }
}
