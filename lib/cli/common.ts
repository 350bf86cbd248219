/**
 * What the command-line tools share: exit codes, the common options (`--host`, `--port`, `--sim`,
 * `--timeout`, `--help`), the DPM endpoint (or an embedded simulator), and the mapping of errors
 * to exit codes and readable messages.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { AuthenticationError } from '../auth/index.js';
import {
  AcsysError,
  ClientClosedError,
  ConfigError,
  ConnectError,
  ConnectionLost,
  DEFAULTS,
  DeviceError,
  DrfError,
  HandshakeError,
  ListError,
  TimeoutError as DpmTimeoutError,
  dpm,
  optionsFromEnv,
  type DpmOptions,
  type Reading,
} from '../index.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../sim/index.js';
import type { CliIO } from './io.js';

export type { CliIO, CliOutput } from './io.js';
export { processIO } from './io.js';

/**
 * Exit codes of every tool.
 *
 * @example
 * ```ts
 * return failed > 0 ? EXIT.DEVICE : EXIT.OK;
 * ```
 */
export const EXIT = {
  /** Everything succeeded. */
  OK: 0,
  /** At least one device failed (or an unexpected internal error). */
  DEVICE: 1,
  /** Usage error: bad option or value, bad DRF; nothing was sent. */
  USAGE: 2,
  /** Connection, handshake, list-level or timeout error. */
  CONNECTION: 3,
  /** Authentication error (no Kerberos ticket, expired, refused). */
  AUTH: 4,
  /** `acput`: the setting was sent but its answer was lost — it may have been applied. */
  UNKNOWN: 5,
} as const;

/** The exit-code paragraph of every `--help`. */
export const EXIT_HELP = `Exit codes:
  0  success
  1  at least one device failed (each failure is reported on stderr)
  2  usage error: bad option or value, bad DRF (nothing is sent)
  3  connection, handshake, list-level or timeout error
  4  authentication error (no Kerberos ticket, expired, refused)
  5  acput: the setting was sent but its answer was lost; it may have been
     applied (it is never re-sent: read the device back)`;

/** The help lines of the common options. */
export const COMMON_HELP = `Connection:
  --host HOST      DPM proxy host (default $PACSYS_DPM_HOST or ${DEFAULTS.host})
  --port PORT      DPM proxy port (default $PACSYS_DPM_PORT or ${DEFAULTS.port})
  --sim            start an embedded DPM simulator on a free port and use it
  --timeout MS     connect/handshake/operation timeout in ms (default ${DEFAULTS.operationTimeout})
  -h, --help       show this help`;

/**
 * A usage error (exit code 2): the message is printed with a hint to `--help`.
 *
 * @example
 * ```ts
 * throw new UsageError('--count: expected a positive integer');
 * ```
 */
export class UsageError extends Error {
  /** The message already points to `--help`: no extra "Try … --help" line. */
  readonly hinted: boolean;

  constructor(message: string, options: { readonly hinted?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.hinted = options.hinted === true;
  }
}

/**
 * A `parseArgs` error as a {@link UsageError}: an unknown option becomes
 * `unknown option --bogus (see --help)` (Node's own text is long and quotes unevenly); other
 * errors keep Node's message.
 *
 * @example
 * ```ts
 * parseArgsError(e).message; // 'unknown option --bogus (see --help)'
 * ```
 */
export function parseArgsError(e: unknown): UsageError {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown !== null) return new UsageError(`unknown option ${unknown[1]!} (see --help)`, { hinted: true });
  return new UsageError(message);
}

/** The `parseArgs` option descriptors shared by every tool. */
export const COMMON_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  sim: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

/** `parseArgs` option descriptors. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * What {@link parseCli} returns: the typed option values and the positionals.
 *
 * @example
 * ```ts
 * const r: ParsedCli<typeof COMMON_OPTIONS> = parseCli(['--sim'], COMMON_OPTIONS);
 * ```
 */
export interface ParsedCli<O extends OptionsConfig> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];
  readonly positionals: string[];
}

/** Marks an argument that looks like a negative number so that `parseArgs` takes it as positional. */
const NEG = '\u0000';

/**
 * `parseArgs` in strict mode with positionals, turning its errors into {@link UsageError}.
 * Arguments that look like negative numbers (`-5`, `-1.5,2`) are positionals, not options.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCli(argv, { ...COMMON_OPTIONS, json: { type: 'boolean' } });
 * ```
 */
export function parseCli<O extends OptionsConfig>(argv: readonly string[], options: O): ParsedCli<O> {
  const args = argv.map((a) => (/^-[\d.]/.test(a) ? NEG + a : a));
  try {
    const r = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: r.values, positionals: r.positionals.map((p) => (p.startsWith(NEG) ? p.slice(1) : p)) };
  } catch (e) {
    throw parseArgsError(e);
  }
}

/**
 * Parses an integer option value, or throws {@link UsageError}.
 *
 * @example
 * ```ts
 * intOption('count', '5', 1, 1e9); // 5
 * ```
 */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Parses a non-negative decimal option value (e.g. seconds), or throws {@link UsageError}.
 *
 * @example
 * ```ts
 * numberOption('duration', '1.5'); // 1.5
 * ```
 */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(value) || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name}: expected a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Where to connect: host/port (from options, else the environment, else the defaults) or an
 * embedded simulator, plus the timeout.
 *
 * @example
 * ```ts
 * const ep = endpointFrom(values, io.env); // { sim: false, host: 'localhost', port: 6802, timeoutMs: 5000 }
 * ```
 */
export interface Endpoint {
  readonly sim: boolean;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

/** The values of {@link COMMON_OPTIONS} after parsing. */
export interface CommonValues {
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly sim?: boolean | undefined;
  readonly timeout?: string | undefined;
}

/**
 * Resolves the endpoint from the common options and the environment (`PACSYS_DPM_HOST`,
 * `PACSYS_DPM_PORT`). Throws {@link UsageError} for a bad value or `--sim` with `--host`/`--port`.
 *
 * @example
 * ```ts
 * endpointFrom({ port: '6802' }, {}).port; // 6802
 * ```
 */
export function endpointFrom(values: CommonValues, env: Readonly<Record<string, string | undefined>>): Endpoint {
  const timeoutMs = intOption('timeout', values.timeout, 1, 86_400_000) ?? DEFAULTS.operationTimeout;
  if (values.sim === true) {
    if (values.host !== undefined || values.port !== undefined) throw new UsageError('--sim cannot be combined with --host or --port');
    return { sim: true, host: '127.0.0.1', port: 0, timeoutMs };
  }
  if (values.host !== undefined && (values.host === '' || /\s/.test(values.host))) {
    throw new UsageError(`--host: bad host name ${JSON.stringify(values.host)}`);
  }
  let fromEnv: DpmOptions;
  try {
    fromEnv = optionsFromEnv(env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const host = values.host ?? fromEnv.host ?? DEFAULTS.host;
  const port = intOption('port', values.port, 1, 65535) ?? fromEnv.port ?? DEFAULTS.port;
  return { sim: false, host, port, timeoutMs };
}

/**
 * The client options for an endpoint (`port` replaced by the simulator's when one runs).
 *
 * @example
 * ```ts
 * dpm(clientOptions(ep, sim?.port));
 * ```
 */
export function clientOptions(ep: Endpoint, simPort?: number): DpmOptions {
  const t = ep.timeoutMs;
  return {
    host: ep.host,
    port: simPort ?? ep.port,
    timeouts: { connect: t, handshake: t, operation: t },
  };
}

/**
 * Runs `body` against the endpoint: starts an embedded simulator first when `--sim` was given
 * (closing it afterwards, whatever happens).
 *
 * @example
 * ```ts
 * return withEndpoint(ep, (options) => readAll(dpm(options)));
 * ```
 */
export async function withEndpoint<T>(
  ep: Endpoint,
  body: (options: DpmOptions) => Promise<T>,
  simOptions: SimulatorOptions = {},
): Promise<T> {
  if (!ep.sim) return body(clientOptions(ep));
  const sim: SimulatorHandle = await startSimulator({ ...simOptions, host: ep.host, port: 0 });
  try {
    return await body(clientOptions(ep, sim.port));
  } finally {
    await sim.close();
  }
}

/**
 * The exit code for an error: DRF/usage/config → 2, connection/handshake/list/timeout → 3,
 * authentication → 4, device → 1, anything else → 1.
 *
 * @example
 * ```ts
 * exitCodeFor(new DrfError(...)); // 2
 * ```
 */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError || e instanceof DrfError || e instanceof ConfigError) return EXIT.USAGE;
  if (e instanceof AuthenticationError) return EXIT.AUTH;
  if (
    e instanceof ConnectError ||
    e instanceof HandshakeError ||
    e instanceof ConnectionLost ||
    e instanceof ListError ||
    e instanceof DpmTimeoutError ||
    e instanceof ClientClosedError
  ) {
    return EXIT.CONNECTION;
  }
  if (e instanceof DeviceError) return EXIT.DEVICE;
  return EXIT.DEVICE;
}

/**
 * A one-line readable message for an error (its cause appended for connection errors).
 *
 * @example
 * ```ts
 * describeError(err); // 'cannot connect to DPM at 127.0.0.1:1: connection refused'
 * ```
 */
export function describeError(e: unknown): string {
  if (e instanceof UsageError) return e.message;
  if (e instanceof AcsysError) {
    const c = e.cause;
    const code = c instanceof Error ? (c as NodeJS.ErrnoException).code : undefined;
    // the cause adds nothing when the message already carries it: its text, its errno code, or
    // (a handshake answered with HTTP) the status line the cause would quote again
    const statusLine = e instanceof HandshakeError ? e.statusLine : undefined;
    const known =
      c instanceof Error &&
      (e.message.includes(c.message) ||
        (code !== undefined && e.message.includes(code)) ||
        (statusLine !== undefined && e.message.includes(statusLine) && c.message.includes(statusLine)));
    const cause = c instanceof Error && !known ? ` (${c.message})` : '';
    return `${e.message}${cause}`;
  }
  if (e instanceof Error) return `unexpected error: ${e.message}`;
  return `unexpected error: ${String(e)}`;
}

/**
 * Reports an error on stderr as `<tool>: <message>` (plus a `--help` hint for usage errors) and
 * returns its exit code.
 *
 * @example
 * ```ts
 * catch (e) { return reportError('acget', e, io); }
 * ```
 */
export function reportError(tool: string, e: unknown, io: CliIO): number {
  const code = exitCodeFor(e);
  io.stderr.write(`${tool}: ${describeError(e)}\n`);
  if (code === EXIT.USAGE && !(e instanceof UsageError && e.hinted)) io.stderr.write(`Try '${tool} --help' for more information.\n`);
  return code;
}

/**
 * The frame of every tool's `main`: parses `argv` with {@link COMMON_OPTIONS} plus `options`,
 * prints `usage` for `--help` (exit 0), otherwise runs `body`; any error thrown is reported on
 * stderr by {@link reportError} and turned into its exit code.
 *
 * @example
 * ```ts
 * return runTool({ tool: 'acget', usage: USAGE, options: { json: { type: 'boolean' } } }, argv, io, ({ values, positionals }) => ...);
 * ```
 */
export async function runTool<O extends OptionsConfig>(
  spec: { readonly tool: string; readonly usage: string; readonly options: O },
  argv: readonly string[],
  io: CliIO,
  body: (parsed: ParsedCli<typeof COMMON_OPTIONS & O>) => Promise<number>,
): Promise<number> {
  try {
    const parsed = parseCli(argv, { ...COMMON_OPTIONS, ...spec.options });
    if ((parsed.values as { readonly help?: boolean }).help === true) { // generic O: TS cannot see COMMON_OPTIONS.help in the mapped type
      io.stdout.write(spec.usage);
      return EXIT.OK;
    }
    return await body(parsed);
  } catch (e) {
    return reportError(spec.tool, e, io);
  }
}

/**
 * The DRFs given as positionals, each checked by `validate` (a `DrfError` is exit code 2, before
 * anything is sent); none at all is a {@link UsageError}.
 *
 * @example
 * ```ts
 * const drfs = drfArguments(positionals, prepareReads);
 * ```
 */
export function drfArguments(positionals: readonly string[], validate: (drfs: readonly string[]) => unknown): readonly string[] {
  if (positionals.length === 0) throw new UsageError('no DRF given');
  validate(positionals);
  return positionals;
}

/**
 * Reads every DRF once (`getMany`, one round trip) with a client for `options` and hands the
 * readings to `print`. On a timeout or a list error it first prints what did arrive
 * (`missing`: the DRFs that never answered), then throws the error (exit code 3).
 *
 * @example
 * ```ts
 * return withEndpoint(ep, (options) => readOnceAndPrint(options, drfs, (readings) => printAll(readings)));
 * ```
 */
export async function readOnceAndPrint(
  options: DpmOptions,
  drfs: readonly string[],
  print: (readings: readonly Reading[], missing: ReadonlySet<string>) => number,
): Promise<number> {
  const client = dpm(options);
  try {
    return print(await firstValueFrom(client.getMany(drfs)), new Set());
  } catch (e) {
    if (e instanceof DpmTimeoutError) print(e.readings, new Set(e.missing));
    else if (e instanceof ListError) print(e.readings, new Set());
    throw e;
  } finally {
    client.close();
  }
}
