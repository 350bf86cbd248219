import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { parseDrf } from '../drf/parse.js';
import { isHistorical } from '../drf/helpers.js';
import type { AcsysError } from '../errors/acsys-error.js';
import { ConnectError } from '../errors/connect-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { ListError } from './list-error.js';
import type { ReplyMessage } from '../protocol/index.js';
import type { Connection, OutgoingRequest } from '../transport/connection.js';
import type { ConnectionState } from '../transport/connection-state.js';
import { nowMs, scheduleOnce } from '../transport/timer.js';
import type { ReconnectOptions } from './options.js';
import type { DeviceMeta, Reading } from './reading.js';
import { errorReading, metaFrom, readingFromReply, statusOf } from './readings.js';

/** A connection that lived this long resets the reconnect backoff (`dpm-behaviour.md` §12). */
const HEALTHY_MS = 30_000;

/** `ACNET_RETRY` (1 −1): status of the gap readings emitted when a reconnecting stream loses its connection. */
const RETRY = -255;

/**
 * Options of `client.stream(...)` (and of `client.streamEvents(...)`, which adds
 * {@link StreamEventsOptions.stale}).
 *
 * @example
 * ```ts
 * client.stream(['M:OUTTMP@p,1000'], { reconnect: true });
 * ```
 */
export interface StreamOptions {
  /**
   * Reconnect after the connection is lost, with exponential backoff, replaying
   * the list (every `AddToList`, then `StartList`); the backoff resets after 30 s
   * on a healthy connection. The gap is never silent: each
   * device still expecting data gets an error reading with status `ACNET_RETRY`
   * when the connection drops, and the client's `state$` goes
   * `reconnecting` → `connecting` → `open`. Default: off (the stream errors with `ConnectionLost`).
   */
  readonly reconnect?: boolean | ReconnectOptions;
  /** `StartList` model (default data source), e.g. `"LOGGER:…"`; default live data. */
  readonly model?: string;
}

/**
 * Options of `client.streamEvents(...)`: those of {@link StreamOptions}, plus
 * `stale`. Only `streamEvents` can report staleness (`client.stream()` emits
 * readings only, and rejects `stale` with `ConfigError`).
 *
 * @example
 * ```ts
 * client.streamEvents(['M:OUTTMP@p,1000'], { reconnect: true, stale: true });
 * ```
 */
export interface StreamEventsOptions extends StreamOptions {
  /**
   * Report devices whose data stops (as `{ kind: 'stale' }` events): `true` derives the
   * limit from each device's period (2 × period + 1 s for `@p`/`@q` events) —
   * devices without a period are covered by the connection's own `stale` state
   * (derived from DPM's heartbeat); `{ afterMs }` sets one limit for all.
   */
  readonly stale?: boolean | { readonly afterMs: number };
}

/**
 * What `client.streamEvents(...)` emits: readings, this stream's connection
 * states, and staleness reports.
 *
 * @example
 * ```ts
 * client.streamEvents('M:OUTTMP@p,1000', { reconnect: true }).subscribe((e) => {
 *   if (e.kind === 'reading') console.log(e.reading.value);
 *   else if (e.kind === 'state') console.log(e.state.kind);
 *   else console.warn(`${e.drf} stale for ${e.silentMs} ms`);
 * });
 * ```
 */
export type StreamEvent =
  | { readonly kind: 'reading'; readonly reading: Reading }
  | { readonly kind: 'state'; readonly state: ConnectionState }
  | { readonly kind: 'stale'; readonly drf: string; readonly silentMs: number };

/**
 * Receivers of a stream's output (the hot path calls `reading` directly; no
 * per-reading wrapper objects or Subject chains).
 *
 * @example
 * ```ts
 * const sink: StreamSink = { reading: (r) => out.next(r), state: () => {}, stale: () => {} };
 * ```
 */
export interface StreamSink {
  reading(r: Reading): void;
  state(s: ConnectionState): void;
  stale(drf: string, silentMs: number): void;
}

/**
 * What a stream needs from the client.
 *
 * @example
 * ```ts
 * const ctx: StreamContext = { open: (label, attempt, onState) => connect({ host, port, label, attempt, onState }), nextLabel: () => 'stream#1' };
 * ```
 */
export interface StreamContext {
  open(label: string, attempt: number, onState: (s: ConnectionState) => void): Observable<Connection>;
  nextLabel(): string;
  readonly scheduler?: SchedulerLike | undefined;
}

interface Entry {
  readonly drf: string;
  readonly historical: boolean;
  readonly oneShot: boolean;
  readonly staleMs: number;
  meta: DeviceMeta | undefined;
  done: boolean;
  lastSeen: number;
  stale: boolean;
}

function periodOf(drf: string): number | undefined {
  const e = parseDrf(drf).event;
  return e.kind === 'periodic' ? e.periodMs : undefined;
}

function isRecoverable(e: unknown): boolean {
  return e instanceof ConnectionLost || e instanceof ConnectError || e instanceof HandshakeError;
}

/**
 * Run one stream subscription: its own connection, `AddToList` per DRF plus
 * `StartList` in one write, readings to `sink`; on teardown `StopList` (best
 * effort) and close. Completes when every request is finished (one-shot
 * answered, logger terminator received); periodic requests never finish.
 * The DRFs are validated first (`DrfError`, nothing sent).
 *
 * @example
 * ```ts
 * new Observable<Reading>((s) => runStream(ctx, ['M:OUTTMP@p,1000'], {}, { reading: (r) => s.next(r), state() {}, stale() {} }, s));
 * ```
 */
export function runStream(
  ctx: StreamContext,
  drfs: readonly string[],
  options: StreamEventsOptions,
  sink: StreamSink,
  done: { error(e: unknown): void; complete(): void },
): () => void {
  let entries: Entry[];
  try {
    entries = drfs.map((drf) => {
      const req = parseDrf(drf);
      const historical = isHistorical(req);
      const period = periodOf(drf);
      const staleOpt = options.stale;
      const staleMs =
        staleOpt === undefined || staleOpt === false
          ? 0
          : staleOpt === true
            ? period !== undefined && period > 0
              ? 2 * period + 1000
              : 0
            : staleOpt.afterMs;
      return {
        drf,
        historical,
        oneShot: !historical && req.event.kind === 'immediate',
        staleMs,
        meta: undefined,
        done: false,
        lastSeen: 0,
        stale: false,
      };
    });
  } catch (e) {
    done.error(e);
    return () => undefined;
  }
  if (entries.length === 0) {
    done.complete();
    return () => undefined;
  }

  const scheduler = ctx.scheduler;
  const label = ctx.nextLabel();
  const rc = options.reconnect;
  const reconnect: ReconnectOptions | undefined = rc === true ? {} : rc === false || rc === undefined ? undefined : rc;
  const initialDelay = reconnect?.initialDelay ?? 1000;
  const factor = reconnect?.factor ?? 2;
  const maxDelay = reconnect?.maxDelay ?? 30_000;
  const maxAttempts = reconnect?.maxAttempts ?? Infinity;

  let attempt = 0;
  /** Consecutive failed attempts; reset only after HEALTHY_MS on a connection (§12). */
  let failures = 0;
  let openedAt = -Infinity;
  let finished = false;
  let conn: Connection | undefined;
  let connSub: Subscription | undefined;
  let repliesSub: Subscription | undefined;
  let cancelBackoff: (() => void) | undefined;
  let cancelStale: (() => void) | undefined;
  let refs: Entry[] = [];
  let firstRef = 0;
  let remaining = entries.length;

  const entryOf = (ref: number): Entry | undefined => refs[ref - firstRef];

  const markDone = (e: Entry): void => {
    if (e.done) return;
    e.done = true;
    if (--remaining === 0) {
      stop();
      finished = true;
      done.complete();
    }
  };

  const fail = (err: unknown): void => {
    if (finished) return;
    stop();
    finished = true;
    done.error(err);
  };

  const onReply = (m: ReplyMessage): void => {
    switch (m.type) {
      case 'Scalar_reply':
      case 'ScalarArray_reply':
      case 'Raw_reply':
      case 'Text_reply':
      case 'TextArray_reply':
      case 'BasicStatus_reply':
      case 'AnalogAlarm_reply':
      case 'DigitalAlarm_reply': {
        const e = entryOf(m.ref_id);
        if (e === undefined || e.done) return;
        if (e.staleMs > 0) e.lastSeen = nowMs(scheduler);
        sink.reading(readingFromReply(m, e.drf, e.meta)!);
        if (e.oneShot) markDone(e);
        return;
      }
      case 'TimedScalarArray_reply': {
        const e = entryOf(m.ref_id);
        if (e === undefined || e.done) return;
        if (m.data.length > 0 || !e.historical) {
          sink.reading(readingFromReply(m, e.drf, e.meta)!);
          if (e.oneShot) markDone(e);
          if (statusOf(m.status).isFailure && e.historical) markDone(e);
          return;
        }
        // the empty terminator of a logger request
        if (statusOf(m.status).isFailure) sink.reading(errorReading(e.drf, statusOf(m.status), e.meta, m.timestamp, m.cycle));
        markDone(e);
        return;
      }
      case 'Status_reply': {
        if (m.ref_id === 0) {
          fail(new ListError(statusOf(m.status), 'list-level status on a stream'));
          return;
        }
        const e = entryOf(m.ref_id);
        if (e === undefined || e.done) return;
        sink.reading(errorReading(e.drf, statusOf(m.status), e.meta, m.timestamp, m.cycle));
        if (e.oneShot || e.historical) markDone(e);
        return;
      }
      case 'AddToList_reply': {
        if (m.status === 0) return;
        const e = entryOf(m.ref_id);
        if (e === undefined || e.done) return;
        sink.reading(errorReading(e.drf, statusOf(m.status), e.meta));
        markDone(e);
        return;
      }
      case 'DeviceInfo_reply': {
        const e = entryOf(m.ref_id);
        if (e !== undefined) e.meta = metaFrom(m);
        return;
      }
      case 'StartList_reply':
        if (m.status !== 0 && statusOf(m.status).isFailure) fail(new ListError(statusOf(m.status), 'StartList refused'));
        return;
      default:
        return;
    }
  };

  const start = (c: Connection): void => {
    conn = c;
    openedAt = nowMs(scheduler);
    const msgs: OutgoingRequest[] = [];
    refs = [];
    firstRef = 0;
    for (const e of entries) {
      if (e.done) continue;
      const ref = c.nextRefId();
      if (firstRef === 0) firstRef = ref;
      // nextRefId is sequential on a connection; keep the array dense
      refs[ref - firstRef] = e;
      e.lastSeen = nowMs(scheduler);
      e.stale = false;
      msgs.push({ type: 'AddToList_request', list_id: c.listId, ref_id: ref, drf_request: e.drf });
    }
    const startMsg: OutgoingRequest =
      options.model !== undefined
        ? { type: 'StartList_request', list_id: c.listId, model: options.model }
        : { type: 'StartList_request', list_id: c.listId };
    msgs.push(startMsg);
    repliesSub = c.replies$.subscribe({ next: onReply, error: () => undefined });
    try {
      c.send(msgs);
    } catch (e) {
      // an unencodable request (e.g. a `model` with a lone surrogate): this runs in
      // a subscriber callback, where a throw would become an uncaught exception
      fail(e);
    }
  };

  /**
   * Whether losing the connection with `e` now leads to another attempt (the
   * decision `lost` makes; asked before `lost` runs, while `conn` is still set).
   */
  const willRetry = (e: unknown): boolean => {
    if (finished || reconnect === undefined || !isRecoverable(e)) return false;
    const healthy = conn !== undefined && nowMs(scheduler) - openedAt >= HEALTHY_MS;
    return (healthy ? 0 : failures) < maxAttempts;
  };

  // The connection reports `closed` (with the error) just before it errors; when
  // a retry follows, that `closed` is not final: `lost` reports `reconnecting`
  // (with the same reason) instead, so `closed` only ever means "gone for good".
  const onState = (s: ConnectionState): void => {
    if (s.kind === 'closed' && s.reason !== undefined && willRetry(s.reason)) return;
    sink.state(s);
  };

  const open = (): void => {
    attempt++;
    const sub = ctx.open(label, attempt, onState).subscribe({
      next: (c) => {
        if (!finished) start(c);
      },
      error: (e: unknown) => lost(e),
      complete: () => lost(new ConnectionLost('closed', 'connection completed')),
    });
    // A state callback (`connecting`) runs inside that subscribe: a receiver that
    // unsubscribed there has already run `stop()`, which could not reach this
    // subscription yet. Close it here, or the socket would outlive the stream.
    if (finished) sub.unsubscribe();
    else if (!sub.closed) connSub = sub;
  };

  const dropConnection = (): void => {
    repliesSub?.unsubscribe();
    repliesSub = undefined;
    conn = undefined;
    const cs = connSub;
    connSub = undefined;
    cs?.unsubscribe();
  };

  const lost = (e: unknown): void => {
    if (finished) return;
    const hadConnection = conn !== undefined;
    const retry = willRetry(e);
    if (hadConnection && nowMs(scheduler) - openedAt >= HEALTHY_MS) failures = 0;
    dropConnection();
    if (!retry) {
      fail(e);
      return;
    }
    if (hadConnection) {
      // never a silent gap: every device still expecting data learns of it in-band
      const st = statusOf(RETRY);
      const at = nowMs(scheduler);
      for (const en of entries) {
        if (finished) return;
        if (!en.done) sink.reading(errorReading(en.drf, st, en.meta, at, 0));
      }
      if (finished) return;
    }
    const delayMs = Math.min(maxDelay, initialDelay * Math.pow(factor, failures));
    failures++;
    sink.state({ kind: 'reconnecting', connection: label, attempt: attempt + 1, delayMs, reason: e as AcsysError });
    // the receiver of that state may have unsubscribed: arm no timer then
    if (finished) return;
    cancelBackoff = scheduleOnce(
      () => {
        cancelBackoff = undefined;
        if (!finished) open();
      },
      delayMs,
      scheduler,
    );
  };

  const checkStale = (): void => {
    cancelStale = undefined;
    if (finished) return;
    const now = nowMs(scheduler);
    let next = Infinity;
    for (const e of entries) {
      if (e.staleMs <= 0 || e.done) continue;
      const silent = now - e.lastSeen;
      if (conn !== undefined && silent >= e.staleMs) {
        if (!e.stale) {
          e.stale = true;
          sink.stale(e.drf, silent);
        }
        next = Math.min(next, e.staleMs);
      } else {
        if (silent < e.staleMs) e.stale = false;
        next = Math.min(next, Math.max(1, e.staleMs - silent));
      }
    }
    if (next !== Infinity) cancelStale = scheduleOnce(checkStale, next, scheduler, { unref: true });
  };

  const stop = (): void => {
    cancelBackoff?.();
    cancelBackoff = undefined;
    cancelStale?.();
    cancelStale = undefined;
    const c = conn;
    if (c !== undefined && !c.closed) {
      try {
        c.send([{ type: 'StopList_request', list_id: c.listId }]);
      } catch {
        // best effort
      }
    }
    dropConnection();
  };

  if (entries.some((e) => e.staleMs > 0)) {
    const minStale = Math.min(...entries.filter((e) => e.staleMs > 0).map((e) => e.staleMs));
    cancelStale = scheduleOnce(checkStale, minStale, scheduler, { unref: true });
  }

  open();

  return () => {
    if (finished) return;
    finished = true;
    stop();
  };
}
