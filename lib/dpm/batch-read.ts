import { Observable, Subscriber, defer, of, catchError, throwError, type SchedulerLike } from 'rxjs';
import { ACNET_REQTMO } from '../status/constants.js';
import { ensureImmediate, isHistorical } from '../drf/helpers.js';
import { parseDrf } from '../drf/parse.js';
import { assertRequestFits } from './request-fits.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { ListError } from './list-error.js';
import type { AcnetStatus } from '../status/index.js';
import { releaseReadList, takeResetPrefix } from './list-reuse.js';
import { deadline } from './deadline.js';
import { ACNET_RETRY, dpmList, isTransient, type ListEvent } from './list.js';
import type { ConnectionPool, Lease } from './pool.js';
import type { DeviceMeta, Reading } from './reading.js';
import { errorReading, statusOf } from './readings.js';
import { TimeoutError } from './timeout-error.js';

/** `ACNET_REQTMO` (1 −6): synthetic status of a request that timed out. */
const REQTMO = ACNET_REQTMO.code;

/**
 * A copy of the error `e` (same class, message, stack, cause and fields)
 * carrying the read's `readings` (§4.3). A copy, because one error instance can
 * reach more than one subscriber.
 */
function withReadings<E extends object>(e: E, readings: readonly Reading[]): E {
  const copy = Object.create(Object.getPrototypeOf(e) as object | null) as E;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(e));
  Object.defineProperty(copy, 'readings', { value: readings, enumerable: true, configurable: true, writable: false });
  return copy;
}

/**
 * The error a one-shot read delivers for the failure `e` (§4.3): a connection failure
 * (`isTransient`) or a `ListError` becomes a copy carrying the read's readings, `readings(status)`
 * filling the missing ones with `ACNET_RETRY` or the list's status; anything else is `e` itself.
 *
 * @example
 * ```ts
 * catchError((e) => throwError(() => readFailure(e, (st) => fill(st))));
 * ```
 */
export function readFailure(e: unknown, readings: (status: AcnetStatus) => Reading[]): unknown {
  if (isTransient(e)) return withReadings(e, readings(statusOf(ACNET_RETRY)));
  if (e instanceof ListError) return withReadings(e, readings(e.status));
  return e;
}

/**
 * One prepared read request: the user's DRF and the text sent to DPM.
 *
 * @example
 * ```ts
 * const [r] = prepareReads(['M:OUTTMP']); // { drf: 'M:OUTTMP', wire: 'M:OUTTMP@I', historical: false, oneShot: true }
 * ```
 */
export interface PreparedRead {
  /** The DRF as the user gave it (used in readings). */
  readonly drf: string;
  /** What is sent in `AddToList` (`ensureImmediate` applied). */
  readonly wire: string;
  /** A logger request: gather chunks until the empty terminator. */
  readonly historical: boolean;
  /** Event `I` after rewriting: the server forgets the request after its one reply. */
  readonly oneShot: boolean;
}

/**
 * Validate DRFs for a one-shot read and rewrite them (`dpm-behaviour.md` §4.1).
 * Throws `DrfError` for an invalid DRF or an `@N` request, `RequestTooLargeError` for a DRF
 * whose request cannot fit in one frame; nothing is sent.
 *
 * @example
 * ```ts
 * prepareReads(['M:OUTTMP', 'G:AMANDA@p,1000']).map((p) => p.wire); // ['M:OUTTMP@I', 'G:AMANDA@p,1000']
 * ```
 */
export function prepareReads(drfs: readonly string[]): PreparedRead[] {
  return drfs.map(prepareRead);
}

const prepared = new Map<string, PreparedRead>();
const PREPARED_MAX = 4096;

/**
 * {@link prepareReads} for one DRF (cached: a DRF read again is not parsed again).
 *
 * @example
 * ```ts
 * prepareRead('M:OUTTMP').wire; // 'M:OUTTMP@I'
 * ```
 */
export function prepareRead(drf: string): PreparedRead {
  let p = prepared.get(drf);
  if (p !== undefined) return p;
  assertRequestFits(drf, drf);
  const req = parseDrf(drf);
  const wire = ensureImmediate(drf);
  assertRequestFits(drf, wire);
  const historical = isHistorical(req);
  const mode = req.event.mode;
  p = { drf, wire, historical, oneShot: !historical && (mode === 'U' || mode === 'I') };
  if (prepared.size >= PREPARED_MAX) prepared.clear();
  prepared.set(drf, p);
  return p;
}

/** The state of one batch read across its attempts: what arrived, and the lease in use. */
class Batch {
  results: (Reading | undefined)[];
  metas: (DeviceMeta | undefined)[];
  /** A reply of this read arrived (no retry on a fresh connection after that). */
  gotReply = false;
  private lease: Lease | undefined;
  private failed = false;
  private timedOut = false;
  private readonly allOneShot: boolean;

  constructor(private readonly requests: readonly PreparedRead[]) {
    const n = requests.length;
    this.results = new Array<Reading | undefined>(n);
    this.metas = new Array<DeviceMeta | undefined>(n);
    this.allOneShot = requests.every((r) => r.oneShot);
  }

  /** Forget the replies of a failed attempt. */
  restart(): void {
    const n = this.requests.length;
    this.results = new Array<Reading | undefined>(n);
    this.metas = new Array<DeviceMeta | undefined>(n);
  }

  /** One attempt on `lease`: the list, with a reused connection's Stop + Clear in front; emits the readings. */
  attempt(lease: Lease): Observable<Reading[]> {
    this.lease = lease;
    this.failed = false;
    const conn = lease.connection;
    const list$ = dpmList(conn, this.requests, { gather: true, prefix: takeResetPrefix(conn) });
    return new Observable<Reading[]>((subscriber) => {
      const sub = list$.subscribe(new BatchSubscriber(this, subscriber));
      return () => {
        sub.unsubscribe();
        this.release();
      };
    });
  }

  /** A list event. */
  record(e: ListEvent): void {
    this.gotReply = true;
    if (e.kind === 'meta') this.metas[e.index] = e.meta;
    else this.results[e.index] = e.reading;
  }

  /** The list failed (refused, or unencodable): its connection is not kept. */
  listFailed(): void {
    this.failed = true;
  }

  /** The failure of the read: connection errors and `ListError` carry the readings. */
  fail(e: unknown): Observable<never> {
    const err = readFailure(e, (st) => this.fill(st));
    return throwError(() => err);
  }

  /**
   * The end of an attempt, before the lease ends: keep the connection (its list
   * stopped and cleared now, or in front of the next batch) unless the list
   * failed, the deadline passed or the connection is closing.
   */
  private release(): void {
    const lease = this.lease;
    this.lease = undefined;
    if (lease === undefined || this.timedOut) return;
    releaseReadList(lease, { failed: this.failed, allOneShot: this.allOneShot });
  }

  /** The deadline passed: discard the connection (before the lease ends) and say what is missing. */
  timeout(ms: number): TimeoutError {
    this.timedOut = true;
    this.lease?.discard();
    const missing: string[] = [];
    const readings = this.fill(statusOf(REQTMO), missing);
    return new TimeoutError(ms, missing, readings);
  }

  /** Every request's reading: the ones that arrived, `status` error readings for the rest. */
  fill(status: AcnetStatus, missing?: string[]): Reading[] {
    const n = this.requests.length;
    const out = new Array<Reading>(n);
    for (let i = 0; i < n; i++) {
      const r = this.results[i];
      if (r !== undefined) out[i] = r;
      else {
        const drf = this.requests[i]!.drf;
        missing?.push(drf);
        out[i] = errorReading(drf, status, this.metas[i]);
      }
    }
    return out;
  }
}

/** Takes one attempt's list events for a batch; emits the readings when the list completes. */
class BatchSubscriber extends Subscriber<ListEvent> {
  constructor(
    private readonly batch: Batch,
    private readonly out: Subscriber<Reading[]>,
  ) {
    super();
  }

  protected override _next(e: ListEvent): void {
    this.batch.record(e);
  }

  protected override _error(err: unknown): void {
    this.unsubscribe();
    this.batch.listFailed();
    this.out.error(err);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.out.next(this.batch.results as Reading[]);
    this.out.complete();
  }
}

/**
 * Read a batch of prepared requests on one pooled connection: one `AddToList`
 * per request plus `StartList` in one TCP write, one deadline for everything
 * (queueing and connecting included), readings in request order. A composition
 * of the pool's lease and the list Observable ({@link dpmList}): `catchError`
 * retrying once or attaching the partial readings, and the {@link deadline} operator.
 *
 * - Each request's final reply (§4.2) gives its reading; logger requests gather
 *   chunks until the empty terminator (§7).
 * - The connection is held exclusively for the whole read and its ref_ids are
 *   never reused on that connection, so a late reply of an earlier read is dropped.
 * - If the connection is lost before any reply of this read arrived, the read is
 *   retried once on a fresh connection (within the same deadline). A connection
 *   error that is not retried (`ConnectError`, `HandshakeError`, `ConnectionLost`)
 *   is delivered with `readings` set: the readings that arrived, and `ACNET_RETRY`
 *   error readings for the rest, in request order (§4.3).
 * - Deadline → `TimeoutError` (missing DRFs named, partial readings carried);
 *   the connection is discarded.
 * - `StartList_reply` ≠ 0 or a ref-0 `Status_reply` → `ListError` (with
 *   readings); the connection is discarded.
 *
 * @example
 * ```ts
 * batchRead(pool, prepareReads(['M:OUTTMP', 'G:AMANDA']), 5000).subscribe((rs) => console.log(rs));
 * ```
 */
export function batchRead(
  pool: ConnectionPool,
  requests: readonly PreparedRead[],
  timeoutMs: number,
  scheduler?: SchedulerLike,
): Observable<Reading[]> {
  return defer(() => {
    if (requests.length === 0) return of<Reading[]>([]);
    const b = new Batch(requests);
    // retried once on a fresh connection when it was lost before any reply of this read
    const read$ = pool
      .use((lease) => b.attempt(lease))
      .pipe(
        catchError((e: unknown) => {
          if (!(e instanceof ConnectionLost) || b.gotReply) return b.fail(e);
          b.restart();
          return pool.use((lease) => b.attempt(lease)).pipe(catchError((e2: unknown) => b.fail(e2)));
        }),
      );
    return read$.pipe(deadline(timeoutMs, () => b.timeout(timeoutMs), scheduler));
  });
}
