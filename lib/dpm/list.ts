/**
 * The DPM list as an Observable (`dpm-behaviour.md` §3–§5): subscribing sends `AddToList`
 * per request plus `StartList` in one write, the replies are routed by `ref_id` to per-request
 * events, and unsubscribing ends the list. Reads, `getMany`, streams and logger reads are
 * compositions of it.
 *
 * @module
 */
import { ACNET_RETRY as RETRY_STATUS } from '../status/constants.js';
import { Observable, Subscriber, type TeardownLogic } from 'rxjs';
import { ConnectError } from '../errors/connect-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { ListError } from './list-error.js';
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
export const ACNET_RETRY = RETRY_STATUS.code;

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
  /**
   * The `ref_id` of each request added, in order (default: fresh ones from the connection). A
   * caller that must name the requests later (a write's `ApplySettings`) allocates them itself.
   */
  readonly refIds?: readonly number[] | undefined;
  /**
   * Emit a `started` event for the `StartList_reply`, and complete only after it arrived (a
   * write must not leave a `StartList_reply` behind on a connection it gives back).
   */
  readonly reportStart?: boolean;
  /**
   * Error with `ConnectionLost('closed')` when the connection's replies end (a write's
   * validation, which has no pool lease to report it). Default: the connection Observable
   * reports its own failure, and the list just stops.
   */
  readonly failOnConnectionEnd?: boolean;
}

/**
 * What a list emits, one object shape for all kinds (monomorphic on the hot path).
 * A streaming list (`gather: false`) reuses one event object for its readings: read it
 * when it arrives, do not keep it. Kinds:
 * `reading` (a reading of request `index`; `final` when the request is finished), `meta`
 * (the request's `DeviceInfo_reply`), or `started` (the `StartList_reply`, with
 * `reportStart` only; `index` -1). The Observable completes when every request is finished
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
    public kind: 'reading' | 'meta' | 'started',
    /** Index of the request (into the request array). */
    public index: number,
    /** The reading (`kind: 'reading'`). */
    public reading: Reading | undefined,
    /** The metadata (`kind: 'meta'`). */
    public meta: DeviceMeta | undefined,
    /** The request is finished: no more readings for it. */
    public final: boolean,
  ) {}
}

/**
 * One subscription of a list: the routing state (ref → position, per-position metadata and
 * finished flags) and the one reply switch of reads and streams. A class, so that a list costs
 * a few allocations, not a closure per handler.
 */
class ListRun extends Subscriber<ReplyMessage> {
  private readonly count: number;
  private readonly metas: (DeviceMeta | undefined)[];
  private readonly done: Uint8Array;
  private accs: (LoggerAccumulator | undefined)[] | undefined;
  private remaining: number;
  private firstRef = 0;
  /** ref → position, built only if the connection's refs are not sequential. */
  private refMap: Map<number, number> | undefined;
  private readonly gather: boolean;
  private readonly only: readonly number[] | undefined;
  /** The reading event a streaming list reuses (no allocation per reading beyond the reading itself). */
  private readonly ev: ListEvent | undefined;
  /** `reportStart`: the `StartList_reply` has not arrived yet (the list cannot complete). */
  private awaitingStart: boolean;

  constructor(
    private readonly conn: Connection,
    private readonly requests: readonly ListRequest[],
    private readonly options: ListOptions,
    private readonly subscriber: Subscriber<ListEvent>,
  ) {
    // a Subscriber of the replies itself: no wrapper between the Subject and the switch
    super();
    this.gather = options.gather;
    this.only = options.only;
    this.count = this.only === undefined ? requests.length : this.only.length;
    this.metas = new Array<DeviceMeta | undefined>(this.count);
    this.done = new Uint8Array(this.count);
    this.remaining = this.count;
    this.ev = this.gather ? undefined : new ListEvent('reading', 0, undefined, undefined, false);
    this.awaitingStart = options.reportStart === true;
  }

  /** One write: prefix, an `AddToList` per request, `StartList`. */
  messages(): OutgoingRequest[] {
    const { conn, options, count, only } = this;
    const prefix = options.prefix;
    const off = prefix === undefined ? 0 : prefix.length;
    const msgs = new Array<OutgoingRequest>(off + count + 1);
    for (let i = 0; i < off; i++) msgs[i] = prefix![i]!;
    const listId = conn.listId;
    const refIds = options.refIds;
    let prev = 0;
    for (let k = 0; k < count; k++) {
      const ref = refIds === undefined ? conn.nextRefId() : refIds[k]!;
      if (k === 0) this.firstRef = ref;
      else if (this.refMap === undefined && ref !== prev + 1) {
        this.refMap = new Map();
        for (let j = 0; j < k; j++) this.refMap.set(this.firstRef + j, j);
      }
      this.refMap?.set(ref, k);
      prev = ref;
      msgs[off + k] = { type: 'AddToList_request', list_id: listId, ref_id: ref, drf_request: this.requests[only === undefined ? k : only[k]!]!.wire };
    }
    msgs[off + count] =
      options.model !== undefined ? { type: 'StartList_request', list_id: listId, model: options.model } : { type: 'StartList_request', list_id: listId };
    return msgs;
  }

  private slot(ref: number): number {
    if (this.refMap !== undefined) return this.refMap.get(ref) ?? -1;
    const k = ref - this.firstRef;
    return k >= 0 && k < this.count ? k : -1;
  }

  private emit(k: number, r: Reading, final: boolean): void {
    if (final) {
      this.done[k] = 1;
      this.remaining--;
    }
    const index = this.only === undefined ? k : this.only[k]!;
    const ev = this.ev;
    if (ev === undefined) this.subscriber.next(new ListEvent('reading', index, r, undefined, final));
    else {
      ev.index = index;
      ev.reading = r;
      ev.final = final;
      this.subscriber.next(ev);
    }
    if (final && this.remaining === 0 && !this.awaitingStart) this.subscriber.complete();
  }

  private fail(word: number, what: string): void {
    this.subscriber.error(new ListError(statusOf(word), what));
  }

  /** The one reply switch of reads and streams. */
  protected override _next(m: ReplyMessage): void {
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
        if (m.type === 'Status_reply' && m.ref_id === 0) {
          // a list-level failure ends the list; a success (the answer to EnableSettings) says nothing about it
          if (m.status !== 0 && statusOf(m.status).isFailure) this.fail(m.status, 'list-level status');
          return;
        }
        const k = this.slot(m.ref_id);
        if (k < 0 || this.done[k] === 1) return;
        const req = this.requests[this.only === undefined ? k : this.only[k]!]!;
        const meta = this.metas[k];
        if (this.gather) {
          if (req.historical) {
            this.accs ??= new Array<LoggerAccumulator | undefined>(this.count);
            const r = (this.accs[k] ??= new LoggerAccumulator(req.drf)).push(m, meta);
            if (r !== undefined) this.emit(k, r, true);
            return;
          }
          const r = readingFromReply(m, req.drf, meta);
          if (r !== undefined) this.emit(k, r, true);
          return;
        }
        if (m.type === 'Status_reply') return this.emit(k, readingFromReply(m, req.drf, meta)!, req.oneShot || req.historical);
        if (m.type === 'TimedScalarArray_reply' && req.historical && m.data.length === 0) {
          // the empty terminator of a logger request
          const st = statusOf(m.status);
          if (st.isFailure) return this.emit(k, errorReading(req.drf, st, meta, m.timestamp, m.cycle), true);
          this.done[k] = 1;
          if (--this.remaining === 0 && !this.awaitingStart) this.subscriber.complete();
          return;
        }
        const final = req.oneShot || (req.historical && m.type === 'TimedScalarArray_reply' && statusOf(m.status).isFailure);
        return this.emit(k, readingFromReply(m, req.drf, meta)!, final);
      }
      case 'AddToList_reply': {
        if (m.status === 0) return;
        const k = this.slot(m.ref_id);
        if (k < 0 || this.done[k] === 1) return;
        return this.emit(k, errorReading(this.requests[this.only === undefined ? k : this.only[k]!]!.drf, statusOf(m.status), this.metas[k]), true);
      }
      case 'DeviceInfo_reply': {
        const k = this.slot(m.ref_id);
        if (k < 0) return;
        const meta = metaFrom(m);
        this.metas[k] = meta;
        this.subscriber.next(new ListEvent('meta', this.only === undefined ? k : this.only[k]!, undefined, meta, false));
        return;
      }
      case 'StartList_reply':
        if (m.status !== 0 && statusOf(m.status).isFailure) return this.fail(m.status, 'StartList refused');
        if (this.awaitingStart) {
          this.awaitingStart = false;
          this.subscriber.next(new ListEvent('started', -1, undefined, undefined, false));
          if (this.remaining === 0) this.subscriber.complete();
        }
        return;
      default:
        return;
    }
  }

  /** Connection failures are the connection Observable's to report (unless `failOnConnectionEnd`). */
  protected override _error(): void {
    this.unsubscribe();
    this.connectionEnded();
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.connectionEnded();
  }

  private connectionEnded(): void {
    if (this.options.failOnConnectionEnd === true) this.subscriber.error(new ConnectionLost('closed', 'the connection closed'));
  }

  /** Subscribe the replies, send the list; the teardown ends it. */
  start(): TeardownLogic {
    const replies = this.conn.replies$.subscribe(this as Subscriber<ReplyMessage>);
    if (this.count === 0) this.subscriber.complete();
    else {
      try {
        this.conn.send(this.messages());
      } catch (e) {
        // unencodable (e.g. a model with a lone surrogate): an error of this list, not an uncaught exception
        this.subscriber.error(e);
      }
    }
    return () => {
      replies.unsubscribe();
      this.end();
    };
  }

  private end(): void {
    const conn = this.conn;
    if (this.options.stopOnEnd === true && !conn.closed) {
      try {
        conn.send([{ type: 'StopList_request', list_id: conn.listId }]);
      } catch {
        // best effort
      }
    }
  }
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
  return new Observable<ListEvent>((subscriber) => new ListRun(conn, requests, options, subscriber).start());
}
