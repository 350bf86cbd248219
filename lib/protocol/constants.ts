/**
 * The 51-byte handshake a client sends right after connecting (dpm-wire.md §2.2):
 * `GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n`. Do not mutate.
 *
 * @example
 * ```ts
 * socket.write(HANDSHAKE_REQUEST);
 * ```
 */
export const HANDSHAKE_REQUEST: Uint8Array = new TextEncoder().encode(
  'GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n',
);

/** The DPM protocol id carried in every message header (§4.1): −1321570246 (`0xB13A703A`). */
export const PROTOCOL_ID = -1321570246;
