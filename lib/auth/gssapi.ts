/**
 * Typed, lazily loaded wrapper of the project's GSS-API addon (`native/`, MIT Kerberos).
 *
 * The addon is optional: nothing loads it until the first Kerberos operation, so installing
 * acsys-rx and reading data never needs Kerberos headers, a compiler or a ticket. When it is
 * missing, {@link loadGssapi} throws an {@link AuthenticationError} with reason
 * `binding-missing` naming what to install.
 *
 * Every failure of the underlying library is turned into an {@link AuthenticationError} whose
 * `gss` field carries the major/minor status and whose message carries MIT's texts.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthenticationError, type AuthenticationFailureReason, type GssStatusDetails } from './authentication-error.js';

/**
 * GSS-API request/return flag bits (`GSS_C_*_FLAG`).
 *
 * @example
 * ```ts
 * const flags = GSS_FLAGS.REPLAY | GSS_FLAGS.SEQUENCE | GSS_FLAGS.INTEG; // 44, what DPM clients use
 * ```
 */
export const GSS_FLAGS = {
  /** Delegate credentials to the acceptor. */
  DELEG: 1,
  /** Mutual authentication. */
  MUTUAL: 2,
  /** Replay detection. */
  REPLAY: 4,
  /** Out-of-sequence detection. */
  SEQUENCE: 8,
  /** Confidentiality (wrap) available. */
  CONF: 16,
  /** Integrity (MIC) available. */
  INTEG: 32,
  /** Anonymous initiator. */
  ANON: 64,
  /** Protection available before the context is complete. */
  PROT_READY: 128,
  /** The context can be exported. */
  TRANS: 256,
} as const;

/**
 * GSS-API major status routine errors and supplementary bits used by acsys-rx.
 *
 * @example
 * ```ts
 * if (e.gss?.major === GSS_STATUS.NO_CRED) console.error('run kinit');
 * ```
 */
export const GSS_STATUS = {
  /** Routine error: an invalid name. */
  BAD_NAME: 0x20000,
  /** Routine error: a bad MIC (signature). */
  BAD_SIG: 0x60000,
  /** Routine error: no credentials (no ticket: run `kinit`). */
  NO_CRED: 0x70000,
  /** Routine error: a malformed token. */
  DEFECTIVE_TOKEN: 0x90000,
  /** Routine error: the credentials have expired. */
  CREDENTIALS_EXPIRED: 0xb0000,
  /** Routine error: the security context has expired. */
  CONTEXT_EXPIRED: 0xc0000,
  /** Routine error: a mechanism failure (see the minor status). */
  FAILURE: 0xd0000,
  /** Supplementary bit: a duplicate token. */
  DUPLICATE_TOKEN: 2,
  /** Supplementary bit: a token too old to check for duplication. */
  OLD_TOKEN: 4,
  /** Supplementary bit: a token out of sequence (a later one was seen). */
  UNSEQ_TOKEN: 8,
  /** Supplementary bit: an expected earlier token is missing. */
  GAP_TOKEN: 16,
} as const;

/**
 * Explicit credential sources (MIT `gss_acquire_cred_from` store). Unset entries fall back to the
 * environment (`KRB5CCNAME`, `KRB5_KTNAME`, `KRB5_CLIENT_KTNAME`) and krb5.conf.
 *
 * @example
 * ```ts
 * const store: GssCredentialStore = { keytab: 'FILE:/etc/daeset.keytab' };
 * ```
 */
export interface GssCredentialStore {
  /** Ticket cache name, e.g. `FILE:/tmp/krb5cc_1000`. */
  readonly ccache?: string;
  /** Acceptor keytab name, e.g. `FILE:/etc/krb5.keytab`. */
  readonly keytab?: string;
  /** Client keytab used to obtain initial tickets. */
  readonly clientKeytab?: string;
  /** Replay cache name (acceptor). */
  readonly rcache?: string;
}

/**
 * A credential's name and remaining lifetime.
 *
 * @example
 * ```ts
 * const { name, lifetime } = await loadGssapi().credentials('initiate'); // 'alice@FNAL.GOV', 35990
 * ```
 */
export interface GssCredentialInfo {
  /** Principal name, e.g. `alice@FNAL.GOV` (may be empty for a default acceptor credential). */
  readonly name: string;
  /** Remaining lifetime in seconds (`Infinity` when indefinite). */
  readonly lifetime: number;
}

/**
 * An established or in-progress GSS security context (wraps `gss_ctx_id_t`). Free it with
 * `dispose()`; a finalizer frees it too if it is garbage-collected first.
 *
 * @example
 * ```ts
 * const step = await gss.initSecContext(null, 'daeset/bd/host@FNAL.GOV', 44, null);
 * try { gss.getMic(step.context, msg); } finally { step.context.dispose(); }
 * ```
 */
export interface GssContext {
  /** `true` after `dispose()` (or after a failed first step). */
  readonly disposed: boolean;
  /** `true` for an initiator (client) context. */
  readonly initiator: boolean;
  /** Deletes the context (`gss_delete_sec_context`). Idempotent; throws while a step is in flight. */
  dispose(): void;
}

/**
 * The outcome of one context-establishment step.
 *
 * @example
 * ```ts
 * const step = await gss.initSecContext(null, target, 44, null);
 * if (step.token.length > 0) send(step.token);
 * ```
 */
export interface GssStep {
  /** The context, to pass to the next step (and to dispose of when done). */
  readonly context: GssContext;
  /** The token to send to the peer (may be empty). */
  readonly token: Uint8Array;
  /** `true` when the context is established. */
  readonly complete: boolean;
  /** The flags granted so far (`GSS_FLAGS` bits). */
  readonly flags: number;
  /** Context lifetime in seconds (`Infinity` when indefinite). */
  readonly lifetime: number;
  /** Acceptor side only: the client principal (`gss_display_name` of the source name). */
  readonly peer?: string;
}

/**
 * What `gss_inquire_context` reports.
 *
 * @example
 * ```ts
 * const { source, open } = gss.inquireContext(ctx);
 * ```
 */
export interface GssContextInfo {
  /** The initiator's principal. */
  readonly source: string;
  /** The acceptor's (service) principal. */
  readonly target: string;
  /** Remaining lifetime in seconds (`Infinity` when indefinite). */
  readonly lifetime: number;
  /** The granted flags (`GSS_FLAGS` bits). */
  readonly flags: number;
  /** `true` when the context is fully established. */
  readonly open: boolean;
  /** `true` on the initiating (client) side. */
  readonly initiator: boolean;
}

/**
 * The typed GSS-API surface. Promise-returning calls run on the libuv thread pool (they can wait
 * for the KDC); the others are synchronous and cheap. Failures reject/throw
 * {@link AuthenticationError}.
 *
 * @example
 * ```ts
 * const gss = loadGssapi();
 * const me = await gss.credentials('initiate');
 * ```
 */
export interface GssApi {
  /** Acquires and inquires the default credential for `usage` (from the ccache, or the keytab for `accept`). */
  credentials(usage: 'initiate' | 'accept', store?: GssCredentialStore, principal?: string): Promise<GssCredentialInfo>;
  /**
   * One initiator step. `context` null starts a new context for the Kerberos principal `target`
   * (imported as `GSS_KRB5_NT_PRINCIPAL_NAME`); `inToken` is the peer's token (null on the first step).
   */
  initSecContext(
    context: GssContext | null,
    target: string,
    flags: number,
    inToken: Uint8Array | null,
    store?: GssCredentialStore,
  ): Promise<GssStep>;
  /** One acceptor step with the keytab (`KRB5_KTNAME`, or `store.keytab`). `peer` names the client. */
  acceptSecContext(context: GssContext | null, inToken: Uint8Array, store?: GssCredentialStore): Promise<GssStep>;
  /** `gss_get_mic` with the default QOP. */
  getMic(context: GssContext, message: Uint8Array): Uint8Array;
  /**
   * `gss_verify_mic`; throws on a bad MIC. `supplementary` carries informational bits
   * (`DUPLICATE_TOKEN`, `GAP_TOKEN`, …) of a successful verification.
   */
  verifyMic(context: GssContext, message: Uint8Array, mic: Uint8Array): {
    /** Informational `GSS_STATUS` supplementary bits. */
    readonly supplementary: number;
  };
  /** `gss_inquire_context`. */
  inquireContext(context: GssContext): GssContextInfo;
}

// ------------------------------------------------------------------------------------------------
// Raw addon shape

interface NativeError extends Error {
  major?: number;
  minor?: number;
  call?: string;
}

interface NativeStep {
  context: GssContext;
  token: Uint8Array;
  complete: boolean;
  flags: number;
  lifetime: number;
  peer?: string;
}

interface NativeAddon {
  credentials(usage: string, store?: GssCredentialStore, principal?: string): Promise<{ name: string; lifetime: number }>;
  initSecContext(
    ctx: GssContext | null,
    target: string,
    flags: number,
    token: Uint8Array | null,
    store?: GssCredentialStore,
  ): Promise<NativeStep>;
  acceptSecContext(ctx: GssContext | null, token: Uint8Array, store?: GssCredentialStore): Promise<NativeStep>;
  getMic(ctx: GssContext, message: Uint8Array): Uint8Array;
  verifyMic(ctx: GssContext, message: Uint8Array, mic: Uint8Array): { supplementary: number };
  inquireContext(ctx: GssContext): GssContextInfo;
}

const ADDON_FILE = 'acsys_gssapi.node';

/**
 * The install hint carried by `binding-missing` errors.
 *
 * @example
 * ```ts
 * console.error(GSSAPI_INSTALL_HINT);
 * ```
 */
export const GSSAPI_INSTALL_HINT =
  'install MIT Kerberos headers and a C++ toolchain (Debian/Ubuntu: `apt-get install libkrb5-dev g++ make python3`), ' +
  'then build the addon with `npm run build:native` in the acsys-rx package directory';

/** Candidate addon paths: `$ACSYS_GSSAPI_BINDING`, then `native/build/Release` of the package root. */
function candidatePaths(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const out: string[] = [];
  const env = process.env.ACSYS_GSSAPI_BINDING;
  if (env !== undefined && env !== '') out.push(resolve(env));
  // lib/auth (sources via tsx) or dist/lib/auth (compiled): walk up to the package root.
  for (const up of ['../..', '../../..']) out.push(resolve(here, up, 'native', 'build', 'Release', ADDON_FILE));
  return out;
}

function toAuthError(e: unknown, fallback: AuthenticationFailureReason = 'gss-failure'): AuthenticationError {
  if (e instanceof AuthenticationError) return e;
  const ne = e as NativeError;
  const message = ne instanceof Error ? ne.message : String(e);
  if (typeof ne?.major !== 'number') {
    return new AuthenticationError('gss-failure', message, { cause: e });
  }
  const gss: GssStatusDetails = { call: ne.call ?? 'gss', major: ne.major, minor: ne.minor ?? 0 };
  return new AuthenticationError(classifyGssFailure(gss, message, fallback), message, { cause: e, gss });
}

/**
 * Maps a GSS failure to an {@link AuthenticationFailureReason} from its major code and MIT's
 * minor text (the minor codes are remapped by the mechglue, the texts are stable).
 *
 * @example
 * ```ts
 * classifyGssFailure({ call: 'gss_acquire_cred', major: 0x70000, minor: 0 }, '...'); // 'no-credentials'
 * ```
 */
export function classifyGssFailure(
  gss: GssStatusDetails,
  message: string,
  fallback: AuthenticationFailureReason = 'gss-failure',
): AuthenticationFailureReason {
  const routine = gss.major & 0x00ff0000;
  if (routine === GSS_STATUS.CREDENTIALS_EXPIRED || /Ticket expired|credential has expired/i.test(message)) {
    return 'expired';
  }
  if (gss.call !== 'gss_accept_sec_context' && /not found in Kerberos database/.test(message)) return 'unknown-service';
  if (/Cannot contact any KDC/.test(message)) return 'kdc-unreachable';
  if (routine === GSS_STATUS.NO_CRED && gss.call !== 'gss_accept_sec_context') return 'no-credentials';
  return fallback;
}

function wrap(addon: NativeAddon): GssApi {
  const sync = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw toAuthError(e);
    }
  };
  const async = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw toAuthError(e);
    }
  };
  const life = (t: number): number => (t < 0 ? Infinity : t);
  const step = (s: NativeStep): GssStep => ({
    context: s.context,
    token: new Uint8Array(s.token.buffer, s.token.byteOffset, s.token.byteLength),
    complete: s.complete,
    flags: s.flags,
    lifetime: life(s.lifetime),
    ...(s.peer !== undefined ? { peer: s.peer } : {}),
  });
  return {
    credentials: (usage, store, principal) =>
      async(async () => {
        const c = await addon.credentials(usage, store, principal);
        return { name: c.name, lifetime: life(c.lifetime) };
      }),
    initSecContext: (context, target, flags, inToken, store) =>
      async(async () => step(await addon.initSecContext(context, target, flags, inToken, store))),
    acceptSecContext: (context, inToken, store) =>
      async(async () => step(await addon.acceptSecContext(context, inToken, store))),
    getMic: (context, message) =>
      sync(() => {
        const m = addon.getMic(context, message);
        return new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
      }),
    verifyMic: (context, message, mic) => sync(() => ({ supplementary: addon.verifyMic(context, message, mic).supplementary })),
    inquireContext: (context) => sync(() => addon.inquireContext(context)),
  };
}

let cached: GssApi | undefined;

/**
 * Loads the GSS-API addon on first use and returns its typed wrapper (cached afterwards). With an
 * explicit `path` the addon at that path is loaded and nothing is cached (tests).
 *
 * @throws {AuthenticationError} reason `binding-missing` when the addon is not built or fails to
 * load (the message says what to install).
 *
 * @example
 * ```ts
 * const gss = loadGssapi();
 * const { name } = await gss.credentials('initiate');
 * ```
 */
export function loadGssapi(path?: string): GssApi {
  if (path === undefined && cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const candidates = path !== undefined ? [resolve(path)] : candidatePaths();
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new AuthenticationError(
      'binding-missing',
      `Kerberos support is not available: the GSSAPI addon ${ADDON_FILE} was not found ` +
        `(looked in ${candidates.join(', ')}); ${GSSAPI_INSTALL_HINT}`,
    );
  }
  let addon: NativeAddon;
  try {
    addon = require(found) as NativeAddon;
  } catch (e) {
    throw new AuthenticationError(
      'binding-missing',
      `Kerberos support is not available: loading ${found} failed (${e instanceof Error ? e.message : String(e)}); ` +
        GSSAPI_INSTALL_HINT,
      { cause: e },
    );
  }
  const api = wrap(addon);
  if (path === undefined) cached = api;
  return api;
}
