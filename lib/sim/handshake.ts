/**
 * The HTTP-style handshake a DPM client sends before the binary frames
 * (`dpm-wire.md` §2.2, `dpm-behaviour.md` §2.2 and §11.1):
 * `GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n`.
 *
 * @example
 * ```ts
 * const r = parseHandshake(Buffer.from('GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n'));
 * if (r.kind === 'ok') console.log(r.rest.length); // 0
 * ```
 *
 * @module
 */

/**
 * Longest handshake the simulator reads before answering `400 Bad Request`.
 *
 * @example
 * ```ts
 * buf.length > MAX_HANDSHAKE_BYTES; // → 400 Bad Request
 * ```
 */
export const MAX_HANDSHAKE_BYTES = 8192;

/**
 * Outcome of {@link parseHandshake}: more bytes needed, accepted (with the bytes that
 * followed the empty line), or refused with an HTTP status line.
 *
 * @example
 * ```ts
 * const r: HandshakeResult = { kind: 'error', statusLine: 'HTTP/1.1 404 Not Found' };
 * ```
 */
export type HandshakeResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'ok'; readonly rest: Buffer; readonly headers: ReadonlyMap<string, string> }
  | { readonly kind: 'error'; readonly statusLine: string; readonly reason: string };

const TERMINATOR = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Parses the handshake at the start of `buf`. The request line must be exactly
 * `GET /dpm HTTP/1.1` (another path → `404 Not Found`; another method or a malformed
 * line → `400 Bad Request`); each header line must be `Name: value`; `Content-Type`
 * must be absent or `application/pc` (else `400`).
 *
 * @example
 * ```ts
 * parseHandshake(Buffer.from('GET /other HTTP/1.1\r\n\r\n'));
 * // { kind: 'error', statusLine: 'HTTP/1.1 404 Not Found', ... }
 * ```
 */
export function parseHandshake(buf: Buffer): HandshakeResult {
  const end = buf.indexOf(TERMINATOR);
  if (end < 0) {
    if (buf.length > MAX_HANDSHAKE_BYTES) return bad('handshake too long');
    return { kind: 'incomplete' };
  }
  // the same limit whether the bytes came in one chunk or many
  if (end + TERMINATOR.length > MAX_HANDSHAKE_BYTES) return bad('handshake too long');
  const text = buf.subarray(0, end).toString('latin1');
  const lines = text.split('\r\n');
  const parts = (lines[0] ?? '').split(' ');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return bad('malformed request line');
  const [method, path, protocol] = parts as [string, string, string];
  if (!/^HTTP\/1\.[01]$/.test(protocol)) return bad(`unsupported protocol ${protocol}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(': ');
    if (i <= 0) return bad(`malformed header line ${JSON.stringify(line)}`);
    headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 2));
  }
  if (method !== 'GET') return bad(`method ${method} not allowed`);
  if (path !== '/dpm') {
    return { kind: 'error', statusLine: 'HTTP/1.1 404 Not Found', reason: `unknown path ${path}` };
  }
  const ct = headers.get('content-type');
  if (ct !== undefined && ct !== 'application/pc') return bad(`unsupported content type ${ct}`);
  return { kind: 'ok', rest: buf.subarray(end + TERMINATOR.length), headers };
}

/**
 * The bytes of an HTTP error answer (status line, `Content-Length: 0`, empty line).
 *
 * @example
 * ```ts
 * socket.end(httpErrorResponse('HTTP/1.1 503 Service Unavailable'));
 * ```
 */
export function httpErrorResponse(statusLine: string): Buffer {
  return Buffer.from(`${statusLine}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 'latin1');
}

function bad(reason: string): HandshakeResult {
  return { kind: 'error', statusLine: 'HTTP/1.1 400 Bad Request', reason };
}
