/**
 * Every general error class of acsys-rx.
 *
 * @example
 * ```ts
 * import { AcsysError, ConnectionLost } from 'acsys-rx';
 * ```
 *
 * @module
 */
export { AcsysError } from './acsys-error.js';
export { ConnectError } from './connect-error.js';
export { HandshakeError, type HandshakeFailure } from './handshake-error.js';
export { ConnectionLost, type ConnectionLostReason } from './connection-lost.js';
export { ConfigError } from './config-error.js';
export { ClientClosedError } from './client-closed-error.js';
export { RequestTooLargeError } from './request-too-large-error.js';
