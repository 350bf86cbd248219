/**
 * The transport layer: one DPM connection as an Observable (socket, handshake, liveness) and its state.
 *
 * @example
 * ```ts
 * import { connect } from 'acsys-rx';
 * connect({ host: 'localhost', port: 6802 }).subscribe((c) => console.log(c.listId));
 * ```
 *
 * @module
 */
export { connect, type ConnectOptions } from './connect.js';
export type { Connection, OutgoingRequest } from './connection.js';
export type { ConnectionState } from './connection-state.js';
export { liveness, type LivenessConfig } from './liveness.js';
export { handshake, type HandshakeConfig } from './handshake.js';
export { tcpSocket, streamSocket, socketChunks, type TcpTarget, type ByteSocket } from './socket.js';
export { openConnection, type ConnectionConfig } from './tcp-connection.js';
