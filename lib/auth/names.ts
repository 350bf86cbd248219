/**
 * Pure name rules of DPM's Kerberos authentication (`dpm-behaviour.md` §9.2, §9.5).
 *
 * @module
 */

/**
 * The realm pacsys and acsys-python use for service and user principals.
 *
 * @example
 * ```ts
 * servicePrincipal('daeset/bd@host', DEFAULT_REALM); // 'daeset/bd/host@FNAL.GOV'
 * ```
 */
export const DEFAULT_REALM = 'FNAL.GOV';

/**
 * Translates the `serviceName` DPM announces in `Authenticate_reply` into the Kerberos principal to
 * request a ticket for: delete every `\` (Java-side escaping), replace every `@` by `/`, then
 * append `@<realm>`. With `realm` `null` no realm is appended, so the Kerberos library uses the
 * default realm of krb5.conf (acsys-python's behaviour).
 *
 * @example
 * ```ts
 * servicePrincipal('daeset/bd@host.fnal.gov');            // 'daeset/bd/host.fnal.gov@FNAL.GOV'
 * servicePrincipal('daeset\\@somehost');                  // 'daeset/somehost@FNAL.GOV'
 * servicePrincipal('daeset/bd@localhost', 'ACSYS.TEST');  // 'daeset/bd/localhost@ACSYS.TEST'
 * ```
 */
export function servicePrincipal(serviceName: string, realm: string | null = DEFAULT_REALM): string {
  const base = serviceName.replace(/\\/g, '').replace(/@/g, '/');
  return realm === null ? base : `${base}@${realm}`;
}

/**
 * The inverse rule, as DPM reports its own principal: `a/b/h@REALM` → `a/b@h` (everything before
 * the last `/`, `@`, the last component; the realm is dropped). A principal without `/` is
 * returned without its realm.
 *
 * @example
 * ```ts
 * serviceNameOf('daeset/bd/localhost@ACSYS.TEST'); // 'daeset/bd@localhost'
 * ```
 */
export function serviceNameOf(principal: string): string {
  const at = principal.lastIndexOf('@');
  const base = at < 0 ? principal : principal.slice(0, at);
  const slash = base.lastIndexOf('/');
  return slash < 0 ? base : `${base.slice(0, slash)}@${base.slice(slash + 1)}`;
}

/**
 * The realm of a principal (text after the last unescaped `@`), or `undefined`.
 *
 * @example
 * ```ts
 * realmOf('alice@FNAL.GOV'); // 'FNAL.GOV'
 * ```
 */
export function realmOf(principal: string): string | undefined {
  for (let i = principal.length - 1; i >= 0; i--) {
    if (principal[i] === '@' && principal[i - 1] !== '\\') return principal.slice(i + 1);
  }
  return undefined;
}

/**
 * DPM's console-user short name of a principal (§9.5): the text before `@`, then its last
 * `/`-component, then the text before the first `.`.
 *
 * @example
 * ```ts
 * shortName('alice@FNAL.GOV');              // 'alice'
 * shortName('alice/admin@FNAL.GOV');        // 'admin'
 * shortName('host/node1.fnal.gov@FNAL.GOV'); // 'node1'
 * ```
 */
export function shortName(principal: string): string {
  const at = principal.indexOf('@');
  const beforeAt = at < 0 ? principal : principal.slice(0, at);
  const last = beforeAt.slice(beforeAt.lastIndexOf('/') + 1);
  const dot = last.indexOf('.');
  return dot < 0 ? last : last.slice(0, dot);
}
