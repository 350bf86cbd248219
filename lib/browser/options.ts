import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { ConfigError } from '../errors/config-error.js';
import type { WebSocketConstructor } from './link.js';

/**
 * Options of {@link gateway}. Every field is optional; a bad value throws `ConfigError` naming
 * the option.
 *
 * @example
 * ```ts
 * const gw = gateway({ url: 'ws://127.0.0.1:8080/ws', reconnect: { initialDelay: 250, maxDelay: 5000 } });
 * ```
 */
export interface GatewayOptions {
  /**
   * The gateway's WebSocket URL (`ws:`/`wss:`; `http:`/`https:` are turned into those).
   * Default: `ws` next to the page, e.g. `ws://host:8080/ws` for a page at `http://host:8080/`.
   */
  readonly url?: string;
  /**
   * Reconnect policy of the WebSocket: exponential backoff from `initialDelay` (default 500 ms),
   * times `factor` (2) up to `maxDelay` (10000 ms); `maxAttempts` consecutive failures (default:
   * never) end every stream with the last error. The backoff starts again after a connection
   * that lived 10 s.
   */
  readonly reconnect?: {
    readonly initialDelay?: number;
    readonly factor?: number;
    readonly maxDelay?: number;
    readonly maxAttempts?: number;
  };
  /** Socket open plus the gateway's `hello`, ms (default 10000). */
  readonly openTimeout?: number;
  /** Heartbeat periods of silence after which the link is declared lost (default 3). */
  readonly heartbeatsMissed?: number;
  /** Scheduler of every timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** The WebSocket class (default the global `WebSocket`; in Node, e.g. the `ws` package's). */
  readonly WebSocketCtor?: WebSocketConstructor;
}

/**
 * {@link GatewayOptions} after validation and defaulting.
 *
 * @example
 * ```ts
 * resolveGatewayOptions({ url: 'ws://h:1/ws' }).reconnect.initialDelay; // 500
 * ```
 */
export interface ResolvedGatewayOptions {
  readonly url: string;
  readonly reconnect: { readonly initialDelay: number; readonly factor: number; readonly maxDelay: number; readonly maxAttempts: number };
  readonly openTimeout: number;
  readonly heartbeatsMissed: number;
  readonly scheduler: SchedulerLike;
  readonly WebSocketCtor: WebSocketConstructor | undefined;
}

const KNOWN = ['url', 'reconnect', 'openTimeout', 'heartbeatsMissed', 'scheduler', 'WebSocketCtor'];

function positive(option: string, v: unknown, dflt: number, { integer = false, min = 0 } = {}): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= min || (integer && !Number.isInteger(v))) {
    throw new ConfigError(option, `expected ${integer ? 'an integer' : 'a number'} greater than ${min}, got ${String(v)}`);
  }
  return v;
}

/** The page's location, when there is one (a browser); typed without the DOM library. */
function pageHref(): string | undefined {
  const loc = (globalThis as { location?: { href?: unknown } }).location;
  return typeof loc?.href === 'string' ? loc.href : undefined;
}

/**
 * The WebSocket URL for a `url` option (or the default next to the page).
 *
 * @example
 * ```ts
 * gatewayUrl('http://127.0.0.1:8080/ws'); // 'ws://127.0.0.1:8080/ws'
 * ```
 */
export function gatewayUrl(url: string | undefined, base: string | undefined = pageHref()): string {
  let u: URL;
  try {
    if (url === undefined) {
      if (base === undefined) throw new ConfigError('url', 'no page location to derive the gateway URL from: pass gateway({ url })');
      u = new URL('ws', base);
    } else {
      u = base === undefined ? new URL(url) : new URL(url, base);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError('url', `not a URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new ConfigError('url', `expected a ws: or wss: URL, got ${JSON.stringify(url)}`);
  u.hash = '';
  return u.href;
}

/**
 * Validates and completes {@link GatewayOptions}.
 *
 * @example
 * ```ts
 * const o = resolveGatewayOptions({ url: 'ws://127.0.0.1:8080/ws' });
 * ```
 */
export function resolveGatewayOptions(options: GatewayOptions = {}): ResolvedGatewayOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'expected an object');
  for (const k of Object.keys(options)) if (!KNOWN.includes(k)) throw new ConfigError(k, 'unknown option');
  if (options.url !== undefined && typeof options.url !== 'string') throw new ConfigError('url', 'expected a string');
  const rc: NonNullable<GatewayOptions['reconnect']> = options.reconnect ?? {};
  if (typeof rc !== 'object' || rc === null) throw new ConfigError('reconnect', 'expected an object');
  for (const k of Object.keys(rc)) if (!['initialDelay', 'factor', 'maxDelay', 'maxAttempts'].includes(k)) throw new ConfigError(`reconnect.${k}`, 'unknown option');
  const initialDelay = positive('reconnect.initialDelay', rc.initialDelay, 500);
  const factor = positive('reconnect.factor', rc.factor, 2);
  if (factor < 1) throw new ConfigError('reconnect.factor', `expected at least 1, got ${factor}`);
  const maxDelay = positive('reconnect.maxDelay', rc.maxDelay, Math.max(10_000, initialDelay));
  if (maxDelay < initialDelay) throw new ConfigError('reconnect.maxDelay', `expected at least reconnect.initialDelay (${initialDelay}), got ${maxDelay}`);
  const maxAttempts = rc.maxAttempts === undefined ? Infinity : positive('reconnect.maxAttempts', rc.maxAttempts, Infinity, { integer: true });
  const scheduler = options.scheduler ?? asyncScheduler;
  if (typeof scheduler.now !== 'function' || typeof scheduler.schedule !== 'function') throw new ConfigError('scheduler', 'expected an RxJS scheduler');
  if (options.WebSocketCtor !== undefined && typeof options.WebSocketCtor !== 'function') throw new ConfigError('WebSocketCtor', 'expected a constructor');
  return {
    url: gatewayUrl(options.url),
    reconnect: { initialDelay, factor, maxDelay, maxAttempts },
    openTimeout: positive('openTimeout', options.openTimeout, 10_000),
    heartbeatsMissed: positive('heartbeatsMissed', options.heartbeatsMissed, 3, { min: 1 }),
    scheduler,
    WebSocketCtor: options.WebSocketCtor,
  };
}
