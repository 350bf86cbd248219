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
 * One use of the pool: waits for a slot, takes a share of the slot's current
 * generation and runs the work on its connection (it is the work's {@link Lease}).
 * Its end tears down, in this order, the work, the share (the connection
 * lingers, or closes at once if retired), then gives the slot back (to the first
 * waiter, who gets the same connection without a linger cycle, or to the free list).
 */
class Loan<T> implements Lease {
  connection!: Connection;
  private held = false;
  private ended = false;
  private slot: Slot | undefined;
  private gen: Generation | undefined;
  private share: Subscription | undefined;
  private job: Subscription | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly work: (lease: Lease) => ObservableInput<T>,
    private readonly subscriber: Subscriber<T>,
  ) {}

  /** `slot` is this loan's now. */
  grant(slot: Slot): void {
    this.slot = slot;
    const gen = (this.gen = slot.gen);
    const share = gen.conn$.subscribe(this);
    // the work may have ended inside that subscribe (a synchronous answer)
    if (this.ended) share.unsubscribe();
    else this.share = share;
  }

  /** The connection is open: run the work on it. */
  next(conn: Connection): void {
    this.connection = conn;
    this.held = true;
    conn.ref();
    const work = this.work(this);
    // an Observable (every use in this library) is subscribed as it is, without from()'s wrapper
    this.job = (work instanceof Observable ? work : from(work)).subscribe(this.subscriber);
  }

  error(e: unknown): void {
    this.subscriber.error(e);
  }

  complete(): void {
    this.subscriber.error(new ClientClosedError('the pooled connection closed'));
  }

  discard(): void {
    if (this.slot !== undefined && this.gen !== undefined) this.pool.retire(this.slot, this.gen);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.job?.unsubscribe();
    this.share?.unsubscribe();
    const slot = this.slot;
    const gen = this.gen;
    if (slot === undefined || gen === undefined) return;
    if (this.held) this.connection.unref();
    // left before its connection opened: keep that connection only for a waiter
    else if (!this.pool.hasWaiters) this.pool.retire(slot, gen);
    this.pool.giveBack(slot, gen.retired);
  }
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
  private readonly waiters: Loan<unknown>[] = [];
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
      const loan = new Loan(this, work, subscriber);
      this.running.add(subscriber);
      const slot = this.free.pop() ?? (this.slots.length < this.options.size ? this.makeSlot() : undefined);
      if (slot !== undefined) loan.grant(slot);
      else this.waiters.push(loan);
      return () => {
        this.running.delete(subscriber);
        const i = this.waiters.indexOf(loan);
        if (i >= 0) this.waiters.splice(i, 1);
        loan.end();
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

  /** @internal Retire `gen` (discard its connection); the slot gets a new generation. */
  retire(slot: Slot, gen: Generation): void {
    gen.retire();
    if (slot.gen === gen) slot.gen = this.generation(slot.index);
  }

  /** @internal Whether a borrow waits for a slot. */
  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** @internal The end of a loan: the slot to the first waiter or back to the free list. */
  giveBack(slot: Slot, cold: boolean): void {
    if (this.closedFlag) return;
    const next = this.waiters.shift();
    if (next !== undefined) next.grant(slot);
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
