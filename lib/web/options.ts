import type { DpmClient } from '../dpm/client.js';
import type { ReconnectOptions } from '../dpm/options.js';
import { ConfigError } from '../errors/config-error.js';

/**
 * What one browser connection may do, and how much the gateway holds for it.
 *
 * @example
 * ```ts
 * startGateway({ client, limits: { maxSubscriptions: 20, maxDrfs: 200 } });
 * ```
 */
export interface GatewayLimits {
  /** WebSocket connections at once; more are refused with HTTP 503 (default 64). */
  readonly maxClients: number;
  /** DPM lists (subscriptions) at once over all connections (default 1000). */
  readonly maxLists: number;
  /** Subscriptions open at once on one connection (default 100). */
  readonly maxSubscriptions: number;
  /** DRFs over all subscriptions of one connection (default 1000). */
  readonly maxDrfs: number;
  /** Characters in one DRF (default 256). */
  readonly maxDrfLength: number;
  /** Bytes in one message from a browser; a larger one closes the connection with 1009 (default 65536). */
  readonly maxMessageBytes: number;
  /** Subscribe requests a connection may make in a burst (default 200) … */
  readonly subscribeBurst: number;
  /** … and per second after it (default 50); more close the connection with 1008. */
  readonly subscribeRate: number;
  /**
   * Bytes waiting in a connection's socket above which readings are coalesced (newest value per
   * device, the replaced ones counted as dropped) until the socket drains (default 1 MiB).
   */
  readonly highWaterBytes: number;
  /** A connection backed up for this long without progress is closed (1013) (default 30000 ms). */
  readonly stallMs: number;
}

/**
 * Options of {@link startGateway}.
 *
 * @example
 * ```ts
 * const gw = await startGateway({ client: dpm({ host: 'localhost', port: 6802 }), port: 8080 });
 * ```
 */
export interface GatewayServerOptions {
  /** The DPM client whose `streamEvents` feeds the browsers (not closed by the gateway). */
  readonly client: DpmClient;
  /** Address to listen on (default `127.0.0.1`: this machine only). */
  readonly host?: string;
  /** TCP port (default 0: any free port). */
  readonly port?: number;
  /**
   * Origins allowed besides the gateway's own (exact strings such as `https://dash.example.org`;
   * `*` allows every origin). Requests without an `Origin` header (non-browser clients) are allowed.
   */
  readonly origins?: readonly string[];
  /** Serve the dashboard page and the bundled browser client (default true). */
  readonly page?: boolean;
  /**
   * A folder of your own pages (HTML, JS, CSS, images) served at `/<file>` next to the
   * dashboard, so that they can `import … from '/acsys-rx-browser.js'` and reach the gateway
   * without any cross-origin setup. Default: none.
   */
  readonly pagesDir?: string;
  /** Limits per connection (defaults in {@link GatewayLimits}). */
  readonly limits?: Partial<GatewayLimits>;
  /** Reconnect policy of the DPM streams (default `{ initialDelay: 1000, maxDelay: 10000 }`). */
  readonly reconnect?: ReconnectOptions;
  /** Period of the heartbeat items sent to browsers, ms (default 5000). */
  readonly heartbeatMs?: number;
  /** Period of WebSocket pings; a connection that missed one pong is dropped, ms (default 20000). */
  readonly pingMs?: number;
  /** Receives one line per notable event (connections, refusals, closes); default: none. */
  readonly log?: (line: string) => void;
}

/**
 * The default limits.
 *
 * @example
 * ```ts
 * DEFAULT_LIMITS.maxSubscriptions; // 100
 * ```
 */
export const DEFAULT_LIMITS: GatewayLimits = Object.freeze({
  maxClients: 64,
  maxLists: 1000,
  maxSubscriptions: 100,
  maxDrfs: 1000,
  maxDrfLength: 256,
  maxMessageBytes: 65_536,
  subscribeBurst: 200,
  subscribeRate: 50,
  highWaterBytes: 1 << 20,
  stallMs: 30_000,
});

/**
 * {@link GatewayServerOptions} after validation and defaulting.
 *
 * @example
 * ```ts
 * const o: ResolvedGatewayServerOptions = resolveGatewayServerOptions({ client });
 * ```
 */
export interface ResolvedGatewayServerOptions {
  /** {@link GatewayServerOptions.client}. */
  readonly client: DpmClient;
  /** {@link GatewayServerOptions.host}. */
  readonly host: string;
  /** {@link GatewayServerOptions.port}. */
  readonly port: number;
  /** {@link GatewayServerOptions.origins}, normalised. */
  readonly origins: readonly string[];
  /** {@link GatewayServerOptions.page}. */
  readonly page: boolean;
  /** {@link GatewayServerOptions.pagesDir}. */
  readonly pagesDir: string | undefined;
  /** Every limit. */
  readonly limits: GatewayLimits;
  /** {@link GatewayServerOptions.reconnect}. */
  readonly reconnect: ReconnectOptions;
  /** {@link GatewayServerOptions.heartbeatMs}. */
  readonly heartbeatMs: number;
  /** {@link GatewayServerOptions.pingMs}. */
  readonly pingMs: number;
  /** {@link GatewayServerOptions.log}. */
  readonly log: ((line: string) => void) | undefined;
}

const KNOWN = ['client', 'host', 'port', 'origins', 'page', 'pagesDir', 'limits', 'reconnect', 'heartbeatMs', 'pingMs', 'log'];

function int(option: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(option, `expected an integer from ${min} to ${max}, got ${String(v)}`);
  return v;
}

function origin(o: unknown): string {
  if (o === '*') return o;
  if (typeof o !== 'string') throw new ConfigError('origins', `expected strings, got ${String(o)}`);
  let u: URL;
  try {
    u = new URL(o);
  } catch {
    throw new ConfigError('origins', `not an origin: ${JSON.stringify(o)} (expected e.g. https://host:8443)`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== o.replace(/\/$/, '')) {
    throw new ConfigError('origins', `not an origin: ${JSON.stringify(o)} (expected scheme://host[:port], nothing after)`);
  }
  return u.origin;
}

/**
 * Validates and completes {@link GatewayServerOptions}; a bad value throws `ConfigError` naming it.
 *
 * @example
 * ```ts
 * resolveGatewayServerOptions({ client, port: 8080 }).host; // '127.0.0.1'
 * ```
 */
export function resolveGatewayServerOptions(options: GatewayServerOptions): ResolvedGatewayServerOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'expected an object');
  for (const k of Object.keys(options)) if (!KNOWN.includes(k)) throw new ConfigError(k, 'unknown option');
  const c = options.client as Partial<DpmClient> | undefined;
  if (c === undefined || typeof c.streamEvents !== 'function') throw new ConfigError('client', 'expected a DPM client made with dpm()');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '' || /\s/.test(host)) throw new ConfigError('host', `bad host ${JSON.stringify(host)}`);
  const given = options.limits ?? {};
  if (typeof given !== 'object' || given === null) throw new ConfigError('limits', 'expected an object');
  for (const k of Object.keys(given)) if (!(k in DEFAULT_LIMITS)) throw new ConfigError(`limits.${k}`, 'unknown limit');
  const lim = (k: keyof GatewayLimits, min: number, max: number): number => int(`limits.${k}`, given[k], DEFAULT_LIMITS[k], min, max);
  const limits: GatewayLimits = {
    maxClients: lim('maxClients', 1, 100_000),
    maxLists: lim('maxLists', 1, 1_000_000),
    maxSubscriptions: lim('maxSubscriptions', 1, 100_000),
    maxDrfs: lim('maxDrfs', 1, 1_000_000),
    maxDrfLength: lim('maxDrfLength', 8, 65_536),
    maxMessageBytes: lim('maxMessageBytes', 256, 64 << 20),
    subscribeBurst: lim('subscribeBurst', 1, 1_000_000),
    subscribeRate: lim('subscribeRate', 1, 1_000_000),
    highWaterBytes: lim('highWaterBytes', 1024, 1 << 30),
    stallMs: lim('stallMs', 100, 86_400_000),
  };
  if (options.origins !== undefined && !Array.isArray(options.origins)) throw new ConfigError('origins', 'expected an array of origins');
  if (options.page !== undefined && typeof options.page !== 'boolean') throw new ConfigError('page', 'expected a boolean');
  if (options.log !== undefined && typeof options.log !== 'function') throw new ConfigError('log', 'expected a function');
  if (options.pagesDir !== undefined && (typeof options.pagesDir !== 'string' || options.pagesDir === '')) throw new ConfigError('pagesDir', 'expected a folder path');
  const rc = options.reconnect ?? { initialDelay: 1000, maxDelay: 10_000 };
  if (typeof rc !== 'object' || rc === null) throw new ConfigError('reconnect', 'expected an object');
  return {
    client: options.client,
    host,
    port: int('port', options.port, 0, 0, 65535),
    origins: (options.origins ?? []).map(origin),
    page: options.page ?? true,
    pagesDir: options.pagesDir,
    limits,
    reconnect: rc,
    heartbeatMs: int('heartbeatMs', options.heartbeatMs, 5000, 50, 3_600_000),
    pingMs: int('pingMs', options.pingMs, 20_000, 50, 3_600_000),
    log: options.log,
  };
}
