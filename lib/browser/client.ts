import {
  Observable,
  ReplaySubject,
  Subject,
  catchError,
  concat,
  defer,
  filter,
  from,
  map,
  of,
  repeat,
  share,
  switchMap,
  takeWhile,
  tap,
  throwError,
  timer,
} from 'rxjs';
import { ACNET_RETRY } from '../status/constants.js';
import type { DeviceMeta, Reading } from '../dpm/reading.js';
import { parseDrf } from '../drf/parse.js';
import { isHistorical } from '../drf/helpers.js';
import type { AcsysError } from '../errors/acsys-error.js';
import { ClientClosedError } from '../errors/client-closed-error.js';
import { ConfigError } from '../errors/config-error.js';
import type { BrowserStreamEventsOptions, GatewayState, GatewayStreamEvent } from './events.js';
import { GatewayError } from './gateway-error.js';
import { openLink, type Link, type SubscriptionControl } from './link.js';
import { resolveGatewayOptions, type GatewayOptions, type ResolvedGatewayOptions } from './options.js';
import { errorFromWire } from './remote-error.js';
import { reportStale, staleLimits } from './staleness.js';
import { decodeReading, type WireState } from './wire.js';

/** `ACNET_RETRY` (1 −1): the status of gap readings, as in the Node client. */
const RETRY = ACNET_RETRY;

/** A connection that lived this long resets the reconnect backoff. */
const HEALTHY_MS = 10_000;

/**
 * The browser client of an acsys-rx gateway: the Node client's `stream` and `streamEvents`,
 * multiplexed over one WebSocket (opened by the first stream, closed after the last),
 * reconnecting with backoff, with `state$`. Every method returns a cold Observable.
 *
 * @example
 * ```ts
 * const gw = gateway({ url: 'ws://127.0.0.1:8080/ws' });
 * const sub = gw.stream('M:OUTTMP@p,1000').subscribe((r) => console.log(r.value, r.meta?.units));
 * sub.unsubscribe(); // ends the DPM list at the gateway
 * ```
 */
export interface GatewayClient {
  /** The WebSocket URL. */
  readonly url: string;
  /**
   * Readings of one or more DRFs: one subscription at the gateway, hence one DPM list. The DRFs
   * are checked here first (`DrfError`, nothing sent). Device failures are error readings; a
   * lost WebSocket or DPM connection gives each device an `ACNET_RETRY` error reading and the
   * stream resumes after the reconnect (one-shot requests already answered are not asked again).
   * Completes when every request is answered (one-shot, logger data); errors with a
   * `GatewayError` the gateway reported (limits), a `ListError`, or a link error that reconnecting
   * cannot fix.
   */
  stream(drfs: string | readonly string[]): Observable<Reading>;
  /** Like {@link stream}, plus this stream's states and, with `stale`, staleness reports. */
  streamEvents(drfs: string | readonly string[], options?: BrowserStreamEventsOptions): Observable<GatewayStreamEvent>;
  /**
   * Connection states: on subscribe the current state of the WebSocket (`gateway`) and of every
   * running stream (`stream#N`), then every change.
   */
  readonly state$: Observable<GatewayState>;
  /** Readings the gateway dropped on the current connection because this client read too slowly. */
  readonly dropped: number;
  /** Ends every stream with `ClientClosedError` and closes the WebSocket. */
  close(): void;
  /** True after {@link close}. */
  readonly closed: boolean;
}

type LinkEvent =
  | { readonly kind: 'open'; readonly link: Link }
  | { readonly kind: 'lost'; readonly reason: GatewayError; readonly attempt: number; readonly delayMs: number };

interface Entry {
  readonly drf: string;
  readonly oneShot: boolean;
  meta: DeviceMeta | undefined;
  done: boolean;
}

/** What a stream's link subscription emits: stream events, and `end` when the gateway says so. */
type Item = GatewayStreamEvent | { readonly kind: 'end' };

function metaOf(m: DeviceMeta): DeviceMeta {
  return { di: m.di, name: m.name, description: m.description, units: m.units ?? undefined, formatHint: m.formatHint ?? undefined };
}

function stateFromWire(s: WireState, connection: string): GatewayState {
  switch (s.kind) {
    case 'connecting':
      return { kind: 'connecting', connection, attempt: s.attempt };
    case 'open':
      return { kind: 'open', connection, listId: s.listId };
    case 'stale':
      return { kind: 'stale', connection, silentMs: s.silentMs };
    case 'reconnecting':
      return { kind: 'reconnecting', connection, attempt: s.attempt, delayMs: s.delayMs, reason: errorFromWire(s.reason) };
    case 'closed':
      return { kind: 'closed', connection, reason: s.reason === undefined ? undefined : errorFromWire(s.reason) };
  }
}

/** The stream's part of one link: subscribe the unfinished DRFs, turn what comes into items. */
function over(link: Link, entries: readonly Entry[], connection: string): Observable<Item> {
  return new Observable<Item>((subscriber) => {
    const pending = entries.filter((e) => !e.done);
    if (pending.length === 0) {
      subscriber.next({ kind: 'end' });
      return undefined;
    }
    const onControl = (c: SubscriptionControl): void => {
      switch (c.t) {
        case 'meta': {
          const e = pending[c.k];
          if (e !== undefined) e.meta = metaOf(c.m);
          return;
        }
        case 'state':
          subscriber.next({ kind: 'state', state: stateFromWire(c.s, connection) });
          return;
        case 'end':
          subscriber.next({ kind: 'end' });
          return;
        case 'error':
          subscriber.error(errorFromWire(c.e));
          return;
      }
    };
    return link.subscribe(
      pending.map((e) => e.drf),
      {
        reading: (t) => {
          const e = pending[t[1] as number];
          if (e === undefined) return;
          let r: Reading;
          try {
            r = decodeReading(t, e.drf, e.meta);
          } catch (err) {
            subscriber.error(new GatewayError('protocol', `bad reading from the gateway for ${e.drf}: ${(err as Error).message}`, { cause: err }));
            return;
          }
          if (e.oneShot && r.status !== RETRY) e.done = true;
          subscriber.next({ kind: 'reading', reading: r });
        },
        control: (c) => {
          try {
            onControl(c);
          } catch (err) {
            subscriber.error(new GatewayError('protocol', `bad ${c.t} item from the gateway: ${(err as Error).message}`, { cause: err }));
          }
        },
      },
    );
  });
}

class Client implements GatewayClient {
  readonly url: string;
  readonly state$: Observable<GatewayState>;
  private readonly options: ResolvedGatewayOptions;
  private readonly states = new Subject<GatewayState>();
  private readonly current = new Map<string, GatewayState>();
  private readonly activeStreams = new Set<(e: unknown) => void>();
  private readonly session$: Observable<LinkEvent>;
  private link: Link | undefined;
  private streamCount = 0;
  private isClosed = false;

  constructor(options: GatewayOptions) {
    this.options = resolveGatewayOptions(options);
    this.url = this.options.url;
    this.state$ = defer(() => concat(from([...this.current.values()]), this.states));
    this.session$ = this.makeSession();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get dropped(): number {
    return this.link?.dropped ?? 0;
  }

  private onState(s: GatewayState): void {
    if (s.kind === 'closed') {
      if (!this.current.has(s.connection)) return;
      this.current.delete(s.connection);
    } else {
      this.current.set(s.connection, s);
    }
    this.states.next(s);
  }

  /**
   * The shared WebSocket session: `open` with the link, `lost` (then a new attempt after the
   * backoff) — or an error when the loss is final. Opened by the first stream, closed after the
   * last one.
   */
  private makeSession(): Observable<LinkEvent> {
    const o = this.options;
    const rc = o.reconnect;
    let attempt = 0;
    let failures = 0;
    let delayMs = 0;
    const attempt$ = defer(() => {
      attempt++;
      let openedAt: number | undefined;
      this.onState({ kind: 'connecting', connection: 'gateway', attempt });
      return openLink({ url: o.url, WebSocketCtor: o.WebSocketCtor, scheduler: o.scheduler, openTimeoutMs: o.openTimeout, heartbeatsMissed: o.heartbeatsMissed }).pipe(
        tap((link) => {
          openedAt = o.scheduler.now();
          this.link = link;
          this.onState({ kind: 'open', connection: 'gateway' });
        }),
        map((link): LinkEvent => ({ kind: 'open', link })),
        catchError((err: unknown) => {
          const e = err instanceof GatewayError ? err : new GatewayError('protocol', String(err), { cause: err });
          this.link = undefined;
          if (openedAt !== undefined && o.scheduler.now() - openedAt >= HEALTHY_MS) failures = 0;
          if (e.reason === 'refused' || failures >= rc.maxAttempts) {
            this.onState({ kind: 'closed', connection: 'gateway', reason: e });
            return throwError(() => e);
          }
          delayMs = Math.min(rc.maxDelay, rc.initialDelay * Math.pow(rc.factor, failures));
          failures++;
          this.onState({ kind: 'reconnecting', connection: 'gateway', attempt: attempt + 1, delayMs, reason: e });
          return of<LinkEvent>({ kind: 'lost', reason: e, attempt: attempt + 1, delayMs });
        }),
      );
    });
    return defer(() => {
      attempt = 0;
      failures = 0;
      return attempt$.pipe(
        repeat({ delay: () => timer(delayMs, o.scheduler) }),
        tap({
          unsubscribe: () => {
            this.link = undefined;
            this.onState({ kind: 'closed', connection: 'gateway', reason: undefined });
          },
        }),
      );
    }).pipe(share({ connector: () => new ReplaySubject<LinkEvent>(1), resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }));
  }

  stream(drfs: string | readonly string[]): Observable<Reading> {
    return this.events(drfs, {}).pipe(
      filter((e): e is Extract<GatewayStreamEvent, { kind: 'reading' }> => e.kind === 'reading'),
      map((e) => e.reading),
    );
  }

  streamEvents(drfs: string | readonly string[], options: BrowserStreamEventsOptions = {}): Observable<GatewayStreamEvent> {
    return this.events(drfs, options);
  }

  private events(drfs: string | readonly string[], options: BrowserStreamEventsOptions): Observable<GatewayStreamEvent> {
    const list: readonly string[] = typeof drfs === 'string' ? [drfs] : drfs;
    return new Observable<GatewayStreamEvent>((subscriber) => {
      if (this.isClosed) {
        subscriber.error(new ClientClosedError());
        return undefined;
      }
      let entries: Entry[];
      let limits: number[];
      try {
        if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) throw new ConfigError('drfs', 'expected a DRF or an array of DRFs');
        const stale = options.stale;
        if (stale !== undefined && typeof stale !== 'boolean' && !(typeof stale === 'object' && stale !== null && typeof stale.afterMs === 'number' && stale.afterMs > 0)) {
          throw new ConfigError('stale', 'expected true, false or { afterMs: a positive number }');
        }
        entries = list.map((drf) => {
          const req = parseDrf(drf);
          return { drf, oneShot: !isHistorical(req) && req.event.kind === 'immediate', meta: undefined, done: false };
        });
        limits = staleLimits(list, stale);
      } catch (e) {
        subscriber.error(e);
        return undefined;
      }
      if (entries.length === 0) {
        subscriber.complete();
        return undefined;
      }
      const connection = `stream#${++this.streamCount}`;
      let hadLink = false;
      const items$ = this.session$.pipe(
        switchMap((ev): Observable<Item> => {
          if (ev.kind === 'open') {
            hadLink = true;
            return over(ev.link, entries, connection);
          }
          const out: Item[] = [];
          if (hadLink) {
            // never a silent gap: every device still expecting data learns of it in-band
            const at = new Date(this.options.scheduler.now());
            for (const e of entries) {
              if (!e.done) out.push({ kind: 'reading', reading: { drf: e.drf, valueType: undefined, value: undefined, timestamp: at, cycle: 0, status: RETRY, meta: e.meta } });
            }
          }
          hadLink = false;
          out.push({ kind: 'state', state: { kind: 'reconnecting', connection, attempt: ev.attempt, delayMs: ev.delayMs, reason: ev.reason } });
          return from(out);
        }),
        takeWhile((it): it is GatewayStreamEvent => it.kind !== 'end'),
        tap((it) => {
          if (it.kind === 'state') this.onState(it.state);
        }),
        reportStale(list, limits, this.options.scheduler),
      );
      const closer = (e: unknown): void => subscriber.error(e);
      this.activeStreams.add(closer);
      const sub = items$.subscribe({
        next: (it) => subscriber.next(it),
        error: (e: unknown) => {
          this.onState({ kind: 'closed', connection, reason: e as AcsysError });
          subscriber.error(e);
        },
        complete: () => subscriber.complete(),
      });
      return () => {
        this.activeStreams.delete(closer);
        // the stream ends first; then, if it was the last one, the WebSocket closes
        this.onState({ kind: 'closed', connection, reason: undefined });
        sub.unsubscribe();
      };
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const err = new ClientClosedError();
    for (const c of [...this.activeStreams]) c(err);
    this.activeStreams.clear();
  }
}

/**
 * A browser client for an acsys-rx gateway (`acsys-web`, or `startGateway` in Node). Options are
 * validated (`ConfigError`); nothing connects until a stream is subscribed.
 *
 * @example
 * ```ts
 * import { gateway } from 'acsys-rx/browser';
 * const gw = gateway(); // the gateway that served this page: ws://<host>/ws
 * gw.stream(['M:OUTTMP@p,1000', 'G:AMANDA@p,100']).subscribe((r) => console.log(r.drf, r.value));
 * ```
 */
export function gateway(options: GatewayOptions = {}): GatewayClient {
  return new Client(options);
}

