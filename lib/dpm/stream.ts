import {
  EMPTY,
  Observable,
  concat,
  concatWith,
  defer,
  ignoreElements,
  merge,
  mergeMap,
  of,
  repeat,
  retry,
  catchError,
  share,
  switchMap,
  takeWhile,
  throwError,
  type SchedulerLike,
  Subscriber,
} from 'rxjs';
import { parseDrf } from '../drf/parse.js';
import { assertRequestFits } from './request-fits.js';
import { isHistorical } from '../drf/helpers.js';
import type { AcsysError } from '../errors/acsys-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import type { Connection } from '../transport/connection.js';
import type { ConnectionState } from '../transport/connection-state.js';
import { delayTimer, nowMs } from '../transport/timer.js';
import { MIN_RECONNECT_DELAY_MS, type ResolvedStreamOptions } from './call-options.js';
import { ACNET_RETRY, dpmList, isTransient, type ListEvent, type ListRequest } from './list.js';
import type { ReconnectOptions } from './options.js';
import type { DeviceMeta, Reading } from './reading.js';
import { errorReading, statusOf } from './readings.js';

/** A connection that lived this long resets the reconnect backoff (`dpm-behaviour.md` §12). */
const HEALTHY_MS = 30_000;

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
 * What a stream emits besides readings: its connection states and staleness reports
 * (the non-reading {@link StreamEvent}s).
 *
 * @example
 * ```ts
 * const n: StreamNote = { kind: 'stale', drf: 'M:OUTTMP@p,1000', silentMs: 3000 };
 * ```
 */
export type StreamNote = Exclude<StreamEvent, { readonly kind: 'reading' }>;

/**
 * What a stream needs from the client: how to open a connection (its states go to `onState`),
 * a label per stream, where every state goes for `state$` (also after the subscriber left),
 * and the scheduler.
 *
 * @example
 * ```ts
 * const ctx: StreamContext = { open: (label, attempt, onState) => connect({ host, port, label, attempt, onState }), nextLabel: () => 'stream#1' };
 * ```
 */
export interface StreamContext {
  open(label: string, attempt: number, onState: (s: ConnectionState) => void): Observable<Connection>;
  nextLabel(): string;
  /** Receives every state this stream reports (the client's `state$`). */
  state?(s: ConnectionState): void;
  readonly scheduler?: SchedulerLike | undefined;
}

interface Entry extends ListRequest {
  readonly staleMs: number;
  meta: DeviceMeta | undefined;
  done: boolean;
  lastSeen: number;
  stale: boolean;
}

/** A failure that will be retried after `delayMs` (gap readings and `reconnecting` already emitted). */
class RetryAfter {
  constructor(readonly delayMs: number) {}
}

/** Marks the end of the stream's data (every request finished): the lifecycle chain completes at it. */
const END: unique symbol = Symbol('end of stream');
const END$ = of(END);
type Item = Reading | StreamNote;

function periodOf(drf: string): number | undefined {
  const e = parseDrf(drf).event;
  return e.kind === 'periodic' ? e.periodMs : undefined;
}

function entriesOf(drfs: readonly string[], options: ResolvedStreamOptions): Entry[] {
  const staleOpt = options.stale;
  return drfs.map((drf) => {
    assertRequestFits(drf, drf);
    const req = parseDrf(drf);
    const historical = isHistorical(req);
    const period = periodOf(drf);
    const staleMs = staleOpt === false ? 0 : staleOpt === true ? (period !== undefined && period > 0 ? 2 * period + 1000 : 0) : staleOpt.afterMs;
    return {
      drf,
      wire: drf,
      historical,
      oneShot: !historical && req.event.kind === 'immediate',
      staleMs,
      meta: undefined,
      done: false,
      lastSeen: 0,
      stale: false,
    };
  });
}

const finiteOr = (x: number | undefined, d: number): number => (x !== undefined && Number.isFinite(x) ? x : d);

/**
 * Takes a list's events for a stream: notes metadata, finished requests and the time of the last
 * reading (staleness) in the entries, hands each reading to `out`, and ends `end` with the list.
 * A Subscriber subclass, so that no wrapper sits between the list and it on the hot path.
 */
class ReadingsSubscriber extends Subscriber<ListEvent> {
  constructor(
    private readonly entries: readonly Entry[],
    private readonly out: Subscriber<Item>,
    private readonly scheduler: SchedulerLike | undefined,
    private readonly end: Subscriber<never>,
  ) {
    super();
  }

  protected override _next(ev: ListEvent): void {
    const e = this.entries[ev.index]!;
    if (ev.kind === 'meta') {
      e.meta = ev.meta;
      return;
    }
    if (e.staleMs > 0) e.lastSeen = nowMs(this.scheduler);
    if (ev.final) e.done = true;
    this.out.next(ev.reading!);
  }

  protected override _error(err: unknown): void {
    this.unsubscribe();
    this.end.error(err);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.end.complete();
  }
}

/**
 * One stream subscription's state across its connections: which requests are finished,
 * their metadata (for gap readings), the backoff.
 */
class StreamRun {
  private readonly scheduler: SchedulerLike | undefined;
  private readonly label: string;
  private readonly reconnect: ReconnectOptions | undefined;
  private readonly initialDelay: number;
  private readonly factor: number;
  private readonly maxDelay: number;
  private attempt = 0;
  /** Consecutive failed attempts; reset only after HEALTHY_MS on a connection (§12). */
  private failures = 0;
  private openedAt = -Infinity;
  private conn: Connection | undefined;
  private nextStaleCheck = Infinity;

  constructor(
    private readonly ctx: StreamContext,
    private readonly entries: readonly Entry[],
    private readonly options: ResolvedStreamOptions,
    private readonly out: Subscriber<Item>,
    private readonly notes: boolean,
  ) {
    this.scheduler = ctx.scheduler;
    this.label = ctx.nextLabel();
    const rc = options.reconnect;
    this.reconnect = rc;
    // validated by resolveStreamOptions; the floor holds whoever calls this
    this.initialDelay = Math.max(MIN_RECONNECT_DELAY_MS, finiteOr(rc?.initialDelay, 1000));
    this.factor = Math.max(1, finiteOr(rc?.factor, 2));
    this.maxDelay = Math.max(MIN_RECONNECT_DELAY_MS, finiteOr(rc?.maxDelay, 30_000));
    for (const e of entries) if (e.staleMs > 0) this.nextStaleCheck = Math.min(this.nextStaleCheck, e.staleMs);
  }

  /**
   * The stream's lifecycle: connection, list, reconnects, staleness checks; completes when
   * every request is finished. Readings, gap readings and notes go straight to `out` (the hot
   * path is one call per reading, not a chain of operators).
   */
  run(): Observable<never> {
    const data$ = this.attempt$().pipe(
      retry({ delay: (e: unknown) => (e instanceof RetryAfter ? delayTimer(e.delayMs, this.scheduler) : throwError(() => e)) }),
    );
    const all$ = this.nextStaleCheck === Infinity ? data$ : merge(data$, this.stale$());
    return all$.pipe(takeWhile((_end): _end is never => false));
  }

  private report(s: ConnectionState): void {
    this.ctx.state?.(s);
    if (this.notes) this.out.next({ kind: 'state', state: s });
  }

  /**
   * One connection: open it, run the list of the unfinished requests on it; a lost connection
   * is retried (gap readings, `reconnecting`, then `RetryAfter` for `retry`) or final.
   */
  private attempt$(): Observable<typeof END> {
    return defer(() => {
      this.conn = undefined;
      // The connection reports `closed` (with the error) just before it errors; when a retry
      // follows, that `closed` is not final: `reconnecting` (same reason) is reported instead.
      const onState = (s: ConnectionState): void => {
        if (s.kind === 'closed' && s.reason !== undefined && this.willRetry(s.reason)) return;
        this.report(s);
      };
      // shared so that the list holds the connection too: unsubscribing ends the list
      // (its StopList sent) before the socket closes
      const conn$ = this.ctx.open(this.label, ++this.attempt, onState).pipe(share());
      return conn$.pipe(
        concatWith(throwError(() => new ConnectionLost('closed', 'connection completed'))),
        switchMap((conn) => this.onConnection(conn, conn$)),
      );
    }).pipe(catchError((e: unknown) => this.lost(e)));
  }

  /** The list of the unfinished requests on `conn` (holding `conn$` while it runs), then `END`. */
  private onConnection(conn: Connection, conn$: Observable<Connection>): Observable<typeof END> {
    this.conn = conn;
    const now = (this.openedAt = nowMs(this.scheduler));
    const only: number[] = [];
    this.entries.forEach((e, i) => {
      if (e.done) return;
      only.push(i);
      e.lastSeen = now;
      e.stale = false;
    });
    const list$ = dpmList(conn, this.entries, { gather: false, model: this.options.model, stopOnEnd: true, only });
    return merge(concat(this.readings(list$), END$), conn$.pipe(ignoreElements()));
  }

  /** The list's readings, to `out` (metadata and finished requests noted on the way); completes with the list. */
  private readings(list$: Observable<ListEvent>): Observable<never> {
    return new Observable<never>((subscriber) => list$.subscribe(new ReadingsSubscriber(this.entries, this.out, this.scheduler, subscriber)));
  }

  /** Whether losing the connection with `e` now leads to another attempt (asked while `conn` is still set). */
  private willRetry(e: unknown): boolean {
    if (this.reconnect === undefined || !isTransient(e)) return false;
    const healthy = this.conn !== undefined && nowMs(this.scheduler) - this.openedAt >= HEALTHY_MS;
    return (healthy ? 0 : this.failures) < (this.reconnect.maxAttempts ?? Infinity);
  }

  /** After a failure: final (rethrown), or gap readings + `reconnecting`, then `RetryAfter`. */
  private lost(e: unknown): Observable<never> {
    const retry = this.willRetry(e);
    const hadConnection = this.conn !== undefined;
    if (hadConnection && nowMs(this.scheduler) - this.openedAt >= HEALTHY_MS) this.failures = 0;
    this.conn = undefined;
    if (!retry) return throwError(() => e);
    const delayMs = Math.max(MIN_RECONNECT_DELAY_MS, Math.min(this.maxDelay, this.initialDelay * Math.pow(this.factor, this.failures)));
    this.failures++;
    return defer(() => {
      // never a silent gap: every device still expecting data learns of it in-band
      if (hadConnection) {
        const at = nowMs(this.scheduler);
        const st = statusOf(ACNET_RETRY);
        for (const en of this.entries) {
          if (!en.done) this.out.next(errorReading(en.drf, st, en.meta, at, 0));
          // the receiver may have unsubscribed: no `reconnecting`, no timer then
          if (this.out.closed) return EMPTY;
        }
      }
      this.report({ kind: 'reconnecting', connection: this.label, attempt: this.attempt + 1, delayMs, reason: e as AcsysError });
      return this.out.closed ? EMPTY : throwError(() => new RetryAfter(delayMs));
    });
  }

  /** Staleness checks, each at the next moment a device can become stale. */
  private stale$(): Observable<never> {
    return defer(() => delayTimer(this.nextStaleCheck, this.scheduler, { unref: true })).pipe(
      mergeMap(() => {
        this.checkStale();
        return EMPTY;
      }),
      repeat({ delay: () => (this.nextStaleCheck === Infinity ? EMPTY : of(0)) }),
      ignoreElements(),
    );
  }

  private checkStale(): void {
    const now = nowMs(this.scheduler);
    let next = Infinity;
    for (const e of this.entries) {
      if (e.staleMs <= 0 || e.done) continue;
      const silent = now - e.lastSeen;
      if (this.conn !== undefined && silent >= e.staleMs) {
        if (!e.stale) {
          e.stale = true;
          this.out.next({ kind: 'stale', drf: e.drf, silentMs: silent });
        }
        next = Math.min(next, e.staleMs);
      } else {
        if (silent < e.staleMs) e.stale = false;
        next = Math.min(next, Math.max(1, e.staleMs - silent));
      }
    }
    this.nextStaleCheck = next;
  }
}

/**
 * A stream: its own connection per subscription, `AddToList` per DRF plus `StartList` in one
 * write ({@link dpmList}), readings as they come, and (as {@link StreamNote}s) its connection
 * states and staleness reports. Unsubscribing sends `StopList` and closes. Completes when every
 * request is finished (one-shot answered, logger terminator received); periodic requests never
 * finish. With `reconnect`, a lost connection is retried (`retry` with exponential backoff, at
 * least {@link MIN_RECONNECT_DELAY_MS}): `ACNET_RETRY` gap readings for every unfinished request,
 * `reconnecting`, then the list replayed on a new connection. The DRFs are validated first
 * (`DrfError`, nothing sent).
 *
 * @example
 * ```ts
 * runStream(ctx, ['M:OUTTMP@p,1000'], resolveStreamOptions({ reconnect: true }, 'stream'))
 *   .subscribe((item) => { if (!('kind' in item)) console.log(item.value); });
 * ```
 */
export function runStream(ctx: StreamContext, drfs: readonly string[], options: ResolvedStreamOptions): Observable<Reading | StreamNote>;
/**
 * {@link runStream} without its notes: readings only (states still reach `ctx.state`).
 *
 * @example
 * ```ts
 * runStream(ctx, ['M:OUTTMP@p,1000'], resolveStreamOptions(undefined, 'stream'), false).subscribe((r) => console.log(r.value));
 * ```
 */
export function runStream(ctx: StreamContext, drfs: readonly string[], options: ResolvedStreamOptions, notes: false): Observable<Reading>;
export function runStream(ctx: StreamContext, drfs: readonly string[], options: ResolvedStreamOptions, notes = true): Observable<Reading | StreamNote> {
  return new Observable<Item>((subscriber) => {
    const entries = entriesOf(drfs, options);
    if (entries.length === 0) {
      subscriber.complete();
      return;
    }
    return new StreamRun(ctx, entries, options, subscriber, notes).run().subscribe({
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
  });
}
