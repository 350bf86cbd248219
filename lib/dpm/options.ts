import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { SchedulerLike } from 'rxjs';
import { ConfigError } from '../errors/config-error.js';
import type { ByteSocket } from '../transport/socket.js';
import {
  WRITE_OPTION_CODECS,
  WRITE_OPTION_NAMES,
  resolveWriteOptions,
  type DpmWriteOptions,
  type ResolvedWriteOptions,
} from './write/write-options.js';

/**
 * Lowest liveness-watchdog value allowed in production (`dpm-behaviour.md` §2.5).
 *
 * @example
 * ```ts
 * dpm({ heartbeat: MIN_HEARTBEAT_MS });
 * ```
 */
export const MIN_HEARTBEAT_MS = 6000;

/**
 * Timeouts, in milliseconds.
 *
 * @example
 * ```ts
 * dpm({ timeouts: { connect: 2000, handshake: 2000, operation: 3000 } });
 * ```
 */
export interface DpmTimeouts {
  /** TCP connect (default 5000). */
  readonly connect?: number;
  /** Connect → `OpenList_reply` (default 5000). */
  readonly handshake?: number;
  /** One deadline for a read / getMany, queueing and connecting included (default 5000). */
  readonly operation?: number;
}

/**
 * Reconnect policy for streams: exponential backoff from `initialDelay`,
 * multiplied by `factor` up to `maxDelay` (defaults 1000 ms, ×2, 30000 ms).
 *
 * @example
 * ```ts
 * client.stream('M:OUTTMP@p,1000', { reconnect: { initialDelay: 500, maxDelay: 10_000 } });
 * ```
 */
export interface ReconnectOptions {
  /** Delay before the first reconnect attempt, ms (default 1000). */
  readonly initialDelay?: number;
  /** Multiplier of the delay after each failed attempt (default 2). */
  readonly factor?: number;
  /** Largest delay, ms (default 30000). */
  readonly maxDelay?: number;
  /** Give up after this many consecutive failed attempts (default: never). */
  readonly maxAttempts?: number;
}

/**
 * Coalescing of concurrent reads ({@link DpmOptions.coalesce}).
 *
 * @example
 * ```ts
 * const client = dpm({ coalesce: { window: 2, maxBatch: 500 } });
 * ```
 */
export interface CoalesceOptions {
  /** How long a batch waits for more reads after its first, ms (0…1000, default 0: the same tick). */
  readonly window?: number;
  /** Most distinct DRFs in one list (1…100000, default 1000). */
  readonly maxBatch?: number;
}

/**
 * Options of {@link dpm}. Every field is optional; bad values throw `ConfigError`
 * naming the option.
 *
 * @example
 * ```ts
 * const client = dpm({ host: 'localhost', port: 6802, poolSize: 2, heartbeat: 10_000 });
 * ```
 */
export interface DpmOptions extends DpmWriteOptions {
  /** DPM proxy host (default `acsys-proxy.fnal.gov`). */
  readonly host?: string;
  /** DPM proxy port (default 6802). */
  readonly port?: number;
  /** Maximum number of pooled read connections (default 4). */
  readonly poolSize?: number;
  /** Timeouts in ms. */
  readonly timeouts?: DpmTimeouts;
  /** Liveness watchdog in ms: nothing received for this long → `ConnectionLost` (default 10000, minimum 6000). */
  readonly heartbeat?: number;
  /** How long an idle pooled connection stays open after its last user (default 5000 ms). */
  readonly linger?: number;
  /** Largest frame accepted from the server in bytes (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** Scheduler for every timer (watchdog, timeouts, backoff, linger); default: Node timers. */
  readonly scheduler?: SchedulerLike;
  /**
   * Coalescing of concurrent reads: `read` and `get` calls issued within `window` ms of the
   * first (default 0: in the same tick) travel in one list on one pooled connection, up to
   * `maxBatch` distinct DRFs (default 1000); while every pooled connection is busy, later reads
   * keep joining. Each call keeps its own result, error, timeout and cancellation. `false`:
   * every read is a list of its own. `getMany` is always one list of its own.
   */
  readonly coalesce?: false | CoalesceOptions;
  /**
   * Open each connection's byte stream with this function instead of TCP to `host:port`
   * (which then only name it in messages): `() => sim.openInProcess()` runs the client against
   * a simulator in the same process over an in-memory pipe — the same protocol, no port, no
   * system calls.
   */
  readonly connectWith?: () => ByteSocket;
  /**
   * Test-only knobs. `heartbeatFloor` lowers the 6 s minimum of `heartbeat`
   * so that watchdog tests run quickly against a real socket. Never use in production.
   */
  readonly testOnly?: {
    /** Lowest `heartbeat` accepted, ms (default `MIN_HEARTBEAT_MS`). */
    readonly heartbeatFloor?: number;
  };
}

/**
 * Options after validation and defaulting.
 *
 * @example
 * ```ts
 * const o: ResolvedOptions = resolveOptions({ poolSize: 2 });
 * o.poolSize; // 2
 * ```
 */
export interface ResolvedOptions extends ResolvedWriteOptions {
  /** {@link DpmOptions.host}. */
  readonly host: string;
  /** {@link DpmOptions.port}. */
  readonly port: number;
  /** {@link DpmOptions.poolSize}. */
  readonly poolSize: number;
  /** `timeouts.connect`, ms. */
  readonly connectTimeout: number;
  /** `timeouts.handshake`, ms. */
  readonly handshakeTimeout: number;
  /** `timeouts.operation`, ms. */
  readonly operationTimeout: number;
  /** {@link DpmOptions.heartbeat}, ms. */
  readonly heartbeat: number;
  /** {@link DpmOptions.linger}, ms. */
  readonly linger: number;
  /** {@link DpmOptions.maxFrameBytes}. */
  readonly maxFrameBytes: number;
  /** {@link DpmOptions.scheduler}; `undefined`: Node timers. */
  readonly scheduler: SchedulerLike | undefined;
  /** {@link DpmOptions.connectWith}; `undefined`: TCP. */
  readonly connectWith: (() => ByteSocket) | undefined;
  /** {@link DpmOptions.coalesce}; `undefined`: reads are not coalesced. */
  readonly coalesce: { readonly window: number; readonly maxBatch: number } | undefined;
}

/**
 * Default option values (`dpm-behaviour.md` §12).
 *
 * @example
 * ```ts
 * DEFAULTS.poolSize; // 4
 * ```
 */
export const DEFAULTS = {
  /** The ACSys proxy. */
  host: 'acsys-proxy.fnal.gov',
  /** The proxy's DPM port. */
  port: 6802,
  /** Pooled read connections. */
  poolSize: 4,
  /** TCP connect timeout, ms. */
  connectTimeout: 5000,
  /** Handshake timeout, ms. */
  handshakeTimeout: 5000,
  /** Read deadline, ms. */
  operationTimeout: 5000,
  /** Liveness watchdog, ms. */
  heartbeat: 10_000,
  /** Idle pooled connection lifetime, ms. */
  linger: 5000,
  /** Largest accepted frame, bytes (1 MiB). */
  maxFrameBytes: 1 << 20,
  /** Reads coalesced within the same tick, up to 1000 DRFs per list. */
  coalesce: { window: 0, maxBatch: 1000 },
} as const;

function intIn(name: string, min: number, max: number): t.Type<number, number, unknown> {
  return new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max
        ? t.success(u)
        : t.failure(u, c, `expected an integer in ${min}…${max}, got ${JSON.stringify(u)}`),
    t.identity,
  );
}

const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) =>
    typeof u === 'string' && u.length > 0 && !/\s/.test(u)
      ? t.success(u)
      : t.failure(u, c, `expected a non-empty host name without spaces, got ${JSON.stringify(u)}`),
  t.identity,
);

const SchedulerCodec = new t.Type<SchedulerLike, SchedulerLike, unknown>(
  'SchedulerLike',
  (u): u is SchedulerLike =>
    typeof u === 'object' && u !== null && typeof (u as SchedulerLike).schedule === 'function',
  (u, c) =>
    typeof u === 'object' && u !== null && typeof (u as SchedulerLike).schedule === 'function'
      ? t.success(u as SchedulerLike)
      : t.failure(u, c, 'expected an RxJS SchedulerLike'),
  t.identity,
);

const Ms = intIn('milliseconds', 1, 86_400_000);

const FunctionCodec = new t.Type<() => ByteSocket, () => ByteSocket, unknown>(
  'function',
  (u): u is () => ByteSocket => typeof u === 'function',
  (u, c) => (typeof u === 'function' ? t.success(u as () => ByteSocket) : t.failure(u, c, `expected a function returning a byte stream, got ${typeof u}`)),
  t.identity,
);

/** `false`, or `{ window?, maxBatch? }` with nothing else in it. */
const CoalesceCodec = new t.Type<false | CoalesceOptions, false | CoalesceOptions, unknown>(
  'CoalesceOptions',
  (u): u is false | CoalesceOptions => u === false || (typeof u === 'object' && u !== null),
  (u, c) => {
    if (u === false) return t.success(false);
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected false or { window, maxBatch }, got ${JSON.stringify(u)}`);
    const o = u as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'window' && k !== 'maxBatch') return t.failure(u, c, `unknown field ${JSON.stringify(k)} (expected window, maxBatch)`);
    }
    const int = (v: unknown, min: number, max: number): boolean => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max);
    if (!int(o.window, 0, 1000)) return t.failure(u, c, `window: expected an integer in 0…1000 ms, got ${JSON.stringify(o.window)}`);
    if (!int(o.maxBatch, 1, 100_000)) return t.failure(u, c, `maxBatch: expected an integer in 1…100000, got ${JSON.stringify(o.maxBatch)}`);
    return t.success(o as CoalesceOptions);
  },
  t.identity,
);

const OptionsCodec = t.exact(
  t.partial({
    host: NonEmptyString,
    port: intIn('port', 1, 65535),
    poolSize: intIn('poolSize', 1, 1024),
    timeouts: t.exact(t.partial({ connect: Ms, handshake: Ms, operation: Ms })),
    heartbeat: Ms,
    linger: intIn('linger', 0, 86_400_000),
    maxFrameBytes: intIn('maxFrameBytes', 16, 1 << 30),
    scheduler: SchedulerCodec,
    coalesce: CoalesceCodec,
    connectWith: FunctionCodec,
    testOnly: t.exact(t.partial({ heartbeatFloor: Ms })),
    ...WRITE_OPTION_CODECS,
  }),
);

const KNOWN = new Set(['host', 'port', 'poolSize', 'timeouts', 'heartbeat', 'linger', 'maxFrameBytes', 'scheduler', 'coalesce', 'connectWith', 'testOnly', ...WRITE_OPTION_NAMES]);

/**
 * Validate and default {@link DpmOptions}. Throws `ConfigError` naming the first
 * bad option (unknown keys are refused too, to catch typos).
 *
 * @example
 * ```ts
 * resolveOptions({ heartbeat: 2000 }); // throws ConfigError: invalid option heartbeat: …
 * ```
 */
export function resolveOptions(options: DpmOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'expected an object');
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k)) throw new ConfigError(k, 'unknown option');
  }
  const r = OptionsCodec.decode(options);
  if (isLeft(r)) {
    const err = r.left[0]!;
    const path = err.context
      .map((c) => c.key)
      .filter((k) => k !== '')
      .join('.');
    throw new ConfigError(path || 'options', err.message ?? 'bad value');
  }
  const o = r.right;
  const floor = o.testOnly?.heartbeatFloor ?? MIN_HEARTBEAT_MS;
  const heartbeat = o.heartbeat ?? DEFAULTS.heartbeat;
  if (heartbeat < floor) {
    throw new ConfigError(
      'heartbeat',
      `${heartbeat} ms is below the ${MIN_HEARTBEAT_MS} ms minimum (DPM may legitimately be silent for ~4 s)`,
    );
  }
  return {
    host: o.host ?? DEFAULTS.host,
    port: o.port ?? DEFAULTS.port,
    poolSize: o.poolSize ?? DEFAULTS.poolSize,
    connectTimeout: o.timeouts?.connect ?? DEFAULTS.connectTimeout,
    handshakeTimeout: o.timeouts?.handshake ?? DEFAULTS.handshakeTimeout,
    operationTimeout: o.timeouts?.operation ?? DEFAULTS.operationTimeout,
    heartbeat,
    linger: o.linger ?? DEFAULTS.linger,
    maxFrameBytes: o.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
    scheduler: o.scheduler,
    connectWith: o.connectWith,
    coalesce:
      o.coalesce === false
        ? undefined
        : { window: o.coalesce?.window ?? DEFAULTS.coalesce.window, maxBatch: o.coalesce?.maxBatch ?? DEFAULTS.coalesce.maxBatch },
    ...resolveWriteOptions(o),
  };
}

/**
 * Options for the module-level client, from the environment: `PACSYS_DPM_HOST`,
 * `PACSYS_DPM_PORT`, `PACSYS_POOL_SIZE` (each validated; a bad value throws
 * `ConfigError` naming the variable).
 *
 * @example
 * ```ts
 * const o = optionsFromEnv({ PACSYS_DPM_HOST: 'localhost', PACSYS_DPM_PORT: '6802' });
 * ```
 */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): DpmOptions {
  const out: { host?: string; port?: number; poolSize?: number } = {};
  const host = env['PACSYS_DPM_HOST'];
  if (host !== undefined && host !== '') {
    if (/\s/.test(host)) throw new ConfigError('PACSYS_DPM_HOST', `bad host ${JSON.stringify(host)}`);
    out.host = host;
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d+$/.test(v.trim())) throw new ConfigError(name, `expected an integer, got ${JSON.stringify(v)}`);
    const n = Number(v.trim());
    if (n < min || n > max) throw new ConfigError(name, `expected ${min}…${max}, got ${n}`);
    return n;
  };
  const port = int('PACSYS_DPM_PORT', 1, 65535);
  if (port !== undefined) out.port = port;
  const pool = int('PACSYS_POOL_SIZE', 1, 1024);
  if (pool !== undefined) out.poolSize = pool;
  return out;
}
