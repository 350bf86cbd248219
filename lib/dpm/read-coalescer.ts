/**
 * Coalescing of concurrent one-shot reads: `read`/`get` calls issued in the same tick, or
 * within a small window, travel in one DPM list on one pooled connection, like DataLoader's
 * batches. Each caller keeps its own result, error, deadline and cancellation.
 *
 * @module
 */
import { Observable, EMPTY, asapScheduler, asyncScheduler, catchError, type SchedulerAction, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { ConnectionLost } from '../errors/connection-lost.js';
import { ACNET_REQTMO } from '../status/constants.js';
import { readFailure, type PreparedRead } from './batch-read.js';
import { dpmList, type ListEvent } from './list.js';
import { releaseReadList, takeResetPrefix } from './list-reuse.js';
import type { ConnectionPool, Lease } from './pool.js';
import type { DeviceMeta, Reading } from './reading.js';
import { errorReading, statusOf } from './readings.js';
import { TimeoutError } from './timeout-error.js';

/**
 * How reads are gathered into lists.
 *
 * @example
 * ```ts
 * const c: CoalesceConfig = { window: 0, maxBatch: 1000 };
 * ```
 */
export interface CoalesceConfig {
  /**
   * How long a batch waits for more reads after its first, ms. 0: the same tick (the batch
   * leaves in a microtask, after the code that issued the reads has run).
   */
  readonly window: number;
  /** Most distinct DRFs in one list; more start another batch (on another pooled connection). */
  readonly maxBatch: number;
  /** Scheduler of the window and the deadlines (virtual time in tests); default: Node timers. */
  readonly scheduler?: SchedulerLike | undefined;
}

/** The scheduled start of a batch's run. */
function startRun(this: SchedulerAction<CoalescedBatch>, batch?: CoalescedBatch): void {
  batch!.runNow();
}

/** One caller of a batch: the request it waits for, its subscriber and its deadline. Unsubscribing it leaves the batch. */
class Member {
  /** The next caller waiting for the same request. */
  next: Member | undefined = undefined;
  /** Answered, failed, timed out or left. */
  done = false;

  constructor(
    readonly batch: CoalescedBatch,
    readonly index: number,
    readonly drf: string,
    readonly subscriber: Subscriber<Reading>,
    readonly timeoutMs: number,
    /** When its deadline passes (scheduler time, ms). */
    readonly expiresAt: number,
  ) {}

  unsubscribe(): void {
    this.batch.leave(this);
  }
}

/**
 * The deadlines of a batch's callers with the same timeout: one timer for all of them (a
 * thousand reads issued together would otherwise set and clear a thousand timers). Callers
 * join in time order, so their deadlines are in order; the timer fires at the first pending
 * one, expires every caller whose deadline has passed, and is set again for the next.
 */
class DeadlineGroup {
  private readonly members: Member[] = [];
  private head = 0;
  private timer: Subscription | ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly scheduler: SchedulerLike | undefined) {}

  add(m: Member): void {
    this.members.push(m);
    if (this.timer === undefined) this.arm(m.timeoutMs);
  }

  /** Expire the callers whose deadline passed at `now`; set the timer for the next. */
  fire(now: number): void {
    this.timer = undefined;
    const ms = this.members;
    while (this.head < ms.length) {
      const m = ms[this.head]!;
      if (!m.done && m.expiresAt > now) {
        this.arm(m.expiresAt - now);
        return;
      }
      this.head++;
      if (!m.done) m.batch.expire(m);
    }
  }

  cancel(): void {
    const t = this.timer;
    this.timer = undefined;
    if (t === undefined) return;
    if (typeof (t as Subscription).unsubscribe === 'function') (t as Subscription).unsubscribe();
    else clearTimeout(t as ReturnType<typeof setTimeout>);
  }

  private arm(ms: number): void {
    const s = this.scheduler;
    this.timer = s !== undefined ? s.schedule(fireGroup, ms, this) : setTimeout(fireGroup, ms, this);
  }

  /** @internal The scheduler's (or the wall clock's) time. */
  now(): number {
    return this.scheduler !== undefined ? this.scheduler.now() : Date.now();
  }
}

/** A deadline group's timer. */
function fireGroup(this: unknown, g?: DeadlineGroup): void {
  g!.fire(g!.now());
}

/** The observer of a batch's run: only its failure matters (its end is each caller's answer). */
class RunFailure {
  constructor(private readonly batch: CoalescedBatch) {}

  error(e: unknown): void {
    this.batch.fail(e);
  }
}

/** One attempt's list: its events to the batch; its end releases the lease's connection. */
class AttemptRun {
  private readonly sub: Subscription;

  constructor(
    private readonly batch: CoalescedBatch,
    list$: Observable<ListEvent>,
    private readonly out: Subscriber<never>,
  ) {
    this.sub = list$.subscribe(this);
  }

  next(e: ListEvent): void {
    this.batch.deliver(e);
  }

  error(e: unknown): void {
    this.batch.listRefused();
    this.out.error(e);
  }

  complete(): void {
    this.out.complete();
  }

  /** The teardown: end the list, then release the connection. */
  unsubscribe(): void {
    this.sub.unsubscribe();
    this.batch.ended();
  }
}

/**
 * One list's worth of reads. Open while it waits for its window and then for a pooled
 * connection (later reads still join it then: a busy pool makes bigger batches); sealed when
 * its list is sent. The requests are deduplicated by DRF text. The list is sent once, and
 * once more on a fresh connection if the connection was lost before any reply (the requests
 * still waited for); it is cancelled when the last caller leaves.
 */
class CoalescedBatch {
  private readonly requests: PreparedRead[] = [];
  private readonly slots = new Map<string, number>();
  /** Callers per request (a linked list; usually one). */
  private readonly waiting: (Member | undefined)[] = [];
  private readonly metas: (DeviceMeta | undefined)[] = [];
  private live = 0;
  private sealed = false;
  private run: Subscription | undefined;
  private lease: Lease | undefined;
  /** Requests sent and not answered yet, in the current attempt. */
  private unanswered = 0;
  private gotReply = false;
  private timedOut = false;
  private listFailed = false;
  private allOneShot = true;
  /** Deadline groups by timeout, ms. */
  private deadlines: Map<number, DeadlineGroup> | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly config: CoalesceConfig,
    private readonly onSeal: (b: CoalescedBatch) => void,
  ) {}

  /** Whether `request` can still join. */
  accepts(request: PreparedRead): boolean {
    return !this.sealed && (this.requests.length < this.config.maxBatch || this.slots.has(request.drf));
  }

  /** A caller joins, with its deadline; the batch starts with its first caller. */
  join(request: PreparedRead, subscriber: Subscriber<Reading>, timeoutMs: number): Member {
    let k = this.slots.get(request.drf);
    if (k === undefined) {
      k = this.requests.length;
      this.requests.push(request);
      this.slots.set(request.drf, k);
      this.waiting.push(undefined);
      this.metas.push(undefined);
    }
    const deadlines = (this.deadlines ??= new Map());
    let group = deadlines.get(timeoutMs);
    if (group === undefined) deadlines.set(timeoutMs, (group = new DeadlineGroup(this.config.scheduler)));
    const m = new Member(this, k, request.drf, subscriber, timeoutMs, group.now() + timeoutMs);
    group.add(m);
    m.next = this.waiting[k];
    this.waiting[k] = m;
    this.live++;
    if (this.run === undefined) this.start();
    return m;
  }

  /** A caller leaves (unsubscribed, or its deadline passed); the last one cancels the batch. */
  leave(m: Member): void {
    if (m.done) return;
    m.done = true;
    let p = this.waiting[m.index];
    if (p === m) this.waiting[m.index] = m.next;
    else {
      while (p !== undefined && p.next !== m) p = p.next;
      if (p !== undefined) p.next = m.next;
    }
    if (--this.live === 0) {
      this.endDeadlines();
      this.cancel();
    }
  }

  /** No caller waits any more: no deadline timer either. */
  private endDeadlines(): void {
    const d = this.deadlines;
    if (d === undefined) return;
    for (const g of d.values()) g.cancel();
  }

  /** `m`'s deadline passed: its `TimeoutError`; the connection is discarded if the list is then abandoned. */
  expire(m: Member): void {
    if (m.done) return;
    const ms = m.timeoutMs;
    this.timedOut = true;
    const reading = errorReading(m.drf, statusOf(ACNET_REQTMO.code), this.metas[m.index]);
    m.subscriber.error(new TimeoutError(ms, [m.drf], [reading]));
  }

  /**
   * Subscribes the run — the lease and its list, once more on a fresh connection if the
   * connection was lost before any reply — after the window, on the scheduler (a microtask
   * for window 0: after the code that issued the reads).
   */
  private start(): void {
    const { config } = this;
    const scheduler = config.scheduler ?? (config.window === 0 ? asapScheduler : asyncScheduler);
    this.run = scheduler.schedule(startRun, config.window, this);
  }

  /** @internal The window passed: lease, list, retry. */
  runNow(): void {
    if (this.live === 0) return;
    const { pool } = this;
    const work = (lease: Lease): Observable<never> => this.attempt(lease);
    this.run = pool
      .use(work)
      .pipe(
        catchError((e: unknown) => {
          // lost before any reply: once more, on a fresh connection, for the callers still waiting
          if (!(e instanceof ConnectionLost) || this.gotReply) throw e;
          return pool.use(work);
        }),
      )
      .subscribe(new RunFailure(this));
  }

  private seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    this.onSeal(this);
  }

  /** The list of the requests still waited for, on `lease`. */
  private attempt(lease: Lease): Observable<never> {
    this.seal();
    const n = this.requests.length;
    let only: number[] | undefined;
    let count = 0;
    this.allOneShot = true;
    for (let k = 0; k < n; k++) {
      if (this.waiting[k] === undefined) {
        only ??= [];
        continue;
      }
      if (!this.requests[k]!.oneShot) this.allOneShot = false;
      count++;
    }
    if (count === 0) return EMPTY;
    if (only !== undefined) for (let k = 0; k < n; k++) if (this.waiting[k] !== undefined) only.push(k);
    this.lease = lease;
    this.listFailed = false;
    this.unanswered = count;
    const conn = lease.connection;
    const list$ = dpmList(conn, this.requests, { gather: true, prefix: takeResetPrefix(conn), only });
    // the attempt's subscriber is an object (no closures per read: a read is on the latency path)
    return new Observable<never>((subscriber) => new AttemptRun(this, list$, subscriber));
  }

  /** @internal The list of an attempt failed (refused): its connection is not kept. */
  listRefused(): void {
    this.listFailed = true;
  }

  /** @internal A list event (see {@link AttemptRun}). */
  deliver(e: ListEvent): void {
    this.route(e);
  }

  /** @internal The end of an attempt, before its lease ends (see {@link AttemptRun}). */
  ended(): void {
    this.release();
  }

  /** A list event to the callers of its request. */
  private route(e: ListEvent): void {
    this.gotReply = true;
    const k = e.index;
    if (e.kind === 'meta') {
      this.metas[k] = e.meta;
      return;
    }
    this.unanswered--;
    let m = this.waiting[k];
    this.waiting[k] = undefined;
    const reading = e.reading!;
    while (m !== undefined) {
      const next = m.next;
      m.done = true;
      this.live--;
      m.subscriber.next(reading);
      m.subscriber.complete();
      m = next;
    }
    if (this.live === 0) {
      this.endDeadlines();
      // every caller answered while other requests are outstanding (their callers left): done
      if (this.unanswered > 0) this.cancel();
    }
  }

  /** @internal The run failed: each caller still waiting gets the failure with its own reading. */
  fail(e: unknown): void {
    this.seal();
    this.run = undefined;
    const n = this.waiting.length;
    for (let k = 0; k < n; k++) {
      let m = this.waiting[k];
      this.waiting[k] = undefined;
      while (m !== undefined) {
        const next = m.next;
        m.done = true;
        this.live--;
        const drf = m.drf;
        const meta = this.metas[k];
        m.subscriber.error(readFailure(e, (st) => [errorReading(drf, st, meta)]));
        m = next;
      }
    }
    this.endDeadlines();
  }

  private cancel(): void {
    this.seal();
    const run = this.run;
    this.run = undefined;
    run?.unsubscribe();
  }

  /**
   * The end of an attempt, before its lease ends: a list abandoned after a deadline passed
   * costs its connection; otherwise the connection is kept (see `releaseReadList`).
   */
  private release(): void {
    const lease = this.lease;
    this.lease = undefined;
    if (lease === undefined) return;
    if (this.timedOut && this.unanswered > 0) lease.discard();
    else releaseReadList(lease, { failed: this.listFailed, allOneShot: this.allOneShot });
  }
}

/**
 * Gathers concurrent one-shot reads into lists (see {@link CoalesceConfig}). Results are those
 * of separate reads: each caller gets its own reading, its own `TimeoutError` at its own
 * deadline (naming only its device), its own copy of a connection failure carrying its
 * reading; unsubscribing drops only that caller (its request is not sent if the list has not
 * left yet; the last caller to leave cancels the list).
 *
 * @example
 * ```ts
 * const coalescer = new ReadCoalescer(pool, { window: 0, maxBatch: 1000 });
 * const a$ = coalescer.read(prepareRead('M:OUTTMP'), 5000);
 * const b$ = coalescer.read(prepareRead('G:AMANDA'), 5000);
 * forkJoin([a$, b$]).subscribe(([a, b]) => console.log(a.value, b.value)); // one list, one round trip
 * ```
 */
export class ReadCoalescer {
  private open: CoalescedBatch | undefined;
  private readonly sealed = (b: CoalescedBatch): void => {
    if (this.open === b) this.open = undefined;
  };

  constructor(
    private readonly pool: ConnectionPool,
    private readonly config: CoalesceConfig,
  ) {}

  /**
   * The reading of `request`, from the batch open when this Observable is subscribed (or a
   * new one). Errors with `TimeoutError` after `timeoutMs`, and with the connection failures
   * and `ListError` of its batch (carrying its reading, `dpm-behaviour.md` §4.3).
   */
  read(request: PreparedRead, timeoutMs: number): Observable<Reading> {
    return new Observable<Reading>((subscriber) => {
      let batch = this.open;
      if (batch === undefined || !batch.accepts(request)) {
        batch = this.open = new CoalescedBatch(this.pool, this.config, this.sealed);
      }
      // the member is the teardown: it leaves the batch
      return batch.join(request, subscriber, timeoutMs);
    });
  }
}
