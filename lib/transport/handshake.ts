/**
 * The 51-byte handshake sent as soon as TCP connects (`dpm-wire.md` §2.2).
 *
 * @example
 * ```ts
 * socket.write(HANDSHAKE);
 * ```
 */
export const HANDSHAKE: Uint8Array = new TextEncoder().encode(
  'GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n',
);
