import {
  Observable,
  ReplaySubject,
  Subscription,
  from,
  merge,
  share,
  tap,
  type ObservableInput,
  type SchedulerLike,
  type Subscriber,
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

/**
 * One life of a slot's connection: a shared, ref-counted Observable backed by a
 * `ReplaySubject(1)`, opened by its first lease and torn down `linger` ms after
 * the last one leaves, or at once when retired (discarded, or abandoned before
 * it opened) or when the pool closes. A retired generation is never lent again:
 * its slot gets a new one.
 */
class Generation {
  private readonly retired$ = new ReplaySubject<0>(1);
  /** Set once, never cleared. */
  retired = false;
  readonly conn$: Observable<Connection>;

  constructor(open$: Observable<Connection>, idleEnd: () => Observable<unknown>) {
    this.conn$ = open$.pipe(
      // idle until lent: an open pooled socket must not keep the process alive
      tap((conn) => conn.unref()),
      share({
        connector: () => new ReplaySubject<Connection>(1),
        resetOnError: true,
        resetOnComplete: true,
        resetOnRefCountZero: () => merge(idleEnd(), this.retired$),
      }),
    );
  }

  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.retired$.next(0);
  }
}

interface Slot {
  readonly index: number;
  gen: Generation;
}

/**
 * The read connection pool (`dpm-behaviour.md` §8.2): up to `size` slots, each
 * a shared, ref-counted connection Observable backed by a `ReplaySubject(1)`,
 * opened lazily on first borrow and torn down `linger` ms after its last user
 * leaves (a borrow within the linger reuses the open connection).
 *
 * Lending is an Observable lease: subscribing to {@link borrow} takes a free
 * slot (or waits for one, FIFO) and a share of its connection; unsubscribing
 * gives the slot back to the first waiter (same connection, no linger cycle)
 * or to the free list. A lease holds its connection **exclusively**, so two
 * reads never share a list. `lease.discard()` retires the connection: it closes
 * as soon as the lease ends and is never lent again. A connection that errors
 * is dropped (its share resets) and the next lease of that slot opens a fresh one.
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
  /** Slots not lent, the most recently given back (warmest) last; retired ones first. */
  private readonly free: Slot[] = [];
  /** Borrows waiting for a slot, FIFO. */
  private readonly waiters: ((slot: Slot) => void)[] = [];
  /** Subscribers of running and queued borrows (failed by close()). */
  private readonly running = new Set<Subscriber<unknown>>();
  private readonly closing$ = new ReplaySubject<0>(1);
  private closedFlag = false;

  constructor(
    private readonly open: (slot: number) => Observable<Connection>,
    private readonly options: PoolOptions,
  ) {}

  /** Number of connections currently lent out. */
  get inUse(): number {
    return this.slots.length - this.free.length;
  }

  /** Number of borrows waiting for a free connection. */
  get waiting(): number {
    return this.waiters.length;
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
    return this.use((lease) => new Observable<Lease>((subscriber) => subscriber.next(lease)));
  }

  /**
   * Run `work` on a borrowed connection: the lease begins when a connection is
   * free and open, and ends (the connection given back, or closed if discarded)
   * when `work` completes, errors or is unsubscribed, after `work`'s own
   * teardown ran (so it can still send on the connection, or discard it). A
   * failure of the connection errors the result; so does {@link close}.
   */
  use<T>(work: (lease: Lease) => ObservableInput<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.closedFlag) {
        subscriber.error(new ClientClosedError());
        return;
      }
      const lease = new Subscription();
      const grant = (slot: Slot): void => {
        lease.add(this.lend(slot, work).subscribe(subscriber));
      };
      this.running.add(subscriber);
      const slot = this.free.pop() ?? (this.slots.length < this.options.size ? this.makeSlot() : undefined);
      if (slot !== undefined) grant(slot);
      else this.waiters.push(grant);
      return () => {
        this.running.delete(subscriber);
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        lease.unsubscribe();
      };
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
    for (const s of [...this.running]) s.error(err);
    this.closing$.next(0);
  }

  /**
   * The lease of `slot`'s connection: a share of the current generation with
   * `work` on it. Its end tears down, in this order, `work`, the share (the
   * connection lingers, or closes at once if retired), then gives the slot back
   * (to the first waiter, who gets the same connection without a linger cycle,
   * or to the free list).
   */
  private lend<T>(slot: Slot, work: (lease: Lease) => ObservableInput<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const gen = slot.gen;
      let held: Connection | undefined;
      const job = new Subscription();
      const share = gen.conn$.subscribe({
        next: (conn) => {
          held = conn;
          conn.ref();
          job.add(from(work({ connection: conn, discard: () => this.retire(slot, gen) })).subscribe(subscriber));
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.error(new ClientClosedError('the pooled connection closed')),
      });
      return () => {
        job.unsubscribe();
        share.unsubscribe();
        held?.unref();
        // left before its connection opened: keep that connection only for a waiter
        if (held === undefined && this.waiters.length === 0) this.retire(slot, gen);
        this.giveBack(slot, gen.retired);
      };
    });
  }

  private retire(slot: Slot, gen: Generation): void {
    gen.retire();
    if (slot.gen === gen) slot.gen = this.generation(slot.index);
  }

  private giveBack(slot: Slot, cold: boolean): void {
    if (this.closedFlag) return;
    const next = this.waiters.shift();
    if (next !== undefined) next(slot);
    else if (cold) this.free.unshift(slot);
    else this.free.push(slot);
  }

  private generation(index: number): Generation {
    const { linger, scheduler } = this.options;
    return new Generation(this.open(index), () => merge(delayTimer(linger, scheduler, { unref: true }), this.closing$));
  }

  private makeSlot(): Slot {
    const index = this.slots.length;
    const slot: Slot = { index, gen: this.generation(index) };
    this.slots.push(slot);
    return slot;
  }
}
