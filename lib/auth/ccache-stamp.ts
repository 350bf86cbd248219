/**
 * A cheap fingerprint of a Kerberos ticket cache, to tell whether it can have changed since the
 * credentials were last read (so that they are not re-read before every write).
 *
 * @module
 */
import { statSync } from 'node:fs';
import { getuid } from 'node:process';

/**
 * The fingerprint of the ticket cache `name` (e.g. `FILE:/tmp/krb5cc_1000`; default `KRB5CCNAME`,
 * then MIT's default `FILE:/tmp/krb5cc_<uid>`): the name with the file's inode, size and
 * modification time, `<name>|missing` when the file does not exist, or `undefined` for a cache
 * that is not a file (`KEYRING:`, `KCM:`, `DIR:`, `MEMORY:`, …), which cannot be fingerprinted.
 * `kinit`, `kdestroy` and a ticket renewal all change it.
 *
 * @example
 * ```ts
 * ccacheStamp('FILE:/tmp/krb5cc_1000'); // 'FILE:/tmp/krb5cc_1000|1234:1573:1733456789012.5'
 * ccacheStamp('KEYRING:persistent:1000'); // undefined
 * ```
 */
export function ccacheStamp(name: string | undefined = process.env['KRB5CCNAME']): string | undefined {
  const full = name ?? (getuid !== undefined ? `FILE:/tmp/krb5cc_${getuid()}` : undefined);
  if (full === undefined) return undefined;
  const m = /^([A-Za-z0-9]+):(.*)$/.exec(full);
  if (m !== null && m[1]!.toUpperCase() !== 'FILE') return undefined;
  const path = m === null ? full : m[2]!;
  try {
    const st = statSync(path, { bigint: false });
    return `${full}|${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return `${full}|missing`;
  }
}
