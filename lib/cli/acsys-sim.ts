#!/usr/bin/env node
/**
 * `acsys-sim`: run the DPM simulator from the command line, or list its devices.
 *
 * ```
 * acsys-sim --port 6802 [--host 127.0.0.1] [--catalogue FILE | --devices N] [--heartbeat-ms N]
 *           [--auth-config FILE [--keytab KEYTAB] [--service-name NAME]] [--insecure-settings PRINCIPAL]
 * acsys-sim --list [--json] [--catalogue FILE | --devices N]
 * ```
 *
 * Prints one line, `listening on <host>:<port>`, and runs until SIGINT or SIGTERM (or, when
 * started by `npx`/`npm run`, until that npm process is gone); then closes every connection,
 * prints `stopped` and exits 0.
 *
 * @example
 * ```sh
 * npx acsys-sim --port 6802 --devices 10000
 * ```
 *
 * @module
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkAcceptorKeytab,
  defaultCatalogue,
  generateCatalogue,
  loadCatalogue,
  loadCatalogueFile,
  startSimulator,
  type Catalogue,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../sim/index.js';
import { catalogueJson, catalogueTable } from './catalogue-list.js';
import { processIO, type CliIO } from './io.js';

/**
 * The package's root directory (the one whose package.json is `acsys-rx`), found upwards from
 * this module: `lib/cli` in a checkout, `dist/lib/cli` when compiled.
 *
 * @example
 * ```ts
 * join(packageRoot(), 'examples', 'sim-auth.json');
 * ```
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name === 'acsys-rx') return dir;
      } catch {
        // not ours: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return dirname(fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The example authorization file shipped with the package, as a path a user can type. */
function sampleAuthConfig(): string {
  const abs = join(packageRoot(), 'examples', 'sim-auth.json');
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') || rel === '' ? abs : rel;
}

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * process.stdout.write(USAGE);
 * ```
 */
export const USAGE = `Usage: acsys-sim [options]
       acsys-sim --list [--json] [--catalogue FILE | --devices N]

Runs a DPM simulator (acsys-proxy + DPM stand-in) until SIGINT/SIGTERM.
Prints "listening on HOST:PORT" once ready and "stopped" when it stops.
Started by npx or npm run, it also stops when that npm process goes away.

Options:
  --host HOST          address to listen on (default 127.0.0.1)
  --port PORT          TCP port, 0 = any free port (default 6802)
  --catalogue FILE     device catalogue JSON file (default: built-in catalogue)
  --devices N          add N generated devices Z:GEN00000... to the built-in catalogue
  --list               print the devices (name, index, type, units, properties,
                       description) and exit; --json: one JSON object per device
  --heartbeat-ms N     heartbeat period in ms (default 2000)
  --auth-config FILE   settings need Kerberos: users, roles and device masks from
                       this JSON file (example: ${sampleAuthConfig()});
                       the service key comes from the keytab named by KRB5_KTNAME
                       (or --keytab)
  --keytab KEYTAB      acceptor keytab, e.g. FILE:/etc/daeset.keytab
  --service-name NAME  service name announced to clients (default daeset/bd@<host>);
                       the keytab must hold NAME with @ replaced by / in the realm
  --insecure-settings PRINCIPAL
                       INSECURE, demos/tests only: accept any Kerberos token
                       without checking it; a list that ran the authentication
                       exchange (Authenticate with a token, then EnableSettings)
                       is taken to be PRINCIPAL, other lists stay anonymous
                       (their settings get DPM_PRIV); settings of PRINCIPAL are
                       authorized by --auth-config when given, else all allowed;
                       write to it with acput --insecure
  -h, --help           show this help

Exit codes: 0 stopped by a signal (or --list done), 1 could not start, 2 usage error.
`;

const SIM_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  catalogue: { type: 'string' },
  devices: { type: 'string' },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  'heartbeat-ms': { type: 'string' },
  'insecure-settings': { type: 'string' },
  'auth-config': { type: 'string' },
  keytab: { type: 'string' },
  'service-name': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type SimValues = ReturnType<typeof parseArgs<{ options: typeof SIM_OPTIONS; strict: true; allowPositionals: false }>>['values'];

/** A bad command line (exit code 2). */
class SimUsageError extends Error {}

/** `parseArgs` in strict mode; an unknown option is reported as `unknown option --x (see --help)`. */
function parseSimArgs(argv: readonly string[]): SimValues {
  try {
    return parseArgs({ args: [...argv], options: SIM_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /^Unknown option '([^']*)'/.exec(message);
    if (unknown !== null) throw new SimUsageError(`unknown option ${unknown[1]!} (see --help)`);
    const positional = /^Unexpected argument '([^']*)'/.exec(message);
    if (positional !== null) throw new SimUsageError(`unexpected argument ${JSON.stringify(positional[1]!)} (see --help)`);
    throw new SimUsageError(message);
  }
}

function simOptions(values: SimValues): SimulatorOptions {
  const int = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new SimUsageError(`--${name}: expected an integer ${min}..${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  if (values.catalogue !== undefined && values.devices !== undefined) throw new SimUsageError('--catalogue and --devices cannot be combined');
  const opts: SimulatorOptions = { host: values.host ?? '127.0.0.1', port: int('port', values.port, 0, 65535) ?? 6802 };
  const hb = int('heartbeat-ms', values['heartbeat-ms'], 1, 3_600_000);
  if (hb !== undefined) opts.heartbeatMs = hb;
  const n = int('devices', values.devices, 0, 10_000_000);
  if (n !== undefined) opts.catalogue = generateCatalogue(n);
  if (values.catalogue !== undefined) opts.catalogue = values.catalogue;
  const insecure = values['insecure-settings'];
  if (insecure !== undefined) {
    if (!/^[^@\s]+@[^@\s]+$/.test(insecure)) throw new SimUsageError(`--insecure-settings: expected a principal like alice@FNAL.GOV, got ${JSON.stringify(insecure)}`);
    opts.insecureSettings = insecure;
  }
  if (values['auth-config'] !== undefined) opts.authConfig = values['auth-config'];
  if (values.keytab !== undefined) opts.keytab = values.keytab;
  const svc = values['service-name'];
  if (svc !== undefined) {
    if (!/^[^@\s]+@[^@\s]+$/.test(svc)) throw new SimUsageError(`--service-name: expected <service>/<instance>@<host>, got ${JSON.stringify(svc)}`);
    opts.serviceName = svc;
  }
  return opts;
}

/**
 * Parses command-line arguments into simulator options, or `'help'` (`--list` and `--json`
 * are left to {@link main}).
 *
 * @throws {Error} with a one-line message for a bad option or value.
 * @example
 * ```ts
 * parseCliArgs(['--port', '6802']); // { port: 6802, host: '127.0.0.1' }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): SimulatorOptions | 'help' {
  const values = parseSimArgs(argv);
  if (values.help === true) return 'help';
  return simOptions(values);
}

/** The catalogue the simulator would serve for `opts` (validated). */
function catalogueOf(opts: SimulatorOptions): Catalogue {
  const c = opts.catalogue;
  if (c === undefined) return defaultCatalogue();
  return typeof c === 'string' ? loadCatalogueFile(c) : loadCatalogue(c);
}

/**
 * Runs the CLI: `--list` prints the devices and resolves 0; otherwise starts the simulator,
 * prints the listening line, and resolves with the exit code once a signal (or the end of the
 * npm process that started it) closed it. Errors are one line on stderr: exit 2 for usage, 1
 * when the simulator cannot start.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  let values: SimValues;
  let opts: SimulatorOptions;
  try {
    values = parseSimArgs(argv);
    if (values.help === true) {
      io.stdout.write(USAGE);
      return 0;
    }
    opts = simOptions(values);
    if (values.json === true && values.list !== true) throw new SimUsageError('--json goes with --list');
  } catch (e) {
    io.stderr.write(`acsys-sim: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.list === true) {
    try {
      const cat = catalogueOf(opts);
      if (values.json === true) for (const d of catalogueJson(cat)) out(JSON.stringify(d));
      else io.stdout.write(catalogueTable(cat));
      return 0;
    } catch (e) {
      io.stderr.write(`acsys-sim: ${oneLine(e)}\n`);
      return 1;
    }
  }
  let sim: SimulatorHandle;
  try {
    if (opts.insecureSettings === undefined && (opts.authConfig !== undefined || opts.keytab !== undefined)) {
      // Kerberos settings: report an unusable keytab now, not at the first client's attempt
      await checkAcceptorKeytab(opts.keytab !== undefined ? { keytab: opts.keytab } : {});
    } else if (opts.insecureSettings !== undefined) {
      io.stderr.write(`acsys-sim: WARNING: INSECURE settings mode: any client is accepted as ${String(opts.insecureSettings)}\n`);
    }
    sim = await startSimulator(opts);
  } catch (e) {
    io.stderr.write(`acsys-sim: ${oneLine(e)}\n`);
    return 1;
  }
  // the handlers are in place before the line is printed: a supervisor may signal as soon as it reads it
  const stopped = new Promise<void>((resolve) => {
    const onTerm = (): void => stop();
    const removeInterrupt = io.onInterrupt(onTerm);
    process.on('SIGTERM', onTerm);
    function stop(): void {
      removeInterrupt();
      process.off('SIGTERM', onTerm);
      resolve();
    }
  });
  out(`listening on ${sim.host}:${sim.port}`);
  await stopped;
  await sim.close();
  out('stopped');
  return 0;
}

/** An error as one line: the message's lines joined (a catalogue error lists its problems). */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
}

// Run directly (`node dist/lib/cli/acsys-sim.js`, as the `bin` entry of earlier versions did):
// behave as the program. Imported (by bin/acsys-sim.js through acsys-sim-bin, or by tests): nothing.
const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(realpathSync(invokedPath)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
