/**
 * Whether a host name is this machine's loopback (`localhost`, `127.x.y.z`, `::1`).
 *
 * @example
 * ```ts
 * isLoopback('127.0.0.1'); // true
 * isLoopback('example.org'); // false
 * ```
 */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/**
 * Whether a WebSocket upgrade with this `Origin` may proceed. Allowed: no `Origin` (not a
 * browser), an origin in `allowed` (or `*` there), or the gateway's own origin — the origin's
 * `host:port` equals the request's `Host`; when the gateway listens on loopback only, that host
 * must be a loopback name too, so that a page of another site whose name was made to resolve to
 * 127.0.0.1 (DNS rebinding) is refused.
 *
 * @example
 * ```ts
 * originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', { allowed: [], loopbackOnly: true }); // true
 * originAllowed('https://evil.example', '127.0.0.1:8080', { allowed: [], loopbackOnly: true }); // false
 * ```
 */
export function originAllowed(origin: string | undefined, host: string | undefined, config: { readonly allowed: readonly string[]; readonly loopbackOnly: boolean }): boolean {
  if (origin === undefined) return true;
  if (config.allowed.includes('*') || config.allowed.includes(origin)) return true;
  if (host === undefined) return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.host.toLowerCase() !== host.toLowerCase()) return false;
  return !config.loopbackOnly || isLoopback(u.hostname);
}
