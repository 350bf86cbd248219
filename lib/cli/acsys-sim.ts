#!/usr/bin/env node
/**
 * `acsys-sim`: run the DPM simulator from the command line.
 *
 * ```
 * acsys-sim --port 6802 [--host 127.0.0.1] [--catalogue FILE | --devices N] [--heartbeat-ms N]
 *           [--auth-config FILE [--keytab KEYTAB] [--service-name NAME]] [--insecure-settings PRINCIPAL]
 * ```
 *
 * Prints one line, `listening on <host>:<port>`, and runs until SIGINT or SIGTERM; then closes
 * every connection, prints `stopped` and exits 0.
 *
 * @example
 * ```sh
 * npx acsys-sim --port 6802 --devices 10000
 * ```
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { startSimulator, type SimulatorHandle } from '../sim/simulator.js';
import { generateCatalogue } from '../sim/catalogue/generate.js';
import type { SimulatorOptions } from '../sim/options.js';
import { checkAcceptorKeytab } from '../sim/auth/session.js';

/**
 * The `--help` text.
 *
 * @example
 * ```ts
 * process.stdout.write(USAGE);
 * ```
 */
export const USAGE = `Usage: acsys-sim [options]

Runs a DPM simulator (acsys-proxy + DPM stand-in) until SIGINT/SIGTERM.
Prints "listening on HOST:PORT" once ready and "stopped" when it stops.

Options:
  --host HOST          address to listen on (default 127.0.0.1)
  --port PORT          TCP port, 0 = any free port (default 6802)
  --catalogue FILE     device catalogue JSON file (default: built-in catalogue)
  --devices N          add N generated devices Z:GEN00000... to the built-in catalogue
  --heartbeat-ms N     heartbeat period in ms (default 2000)
  --auth-config FILE   settings need Kerberos: users, roles and device masks from
                       this JSON file (see examples/sim-auth.json); the service key
                       comes from the keytab named by KRB5_KTNAME (or --keytab)
  --keytab KEYTAB      acceptor keytab, e.g. FILE:/etc/daeset.keytab
  --service-name NAME  service name announced to clients (default daeset/bd@<host>);
                       the keytab must hold NAME with @ replaced by / in the realm
  --insecure-settings PRINCIPAL
                       INSECURE, demos/tests only: accept any Kerberos token
                       without checking it; a list that ran the authentication
                       exchange (Authenticate with a token, then EnableSettings)
                       is taken to be PRINCIPAL, other lists stay anonymous
                       (their settings get DPM_PRIV); settings of PRINCIPAL are
                       authorized by --auth-config when given, else all allowed
  -h, --help           show this help
`;

const SIM_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  catalogue: { type: 'string' },
  devices: { type: 'string' },
  'heartbeat-ms': { type: 'string' },
  'insecure-settings': { type: 'string' },
  'auth-config': { type: 'string' },
  keytab: { type: 'string' },
  'service-name': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `parseArgs` in strict mode; an unknown option is reported as `unknown option --x (see --help)`. */
function parseSimArgs(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof SIM_OPTIONS; strict: true; allowPositionals: false }>> {
  try {
    return parseArgs({ args: [...argv], options: SIM_OPTIONS, strict: true, allowPositionals: false });
  } catch (e) {
    const unknown = /^Unknown option '([^']*)'/.exec((e as Error).message);
    throw unknown !== null ? new Error(`unknown option ${unknown[1]!} (see --help)`) : e;
  }
}

/**
 * Parses command-line arguments into simulator options, or `'help'`.
 *
 * @throws {Error} with a message for a bad option or value.
 * @example
 * ```ts
 * parseCliArgs(['--port', '6802']); // { port: 6802, host: '127.0.0.1' }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): SimulatorOptions | 'help' {
  const { values } = parseSimArgs(argv);
  if (values.help === true) return 'help';
  const int = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Error(`--${name}: expected an integer ${min}..${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  if (values.catalogue !== undefined && values.devices !== undefined) throw new Error('--catalogue and --devices cannot be combined');
  const opts: SimulatorOptions = { host: values.host ?? '127.0.0.1', port: int('port', values.port, 0, 65535) ?? 6802 };
  const hb = int('heartbeat-ms', values['heartbeat-ms'], 1, 3_600_000);
  if (hb !== undefined) opts.heartbeatMs = hb;
  const n = int('devices', values.devices, 0, 10_000_000);
  if (n !== undefined) opts.catalogue = generateCatalogue(n);
  if (values.catalogue !== undefined) opts.catalogue = values.catalogue;
  const insecure = values['insecure-settings'];
  if (insecure !== undefined) {
    if (!/^[^@\s]+@[^@\s]+$/.test(insecure)) throw new Error(`--insecure-settings: expected a principal like alice@FNAL.GOV, got ${JSON.stringify(insecure)}`);
    opts.insecureSettings = insecure;
  }
  if (values['auth-config'] !== undefined) opts.authConfig = values['auth-config'];
  if (values.keytab !== undefined) opts.keytab = values.keytab;
  const svc = values['service-name'];
  if (svc !== undefined) {
    if (!/^[^@\s]+@[^@\s]+$/.test(svc)) throw new Error(`--service-name: expected <service>/<instance>@<host>, got ${JSON.stringify(svc)}`);
    opts.serviceName = svc;
  }
  return opts;
}

/**
 * Runs the CLI: starts the simulator, prints the listening line, and resolves with the
 * exit code once a signal closed it.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let opts: SimulatorOptions | 'help';
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`acsys-sim: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    out(USAGE.trimEnd());
    return 0;
  }
  let sim: SimulatorHandle;
  try {
    if (opts.insecureSettings === undefined && (opts.authConfig !== undefined || opts.keytab !== undefined)) {
      // Kerberos settings: report an unusable keytab now, not at the first client's attempt
      await checkAcceptorKeytab(opts.keytab !== undefined ? { keytab: opts.keytab } : {});
    } else if (opts.insecureSettings !== undefined) {
      process.stderr.write(`acsys-sim: WARNING: INSECURE settings mode: any client is accepted as ${String(opts.insecureSettings)}\n`);
    }
    sim = await startSimulator(opts);
  } catch (e) {
    process.stderr.write(`acsys-sim: ${(e as Error).message}\n`);
    return 1;
  }
  // the handlers are in place before the line is printed: a supervisor may signal as soon as it reads it
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  out(`listening on ${sim.host}:${sim.port}`);
  await stopped;
  await sim.close();
  out('stopped');
  return 0;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(realpathSync(invokedPath)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
