/**
 * One browser connection of the gateway: its messages in, its subscriptions (each one DPM list
 * through the client's `streamEvents`), and its readings out through an {@link Outbox}.
 *
 * @module
 */
import {
  EMPTY,
  Observable,
  Subject,
  catchError,
  concatWith,
  defer,
  filter,
  finalize,
  ignoreElements,
  interval,
  map,
  merge,
  mergeMap,
  share,
  switchMap,
  take,
  takeUntil,
  tap,
  timer,
} from 'rxjs';
import type { WebSocket } from 'ws';
import type { DpmClient } from '../dpm/client.js';
import type { ReconnectOptions } from '../dpm/options.js';
import type { DeviceMeta } from '../dpm/reading.js';
import type { StreamEvent } from '../dpm/stream.js';
import { parseDrf } from '../drf/parse.js';
import type { ConnectionState } from '../transport/connection-state.js';
import { CLOSE, WIRE_VERSION, encodeControl, encodeReading, wireError, type ClientMessage, type WireError, type WireState } from '../browser/wire.js';
import { parseClientMessage } from './messages.js';
import type { GatewayLimits } from './options.js';
import { Outbox } from './outbox.js';
import type { SessionStats } from './stats.js';

/**
 * The gateway-wide count of DPM lists (`maxLists`).
 *
 * @example
 * ```ts
 * if (!lists.acquire()) refuse(); else try { … } finally { lists.release(); }
 * ```
 */
export interface ListLedger {
  acquire(): boolean;
  release(): void;
}

/**
 * What a session needs from its gateway.
 *
 * @example
 * ```ts
 * new GatewaySession(ws, { client, limits, reconnect: {}, heartbeatMs: 5000, pingMs: 20000, lists, label: '#1' });
 * ```
 */
export interface SessionDeps {
  readonly client: DpmClient;
  readonly limits: GatewayLimits;
  readonly reconnect: ReconnectOptions;
  readonly heartbeatMs: number;
  readonly pingMs: number;
  readonly lists: ListLedger;
  /** Names the connection in log lines, e.g. `#3 127.0.0.1:50412`. */
  readonly label: string;
  readonly log?: ((line: string) => void) | undefined;
}

/** Most characters in one frame sent to a browser (a single larger item is sent alone). */
const MAX_FRAME_CHARS = 256 * 1024;
/** After a close we initiated, how long the peer has to answer it before the socket is cut. */
const CLOSE_GRACE_MS = 2000;
/** The WebSocket `OPEN` ready state. */
const OPEN = 1;

type Subscribe = Extract<ClientMessage, { op: 'subscribe' }>;
type Unsubscribe = Extract<ClientMessage, { op: 'unsubscribe' }>;

function truncateReason(reason: string): string {
  // a close reason has at most 123 bytes
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -2) + '…';
  return r;
}

/**
 * An event of a `ws` WebSocket as an Observable of its arguments (`fromEvent` would take the
 * socket for a DOM EventTarget and deliver wrapped events instead).
 */
function wsEvent(ws: WebSocket, name: 'message' | 'close' | 'pong'): Observable<unknown[]> {
  return new Observable<unknown[]>((subscriber) => {
    const handler = (...args: unknown[]): void => subscriber.next(args);
    ws.on(name, handler);
    return () => {
      ws.off(name, handler);
    };
  });
}

function wireState(s: ConnectionState): WireState {
  switch (s.kind) {
    case 'connecting':
      return { kind: 'connecting', attempt: s.attempt };
    case 'open':
      return { kind: 'open', listId: s.listId };
    case 'stale':
      return { kind: 'stale', silentMs: s.silentMs };
    case 'reconnecting':
      return { kind: 'reconnecting', attempt: s.attempt, delayMs: s.delayMs, reason: wireError(s.reason) };
    case 'closed':
      return s.reason === undefined ? { kind: 'closed' } : { kind: 'closed', reason: wireError(s.reason) };
  }
}

/**
 * One browser connection (see the module comment). `run$` serves it until the WebSocket closes;
 * unsubscribing ends every subscription and closes the WebSocket (`1001`).
 *
 * @example
 * ```ts
 * const session = new GatewaySession(ws, deps);
 * const sub = session.run$.subscribe({ complete: () => sessions.delete(session) });
 * ```
 */
export class GatewaySession {
  readonly run$: Observable<never>;
  private readonly outbox: Outbox;
  /** Open subscriptions: id → number of DRFs. */
  private readonly active = new Map<number, number>();
  private drfCount = 0;
  private readings = 0;
  private tokens: number;
  private tokensAt = Date.now();
  private readonly ending = new Subject<void>();
  private ended = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
  ) {
    const lim = deps.limits;
    this.tokens = lim.subscribeBurst;
    this.outbox = new Outbox(ws, {
      highWaterBytes: lim.highWaterBytes,
      maxFrameBytes: MAX_FRAME_CHARS,
      maxHeldControl: 2 * lim.maxSubscriptions + 64,
      stallMs: lim.stallMs,
      onGiveUp: (why) =>
        this.end(CLOSE.TRY_AGAIN, why === 'stall' ? `not reading: backed up for ${lim.stallMs} ms` : 'not reading: too many messages held'),
    });
    this.run$ = this.serve();
  }

  stats(): SessionStats {
    return { label: this.deps.label, subscriptions: this.active.size, drfs: this.drfCount, readings: this.readings, outbox: this.outbox.stats() };
  }

  /** Close the connection with `code`: stop every subscription now, cut the socket if the peer does not answer. */
  end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.deps.log?.(`${this.deps.label} closing ${code}: ${reason}`);
    this.outbox.close();
    if (this.ws.readyState === OPEN) this.ws.close(code, truncateReason(reason));
    this.ending.next();
  }

  private serve(): Observable<never> {
    const ws = this.ws;
    const { heartbeatMs, pingMs, limits } = this.deps;
    return new Observable<never>((subscriber) => {
      const closed$ = wsEvent(ws, 'close').pipe(take(1));
      const requests$ = wsEvent(ws, 'message').pipe(
        map((args) => {
          const [data, isBinary] = args as [Buffer | ArrayBuffer | Buffer[], boolean];
          return parseClientMessage(data, isBinary);
        }),
        filter((p) => {
          if (p.kind === 'request') return true;
          this.end(p.code, p.reason);
          return false;
        }),
        map((p) => (p as Extract<typeof p, { kind: 'request' }>).message),
        share(),
      );
      const unsubscribes$ = requests$.pipe(filter((m): m is Unsubscribe => m.op === 'unsubscribe'));
      let alive = true;
      const work$ = merge(
        requests$.pipe(
          filter((m): m is Subscribe => m.op === 'subscribe'),
          mergeMap((m) => this.subscription(m, unsubscribes$)),
        ),
        interval(heartbeatMs).pipe(tap(() => this.outbox.heartbeat(encodeControl({ t: 'hb', dropped: this.outbox.droppedCount })))),
        wsEvent(ws, 'pong').pipe(tap(() => (alive = true))),
        interval(pingMs).pipe(
          tap(() => {
            if (!alive) {
              this.deps.log?.(`${this.deps.label} no pong within ${pingMs} ms: dropped`);
              ws.terminate();
              return;
            }
            alive = false;
            ws.ping();
          }),
        ),
      ).pipe(ignoreElements(), takeUntil(this.ending));
      // after a close we started: give the peer a moment to answer, then cut the socket
      const grace$ = this.ending.pipe(
        take(1),
        switchMap(() => timer(CLOSE_GRACE_MS)),
        tap(() => ws.terminate()),
        ignoreElements(),
      );
      this.outbox.control(
        encodeControl({
          t: 'hello',
          v: WIRE_VERSION,
          heartbeatMs,
          limits: { maxSubscriptions: limits.maxSubscriptions, maxDrfs: limits.maxDrfs, maxDrfLength: limits.maxDrfLength, maxMessageBytes: limits.maxMessageBytes },
        }),
      );
      const sub = merge(work$, grace$)
        .pipe(takeUntil(closed$))
        .subscribe({ error: (e: unknown) => subscriber.error(e), complete: () => subscriber.complete() });
      return () => {
        sub.unsubscribe();
        this.outbox.close();
        if (!this.ended && ws.readyState === OPEN) ws.close(CLOSE.GOING_AWAY, 'gateway shutting down');
        this.ended = true;
      };
    });
  }

  /** Why subscription `m` cannot start (sent to the browser), or `undefined`; also takes a rate token. */
  private admit(m: Subscribe): WireError | 'violation' | undefined {
    const lim = this.deps.limits;
    const now = Date.now();
    this.tokens = Math.min(lim.subscribeBurst, this.tokens + ((now - this.tokensAt) / 1000) * lim.subscribeRate);
    this.tokensAt = now;
    if (this.tokens < 1) {
      this.end(CLOSE.POLICY, `too many subscribe requests (burst ${lim.subscribeBurst}, then ${lim.subscribeRate}/s)`);
      return 'violation';
    }
    this.tokens -= 1;
    if (this.active.has(m.id)) {
      this.end(CLOSE.POLICY, `subscription id ${m.id} is already in use`);
      return 'violation';
    }
    if (m.drfs.length === 0) return { code: 'BAD_REQUEST', message: 'a subscription needs at least one DRF' };
    if (this.active.size >= lim.maxSubscriptions) return { code: 'LIMIT', message: `too many subscriptions on this connection (limit ${lim.maxSubscriptions})` };
    if (this.drfCount + m.drfs.length > lim.maxDrfs) {
      return { code: 'LIMIT', message: `too many devices on this connection: ${this.drfCount} + ${m.drfs.length} (limit ${lim.maxDrfs})` };
    }
    for (let i = 0; i < m.drfs.length; i++) {
      const drf = m.drfs[i]!;
      if (drf.length > lim.maxDrfLength) return { code: 'LIMIT', message: `DRF #${i + 1} is ${drf.length} characters long (limit ${lim.maxDrfLength})` };
      try {
        parseDrf(drf);
      } catch (e) {
        return wireError(e);
      }
    }
    if (!this.deps.lists.acquire()) return { code: 'LIMIT', message: 'the gateway serves as many DPM lists as it may; try again later' };
    return undefined;
  }

  private subscription(m: Subscribe, unsubscribes$: Observable<Unsubscribe>): Observable<never> {
    return defer(() => {
      const refusal = this.admit(m);
      if (refusal === 'violation') return EMPTY;
      const id = m.id;
      if (refusal !== undefined) {
        this.outbox.control(encodeControl({ t: 'error', id, e: refusal }));
        return EMPTY;
      }
      this.active.set(id, m.drfs.length);
      this.drfCount += m.drfs.length;
      const index = new Map<string, number>();
      m.drfs.forEach((d, i) => {
        if (!index.has(d)) index.set(d, i);
      });
      const metas: (DeviceMeta | undefined)[] = [];
      return this.deps.client.streamEvents(m.drfs, { reconnect: this.deps.reconnect }).pipe(
        tap((ev) => this.forward(id, index, metas, ev)),
        ignoreElements(),
        concatWith(
          defer(() => {
            this.outbox.control(encodeControl({ t: 'end', id }));
            return EMPTY;
          }),
        ),
        catchError((e: unknown) => {
          this.outbox.control(encodeControl({ t: 'error', id, e: wireError(e) }));
          return EMPTY;
        }),
        takeUntil(unsubscribes$.pipe(filter((u) => u.id === id))),
        finalize(() => {
          this.active.delete(id);
          this.drfCount -= m.drfs.length;
          this.deps.lists.release();
        }),
      );
    });
  }

  private forward(id: number, index: ReadonlyMap<string, number>, metas: (DeviceMeta | undefined)[], ev: StreamEvent): void {
    if (ev.kind === 'reading') {
      const r = ev.reading;
      const k = index.get(r.drf) ?? 0;
      if (r.meta !== undefined && metas[k] !== r.meta) {
        metas[k] = r.meta;
        this.outbox.meta(id, k, encodeControl({ t: 'meta', id, k, m: r.meta }));
      }
      this.readings++;
      this.outbox.reading(id, k, encodeReading(id, k, r));
    } else if (ev.kind === 'state') {
      this.outbox.state(id, encodeControl({ t: 'state', id, s: wireState(ev.state) }));
    }
  }
}
