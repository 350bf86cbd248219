import { AcsysError } from '../errors/acsys-error.js';

/**
 * Why an {@link AuthenticationError} was raised.
 *
 * - `binding-missing`: the optional GSSAPI addon is not built / cannot be loaded.
 * - `no-credentials`: no Kerberos ticket cache or no TGT in it (run `kinit`).
 * - `expired`: the ticket has expired.
 * - `wrong-realm`: the user principal is not in the required realm.
 * - `unknown-service`: the KDC does not know the service principal (check the `realm` option).
 * - `kdc-unreachable`: no KDC could be contacted for the realm.
 * - `no-service-name`: the server announced an empty service name (it has no service credentials).
 * - `incomplete-context`: the security context is not established after the token exchange.
 * - `server-refused`: the server answered an auth round with a status (e.g. `DPM_PRIV`) or an
 *   unexpected reply; `status` carries the word when there is one.
 * - `privilege-denied`: reserved for refusals of the authenticated identity (phase 2 writes).
 * - `gss-failure`: any other GSS-API failure; `gss` carries the major/minor codes.
 *
 * @example
 * ```ts
 * const r: AuthenticationFailureReason = 'no-credentials';
 * ```
 */
export type AuthenticationFailureReason =
  | 'binding-missing'
  | 'no-credentials'
  | 'expired'
  | 'wrong-realm'
  | 'unknown-service'
  | 'kdc-unreachable'
  | 'no-service-name'
  | 'incomplete-context'
  | 'server-refused'
  | 'privilege-denied'
  | 'gss-failure';

/**
 * GSS-API status details of a failed call: the routine (`gss_init_sec_context`, …) and its major
 * and minor status codes. The texts are in the error message.
 *
 * @example
 * ```ts
 * if (e instanceof AuthenticationError && e.gss) console.log(e.gss.call, e.gss.major.toString(16));
 * ```
 */
export interface GssStatusDetails {
  /** The GSS-API routine that failed (`gss_init_sec_context`, …). */
  readonly call: string;
  /** Its major status (routine error and supplementary bits, see `GSS_STATUS`). */
  readonly major: number;
  /** Its minor (mechanism, e.g. Kerberos) status. */
  readonly minor: number;
}

/** Options of the {@link AuthenticationError} constructor. */
export interface AuthenticationErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The ACNET status word the server answered with, if any. */
  status?: number;
  /** GSS-API status details when the GSS library failed. */
  gss?: GssStatusDetails;
  /** The principal concerned (user or service), if known. */
  principal?: string;
}

/**
 * Kerberos authentication for settings failed (or cannot be attempted). `reason` is a stable
 * discriminant; `status` is the server's status word when the server refused; `gss` carries the
 * GSS-API major/minor codes when the GSS library failed.
 *
 * @example
 * ```ts
 * try { await auth.resolve(); } catch (e) {
 *   if (e instanceof AuthenticationError && e.reason === 'no-credentials') console.error('run kinit');
 * }
 * ```
 */
export class AuthenticationError extends AcsysError {
  readonly code = 'AUTH_ERROR';
  /** Why authentication failed. */
  readonly reason: AuthenticationFailureReason;
  /** The status word the server answered with (e.g. `DPM_PRIV` = −4335), if any. */
  readonly status: number | undefined;
  /** GSS-API status of the failed call, if a GSS call failed. */
  readonly gss: GssStatusDetails | undefined;
  /** The principal concerned, if known. */
  readonly principal: string | undefined;

  constructor(reason: AuthenticationFailureReason, message: string, options: AuthenticationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.status = options.status;
    this.gss = options.gss;
    this.principal = options.principal;
  }
}
