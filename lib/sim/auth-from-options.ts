/**
 * Chooses the simulator's auth hook from its options: an explicit `auth` hook; the loudly named
 * insecure modes; Kerberos (keytab from `keytab` / `KRB5_KTNAME`) with an `authConfig` table; or
 * the default hook that refuses every setting.
 *
 * @module
 */
import { DEFAULT_SERVICE_NAME, defaultAuthHook, type SimAuthHook } from './auth-hook.js';
import { loadAuthConfig, parseAuthConfig, type AuthConfig, type AuthConfigInput } from './auth/config.js';
import { kerberosAuthHook } from './kerberos-auth-hook.js';
import { SimAuthSession } from './auth/session.js';
import { DPM_PRIV } from './auth/authorize.js';

/**
 * The auth-related simulator options.
 *
 * @example
 * ```ts
 * const o: SimAuthSelection = { authConfig: 'examples/sim-auth.json', serviceName: 'daeset/bd@localhost' };
 * ```
 */
export interface SimAuthSelection {
  readonly auth?: SimAuthHook | undefined;
  readonly insecureSettings?: boolean | string | undefined;
  readonly authConfig?: AuthConfig | AuthConfigInput | string | undefined;
  readonly keytab?: string | undefined;
  readonly serviceName?: string | undefined;
}

const isParsed = (c: AuthConfig | AuthConfigInput): c is AuthConfig => (c as AuthConfig).users instanceof Map;

/**
 * Loads (a path) or validates (an object) an `authConfig` option.
 *
 * @throws {AuthConfigError} for an invalid configuration.
 * @example
 * ```ts
 * const cfg = await resolveAuthConfig('examples/sim-auth.json');
 * ```
 */
export async function resolveAuthConfig(c: AuthConfig | AuthConfigInput | string): Promise<AuthConfig> {
  if (typeof c === 'string') return loadAuthConfig(c);
  return isParsed(c) ? c : parseAuthConfig(c);
}

/**
 * The hook for `options`, in this order:
 * 1. `auth`: used as is;
 * 2. `insecureSettings: 'alice@FNAL.GOV'` (INSECURE): any token accepted, the list is
 *    authenticated as that principal; settings authorized by `authConfig` when given, else all
 *    allowed;
 * 3. `insecureSettings: true` (INSECURE): any token accepted, every setting allowed;
 * 4. `authConfig` or `keytab`: real Kerberos (GSS acceptor) + the authorization table; the
 *    service name defaults to `daeset/bd@<hostname>`;
 * 5. otherwise the default hook: every setting refused with `DPM_PRIV`.
 *
 * @example
 * ```ts
 * const hook = await authHookFromOptions({ authConfig: { users: { alice: { classes: 1 } } } });
 * ```
 */
export async function authHookFromOptions(options: SimAuthSelection): Promise<SimAuthHook> {
  if (options.auth !== undefined) return options.auth;
  const config = options.authConfig !== undefined ? await resolveAuthConfig(options.authConfig) : undefined;
  const insecure = options.insecureSettings;
  if (typeof insecure === 'string') {
    if (config === undefined) return insecurePrincipalHook(insecure, options.serviceName ?? DEFAULT_SERVICE_NAME);
    return kerberosAuthHook({
      config,
      insecureAcceptAnyPrincipal: insecure,
      ...(options.serviceName !== undefined ? { serviceName: options.serviceName } : {}),
    });
  }
  if (insecure === true) return defaultAuthHook({ insecure: true, serviceName: options.serviceName ?? DEFAULT_SERVICE_NAME });
  if (config !== undefined || options.keytab !== undefined) {
    return kerberosAuthHook({
      ...(config !== undefined ? { config } : {}),
      ...(options.keytab !== undefined ? { keytab: options.keytab } : {}),
      ...(options.serviceName !== undefined ? { serviceName: options.serviceName } : {}),
    });
  }
  return defaultAuthHook({ insecure: false, serviceName: options.serviceName ?? DEFAULT_SERVICE_NAME });
}

/** INSECURE: any token, identity `principal` after EnableSettings, every setting of an authenticated list allowed. */
function insecurePrincipalHook(principal: string, serviceName: string): SimAuthHook {
  return {
    openConnection: () => {
      const session = new SimAuthSession({ serviceName, insecureAcceptAnyPrincipal: principal });
      return {
        handleAuthenticate: (token) => session.handleAuthenticate(token),
        handleEnableSettings: (mic, message) => session.handleEnableSettings(mic, message),
        authorizeSetting: () => (session.principal !== undefined ? 0 : DPM_PRIV),
        get principal() {
          return session.principal;
        },
        close: () => session.dispose(),
      };
    },
  };
}
