import {
  Observable,
  ReplaySubject,
  merge,
  of,
  share,
  tap,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import { ClientClosedError } from '../errors/client-closed-error.js';
import type { Connection } from '../transport/connection.js';
import { delayTimer } from '../transport/timer.js';

/**
 * Exclusive use of one pooled connection, handed out by {@link ConnectionPool.borrow}.
 * Unsubscribing from the borrow gives it back.
 *
 * @example
 * ```ts
 * const sub = pool.borrow().subscribe((lease) => { lease.connection.send([...]); });
 * sub.unsubscribe(); // back to the pool (kept open for the linger period)
 * ```
 */
export interface Lease {
  /** The open connection, held exclusively by this lease. */
  readonly connection: Connection;
  /** Close the connection instead of keeping it when the lease ends (e.g. after a timeout). */
  discard(): void;
}

/**
 * Pool options.
 *
 * @example
 * ```ts
 * new ConnectionPool(open, { size: 4, linger: 5000 });
 * ```
 */
export interface PoolOptions {
  /** Maximum number of connections. */
  readonly size: number;
  /** How long an unused connection stays open (ms). */
  readonly linger: number;
  /** Scheduler for the linger timer (default: an unref'd Node timer). */
  readonly scheduler?: SchedulerLike | undefined;
}

interface Waiter {
  readonly subscriber: Subscriber<Lease>;
  slot: Slot | undefined;
  sub: Subscription | undefined;
  conn: Connection | undefined;
  released: boolean;
}

interface Slot {
  readonly index: number;
  busy: boolean;
  warm: boolean;
  discardNext: boolean;
  readonly conn$: Observable<Connection>;
}

/**
 * The read connection pool (`dpm-behaviour.md` §8.2): up to `size` shared,
 * ref-counted connection Observables, each backed by a `ReplaySubject(1)`,
 * opened lazily on first borrow and torn down `linger` ms after their last
 * user leaves (a borrow within the linger reuses the open connection).
 *
 * A borrow holds its connection **exclusively** until it unsubscribes, so two
 * reads never share a list. Borrows beyond capacity wait in FIFO order. A
 * connection that errors is dropped (its share resets) and the next borrow of
 * that slot opens a fresh one.
 *
 * @example
 * ```ts
 * const pool = new ConnectionPool((slot) => connect({ host, port, label: `pool#${slot}` }), { size: 4, linger: 5000 });
 * pool.borrow().pipe(take(1)).subscribe((lease) => console.log(lease.connection.listId));
 * pool.close();
 * ```
 */
export class ConnectionPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Waiter[] = [];
  private readonly closing$ = new ReplaySubject<0>(1);
  private closedFlag = false;
  private readonly active = new Set<Waiter>();

  constructor(
    private readonly open: (slot: number) => Observable<Connection>,
    private readonly options: PoolOptions,
  ) {}

  /** Number of connections currently lent out. */
  get inUse(): number {
    return this.active.size;
  }

  /** Number of borrows waiting for a free connection. */
  get waiting(): number {
    return this.queue.length;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Borrow a connection: emits one {@link Lease} when a connection is free and
   * open; errors if the connection fails (before or while held). Unsubscribe to
   * give it back.
   */
  borrow(): Observable<Lease> {
    return new Observable<Lease>((subscriber) => {
      if (this.closedFlag) {
        subscriber.error(new ClientClosedError());
        return;
      }
      const w: Waiter = { subscriber, slot: undefined, sub: undefined, conn: undefined, released: false };
      const slot = this.freeSlot();
      if (slot) this.assign(w, slot);
      else this.queue.push(w);
      return () => this.release(w);
    });
  }

  /**
   * Close the pool: queued and running borrows fail with `ClientClosedError`,
   * idle connections close at once.
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    const err = new ClientClosedError();
    for (const w of this.queue.splice(0)) w.subscriber.error(err);
    for (const w of [...this.active]) w.subscriber.error(err);
    this.closing$.next(0);
  }

  private freeSlot(): Slot | undefined {
    let cold: Slot | undefined;
    for (const s of this.slots) {
      if (s.busy) continue;
      if (s.warm) return s;
      cold ??= s;
    }
    if (cold) return cold;
    if (this.slots.length < this.options.size) return this.makeSlot(this.slots.length);
    return undefined;
  }

  private makeSlot(index: number): Slot {
    const slot: Slot = {
      index,
      busy: false,
      warm: false,
      discardNext: false,
      conn$: undefined as unknown as Observable<Connection>,
    };
    const { linger, scheduler } = this.options;
    (slot as { conn$: Observable<Connection> }).conn$ = this.open(index).pipe(
      tap({
        next: (conn) => {
          slot.warm = true;
          // idle until lent: an open pooled socket must not keep the process alive
          conn.unref();
        },
        finalize: () => (slot.warm = false),
      }),
      share({
        connector: () => new ReplaySubject<Connection>(1),
        resetOnError: true,
        resetOnComplete: true,
        resetOnRefCountZero: () => {
          if (slot.discardNext || this.closedFlag) {
            slot.discardNext = false;
            return of(0);
          }
          return merge(delayTimer(linger, scheduler, { unref: true }), this.closing$);
        },
      }),
    );
    this.slots.push(slot);
    return slot;
  }

  private assign(w: Waiter, slot: Slot): void {
    slot.busy = true;
    w.slot = slot;
    this.active.add(w);
    const sub = slot.conn$.subscribe({
      next: (conn) => {
        w.conn = conn;
        conn.ref();
        w.subscriber.next({ connection: conn, discard: () => (slot.discardNext = true) });
      },
      error: (e: unknown) => w.subscriber.error(e),
      complete: () => w.subscriber.error(new ClientClosedError('the pooled connection closed')),
    });
    if (!w.released) {
      w.sub = sub;
      return;
    }
    // released while subscribing (a state callback closed the client or cancelled
    // the read during `connecting`): `release` could not unsubscribe yet
    if (w.conn === undefined) slot.discardNext = true;
    sub.unsubscribe();
    slot.discardNext = false;
  }

  private release(w: Waiter): void {
    w.released = true;
    const qi = this.queue.indexOf(w);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      return;
    }
    if (!this.active.delete(w)) return;
    const slot = w.slot!;
    w.conn?.unref();
    const next = this.queue.shift();
    if (next && !slot.discardNext) {
      // hand the slot over before leaving, so the connection (open or still
      // connecting) goes straight to the next borrower without a linger cycle
      this.assign(next, slot);
      w.sub?.unsubscribe();
      return;
    }
    // a borrower that leaves before its connection opened (e.g. its deadline
    // passed): nobody wants that connection, do not keep it for the linger
    if (!next && w.conn === undefined) slot.discardNext = true;
    // with discardNext (lease.discard(), or the case above) the connection is
    // torn down here, never handed to the next borrower, which gets a fresh one
    w.sub?.unsubscribe();
    slot.discardNext = false;
    if (next) this.assign(next, slot);
    else slot.busy = false;
  }
}
