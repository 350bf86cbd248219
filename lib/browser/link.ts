/**
 * One WebSocket connection to the gateway as a resource-scoped Observable: the socket opens on
 * subscribe, the link is emitted once the gateway's `hello` arrived, and the Observable errors
 * with a {@link GatewayError} when the connection is lost; unsubscribing closes the socket.
 * Subscriptions are multiplexed over it by id.
 *
 * @module
 */
import { Observable, interval, type SchedulerLike } from 'rxjs';
import { webSocket, type WebSocketSubject } from 'rxjs/webSocket';
import { GatewayError } from './gateway-error.js';
import { WIRE_VERSION, isRetryableClose, type ClientMessage, type ControlItem, type WireLimits } from './wire.js';

/**
 * A WebSocket constructor: the browser's `WebSocket` (default), or for example the `ws`
 * package's in Node.
 *
 * @example
 * ```ts
 * import WebSocket from 'ws';
 * const gw = gateway({ url: 'ws://127.0.0.1:8080/ws', WebSocketCtor: WebSocket as unknown as WebSocketConstructor });
 * ```
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

/**
 * The control items that concern one subscription.
 *
 * @example
 * ```ts
 * const c: SubscriptionControl = { t: 'end', id: 1 };
 * ```
 */
export type SubscriptionControl = Extract<ControlItem, { readonly id: number }>;

/**
 * Receives what the gateway sends for one subscription.
 *
 * @example
 * ```ts
 * const sink: LinkSink = { reading: (t) => console.log(t), control: (c) => console.log(c.t) };
 * ```
 */
export interface LinkSink {
  /** A reading tuple (see `wire.ts`). */
  reading(tuple: readonly unknown[]): void;
  /** `meta`, `state`, `end` or `error` for this subscription. */
  control(item: SubscriptionControl): void;
}

/**
 * The gateway's `hello`.
 *
 * @example
 * ```ts
 * link.hello.limits.maxSubscriptions; // 100
 * ```
 */
export interface Hello {
  /** Protocol version. */
  readonly v: number;
  /** Period of the gateway's heartbeat items, ms. */
  readonly heartbeatMs: number;
  /** The gateway's limits per connection. */
  readonly limits: WireLimits;
}

/**
 * An open connection to the gateway.
 *
 * @example
 * ```ts
 * const end = link.subscribe(['M:OUTTMP@p,100'], sink);
 * end(); // sends unsubscribe
 * ```
 */
export interface Link {
  /** What the gateway announced. */
  readonly hello: Hello;
  /** Readings the gateway dropped on this connection while it was backed up (its latest heartbeat). */
  readonly dropped: number;
  /** Subscribes `drfs` (one DPM list at the gateway); returns the function that ends it. */
  subscribe(drfs: readonly string[], sink: LinkSink): () => void;
}

/**
 * How to open a link.
 *
 * @example
 * ```ts
 * openLink({ url: 'ws://127.0.0.1:8080/ws', scheduler: asyncScheduler, openTimeoutMs: 10_000 });
 * ```
 */
export interface LinkConfig {
  readonly url: string;
  readonly WebSocketCtor?: WebSocketConstructor | undefined;
  readonly scheduler: SchedulerLike;
  /** Socket open plus `hello`, ms. */
  readonly openTimeoutMs: number;
  /** Silence allowed after `hello`, in heartbeat periods (the link is declared lost after it). */
  readonly heartbeatsMissed: number;
}

interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

function isHello(x: unknown): x is Hello & { t: 'hello' } {
  if (typeof x !== 'object' || x === null) return false;
  const h = x as Record<string, unknown>;
  const l = h['limits'] as Record<string, unknown> | null | undefined;
  return (
    h['t'] === 'hello' &&
    typeof h['v'] === 'number' &&
    typeof h['heartbeatMs'] === 'number' &&
    h['heartbeatMs'] > 0 &&
    typeof l === 'object' &&
    l !== null &&
    typeof l['maxSubscriptions'] === 'number' &&
    typeof l['maxDrfs'] === 'number' &&
    typeof l['maxDrfLength'] === 'number' &&
    typeof l['maxMessageBytes'] === 'number'
  );
}

/**
 * Opens one connection to the gateway (see the module comment).
 *
 * @example
 * ```ts
 * openLink(config).subscribe({ next: (link) => link.subscribe(['M:OUTTMP@p,100'], sink), error: (e) => console.error(e) });
 * ```
 */
export function openLink(config: LinkConfig): Observable<Link> {
  return new Observable<Link>((subscriber) => {
    let closeInfo: CloseInfo | undefined;
    let hello: Hello | undefined;
    let dropped = 0;
    let open = true;
    let lastFrameAt = config.scheduler.now();
    let nextId = 1;
    const sinks = new Map<number, LinkSink>();

    const socket: WebSocketSubject<string> = webSocket<string>({
      url: config.url,
      ...(config.WebSocketCtor === undefined ? {} : { WebSocketCtor: config.WebSocketCtor as unknown as new (url: string, protocols?: string | string[]) => WebSocket }),
      deserializer: (e: { data: unknown }) => e.data as string,
      serializer: (v: string) => v,
      closeObserver: { next: (e: { code: number; reason: string }) => (closeInfo = { code: e.code, reason: e.reason }) },
    });

    const fail = (e: GatewayError): void => {
      if (!open) return;
      open = false;
      subscriber.error(e);
    };

    const lost = (cause: unknown): GatewayError => {
      if (cause instanceof GatewayError) return cause;
      const c = closeInfo;
      if (c !== undefined && !isRetryableClose(c.code)) {
        return new GatewayError('refused', `the gateway refused this client: close ${c.code}${c.reason === '' ? '' : ` (${c.reason})`}`, { closeCode: c.code });
      }
      if (hello === undefined && (c === undefined || c.code === 1006)) {
        return new GatewayError('unreachable', `cannot reach the gateway at ${config.url}`, c === undefined ? {} : { closeCode: c.code });
      }
      const what = c === undefined ? 'connection lost' : `closed ${c.code}${c.reason === '' ? '' : ` (${c.reason})`}`;
      return new GatewayError('closed', `connection to the gateway ${what}`, c === undefined ? {} : { closeCode: c.code });
    };

    const link: Link = {
      get hello() {
        return hello!;
      },
      get dropped() {
        return dropped;
      },
      subscribe(drfs, sink) {
        const id = nextId++;
        sinks.set(id, sink);
        if (open) socket.next(JSON.stringify({ op: 'subscribe', id, drfs } satisfies ClientMessage));
        return () => {
          if (!sinks.delete(id)) return;
          if (open) socket.next(JSON.stringify({ op: 'unsubscribe', id } satisfies ClientMessage));
        };
      },
    };

    const onItem = (item: unknown): void => {
      if (Array.isArray(item)) {
        sinks.get(item[0] as number)?.reading(item);
        return;
      }
      const c = item as ControlItem;
      switch (c?.t) {
        case 'hb':
          dropped = typeof c.dropped === 'number' ? c.dropped : dropped;
          return;
        case 'meta':
        case 'state':
        case 'end':
        case 'error':
          sinks.get(c.id)?.control(c);
          if (c.t === 'end' || c.t === 'error') sinks.delete(c.id);
          return;
        default:
          throw new GatewayError('protocol', `unexpected item from the gateway: ${JSON.stringify(item).slice(0, 100)}`);
      }
    };

    const onFrame = (frame: unknown): void => {
      lastFrameAt = config.scheduler.now();
      if (typeof frame !== 'string') throw new GatewayError('protocol', 'the gateway sent a binary frame');
      let items: unknown;
      try {
        items = JSON.parse(frame);
      } catch {
        throw new GatewayError('protocol', 'the gateway sent a frame that is not JSON');
      }
      if (!Array.isArray(items)) throw new GatewayError('protocol', 'the gateway sent a frame that is not an array');
      let i = 0;
      if (hello === undefined) {
        const h: unknown = items[0];
        if (!isHello(h)) throw new GatewayError('protocol', 'the gateway did not start with hello');
        if (h.v !== WIRE_VERSION) throw new GatewayError('protocol', `the gateway speaks protocol version ${h.v}, this client ${WIRE_VERSION}`);
        hello = { v: h.v, heartbeatMs: h.heartbeatMs, limits: h.limits };
        i = 1;
        subscriber.next(link);
      }
      for (; i < items.length && open; i++) onItem(items[i]);
    };

    const frames = socket.subscribe({
      next: (frame) => {
        try {
          onFrame(frame);
        } catch (e) {
          fail(e instanceof GatewayError ? e : new GatewayError('protocol', `bad data from the gateway: ${(e as Error).message}`, { cause: e }));
        }
      },
      error: (e: unknown) => fail(lost(e)),
      complete: () => fail(lost(undefined)),
    });

    // the watchdog: the open timeout until hello, then `heartbeatsMissed` heartbeat periods
    const tick = Math.max(50, Math.min(config.openTimeoutMs, 1000) / 4);
    const watchdog = interval(tick, config.scheduler).subscribe(() => {
      const silent = config.scheduler.now() - lastFrameAt;
      if (hello === undefined) {
        if (silent >= config.openTimeoutMs) fail(new GatewayError('unreachable', `no answer from the gateway at ${config.url} within ${config.openTimeoutMs} ms`));
      } else if (silent >= hello.heartbeatMs * config.heartbeatsMissed) {
        fail(new GatewayError('heartbeat', `nothing from the gateway for ${Math.round(silent)} ms`));
      }
    });

    return () => {
      open = false;
      sinks.clear();
      watchdog.unsubscribe();
      frames.unsubscribe();
    };
  });
}
