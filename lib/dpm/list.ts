/**
 * The DPM list as an Observable (`dpm-behaviour.md` §3–§5): subscribing sends `AddToList`
 * per request plus `StartList` in one write, the replies are routed by `ref_id` to per-request
 * events, and unsubscribing ends the list. Reads, `getMany`, streams and logger reads are
 * compositions of it.
 *
 * @module
 */
import { Observable } from 'rxjs';
import { ConnectError } from '../errors/connect-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { ListError } from '../errors/list-error.js';
import type { ReplyMessage } from '../protocol/index.js';
import type { Connection, OutgoingRequest } from '../transport/connection.js';
import type { DeviceMeta, Reading } from './reading.js';
import { LoggerAccumulator, errorReading, metaFrom, readingFromReply, statusOf } from './readings.js';

/**
 * `ACNET_RETRY` (1 −1): status of the readings standing for requests whose connection failed
 * (a read's missing readings, a reconnecting stream's gap readings).
 *
 * @example
 * ```ts
 * errorReading('M:OUTTMP', statusOf(ACNET_RETRY), undefined);
 * ```
 */
export const ACNET_RETRY = -255;

/**
 * A connection failure worth another attempt: the connection could not be made
 * (`ConnectError`), its handshake failed (`HandshakeError`), or it was lost (`ConnectionLost`).
 * The one "is this failure transient" predicate of reads and streams.
 *
 * @example
 * ```ts
 * if (isTransient(e)) console.log('will retry');
 * ```
 */
export function isTransient(e: unknown): e is ConnectError | HandshakeError | ConnectionLost {
  return e instanceof ConnectionLost || e instanceof ConnectError || e instanceof HandshakeError;
}

/**
 * One request of a list.
 *
 * @example
 * ```ts
 * const r: ListRequest = { drf: 'M:OUTTMP', wire: 'M:OUTTMP@I', historical: false, oneShot: true };
 * ```
 */
export interface ListRequest {
  /** The DRF as the user gave it (used in readings). */
  readonly drf: string;
  /** What is sent in `AddToList`. */
  readonly wire: string;
  /** A logger request: its data ends with an empty chunk. */
  readonly historical: boolean;
  /** The server forgets the request after its one reply. */
  readonly oneShot: boolean;
}

/**
 * How a list reports its requests.
 *
 * @example
 * ```ts
 * const o: ListOptions = { gather: true };
 * ```
 */
export interface ListOptions {
  /**
   * Reads: each request ends with its first reading, logger chunks are gathered into one
   * reading at the terminator. Otherwise (streams) every reply is a reading and a request ends
   * when it is answered (one-shot), terminated (logger) or refused.
   */
  readonly gather: boolean;
  /** `StartList` model (data source). */
  readonly model?: string | undefined;
  /** Sent in the same write in front of the `AddToList`s (a reused connection's `StopList` + `ClearList`). */
  readonly prefix?: readonly OutgoingRequest[] | undefined;
  /** Send `StopList` when the subscription ends (streams). */
  readonly stopOnEnd?: boolean;
  /** Which requests to add (indices into the request array; default all). */
  readonly only?: readonly number[] | undefined;
}

/**
 * What a list emits, one object shape for all kinds (monomorphic on the hot path):
 * `reading` (a reading of request `index`; `final` when the request is finished), or `meta`
 * (the request's `DeviceInfo_reply`). The Observable completes when every request is finished
 * and errors with `ListError` when DPM refuses the list.
 *
 * @example
 * ```ts
 * list$.subscribe((e) => { if (e.kind === 'reading') results[e.index] = e.reading; });
 * ```
 */
export class ListEvent {
  constructor(
    /** What happened. */
    readonly kind: 'reading' | 'meta',
    /** Index of the request (into the request array). */
    readonly index: number,
    /** The reading (`kind: 'reading'`). */
    readonly reading: Reading | undefined,
    /** The metadata (`kind: 'meta'`). */
    readonly meta: DeviceMeta | undefined,
    /** The request is finished: no more readings for it. */
    readonly final: boolean,
  ) {}
}

/**
 * The list of `requests` on `conn`: on subscribe one write with `options.prefix`, an
 * `AddToList` per request and `StartList`; replies routed by `ref_id` (an array, refs being
 * sequential on a connection) to {@link ListEvent}s; completes when every request is finished;
 * errors with `ListError` for a refused `StartList` or a list-level `Status_reply`, or with the
 * encoder's error (nothing sent). Connection failures are the connection Observable's to report.
 * Unsubscribing sends `StopList` with `options.stopOnEnd`.
 *
 * @example
 * ```ts
 * dpmList(conn, [{ drf: 'M:OUTTMP', wire: 'M:OUTTMP@I', historical: false, oneShot: true }], { gather: true })
 *   .subscribe((e) => console.log(e.kind, e.reading?.value));
 * ```
 */
export function dpmList(conn: Connection, requests: readonly ListRequest[], options: ListOptions): Observable<ListEvent> {
  return new Observable<ListEvent>((subscriber) => {
    const gather = options.gather;
    const only = options.only;
    const count = only === undefined ? requests.length : only.length;
    // per position in this list (the k-th AddToList): request index, state
    const indexOf = new Array<number>(count);
    const metas = new Array<DeviceMeta | undefined>(count);
    const done = new Uint8Array(count);
    let accs: (LoggerAccumulator | undefined)[] | undefined;
    let remaining = count;
    let firstRef = 0;
    let contiguous = true;
    let refMap: Map<number, number> | undefined;

    const prefix = options.prefix;
    const off = prefix === undefined ? 0 : prefix.length;
    const msgs = new Array<OutgoingRequest>(off + count + 1);
    for (let i = 0; i < off; i++) msgs[i] = prefix![i]!;
    const listId = conn.listId;
    let prev = 0;
    const refs = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      const i = only === undefined ? k : only[k]!;
      indexOf[k] = i;
      const ref = conn.nextRefId();
      if (k === 0) firstRef = ref;
      else if (ref !== prev + 1) contiguous = false;
      prev = ref;
      refs[k] = ref;
      msgs[off + k] = { type: 'AddToList_request', list_id: listId, ref_id: ref, drf_request: requests[i]!.wire };
    }
    if (!contiguous) {
      refMap = new Map();
      for (let k = 0; k < count; k++) refMap.set(refs[k]!, k);
    }
    msgs[off + count] =
      options.model !== undefined ? { type: 'StartList_request', list_id: listId, model: options.model } : { type: 'StartList_request', list_id: listId };

    const slot = (ref: number): number => {
      if (refMap !== undefined) return refMap.get(ref) ?? -1;
      const k = ref - firstRef;
      return k >= 0 && k < count ? k : -1;
    };

    const emit = (k: number, r: Reading, final: boolean): void => {
      if (final) {
        done[k] = 1;
        remaining--;
      }
      subscriber.next(new ListEvent('reading', indexOf[k]!, r, undefined, final));
      if (final && remaining === 0) subscriber.complete();
    };

    const fail = (word: number, what: string): void => subscriber.error(new ListError(statusOf(word), what));

    // the one reply switch of reads and streams
    const onReply = (m: ReplyMessage): void => {
      switch (m.type) {
        case 'Scalar_reply':
        case 'ScalarArray_reply':
        case 'TimedScalarArray_reply':
        case 'Raw_reply':
        case 'Text_reply':
        case 'TextArray_reply':
        case 'BasicStatus_reply':
        case 'AnalogAlarm_reply':
        case 'DigitalAlarm_reply':
        case 'Status_reply': {
          if (m.type === 'Status_reply' && m.ref_id === 0) return fail(m.status, 'list-level status');
          const k = slot(m.ref_id);
          if (k < 0 || done[k] === 1) return;
          const req = requests[indexOf[k]!]!;
          if (gather) {
            if (req.historical) {
              accs ??= new Array<LoggerAccumulator | undefined>(count);
              const r = (accs[k] ??= new LoggerAccumulator(req.drf)).push(m, metas[k]);
              if (r !== undefined) emit(k, r, true);
              return;
            }
            const r = readingFromReply(m, req.drf, metas[k]);
            if (r !== undefined) emit(k, r, true);
            return;
          }
          if (m.type === 'Status_reply') return emit(k, readingFromReply(m, req.drf, metas[k])!, req.oneShot || req.historical);
          if (m.type === 'TimedScalarArray_reply' && req.historical && m.data.length === 0) {
            // the empty terminator of a logger request
            const st = statusOf(m.status);
            if (st.isFailure) return emit(k, errorReading(req.drf, st, metas[k], m.timestamp, m.cycle), true);
            done[k] = 1;
            if (--remaining === 0) subscriber.complete();
            return;
          }
          const final = req.oneShot || (req.historical && m.type === 'TimedScalarArray_reply' && statusOf(m.status).isFailure);
          return emit(k, readingFromReply(m, req.drf, metas[k])!, final);
        }
        case 'AddToList_reply': {
          if (m.status === 0) return;
          const k = slot(m.ref_id);
          if (k < 0 || done[k] === 1) return;
          return emit(k, errorReading(requests[indexOf[k]!]!.drf, statusOf(m.status), metas[k]), true);
        }
        case 'DeviceInfo_reply': {
          const k = slot(m.ref_id);
          if (k < 0) return;
          const meta = metaFrom(m);
          metas[k] = meta;
          subscriber.next(new ListEvent('meta', indexOf[k]!, undefined, meta, false));
          return;
        }
        case 'StartList_reply':
          if (m.status !== 0 && statusOf(m.status).isFailure) fail(m.status, 'StartList refused');
          return;
        default:
          return;
      }
    };

    const replies = conn.replies$.subscribe({ next: onReply, error: () => undefined });
    if (count === 0) subscriber.complete();
    else {
      try {
        conn.send(msgs);
      } catch (e) {
        // unencodable (e.g. a model with a lone surrogate): an error of this list, not an uncaught exception
        subscriber.error(e);
      }
    }
    return () => {
      replies.unsubscribe();
      if (options.stopOnEnd === true && !conn.closed) {
        try {
          conn.send([{ type: 'StopList_request', list_id: listId }]);
        } catch {
          // best effort
        }
      }
    };
  });
}
