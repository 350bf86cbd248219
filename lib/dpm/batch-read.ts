import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { ensureImmediate, isHistorical } from '../drf/helpers.js';
import { parseDrf } from '../drf/parse.js';
import { ConnectError } from '../errors/connect-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { ListError } from './list-error.js';
import type { ReplyMessage } from '../protocol/index.js';
import type { OutgoingRequest } from '../transport/connection.js';
import { scheduleOnce } from '../transport/timer.js';
import type { ConnectionPool, Lease } from './pool.js';
import type { DeviceMeta, Reading } from './reading.js';
import { LoggerAccumulator, errorReading, metaFrom, readingFromReply, statusOf } from './readings.js';
import { TimeoutError } from './timeout-error.js';

/** `ACNET_REQTMO` (1 −6): synthetic status of a request that timed out. */
const REQTMO = -1535;

/** `ACNET_RETRY` (1 −1): synthetic status of a request whose connection failed. */
const RETRY = -255;

type ConnectionFailure = ConnectError | HandshakeError | ConnectionLost;

const isConnectionFailure = (e: unknown): e is ConnectionFailure =>
  e instanceof ConnectionLost || e instanceof ConnectError || e instanceof HandshakeError;

/**
 * A copy of the connection error `e` (same class, message, stack, cause and
 * fields) carrying the read's `readings` (§4.3). A copy, because one error
 * instance can reach more than one subscriber.
 */
function withReadings<E extends ConnectionFailure>(e: E, readings: readonly Reading[]): E {
  const copy = Object.create(Object.getPrototypeOf(e) as object | null) as E;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(e));
  Object.defineProperty(copy, 'readings', { value: readings, enumerable: true, configurable: true, writable: false });
  return copy;
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
 * Throws `DrfError` for an invalid DRF or an `@N` request; nothing is sent.
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

function prepareRead(drf: string): PreparedRead {
  let p = prepared.get(drf);
  if (p !== undefined) return p;
  const req = parseDrf(drf);
  const wire = ensureImmediate(drf);
  const historical = isHistorical(req);
  const mode = req.event.mode;
  p = { drf, wire, historical, oneShot: !historical && (mode === 'U' || mode === 'I') };
  if (prepared.size >= PREPARED_MAX) prepared.clear();
  prepared.set(drf, p);
  return p;
}

/**
 * Connections whose list still holds the requests of a finished one-shot read:
 * their `StopList` + `ClearList` go out in front of the next batch (same single
 * write), saving a write and a server wake-up per read. Reads with repetitive
 * events or logger sources stop and clear at once instead.
 */
const needsReset = new WeakSet<object>();

/**
 * Read a batch of prepared requests on one pooled connection: one `AddToList`
 * per request plus `StartList` in one TCP write, one deadline for everything
 * (queueing and connecting included), readings in request order.
 *
 * - Each request's final reply (§4.2) gives its reading; logger requests gather
 *   chunks until the empty terminator (§7).
 * - The connection is held exclusively for the whole read and its ref_ids are
 *   never reused on that connection, so a late reply of an earlier read is dropped.
 * - If the connection dies before any reply of this read arrived, the read is
 *   retried once on a fresh connection (within the same deadline). A connection
 *   error that is not retried (`ConnectError`, `HandshakeError`, `ConnectionLost`)
 *   is delivered with `readings` set: the readings that arrived, and `ACNET_RETRY`
 *   error readings for the rest, in request order (§4.3).
 * - Deadline → `TimeoutError` (missing DRFs named, partial readings carried);
 *   the connection is discarded.
 * - `StartList_reply` ≠ 0 or a ref-0 `Status_reply` → `ListError`.
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
  return new Observable<Reading[]>((subscriber) => {
    const n = requests.length;
    if (n === 0) {
      subscriber.next([]);
      subscriber.complete();
      return;
    }
    let results: (Reading | undefined)[] = new Array<Reading | undefined>(n);
    let metas: (DeviceMeta | undefined)[] = new Array<DeviceMeta | undefined>(n);
    let accs: (LoggerAccumulator | undefined)[] = new Array<LoggerAccumulator | undefined>(n);
    let remaining = n;
    let allOneShot = true;
    for (const r of requests) if (!r.oneShot) allOneShot = false;
    let attempt = 0;
    let gotReply = false;
    let done = false;
    let lease: Lease | undefined;
    let leaseSub: Subscription | undefined;
    let repliesSub: Subscription | undefined;
    let refToIndex: Map<number, number> = new Map();
    let firstRef = 0;
    let contiguous = true;

    const indexOf = (ref: number): number | undefined => {
      if (contiguous) {
        const i = ref - firstRef;
        return i >= 0 && i < n ? i : undefined;
      }
      return refToIndex.get(ref);
    };

    const endAttempt = (keep: boolean): void => {
      repliesSub?.unsubscribe();
      repliesSub = undefined;
      if (lease) {
        const conn = lease.connection;
        if (keep && !conn.closed && allOneShot) {
          needsReset.add(conn);
        } else if (keep && !conn.closed) {
          try {
            conn.send([
              { type: 'StopList_request', list_id: conn.listId },
              { type: 'ClearList_request', list_id: conn.listId },
            ]);
          } catch {
            lease.discard();
          }
        } else {
          lease.discard();
        }
      }
      lease = undefined;
      const ls = leaseSub;
      leaseSub = undefined;
      ls?.unsubscribe();
    };

    const fillMissing = (word: number): { readings: Reading[]; missing: string[] } => {
      const missing: string[] = [];
      const readings: Reading[] = new Array<Reading>(n);
      for (let i = 0; i < n; i++) {
        const r = results[i];
        if (r) readings[i] = r;
        else {
          missing.push(requests[i]!.drf);
          readings[i] = errorReading(requests[i]!.drf, statusOf(word), metas[i]);
        }
      }
      return { readings, missing };
    };

    const finish = (): void => {
      done = true;
      cancelDeadline();
      endAttempt(true);
      subscriber.next(results as Reading[]);
      subscriber.complete();
    };

    const settle = (i: number, r: Reading): void => {
      if (results[i] !== undefined) return;
      results[i] = r;
      if (--remaining === 0) finish();
    };

    const listFail = (word: number, what: string): void => {
      done = true;
      cancelDeadline();
      const { readings } = fillMissing(word);
      // the list was refused or disposed by the server: do not reuse it (§4.4)
      endAttempt(false);
      subscriber.error(new ListError(statusOf(word), what, readings));
    };

    const onReply = (m: ReplyMessage): void => {
      switch (m.type) {
        case 'ListStatus_reply':
          return;
        case 'StartList_reply':
          if (m.status !== 0 && statusOf(m.status).isFailure) {
            listFail(m.status, 'StartList refused');
          }
          return;
        case 'DeviceInfo_reply': {
          const i = indexOf(m.ref_id);
          if (i !== undefined) {
            gotReply = true;
            metas[i] = metaFrom(m);
          }
          return;
        }
        case 'AddToList_reply': {
          const i = indexOf(m.ref_id);
          if (i !== undefined && m.status !== 0) {
            gotReply = true;
            settle(i, errorReading(requests[i]!.drf, statusOf(m.status), metas[i]));
          }
          return;
        }
        case 'Status_reply':
        case 'Scalar_reply':
        case 'ScalarArray_reply':
        case 'TimedScalarArray_reply':
        case 'Raw_reply':
        case 'Text_reply':
        case 'TextArray_reply':
        case 'BasicStatus_reply':
        case 'AnalogAlarm_reply':
        case 'DigitalAlarm_reply': {
          if (m.type === 'Status_reply' && m.ref_id === 0) {
            listFail(m.status, 'list-level status');
            return;
          }
          const i = indexOf(m.ref_id);
          if (i === undefined || results[i] !== undefined) return;
          gotReply = true;
          const req = requests[i]!;
          if (req.historical) {
            const acc = (accs[i] ??= new LoggerAccumulator(req.drf));
            const r = acc.push(m, metas[i]);
            if (r) settle(i, r);
            return;
          }
          const r = readingFromReply(m, req.drf, metas[i]);
          if (r) settle(i, r);
          return;
        }
        default:
          return;
      }
    };

    const run = (l: Lease): void => {
      lease = l;
      const conn = l.connection;
      const reset = needsReset.has(conn);
      const off = reset ? 2 : 0;
      const msgs: OutgoingRequest[] = new Array<OutgoingRequest>(n + 1 + off);
      if (reset) {
        needsReset.delete(conn);
        msgs[0] = { type: 'StopList_request', list_id: conn.listId };
        msgs[1] = { type: 'ClearList_request', list_id: conn.listId };
      }
      firstRef = conn.nextRefId();
      let prev = firstRef;
      contiguous = true;
      const refs: number[] = new Array<number>(n);
      refs[0] = firstRef;
      msgs[off] = { type: 'AddToList_request', list_id: conn.listId, ref_id: firstRef, drf_request: requests[0]!.wire };
      for (let i = 1; i < n; i++) {
        const ref = conn.nextRefId();
        if (ref !== prev + 1) contiguous = false;
        prev = ref;
        refs[i] = ref;
        msgs[off + i] = { type: 'AddToList_request', list_id: conn.listId, ref_id: ref, drf_request: requests[i]!.wire };
      }
      if (!contiguous) {
        refToIndex = new Map();
        for (let i = 0; i < n; i++) refToIndex.set(refs[i]!, i);
      }
      msgs[off + n] = { type: 'StartList_request', list_id: conn.listId };
      repliesSub = conn.replies$.subscribe({ next: onReply, error: () => undefined });
      try {
        conn.send(msgs);
      } catch (e) {
        // unencodable (EncodeError): fail the read here, not as an uncaught
        // exception out of the subscriber callback this runs in
        done = true;
        cancelDeadline();
        endAttempt(false);
        subscriber.error(e);
      }
    };

    const start = (): void => {
      const s = pool.borrow().subscribe({
        next: (l) => {
          if (!done) run(l);
        },
        error: (e: unknown) => {
          if (done) return;
          lease = undefined;
          endAttempt(false);
          if (!gotReply && attempt === 0 && e instanceof ConnectionLost) {
            attempt++;
            results = new Array<Reading | undefined>(n);
            metas = new Array<DeviceMeta | undefined>(n);
            accs = new Array<LoggerAccumulator | undefined>(n);
            remaining = n;
            start();
            return;
          }
          done = true;
          cancelDeadline();
          subscriber.error(isConnectionFailure(e) ? withReadings(e, fillMissing(RETRY).readings) : e);
        },
      });
      if (s.closed) return; // failed synchronously (a retry, if any, holds its own subscription)
      if (done) {
        s.unsubscribe(); // torn down while borrowing
        return;
      }
      leaseSub = s;
    };

    const cancelDeadline = scheduleOnce(
      () => {
        if (done) return;
        done = true;
        const { readings, missing } = fillMissing(REQTMO);
        if (lease) lease.discard();
        endAttempt(false);
        subscriber.error(new TimeoutError(timeoutMs, missing, readings));
      },
      timeoutMs,
      scheduler,
    );

    start();

    return () => {
      cancelDeadline();
      if (!done) {
        done = true;
        endAttempt(true);
      }
    };
  });
}

