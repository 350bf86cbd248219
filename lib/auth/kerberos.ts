/**
 * Client side of DPM's Kerberos authentication (`dpm-behaviour.md` §9.1–§9.2): credential checks
 * and the three-round `Authenticate` / `EnableSettings` exchange, over an abstract transport.
 *
 * @module
 */
import { AuthenticationError } from './authentication-error.js';
import { GSS_FLAGS, loadGssapi, type GssApi, type GssContext, type GssCredentialStore } from './gssapi.js';
import { DEFAULT_REALM, realmOf, servicePrincipal } from './names.js';
import { ccacheStamp } from './ccache-stamp.js';

/** Credentials this close to expiry are read again before every use. */
const EXPIRY_MARGIN_MS = 60_000;
/** How long credentials from a cache that cannot be fingerprinted (KEYRING, KCM, …) are trusted. */
const UNSTAMPED_TTL_MS = 5_000;

/**
 * The message both DPM clients sign for `EnableSettings_request`: ASCII `1234`.
 *
 * @example
 * ```ts
 * transport.enableSettings(gss.getMic(ctx, MIC_MESSAGE), MIC_MESSAGE);
 * ```
 */
export const MIC_MESSAGE: Uint8Array = Uint8Array.of(0x31, 0x32, 0x33, 0x34);

/**
 * The GSS flags DPM clients request: replay + sequence + integrity, **not** mutual (DPM cannot
 * return a continuation token, §9.2). Value 44.
 *
 * @example
 * ```ts
 * gss.initSecContext(null, target, DPM_GSS_FLAGS, null);
 * ```
 */
export const DPM_GSS_FLAGS: number = GSS_FLAGS.REPLAY | GSS_FLAGS.SEQUENCE | GSS_FLAGS.INTEG;

/**
 * A reply to an authentication round, codec-independent but structurally compatible with the
 * decoded `Authenticate_reply` and `Status_reply` messages of `lib/protocol`. A transport that
 * receives any other reply type (heartbeats excepted, which it must skip) returns
 * `{ type: '<that type>' }`-like objects via {@link AuthOtherReply} or throws.
 *
 * @example
 * ```ts
 * const r: AuthReply = { type: 'Authenticate_reply', serviceName: 'daeset/bd@host' };
 * ```
 */
export type AuthReply =
  | {
      /** An `Authenticate_reply`. */
      readonly type: 'Authenticate_reply';
      /** The service name the server announced. */
      readonly serviceName?: string;
      /** The server's GSS-API token, if any. */
      readonly token?: Uint8Array;
    }
  | {
      /** A `Status_reply` (a refusal). */
      readonly type: 'Status_reply';
      /** Its ACNET status word. */
      readonly status: number;
    }
  | AuthOtherReply;

/**
 * Any other reply a transport may hand back (turned into `server-refused`).
 *
 * @example
 * ```ts
 * const r: AuthOtherReply = { type: 'other', received: 'StartList_reply' };
 * ```
 */
export interface AuthOtherReply {
  /** `other`: any other reply. */
  readonly type: 'other';
  /** The received message type, for the error message. */
  readonly received: string;
}

/**
 * What the DPM connection must provide for {@link KerberosAuth.authenticate}. Each call sends one
 * request on the connection's list and resolves with the next reply that is not a heartbeat
 * (`ListStatus_reply`); the transport applies the operation timeout.
 *
 * @example
 * ```ts
 * const transport: AuthTransport = {
 *   authenticate: (token) => conn.request({ type: 'Authenticate_request', list_id, token }),
 *   enableSettings: (MIC, message) => conn.request({ type: 'EnableSettings_request', list_id, MIC, message }),
 * };
 * ```
 */
export interface AuthTransport {
  /** Sends `Authenticate_request {list_id, token}`; resolves with the reply. */
  authenticate(token: Uint8Array): Promise<AuthReply>;
  /** Sends `EnableSettings_request {list_id, MIC, message}`; resolves with the reply. */
  enableSettings(mic: Uint8Array, message: Uint8Array): Promise<AuthReply>;
}

/**
 * The user's resolved Kerberos identity.
 *
 * @example
 * ```ts
 * const { principal, lifetime } = await auth.resolve();
 * ```
 */
export interface KerberosCredentials {
  /** The user principal, e.g. `alice@FNAL.GOV`. */
  readonly principal: string;
  /** Remaining ticket lifetime in seconds when resolved. */
  readonly lifetime: number;
  /** When the ticket expires (`Date.now()` + lifetime). */
  readonly expiresAt: Date;
}

/**
 * The result of a successful three-round exchange: the identity the connection now carries.
 *
 * @example
 * ```ts
 * const s = await auth.authenticate(transport); console.log(s.principal, s.servicePrincipal);
 * ```
 */
export interface KerberosSession {
  /** The user principal the server authenticated. */
  readonly principal: string;
  /** The service name the server announced, e.g. `daeset/bd@host`. */
  readonly serviceName: string;
  /** The service principal a ticket was obtained for, e.g. `daeset/bd/host@FNAL.GOV`. */
  readonly servicePrincipal: string;
}

/**
 * Options of {@link kerberos}.
 *
 * @example
 * ```ts
 * kerberos({ realm: 'ACSYS.TEST', requiredRealm: 'ACSYS.TEST' });
 * ```
 */
export interface KerberosOptions {
  /** Realm appended to the service principal (§9.2); `null`: krb5.conf's default realm. Default `FNAL.GOV`. */
  readonly realm?: string | null;
  /** Realm the user principal must belong to; `null` disables the check. Default `FNAL.GOV`. */
  readonly requiredRealm?: string | null;
  /** Explicit ticket cache (e.g. `FILE:/tmp/krb5cc_1000`); default `KRB5CCNAME` / krb5.conf. */
  readonly ccache?: string;
  /** Test hook: the GSS-API implementation (default: the lazily loaded addon). */
  readonly gssapi?: GssApi;
  /**
   * Reuse resolved credentials while the ticket cache is unchanged (see `resolve`). Default
   * `true`, except with a `gssapi` test hook, whose credentials are not tied to a cache file.
   */
  readonly cacheCredentials?: boolean;
}

/**
 * Kerberos authentication for DPM settings. Create it with {@link kerberos}.
 *
 * @example
 * ```ts
 * const auth = kerberos();
 * await auth.resolve();           // fails fast: no ticket, expired, wrong realm
 * console.log(auth.principal);    // 'alice@FNAL.GOV'
 * const session = await auth.authenticate(transport);
 * ```
 */
export interface KerberosAuth {
  /** `kerberos`: tells an auth object apart. */
  readonly kind: 'kerberos';
  /** The user principal once {@link resolve} (or {@link authenticate}) succeeded; else `undefined`. */
  readonly principal: string | undefined;
  /** Realm appended to service principals (`null`: default realm). */
  readonly realm: string | null;
  /** Realm the user principal must be in (`null`: no check). */
  readonly requiredRealm: string | null;
  /**
   * Reads the ticket cache (no network): acquires and inquires the default initiator credential and
   * checks it. Rejects with {@link AuthenticationError} `binding-missing`, `no-credentials`,
   * `expired` or `wrong-realm`. The result is reused while the ticket cache file is unchanged
   * (same inode, size and times) and the ticket is more than a minute from expiry; a cache that is
   * not a file is read again after 5 s.
   */
  resolve(): Promise<KerberosCredentials>;
  /**
   * Runs the client side of the three rounds over `transport` (§9.2): empty-token
   * `Authenticate` for the service name, one `Authenticate` with the AP-REQ, then `EnableSettings`
   * with a MIC over {@link MIC_MESSAGE}. Re-checks the credentials first. The GSS context is
   * disposed before returning.
   */
  authenticate(transport: AuthTransport): Promise<KerberosSession>;
}

const MAX_TOKEN_ROUNDS = 4;

function describe(reply: AuthReply): string {
  return reply.type === 'other' ? reply.received : reply.type;
}

/**
 * Creates a {@link KerberosAuth}. Nothing is loaded or read until `resolve()` / `authenticate()`.
 *
 * @example
 * ```ts
 * const auth = kerberos();                                         // production: FNAL.GOV
 * const test = kerberos({ realm: 'ACSYS.TEST', requiredRealm: 'ACSYS.TEST' });
 * ```
 */
export function kerberos(options: KerberosOptions = {}): KerberosAuth {
  const realm = options.realm === undefined ? DEFAULT_REALM : options.realm;
  const requiredRealm = options.requiredRealm === undefined ? DEFAULT_REALM : options.requiredRealm;
  const store: GssCredentialStore | undefined = options.ccache !== undefined ? { ccache: options.ccache } : undefined;
  const gss = (): GssApi => options.gssapi ?? loadGssapi();
  let principal: string | undefined;

  // Credentials are read again only when the ticket cache can have changed (its fingerprint
  // differs), when they are near expiry, or — for caches that cannot be fingerprinted — after
  // UNSTAMPED_TTL_MS. Reading them costs a few hundred µs; a write on a warm connection less.
  let cached: { readonly creds: KerberosCredentials; readonly stamp: string | undefined; readonly at: number } | undefined;
  const resolveCached = async (): Promise<KerberosCredentials> => {
    const cacheable = options.cacheCredentials ?? options.gssapi === undefined;
    const stamp = cacheable ? ccacheStamp(options.ccache) : undefined;
    const now = Date.now();
    const c = cached;
    if (
      cacheable &&
      c !== undefined &&
      c.creds.expiresAt.getTime() - now > EXPIRY_MARGIN_MS &&
      (stamp !== undefined ? stamp === c.stamp : c.stamp === undefined && now - c.at < UNSTAMPED_TTL_MS)
    ) {
      return { ...c.creds, lifetime: Math.max(0, (c.creds.expiresAt.getTime() - now) / 1000) };
    }
    cached = undefined;
    const creds = await resolveCreds();
    cached = { creds, stamp, at: now };
    return creds;
  };

  const resolveCreds = async (): Promise<KerberosCredentials> => {
    let info;
    try {
      info = await gss().credentials('initiate', store);
    } catch (e) {
      if (e instanceof AuthenticationError && e.reason === 'no-credentials') {
        throw new AuthenticationError('no-credentials', `No valid Kerberos credentials. Run 'kinit' first (${e.message})`, {
          cause: e,
          ...(e.gss ? { gss: e.gss } : {}),
        });
      }
      if (e instanceof AuthenticationError && e.reason === 'expired') {
        throw new AuthenticationError('expired', `Kerberos ticket has expired. Run 'kinit' again (${e.message})`, {
          cause: e,
          ...(e.gss ? { gss: e.gss } : {}),
        });
      }
      throw e;
    }
    if (info.lifetime <= 0) {
      throw new AuthenticationError('expired', `Kerberos ticket for ${info.name} has expired. Run 'kinit' again`, {
        principal: info.name,
      });
    }
    if (requiredRealm !== null && realmOf(info.name) !== requiredRealm) {
      throw new AuthenticationError(
        'wrong-realm',
        `Kerberos principal ${info.name} is not from the ${requiredRealm} realm`,
        { principal: info.name },
      );
    }
    principal = info.name;
    return {
      principal: info.name,
      lifetime: info.lifetime,
      expiresAt: new Date(Number.isFinite(info.lifetime) ? Date.now() + info.lifetime * 1000 : 8.64e15),
    };
  };

  const authenticate = async (transport: AuthTransport): Promise<KerberosSession> => {
    const creds = await resolveCached();
    const api = gss();

    // Round 1: the service name.
    const r1 = await transport.authenticate(new Uint8Array(0));
    if (r1.type === 'Status_reply') {
      throw new AuthenticationError('server-refused', `Expected Authenticate_reply, got Status_reply (status ${r1.status})`, {
        status: r1.status,
      });
    }
    if (r1.type !== 'Authenticate_reply') {
      throw new AuthenticationError('server-refused', `Expected Authenticate_reply, got ${describe(r1)}`);
    }
    const serviceName = r1.serviceName ?? '';
    if (serviceName === '') {
      throw new AuthenticationError('no-service-name', 'The server announced no service name (it has no Kerberos service credentials)');
    }
    const target = servicePrincipal(serviceName, realm);

    // Round 2 (and more only if a context needs them): the AP-REQ.
    let context: GssContext | null = null;
    try {
      let step = await api.initSecContext(null, target, DPM_GSS_FLAGS, null, store).catch((e: unknown) => {
        if (e instanceof AuthenticationError && e.reason === 'unknown-service') {
          throw new AuthenticationError(
            'unknown-service',
            `${e.message}; the service principal was derived from "${serviceName}" with realm ${realm ?? '(default)'} ` +
              '(see the `realm` option)',
            { cause: e, ...(e.gss ? { gss: e.gss } : {}), principal: target },
          );
        }
        throw e;
      });
      context = step.context;
      for (let round = 0; ; round++) {
        if (step.token.length === 0) {
          // Never send an empty token after the first round: it would ask for the service name.
          if (step.complete) break;
          throw new AuthenticationError('incomplete-context', 'Kerberos authentication incomplete (no token to send)');
        }
        if (round >= MAX_TOKEN_ROUNDS) {
          throw new AuthenticationError('incomplete-context', `Kerberos authentication incomplete after ${round} rounds`);
        }
        const r = await transport.authenticate(step.token);
        if (r.type === 'Status_reply') {
          throw new AuthenticationError(
            'server-refused',
            `The server refused the Kerberos token for ${target} (status ${r.status})`,
            { status: r.status, principal: creds.principal },
          );
        }
        if (r.type !== 'Authenticate_reply') {
          throw new AuthenticationError('server-refused', `Expected Authenticate_reply, got ${describe(r)}`);
        }
        if (step.complete) break;
        if (r.token === undefined || r.token.length === 0) {
          throw new AuthenticationError('incomplete-context', 'Kerberos authentication incomplete (the server sent no token)');
        }
        step = await api.initSecContext(context, target, DPM_GSS_FLAGS, r.token, store);
      }

      // Round 3: EnableSettings with a MIC over "1234".
      const mic = api.getMic(context, MIC_MESSAGE);
      const r3 = await transport.enableSettings(mic, MIC_MESSAGE);
      if (r3.type !== 'Status_reply') {
        throw new AuthenticationError('server-refused', `Expected Status_reply to EnableSettings, got ${describe(r3)}`);
      }
      if (r3.status !== 0) {
        throw new AuthenticationError('server-refused', `EnableSettings refused (status ${r3.status})`, {
          status: r3.status,
          principal: creds.principal,
        });
      }
      return { principal: creds.principal, serviceName, servicePrincipal: target };
    } finally {
      if (context !== null && !context.disposed) context.dispose();
    }
  };

  return {
    kind: 'kerberos',
    get principal() {
      return principal;
    },
    realm,
    requiredRealm,
    resolve: resolveCached,
    authenticate,
  };
}
