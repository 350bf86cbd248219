/**
 * The write-related options of `dpm()`: `auth`, `role`, `writePoolSize` (validated with io-ts
 * like the others).
 *
 * @module
 */
import * as t from 'io-ts';
import type { KerberosAuth } from '../../auth/kerberos.js';

/**
 * Write options of {@link dpm}.
 *
 * @example
 * ```ts
 * dpm({ auth: kerberos(), role: 'testing', writePoolSize: 2 });
 * ```
 */
export interface DpmWriteOptions {
  /** Kerberos authentication for settings (`kerberos()`); without it `write` fails with `AuthenticationError`. */
  readonly auth?: KerberosAuth;
  /** Role sent with every write (`#ROLE:<role>`); letters, digits, `_`, `.`, `-`. */
  readonly role?: string;
  /** Maximum number of authenticated write connections kept (default 4). */
  readonly writePoolSize?: number;
}

/**
 * Write options after validation and defaulting.
 *
 * @example
 * ```ts
 * const o: ResolvedWriteOptions = { auth: undefined, role: undefined, writePoolSize: 4 };
 * ```
 */
export interface ResolvedWriteOptions {
  readonly auth: KerberosAuth | undefined;
  readonly role: string | undefined;
  readonly writePoolSize: number;
}

/**
 * Default write pool size.
 *
 * @example
 * ```ts
 * WRITE_POOL_SIZE; // 4
 * ```
 */
export const WRITE_POOL_SIZE = 4;

const ROLE = /^[\w.-]+$/;

/**
 * Whether `role` is acceptable in `#ROLE:<role>` (no `:` or spaces).
 *
 * @example
 * ```ts
 * isValidRole('testing'); // true
 * isValidRole('a:b');     // false
 * ```
 */
export function isValidRole(role: unknown): role is string {
  return typeof role === 'string' && ROLE.test(role);
}

const isAuth = (u: unknown): u is KerberosAuth =>
  typeof u === 'object' &&
  u !== null &&
  (u as { kind?: unknown }).kind === 'kerberos' &&
  typeof (u as { resolve?: unknown }).resolve === 'function' &&
  typeof (u as { authenticate?: unknown }).authenticate === 'function';

/**
 * io-ts codecs of the write options, merged into the client's option codec.
 *
 * @example
 * ```ts
 * t.partial({ ...WRITE_OPTION_CODECS });
 * ```
 */
export const WRITE_OPTION_CODECS = {
  auth: new t.Type<KerberosAuth, KerberosAuth, unknown>(
    'KerberosAuth',
    isAuth,
    (u, c) => (isAuth(u) ? t.success(u) : t.failure(u, c, 'expected a KerberosAuth, e.g. kerberos()')),
    t.identity,
  ),
  role: new t.Type<string, string, unknown>(
    'role',
    isValidRole,
    (u, c) => (isValidRole(u) ? t.success(u) : t.failure(u, c, `expected a role name ([A-Za-z0-9_.-]+), got ${JSON.stringify(u)}`)),
    t.identity,
  ),
  writePoolSize: new t.Type<number, number, unknown>(
    'writePoolSize',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 64,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= 64
        ? t.success(u)
        : t.failure(u, c, `expected an integer in 1…64, got ${JSON.stringify(u)}`),
    t.identity,
  ),
};

/**
 * The option names of {@link DpmWriteOptions}.
 *
 * @example
 * ```ts
 * WRITE_OPTION_NAMES.includes('role'); // true
 * ```
 */
export const WRITE_OPTION_NAMES: readonly string[] = Object.keys(WRITE_OPTION_CODECS);

/**
 * Defaults the (already validated) write options.
 *
 * @example
 * ```ts
 * resolveWriteOptions({ role: 'testing' }); // { auth: undefined, role: 'testing', writePoolSize: 4 }
 * ```
 */
export function resolveWriteOptions(o: DpmWriteOptions): ResolvedWriteOptions {
  return { auth: o.auth, role: o.role, writePoolSize: o.writePoolSize ?? WRITE_POOL_SIZE };
}
