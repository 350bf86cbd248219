/**
 * `acsys-web`: live device plots in a browser — the read-only WebSocket gateway to DPM and the
 * dashboard page, in one command.
 *
 * ```
 * acsys-web [--host 127.0.0.1] [--port 8080] [--dpm-host HOST] [--dpm-port PORT | --sim [--devices N]]
 *           [--allow-origin ORIGIN]… [--max-clients N] [--max-subscriptions N] [--pages DIR] [--no-page] [--quiet]
 * ```
 *
 * Prints `dashboard at http://HOST:PORT/` once ready and runs until SIGINT or SIGTERM; then
 * closes every browser connection and DPM list, prints `stopped` and exits 0.
 *
 * @example
 * ```sh
 * npx acsys-web --sim            # simulator + gateway + page; open the printed URL
 * PACSYS_DPM_HOST=localhost npx acsys-web --port 8080
 * ```
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { DEFAULTS, dpm, optionsFromEnv, type DpmClient } from '../index.js';
import { generateCatalogue, startSimulator, type SimulatorHandle } from '../sim/index.js';
import { DEFAULT_LIMITS, isLoopback, startGateway, type GatewayHandle, type GatewayLimits } from '../web/index.js';

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * process.stdout.write(WEB_USAGE);
 * ```
 */
export const WEB_USAGE = `Usage: acsys-web [options]

Live device plots in a browser: a read-only WebSocket gateway to DPM (no settings
can go through it) and the dashboard page. Prints "dashboard at URL" once ready,
runs until SIGINT/SIGTERM, then prints "stopped".

Options:
  --host HOST              address to listen on (default 127.0.0.1: this machine only)
  --port PORT              TCP port (default 8080, or a free one if 8080 is taken; 0 = any)
  --dpm-host HOST          DPM proxy host (default $PACSYS_DPM_HOST or ${DEFAULTS.host})
  --dpm-port PORT          DPM proxy port (default $PACSYS_DPM_PORT or ${DEFAULTS.port})
  --sim                    run the embedded DPM simulator behind the gateway
  --devices N              with --sim: add N generated devices Z:GEN00000…
  --allow-origin ORIGIN    also accept pages served from ORIGIN (e.g. https://host:8443;
                           repeatable; * = any origin)
  --max-clients N          browser connections at once (default ${DEFAULT_LIMITS.maxClients})
  --max-subscriptions N    subscriptions (DPM lists) per connection (default ${DEFAULT_LIMITS.maxSubscriptions})
  --pages DIR              also serve your own pages from DIR (at /<file>); they can
                           import { stream } from '/acsys-rx-browser.js'
  --no-page                serve the WebSocket only, not the dashboard page
  --quiet                  no log lines on stderr
  -h, --help               show this help

In a browser: open the printed URL, type a DRF (M:OUTTMP, G:AMANDA@p,100, Z:ARRAY1K).
From a page of your own: import { stream } from 'acsys-rx/browser', or load
<script type="module"> from URL/acsys-rx-browser.js.

Exit codes: 0 stopped by a signal, 1 could not start, 2 usage error.`;

const WEB_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'dpm-host': { type: 'string' },
  'dpm-port': { type: 'string' },
  sim: { type: 'boolean' },
  devices: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'max-clients': { type: 'string' },
  'max-subscriptions': { type: 'string' },
  pages: { type: 'string' },
  'no-page': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * What the command line asks for.
 *
 * @example
 * ```ts
 * const o: WebCliOptions = parseWebArgs(['--sim'], {}) as WebCliOptions;
 * ```
 */
export interface WebCliOptions {
  readonly host: string;
  /** Undefined: 8080, or any free port when 8080 is taken. */
  readonly port: number | undefined;
  /** DPM endpoint; undefined with `sim`. */
  readonly dpm: { readonly host: string; readonly port: number } | undefined;
  readonly sim: boolean;
  readonly devices: number | undefined;
  readonly origins: readonly string[];
  readonly limits: Partial<GatewayLimits>;
  readonly page: boolean;
  readonly pagesDir: string | undefined;
  readonly quiet: boolean;
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Error(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * Parses the arguments (and, for the DPM endpoint, `PACSYS_DPM_HOST`/`PACSYS_DPM_PORT`), or
 * returns `'help'`.
 *
 * @throws {Error} with a message for a bad option or value.
 * @example
 * ```ts
 * parseWebArgs(['--port', '8081', '--sim'], {}); // { host: '127.0.0.1', port: 8081, sim: true, … }
 * ```
 */
export function parseWebArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): WebCliOptions | 'help' {
  let values: ReturnType<typeof parseArgs<{ options: typeof WEB_OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: WEB_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const unknown = /^Unknown option '([^']*)'/.exec((e as Error).message);
    throw unknown !== null ? new Error(`unknown option ${unknown[1]!} (see --help)`) : e;
  }
  if (values.help === true) return 'help';
  const sim = values.sim === true;
  if (sim && (values['dpm-host'] !== undefined || values['dpm-port'] !== undefined)) throw new Error('--sim cannot be combined with --dpm-host or --dpm-port');
  if (!sim && values.devices !== undefined) throw new Error('--devices needs --sim');
  const host = values.host ?? '127.0.0.1';
  if (host === '' || /\s/.test(host)) throw new Error(`--host: bad address ${JSON.stringify(host)}`);
  let dpmEndpoint: WebCliOptions['dpm'];
  if (!sim) {
    const fromEnv = optionsFromEnv(env);
    const dh = values['dpm-host'] ?? fromEnv.host ?? DEFAULTS.host;
    if (dh === '' || /\s/.test(dh)) throw new Error(`--dpm-host: bad host ${JSON.stringify(dh)}`);
    dpmEndpoint = { host: dh, port: int('dpm-port', values['dpm-port'], 1, 65535) ?? fromEnv.port ?? DEFAULTS.port };
  }
  const limits: { -readonly [K in keyof GatewayLimits]?: number } = {};
  const mc = int('max-clients', values['max-clients'], 1, 100_000);
  if (mc !== undefined) limits.maxClients = mc;
  const ms = int('max-subscriptions', values['max-subscriptions'], 1, 100_000);
  if (ms !== undefined) limits.maxSubscriptions = ms;
  return {
    host,
    port: int('port', values.port, 0, 65535),
    dpm: dpmEndpoint,
    sim,
    devices: int('devices', values.devices, 0, 1_000_000),
    origins: values['allow-origin'] ?? [],
    limits,
    page: values['no-page'] !== true,
    pagesDir: values.pages,
    quiet: values.quiet === true,
  };
}

/**
 * Runs the CLI: starts the simulator (with `--sim`), the client and the gateway, prints the
 * URL, and resolves with the exit code once a signal stopped it.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let o: WebCliOptions | 'help';
  try {
    o = parseWebArgs(argv, env);
  } catch (e) {
    err(`acsys-web: ${(e as Error).message}`);
    return 2;
  }
  if (o === 'help') {
    out(WEB_USAGE);
    return 0;
  }
  let sim: SimulatorHandle | undefined;
  let client: DpmClient | undefined;
  let gw: GatewayHandle | undefined;
  const log = o.quiet ? undefined : (line: string): void => err(`acsys-web: ${line}`);
  const stopAll = async (): Promise<void> => {
    await gw?.close();
    client?.close();
    await sim?.close();
  };
  try {
    if (o.sim) sim = await startSimulator({ port: 0, ...(o.devices === undefined ? {} : { catalogue: generateCatalogue(o.devices) }) });
    const endpoint = sim !== undefined ? { host: sim.host, port: sim.port } : o.dpm!;
    client = dpm(endpoint);
    const opts = {
      client,
      host: o.host,
      origins: o.origins,
      limits: o.limits,
      page: o.page,
      ...(o.pagesDir === undefined ? {} : { pagesDir: o.pagesDir }),
      ...(log === undefined ? {} : { log }),
    };
    try {
      gw = await startGateway({ ...opts, port: o.port ?? 8080 });
    } catch (e) {
      if (o.port !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      gw = await startGateway({ ...opts, port: 0 }); // the default port is taken: any free one
    }
    if (!isLoopback(o.host)) {
      err(`acsys-web: WARNING: listening on ${o.host}: anyone who can reach ${o.host}:${gw.port} can read devices through this gateway (read-only, no authentication)`);
    }
    log?.(`DPM at ${endpoint.host}:${endpoint.port}${sim !== undefined ? ' (embedded simulator)' : ''}`);
  } catch (e) {
    err(`acsys-web: ${(e as Error).message}`);
    await stopAll();
    return 1;
  }
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out(o.page ? `dashboard at ${gw.url}` : `gateway at ${gw.wsUrl}`);
  await stopped;
  await stopAll();
  out('stopped');
  return 0;
}
