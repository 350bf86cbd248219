/**
 * The simulator's authentication/authorization hook: how `Authenticate_request`,
 * `EnableSettings_request` and the per-setting authorization of `ApplySettings_request`
 * are answered (`dpm-behaviour.md` §9, §11 items 11–14). The Kerberos implementation plugs
 * in here; without it the {@link defaultAuthHook} refuses every setting with `DPM_PRIV`
 * unless the simulator runs with the loudly named `insecureSettings: true`.
 *
 * @example
 * ```ts
 * startSimulator({ auth: myKerberosHook });          // real GSS checks
 * startSimulator({ insecureSettings: true });         // tests: every setting is applied
 * ```
 *
 * @module
 */
import type { DrfRequest } from '../drf/types.js';
import { SimStatus } from './status-words.js';

/**
 * A value or a promise of it (hooks may be asynchronous; replies keep their order).
 *
 * @example
 * ```ts
 * const s: MaybePromise<number> = Promise.resolve(0);
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The answer to an `Authenticate_request`: an `Authenticate_reply` carrying `serviceName`,
 * or a `Status_reply {ref_id 0, status}` (e.g. `DPM_PRIV` when the token is refused).
 *
 * @example
 * ```ts
 * const ok: AuthenticateOutcome = { kind: 'reply', serviceName: 'daeset/bd@sim.example' };
 * const no: AuthenticateOutcome = { kind: 'status', status: SimStatus.DPM_PRIV };
 * ```
 */
export type AuthenticateOutcome = { readonly kind: 'reply'; readonly serviceName: string } | { readonly kind: 'status'; readonly status: number };

/**
 * One setting to authorize.
 *
 * @example
 * ```ts
 * const s: SettingToAuthorize = { refId: 1, device: 'Z:ACLTST', request: parseDrf('Z:ACLTST.SETTING@N'), role: 'testing' };
 * ```
 */
export interface SettingToAuthorize {
  readonly refId: number;
  /** Catalogue name of the device (upper case, `X:NAME`). */
  readonly device: string;
  /** The request stored under `refId`. */
  readonly request: DrfRequest;
  /** The list's `ROLE` property, if set (`#ROLE:…`). */
  readonly role: string | undefined;
}

/**
 * The per-connection auth state created by {@link SimAuthHook.openConnection}.
 *
 * @example
 * ```ts
 * const conn: SimAuthConnection = hook.openConnection({ connectionIndex: 0, listId: 4096 });
 * conn.handleAuthenticate(new Uint8Array()); // { kind: 'reply', serviceName: ... }
 * ```
 */
export interface SimAuthConnection {
  /** Answers `Authenticate_request {token}` (an empty token asks for the service name). */
  handleAuthenticate(token: Uint8Array): MaybePromise<AuthenticateOutcome>;
  /** Answers `EnableSettings_request {MIC, message}` with a status word (0 = enabled). */
  handleEnableSettings(mic: Uint8Array, message: Uint8Array): MaybePromise<number>;
  /** The status word for one setting of an `ApplySettings_request` (0 = allowed). */
  authorizeSetting(setting: SettingToAuthorize): MaybePromise<number>;
  /** The authenticated principal, if any (informational). */
  readonly principal?: string | undefined;
  /** Called when the connection closes. */
  close?(): void;
}

/**
 * Creates per-connection auth state.
 *
 * @example
 * ```ts
 * const hook: SimAuthHook = { openConnection: () => myConnectionState() };
 * ```
 */
export interface SimAuthHook {
  /** Called once per client connection (after its `OpenList`): returns that connection's auth state. */
  openConnection(info: { readonly connectionIndex: number; readonly listId: number }): SimAuthConnection;
}

/**
 * The service name the default hook reports.
 *
 * @example
 * ```ts
 * defaultAuthHook({ insecure: false }); // announces DEFAULT_SERVICE_NAME
 * ```
 */
export const DEFAULT_SERVICE_NAME = 'daeset/bd@dpm-sim.localhost';

/**
 * The hook used when no `auth` option is given. Secure mode (`insecure` false): the
 * service name is reported, any non-empty token is refused (`DPM_PRIV`), `EnableSettings`
 * answers 0 (as DPM does without a context), and every setting gets `DPM_PRIV`.
 * Insecure mode: any token is accepted and every setting is allowed.
 *
 * @example
 * ```ts
 * defaultAuthHook({ insecure: true }).openConnection({ connectionIndex: 0, listId: 4096 })
 *   .authorizeSetting(setting); // 0
 * ```
 */
export function defaultAuthHook(options: { insecure: boolean; serviceName?: string }): SimAuthHook {
  const serviceName = options.serviceName ?? DEFAULT_SERVICE_NAME;
  return {
    openConnection: () => {
      let principal: string | undefined;
      return {
        handleAuthenticate(token) {
          if (token.length === 0) return { kind: 'reply', serviceName };
          if (!options.insecure) return { kind: 'status', status: SimStatus.DPM_PRIV };
          principal = 'insecure@SIM';
          return { kind: 'reply', serviceName };
        },
        handleEnableSettings() {
          return SimStatus.OK;
        },
        authorizeSetting() {
          return options.insecure ? SimStatus.OK : SimStatus.DPM_PRIV;
        },
        get principal() {
          return principal;
        },
      };
    },
  };
}
