import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { ensureImmediate, isHistorical } from '../drf/helpers.js';
import { ListError } from '../errors/list-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import type { ReplyMessage } from '../protocol/index.js';
import type { OutgoingRequest } from '../transport/connection.js';
import { scheduleOnce } from '../transport/timer.js';
import type { ConnectionPool, Lease } from './pool.js';
import type { DeviceMeta, Reading } from './reading.js';
import { LoggerAccumulator, errorReading, metaFrom, readingFromReply, statusOf } from './readings.js';
import { TimeoutError } from './timeout-error.js';

/** `ACNET_REQTMO` (1 −6): synthetic status of a request that timed out. */
const REQTMO = -1535;

/**
 * One prepared read request: the user's DRF and the text sent to DPM.
 *
 * @example
 * ```ts
 * const [r] = prepareReads(['M:OUTTMP']); // { drf: 'M:OUTTMP', wire: 'M:OUTTMP@I', historical: false }
 * ```
 */
export interface PreparedRead {
  /** The DRF as the user gave it (used in readings). */
  readonly drf: string;
  /** What is sent in `AddToList` (`ensureImmediate` applied). */
  readonly wire: string;
  /** A logger request: gather chunks until the empty terminator. */
  readonly historical: boolean;
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
  return drfs.map((drf) => {
    const wire = ensureImmediate(drf);
    return { drf, wire, historical: isHistorical(drf) };
  });
}

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
 *   retried once on a fresh connection (within the same deadline).
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
    let attempt = 0;
    let gotReply = false;
    let done = false;
    let lease: Lease | undefined;
    let leaseSub: Subscription | undefined;
    let repliesSub: Subscription | undefined;
    let refToIndex = new Map<number, number>();
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
        if (keep && !conn.closed) {
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
      endAttempt(true);
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
      const msgs: OutgoingRequest[] = new Array<OutgoingRequest>(n + 1);
      firstRef = conn.nextRefId();
      let prev = firstRef;
      contiguous = true;
      refToIndex = new Map();
      refToIndex.set(firstRef, 0);
      msgs[0] = { type: 'AddToList_request', list_id: conn.listId, ref_id: firstRef, drf_request: requests[0]!.wire };
      for (let i = 1; i < n; i++) {
        const ref = conn.nextRefId();
        if (ref !== prev + 1) contiguous = false;
        prev = ref;
        refToIndex.set(ref, i);
        msgs[i] = { type: 'AddToList_request', list_id: conn.listId, ref_id: ref, drf_request: requests[i]!.wire };
      }
      msgs[n] = { type: 'StartList_request', list_id: conn.listId };
      repliesSub = conn.replies$.subscribe({ next: onReply, error: () => undefined });
      conn.send(msgs);
    };

    const start = (): void => {
      leaseSub = pool.borrow().subscribe({
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
          subscriber.error(e);
        },
      });
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

