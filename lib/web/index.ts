/**
 * The read-only WebSocket gateway between DPM and web browsers (`acsys-web` on the command
 * line): `startGateway` streams devices to browsers through a DPM client and serves the live
 * dashboard page. Browsers use `acsys-rx/browser`.
 *
 * @example
 * ```ts
 * import { dpm } from 'acsys-rx';
 * import { startGateway } from 'acsys-rx/web';
 *
 * const gw = await startGateway({ client: dpm({ host: 'localhost', port: 6802 }), port: 8080 });
 * console.log(`open ${gw.url}`);
 * ```
 *
 * @module
 */
export { startGateway, type GatewayHandle, type GatewayStats } from './gateway.js';
export { DEFAULT_LIMITS, resolveGatewayServerOptions, type GatewayLimits, type GatewayServerOptions, type ResolvedGatewayServerOptions } from './options.js';
export type { SessionStats } from './stats.js';
export type { OutboxStats } from './outbox.js';
export { isLoopback, originAllowed } from './origin.js';
