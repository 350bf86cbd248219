/**
 * `acput DRF VALUE`: write one setting with Kerberos authentication and print the result; with
 * `--insecure`, to a simulator in its insecure settings mode (no ticket).
 *
 * @module
 */
import { firstValueFrom, type Observable } from 'rxjs';
import { AuthenticationError, kerberos, type KerberosAuth } from '../auth/index.js';
import {
  ControlCommand,
  controlCommand,
  dpm,
  insecureSimulatorAuth,
  parseDrf,
  writeRequest,
  type DpmClient,
  type DpmOptions,
  type WriteResult,
} from '../index.js';
import { COMMON_HELP, EXIT, EXIT_HELP, endpointFrom, runTool, UsageError, withEndpoint, type CliIO, type Endpoint } from './common.js';
import { statusJson, toHex } from './format.js';

/** A Kerberos principal, `user@REALM` (also `service/host@REALM`). */
const PRINCIPAL = /^[^@\s]+@[^@\s]+$/;

/**
 * The principal `acput --insecure-sim` claims when none is given.
 *
 * @example
 * ```ts
 * main(['Z:ACLTST', '1', '--insecure-sim'], io); // writes as DEFAULT_INSECURE_PRINCIPAL
 * ```
 */
export const DEFAULT_INSECURE_PRINCIPAL = 'insecure-demo@SIM';

/** The `--help` text of `acput`. */
export const USAGE = `Usage: acput [options] DRF VALUE
       acput [options] --raw HEX DRF

Writes VALUE to DRF (READING is written as SETTING, STATUS as CONTROL) on a
Kerberos-authenticated connection and prints the result:
  DRF  VALUE  STATUS
A valid Kerberos ticket is required (run 'kinit' first); without one acput
refuses before connecting (exit code 4). The DPM endpoint is --host/--port,
else $PACSYS_DPM_HOST/$PACSYS_DPM_PORT: a simulator started with
'acsys-sim --auth-config FILE' takes the same ticket (--realm for its realm).

VALUE:
  12.5             a number
  1,2,3.5          comma-separated numbers: an array
  --text VALUE     the text as is (non-numbers are refused without --text)
  --raw HEX        raw bytes, e.g. --raw 0102ff (replaces VALUE)
  ON, OFF, RESET   for a CONTROL (or STATUS) DRF: the control command
                   (case-insensitive; sent as ON = 1, OFF = 2, RESET = 0);
                   other words are refused
  Negative numbers work as they are: acput Z:ACLTST -5

Options:
  --role ROLE      the role to write with (sent as #ROLE:ROLE)
  --realm REALM    Kerberos realm of the service and of your principal
                   (default FNAL.GOV)
  --json           print the result as {drf, success, outcome, value, status}
  --insecure       SIMULATORS ONLY: no Kerberos; authenticate with a fake token
                   that only a simulator in its insecure mode accepts
                   ('acsys-sim --insecure-settings PRINCIPAL', which then treats
                   the client as that PRINCIPAL); with --host/--port (or
                   $PACSYS_DPM_HOST/PORT), or --sim for an embedded one. A real
                   DPM refuses it (exit 4).
  --insecure-sim [PRINCIPAL]
                   DEMO ONLY: --insecure --sim: start an embedded simulator in
                   its insecure mode (treating the client as PRINCIPAL, default
                   ${DEFAULT_INSECURE_PRINCIPAL}, allowing every setting) and write to
                   it; cannot be combined with --host/--port
  --principal PRINCIPAL
                   the principal --insecure claims and an embedded insecure
                   simulator assumes (same as --insecure-sim PRINCIPAL or
                   --insecure-sim=PRINCIPAL)
${COMMON_HELP}

Example:
  acput Z:ACLTST 42 --role testing
  acput Z:ACLTST 42 --insecure --host localhost --port 6802
  acput Z:ACLTST 42 --insecure-sim alice@FNAL.GOV
  acput Z:ACLTST.CONTROL OFF --role testing

${EXIT_HELP}
`;

/**
 * What `acput` writes: a number, numbers, text, or raw bytes (a subset of the client's `WriteValue`).
 *
 * @example
 * ```ts
 * const v: SettingValue = [1, 2, 3];
 * ```
 */
export type SettingValue = number | readonly number[] | string | Uint8Array;

/**
 * The one-setting write `acput` performs: `dpm({ ...options, auth, role }).write(drf, value)`.
 *
 * @example
 * ```ts
 * const w = openWriter({ host, port }, kerberos(), undefined);
 * const r = await firstValueFrom(w.write('Z:ACLTST', 42));
 * w.close();
 * ```
 */
export interface Writer {
  write(drf: string, value: SettingValue): Observable<WriteResult>;
  close(): void;
}

/**
 * A client with Kerberos authentication (and the role, if any) for writing.
 *
 * @example
 * ```ts
 * const w = openWriter({ host: 'localhost', port: 6802 }, kerberos(), 'testing');
 * ```
 */
export function openWriter(options: DpmOptions, auth: KerberosAuth, role: string | undefined): Writer {
  const client: DpmClient = dpm(role === undefined ? { ...options, auth } : { ...options, auth, role });
  return { write: (drf, value) => client.write(drf, value), close: () => client.close() };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the value of `acput`: `--raw HEX` → bytes, `--text` → the text, `12.5` → a number,
 * `1,2,3` → numbers; anything else is a {@link UsageError}.
 *
 * @example
 * ```ts
 * parseSettingValue('1,2.5', {}); // [1, 2.5]
 * parseSettingValue(undefined, { raw: '0a0b' }); // Uint8Array [10, 11]
 * ```
 */
export function parseSettingValue(
  value: string | undefined,
  o: { readonly text?: boolean | undefined; readonly raw?: string | undefined; readonly control?: boolean | undefined },
): SettingValue {
  if (o.raw !== undefined) {
    if (value !== undefined) throw new UsageError('give either VALUE or --raw HEX, not both');
    if (o.text === true) throw new UsageError('--text and --raw cannot be combined');
    const hex = o.raw.replace(/^0x/i, '');
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new UsageError(`--raw: expected an even number of hex digits, got ${JSON.stringify(o.raw)}`);
    }
    return Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
  }
  if (value === undefined) throw new UsageError('no VALUE given');
  if (o.text === true) return value;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.every((p) => NUMBER.test(p))) {
    const nums = parts.map(Number);
    return nums.length === 1 && !value.includes(',') ? nums[0]! : nums;
  }
  if (o.control === true) {
    if (controlCommand(value) !== undefined) return value.trim().toUpperCase(); // the client maps it to its number
    throw new UsageError(`VALUE ${JSON.stringify(value)} is not a control command: expected ${Object.keys(ControlCommand).join(', ')} or a number`);
  }
  throw new UsageError(`VALUE ${JSON.stringify(value)} is not a number or a comma-separated list of numbers (use --text to write text)`);
}

function valueText(v: SettingValue, control: boolean): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return control ? v : JSON.stringify(v);
  if (v instanceof Uint8Array) return toHex(v);
  return `[${v.join(', ')}]`;
}

/**
 * Runs `acput`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['Z:ACLTST', '42'], processIO());
 * ```
 */
export function main(argv: readonly string[], io: CliIO): Promise<number> {
  const options = {
    role: { type: 'string' },
    realm: { type: 'string' },
    text: { type: 'boolean' },
    raw: { type: 'string' },
    json: { type: 'boolean' },
    insecure: { type: 'boolean' },
    'insecure-sim': { type: 'boolean' },
    principal: { type: 'string' },
  } as const;
  return runTool({ tool: 'acput', usage: USAGE, options }, insecurePrincipalArgs(argv), io, async ({ values, positionals }) => {
    const [drf, raw, ...extra] = positionals;
    if (drf === undefined) throw new UsageError('no DRF given');
    if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')} (quote a text VALUE with spaces)`);
    const control = writeRequest(drf).property === 'CONTROL'; // DrfError → exit 2
    const value = parseSettingValue(raw, { text: values.text, raw: values.raw, control });
    if (values.role !== undefined && !/^[\w.-]+$/.test(values.role)) throw new UsageError(`--role: bad role ${JSON.stringify(values.role)}`);
    const principal = insecurePrincipal(values);
    const embedded = values['insecure-sim'] === true;
    const ep: Endpoint = endpointFrom(embedded ? { ...values, sim: true } : values, io.env);
    const auth = principal !== undefined ? insecureSimulatorAuth(principal) : await realAuth(values.realm, io);
    const result = await withEndpoint(
      ep,
      async (options) => {
        const writer = openWriter(options, auth, values.role);
        try {
          return await firstValueFrom(writer.write(drf, value));
        } finally {
          writer.close();
        }
      },
      principal !== undefined ? { insecureSettings: principal } : {},
    ).catch((e: unknown) => {
      if (principal !== undefined && !ep.sim && e instanceof AuthenticationError && e.reason === 'server-refused') {
        throw new AuthenticationError(
          e.reason,
          `--insecure: ${ep.host}:${ep.port} refused the fake token: it is not a simulator started with --insecure-settings (a real DPM needs kinit, without --insecure)`,
          { cause: e, ...(e.status !== undefined ? { status: e.status } : {}) },
        );
      }
      throw e;
    });
    return printResult(result, value, control, values.json === true, io);
  });
}

/**
 * Rewrites the optional value of `--insecure` and `--insecure-sim` into `… --principal P`:
 * `--insecure-sim=P`, or `--insecure-sim P` when `P` looks like `user@REALM` and is not a DRF
 * (likewise for `--insecure`).
 */
function insecurePrincipalArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const flag = /^(--insecure(?:-sim)?)(?:=(.*))?$/.exec(a);
    if (flag !== null && flag[2] !== undefined) {
      out.push(flag[1]!, '--principal', flag[2]);
    } else if (flag !== null && next !== undefined && PRINCIPAL.test(next) && !isDrf(next)) {
      out.push(a, '--principal', next);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function isDrf(s: string): boolean {
  try {
    parseDrf(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * The principal of `--insecure`/`--insecure-sim` (undefined without them), after checking the
 * option combination.
 */
function insecurePrincipal(values: {
  readonly insecure?: boolean | undefined;
  readonly 'insecure-sim'?: boolean | undefined;
  readonly principal?: string | undefined;
  readonly realm?: string | undefined;
  readonly sim?: boolean | undefined;
  readonly host?: string | undefined;
  readonly port?: string | undefined;
}): string | undefined {
  if (values['insecure-sim'] !== true && values.insecure !== true) {
    if (values.principal !== undefined) throw new UsageError('--principal is only for --insecure (a real write uses the principal of your Kerberos ticket)');
    return undefined;
  }
  if (values['insecure-sim'] === true && (values.sim === true || values.host !== undefined || values.port !== undefined)) {
    throw new UsageError('--insecure-sim starts its own simulator: it cannot be combined with --sim, --host or --port (to write to a running simulator: --insecure --host H --port P)');
  }
  if (values.realm !== undefined) throw new UsageError('--realm is for Kerberos: it cannot be combined with --insecure');
  const principal = values.principal ?? DEFAULT_INSECURE_PRINCIPAL;
  if (!PRINCIPAL.test(principal)) throw new UsageError(`--insecure-sim: expected a principal like alice@FNAL.GOV, got ${JSON.stringify(principal)}`);
  return principal;
}

/** Kerberos from the ticket cache (`KRB5CCNAME` of `io.env`), checked before anything is sent. */
async function realAuth(realm: string | undefined, io: CliIO): Promise<KerberosAuth> {
  const ccache = io.env['KRB5CCNAME'];
  const auth = kerberos({
    ...(realm !== undefined ? { realm, requiredRealm: realm } : {}),
    ...(ccache !== undefined && ccache !== '' ? { ccache } : {}),
  });
  try {
    await auth.resolve();
  } catch (e) {
    // No ticket, expired, wrong realm, no GSSAPI binding: refuse before connecting (exit 4).
    if (!(e instanceof AuthenticationError)) throw e;
    throw new AuthenticationError(e.reason, `refusing to write: ${e.message}`, { cause: e, ...(e.status !== undefined ? { status: e.status } : {}) });
  }
  return auth;
}

function printResult(r: WriteResult, value: SettingValue, control: boolean, json: boolean, io: CliIO): number {
  if (json) {
    const v = value instanceof Uint8Array ? toHex(value) : typeof value === 'object' ? [...value] : value;
    const message = r.message !== undefined ? { message: r.message } : {};
    io.stdout.write(`${JSON.stringify({ drf: r.drf, success: r.success, outcome: r.outcome, value: v, status: statusJson(r.status), ...message })}\n`);
  } else if (r.success) {
    io.stdout.write(`${r.drf}  ${valueText(value, control)}  ${r.status.name ?? r.status.toString()}\n`);
  }
  if (r.success) return EXIT.OK;
  if (r.outcome === 'unknown') {
    io.stderr.write(`acput: ${r.drf}: outcome unknown, the setting may have been applied (${r.status.toString()}; ${r.message ?? ''}); it is not sent again: read the device back\n`);
    return EXIT.UNKNOWN;
  }
  io.stderr.write(`acput: ${r.drf}: setting failed: ${r.status.toString()}${r.message !== undefined ? ` (${r.message})` : ''}\n`);
  return EXIT.DEVICE;
}
