/**
 * Adapter from the Kerberos simulator auth (`lib/sim/auth`: `SimAuthSession`,
 * `authorizeSetting`) to the simulator's {@link SimAuthHook}.
 *
 * @example
 * ```ts
 * const config = await loadAuthConfig('users.json');
 * const sim = await startSimulator({
 *   auth: kerberosAuthHook({ config, serviceName: 'daeset/bd@localhost', keytab: 'FILE:/tmp/service.keytab' }),
 * });
 * ```
 *
 * @module
 */
import { SimAuthSession, type SimAuthOptions } from './auth/session.js';
import { authorizeSetting } from './auth/authorize.js';
import { EMPTY_AUTH_CONFIG, type AuthConfig } from './auth/config.js';
import type { SimAuthHook } from './auth-hook.js';

/**
 * Options of {@link kerberosAuthHook}: the GSS acceptor options of `SimAuthSession`, plus the
 * authorization table (users, roles, device masks; default: empty, every setting refused).
 *
 * @example
 * ```ts
 * const o: KerberosAuthHookOptions = { config, keytab: 'FILE:/tmp/service.keytab' };
 * ```
 */
export interface KerberosAuthHookOptions extends SimAuthOptions {
  readonly config?: AuthConfig;
}

/**
 * An auth hook that authenticates with Kerberos (one `SimAuthSession` per connection) and
 * authorizes each setting with `authorizeSetting(config, principal, ROLE, device)`.
 *
 * @example
 * ```ts
 * startSimulator({ auth: kerberosAuthHook({ config }) });
 * ```
 */
export function kerberosAuthHook(options: KerberosAuthHookOptions = {}): SimAuthHook {
  const config = options.config ?? EMPTY_AUTH_CONFIG;
  return {
    openConnection: () => {
      const session = new SimAuthSession(options);
      return {
        handleAuthenticate: (token) => session.handleAuthenticate(token),
        handleEnableSettings: (mic, message) => session.handleEnableSettings(mic, message),
        authorizeSetting: (s) => authorizeSetting(config, session.principal, s.role, s.device),
        get principal() {
          return session.principal;
        },
        close: () => session.dispose(),
      };
    },
  };
}
