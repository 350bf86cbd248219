/**
 * The simulator's authorization table (`dpm-behaviour.md` §9.5, §11 item 14): console users with
 * roles and a console-class bitmask, roles with allowed devices, and device protection masks.
 * Validated with io-ts; a bad configuration raises {@link AuthConfigError} listing every problem.
 *
 * JSON shape:
 * ```json
 * {
 *   "users":   { "alice": { "roles": ["tester"], "classes": 1 }, "bob@FNAL.GOV": { "classes": 6 } },
 *   "roles":   { "tester": ["Z:ACLTST", "G:AMANDA"] },
 *   "devices": { "Z:ACLTST": 2, "M:OUTTMP": 4 }
 * }
 * ```
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import * as t from 'io-ts';
import { AcsysError } from '../../errors/acsys-error.js';

const Mask = t.refinement(
  t.number,
  (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
  'an integer bitmask in 0..0xFFFFFFFF',
);

const NonEmptyString = t.refinement(t.string, (s) => s.trim().length > 0, 'a non-empty string');

const UserCodec = t.exact(
  t.partial({
    roles: t.array(NonEmptyString, 'a list of role names'),
    classes: Mask,
  }),
  'a user object { roles?: string[], classes?: number }',
);

const ConfigCodec = t.exact(
  t.partial({
    users: t.record(t.string, UserCodec),
    roles: t.record(t.string, t.array(NonEmptyString, 'a list of device names')),
    devices: t.record(t.string, Mask),
  }),
  'an object { users?, roles?, devices? }',
);

/**
 * The JSON form of the authorization configuration (every section optional).
 *
 * @example
 * ```ts
 * const input: AuthConfigInput = { users: { alice: { roles: ['tester'] } }, roles: { tester: ['Z:ACLTST'] } };
 * ```
 */
export interface AuthConfigInput {
  /** Console users, keyed by full principal (`alice@FNAL.GOV`) or short name (`alice`). */
  users?: Record<string, { roles?: string[]; classes?: number }>;
  /** Role name → device names the role may set (case-insensitive). */
  roles?: Record<string, string[]>;
  /** Device name → protection mask (console classes allowed to set it). */
  devices?: Record<string, number>;
}

/**
 * A console user of the simulator.
 *
 * @example
 * ```ts
 * const u: SimUser = { name: 'alice', roles: ['tester'], classes: 1 };
 * ```
 */
export interface SimUser {
  /** The key it was configured under (principal or short name). */
  readonly name: string;
  readonly roles: readonly string[];
  /** Console-class bitmask (0 when not given). */
  readonly classes: number;
}

/**
 * A validated, normalized authorization configuration.
 *
 * @example
 * ```ts
 * const cfg: AuthConfig = parseAuthConfig({ users: { alice: { classes: 1 } }, devices: { 'M:OUTTMP': 1 } });
 * ```
 */
export interface AuthConfig {
  /** Users by configured key (principal or short name). */
  readonly users: ReadonlyMap<string, SimUser>;
  /** Role → canonical device names. */
  readonly roles: ReadonlyMap<string, ReadonlySet<string>>;
  /** Canonical device name → protection mask. */
  readonly deviceMasks: ReadonlyMap<string, number>;
}

/**
 * An authorization configuration is invalid. `problems` lists every problem found, one per entry,
 * each starting with the path (`users.alice.classes: …`).
 *
 * @example
 * ```ts
 * try { parseAuthConfig(json) } catch (e) { if (e instanceof AuthConfigError) e.problems.forEach((p) => console.error(p)); }
 * ```
 */
export class AuthConfigError extends AcsysError {
  readonly code = 'AUTH_CONFIG_ERROR';
  /** Every problem found. */
  readonly problems: readonly string[];
  /** The file the configuration came from, if any. */
  readonly source: string | undefined;

  constructor(problems: readonly string[], source?: string, options?: { cause?: unknown }) {
    super(
      `invalid simulator auth configuration${source !== undefined ? ` (${source})` : ''}: ` +
        `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  - ${problems.join('\n  - ')}`,
      options,
    );
    this.problems = problems;
    this.source = source;
  }
}

const QUALIFIERS = new Set([':', '?', '_', '|', '&', '@', '$', '~', '^', '#', '!']);

/**
 * Canonical form of a device name for authorization: upper case, and the qualifier character (the
 * second one, e.g. `_` in `Z_ACLTST`) replaced by `:`, so `z_acltst`, `Z|ACLTST` and `Z:ACLTST`
 * name the same device.
 *
 * @example
 * ```ts
 * canonicalDeviceName('z_acltst'); // 'Z:ACLTST'
 * ```
 */
export function canonicalDeviceName(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper.length >= 2 && QUALIFIERS.has(upper[1] as string)) return `${upper[0]}:${upper.slice(2)}`;
  return upper;
}

function pathOf(context: t.Context): string {
  const keys = context
    .map((c) => c.key)
    .filter((k) => k !== '')
    .map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k}`))
    .join('');
  return keys === '' ? '(root)' : keys.replace(/^\./, '');
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keys io-ts `exact` would silently drop (typos such as `role` for `roles`). */
function unknownKeys(input: unknown): string[] {
  const out: string[] = [];
  if (!isRecord(input)) return out;
  for (const k of Object.keys(input)) {
    if (!['users', 'roles', 'devices'].includes(k)) out.push(`${k}: unknown section (expected users, roles, devices)`);
  }
  if (isRecord(input.users)) {
    for (const [name, u] of Object.entries(input.users)) {
      if (!isRecord(u)) continue;
      for (const k of Object.keys(u)) {
        if (!['roles', 'classes'].includes(k)) out.push(`users.${name}.${k}: unknown field (expected roles, classes)`);
      }
    }
  }
  return out;
}

/**
 * Validates and normalizes a configuration object (e.g. parsed JSON).
 *
 * @throws {AuthConfigError} listing every problem: wrong types, bad masks, unknown roles
 * referenced by users, devices listed twice (case-insensitively).
 *
 * @example
 * ```ts
 * const cfg = parseAuthConfig({ users: { alice: { roles: ['tester'] } }, roles: { tester: ['Z:ACLTST'] } });
 * ```
 */
export function parseAuthConfig(input: unknown, source?: string): AuthConfig {
  const decoded = ConfigCodec.decode(input);
  if (decoded._tag === 'Left') {
    const problems = decoded.left.map((err) => {
      const expected = err.context.length > 0 ? (err.context[err.context.length - 1]?.type.name ?? '') : '';
      return err.message ?? `${pathOf(err.context)}: expected ${expected}, got ${describeValue(err.value)}`;
    });
    throw new AuthConfigError([...new Set([...problems, ...unknownKeys(input)])], source);
  }
  const raw = decoded.right;
  const problems: string[] = unknownKeys(input);

  const roles = new Map<string, ReadonlySet<string>>();
  for (const [role, devices] of Object.entries(raw.roles ?? {})) {
    if (role.trim() === '') problems.push('roles: a role name is empty');
    roles.set(role, new Set(devices.map(canonicalDeviceName)));
  }

  const users = new Map<string, SimUser>();
  for (const [name, u] of Object.entries(raw.users ?? {})) {
    if (name.trim() === '') problems.push('users: a user name is empty');
    for (const role of u.roles ?? []) {
      if (!roles.has(role)) problems.push(`users.${name}.roles: unknown role "${role}" (not in "roles")`);
    }
    users.set(name, { name, roles: [...(u.roles ?? [])], classes: u.classes ?? 0 });
  }

  const deviceMasks = new Map<string, number>();
  const seen = new Map<string, string>();
  for (const [device, mask] of Object.entries(raw.devices ?? {})) {
    const canon = canonicalDeviceName(device);
    const prev = seen.get(canon);
    if (prev !== undefined) problems.push(`devices.${device}: same device as "${prev}"`);
    seen.set(canon, device);
    deviceMasks.set(canon, mask);
  }

  if (problems.length > 0) throw new AuthConfigError(problems, source);
  return { users, roles, deviceMasks };
}

/**
 * Reads a JSON file and validates it with {@link parseAuthConfig}.
 *
 * @throws {AuthConfigError} when the file cannot be read, is not JSON, or is invalid.
 *
 * @example
 * ```ts
 * const cfg = await loadAuthConfig('sim-auth.json');
 * ```
 */
export async function loadAuthConfig(path: string): Promise<AuthConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new AuthConfigError([`cannot read the file: ${e instanceof Error ? e.message : String(e)}`], path, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AuthConfigError([`not valid JSON: ${e instanceof Error ? e.message : String(e)}`], path, { cause: e });
  }
  return parseAuthConfig(json, path);
}

/**
 * An empty configuration: no users, so every setting is refused with `DPM_PRIV`.
 *
 * @example
 * ```ts
 * authorizeSetting(EMPTY_AUTH_CONFIG, 'alice@FNAL.GOV', undefined, 'Z:ACLTST'); // -4335
 * ```
 */
export const EMPTY_AUTH_CONFIG: AuthConfig = { users: new Map(), roles: new Map(), deviceMasks: new Map() };
