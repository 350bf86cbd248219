/**
 * Per-connection authentication state of the simulator (`dpm-behaviour.md` §9.2, §11 items 11–13):
 * the server side of `Authenticate_request` and `EnableSettings_request`.
 *
 * @module
 */
import { hostname } from 'node:os';
import type { AuthenticationError } from '../../auth/authentication-error.js';
import { loadGssapi, type GssApi, type GssContext, type GssCredentialStore } from '../../auth/gssapi.js';
import { DPM_PRIV } from './authorize.js';

/**
 * What the simulator answers to an `Authenticate_request`: an `Authenticate_reply` carrying only
 * `serviceName` (never a token, fidelity), or a `Status_reply` with `status` (`DPM_PRIV`).
 *
 * @example
 * ```ts
 * const r = await session.handleAuthenticate(token);
 * if (r.kind === 'reply') send({ type: 'Authenticate_reply', serviceName: r.serviceName });
 * ```
 */
export type SimAuthenticateResult =
  | { readonly kind: 'reply'; readonly serviceName: string }
  | { readonly kind: 'status'; readonly status: number; readonly error?: AuthenticationError };

/**
 * Options of {@link SimAuthSession}.
 *
 * @example
 * ```ts
 * new SimAuthSession({ serviceName: 'daeset/bd@localhost', keytab: 'FILE:/tmp/realm/service.keytab' });
 * ```
 */
export interface SimAuthOptions {
  /**
   * The service name announced in round 1, `<svc>/<inst>@<host>`, such that the client's rule
   * (`@` → `/`, append `@<realm>`) gives the principal in the keytab. Default `daeset/bd@<hostname>`.
   */
  readonly serviceName?: string;
  /** Acceptor keytab (e.g. `FILE:/path/service.keytab`); default `KRB5_KTNAME` / krb5.conf. */
  readonly keytab?: string;
  /** Replay cache for the acceptor (default: MIT's, in `KRB5RCACHEDIR`). */
  readonly rcache?: string;
  /**
   * **INSECURE, for local demos only.** Skips Kerberos entirely: any non-empty token is accepted,
   * any MIC verifies, and a list that ran the authentication exchange (an `Authenticate` with a
   * token, then `EnableSettings`) is treated as authenticated as this principal (e.g.
   * `'alice@FNAL.GOV'`); a list that skipped it stays anonymous. Never the default.
   */
  readonly insecureAcceptAnyPrincipal?: string;
  /** Test hook: the GSS-API implementation (default: the lazily loaded addon). */
  readonly gssapi?: GssApi;
  /** Called with every GSS failure the session turns into `DPM_PRIV` (logging). */
  readonly onError?: (error: AuthenticationError) => void;
}

/**
 * One connection's authentication state. Create one per simulated connection and call
 * {@link dispose} when it closes.
 *
 * - `handleAuthenticate(empty)` → the service name; discards any earlier context.
 * - `handleAuthenticate(token)` → accepts the token with the keytab; established → reply with the
 *   service name (no token); a context that needs another leg also gets a reply without token (the
 *   real server's encoder drops it, so mutual authentication can never complete, fidelity);
 *   failure → `DPM_PRIV`.
 * - `handleEnableSettings(mic, message)` → `0` after verifying the MIC, and the principal becomes
 *   the list's identity; `DPM_PRIV` when verification fails; `0` (fidelity) when no context exists,
 *   in which case `principal` stays `undefined` and every setting is refused later.
 *
 * @example
 * ```ts
 * const auth = new SimAuthSession({ serviceName: 'daeset/bd@localhost' });
 * const r1 = await auth.handleAuthenticate(new Uint8Array(0)); // { kind: 'reply', serviceName }
 * const r2 = await auth.handleAuthenticate(apReq);             // { kind: 'reply', ... } or DPM_PRIV
 * const st = auth.handleEnableSettings(mic, message);          // 0
 * auth.principal;                                              // 'alice@ACSYS.TEST'
 * ```
 */
export class SimAuthSession {
  /** The service name announced in round 1. */
  readonly serviceName: string;
  /** `true` when the loudly named insecure mode is on. */
  readonly insecure: boolean;
  private readonly options: SimAuthOptions;
  private readonly store: GssCredentialStore | undefined;
  private context: GssContext | null = null;
  private complete = false;
  private peer: string | undefined;
  private identity: string | undefined;
  private disposed = false;

  constructor(options: SimAuthOptions = {}) {
    this.options = options;
    this.serviceName = options.serviceName ?? `daeset/bd@${hostname()}`;
    this.insecure = options.insecureAcceptAnyPrincipal !== undefined;
    const store: { keytab?: string; rcache?: string } = {};
    if (options.keytab !== undefined) store.keytab = options.keytab;
    if (options.rcache !== undefined) store.rcache = options.rcache;
    this.store = Object.keys(store).length > 0 ? store : undefined;
  }

  /** The authenticated principal of the list (set by a successful `EnableSettings`), else `undefined`. */
  get principal(): string | undefined {
    return this.identity;
  }

  /** The client principal of the established context (before `EnableSettings`), else `undefined`. */
  get contextPrincipal(): string | undefined {
    return this.complete ? this.peer : undefined;
  }

  /**
   * Handles `Authenticate_request {token}`.
   *
   * @example
   * ```ts
   * const r = await session.handleAuthenticate(msg.token);
   * ```
   */
  async handleAuthenticate(token: Uint8Array): Promise<SimAuthenticateResult> {
    if (token.length === 0) {
      this.reset();
      return { kind: 'reply', serviceName: this.serviceName };
    }
    if (this.options.insecureAcceptAnyPrincipal !== undefined) {
      this.reset();
      this.complete = true;
      this.peer = this.options.insecureAcceptAnyPrincipal;
      return { kind: 'reply', serviceName: this.serviceName };
    }
    if (this.complete) this.reset(); // a new token after completion starts a new context
    try {
      const gss = this.options.gssapi ?? loadGssapi();
      const step = await gss.acceptSecContext(this.context, token, this.store);
      if (this.disposed) {
        step.context.dispose();
        return { kind: 'status', status: DPM_PRIV };
      }
      this.context = step.context;
      this.complete = step.complete;
      this.peer = step.peer;
      // Fidelity: the reply never carries the output token (DPM's PC encoder drops it).
      return { kind: 'reply', serviceName: this.serviceName };
    } catch (e) {
      this.reset();
      const err = e as AuthenticationError;
      this.options.onError?.(err);
      return { kind: 'status', status: DPM_PRIV, error: err };
    }
  }

  /**
   * Handles `EnableSettings_request {MIC, message}` and returns the status word of the
   * `Status_reply {ref_id 0, status, timestamp 0, cycle -1}` to send.
   *
   * Supplementary bits of a successful verification (duplicate / out-of-sequence MIC) are not
   * treated as failures: DPM sees one MIC per context.
   *
   * @example
   * ```ts
   * const status = session.handleEnableSettings(msg.MIC, msg.message); // 0 or DPM_PRIV
   * ```
   */
  handleEnableSettings(mic: Uint8Array, message: Uint8Array): number {
    if (this.options.insecureAcceptAnyPrincipal !== undefined) {
      // INSECURE mode grants the identity only to a list that ran the authentication exchange
      // (an Authenticate with a token); otherwise the list stays anonymous, as in secure mode
      if (this.complete) this.identity = this.options.insecureAcceptAnyPrincipal;
      return 0;
    }
    // Fidelity: with no (established) context the server answers 0 and the list stays anonymous.
    if (this.context === null || !this.complete) return 0;
    try {
      const gss = this.options.gssapi ?? loadGssapi();
      gss.verifyMic(this.context, message, mic);
      this.identity = this.peer;
      return 0;
    } catch (e) {
      this.options.onError?.(e as AuthenticationError);
      return DPM_PRIV;
    }
  }

  /**
   * Frees the GSS context. Call when the connection closes. Idempotent.
   *
   * @example
   * ```ts
   * socket.on('close', () => session.dispose());
   * ```
   */
  dispose(): void {
    this.disposed = true;
    this.reset();
    this.identity = undefined;
  }

  private reset(): void {
    if (this.context !== null && !this.context.disposed) {
      try {
        this.context.dispose();
      } catch {
        /* in flight: the finalizer frees it */
      }
    }
    this.context = null;
    this.complete = false;
    this.peer = undefined;
  }
}

/**
 * Checks at simulator start-up that the acceptor keytab is usable (and, with `principal`, that it
 * holds that principal), so a misconfiguration is reported before the first client tries to
 * authenticate. Resolves with the acceptor's principal name (empty for a default credential with
 * several keys). Rejects with `AuthenticationError` (`binding-missing`, `no-credentials`, …).
 *
 * @example
 * ```ts
 * await checkAcceptorKeytab({ keytab: 'FILE:/tmp/service.keytab', principal: 'daeset/bd/localhost@ACSYS.TEST' });
 * ```
 */
export async function checkAcceptorKeytab(
  options: { readonly keytab?: string; readonly principal?: string; readonly gssapi?: GssApi } = {},
): Promise<string> {
  const gss = options.gssapi ?? loadGssapi();
  const store = options.keytab !== undefined ? { keytab: options.keytab } : undefined;
  const info = await gss.credentials('accept', store, options.principal);
  return info.name;
}
