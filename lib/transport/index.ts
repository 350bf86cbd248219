/**
 * The transport layer: one DPM connection as an Observable, its state, the watchdog.
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
export { Watchdog, watchdog, type WatchdogHandlers } from './watchdog.js';
export { HANDSHAKE } from './handshake.js';
