/**
 * acsys-rx in a web page: live device readings from an acsys-rx gateway (`acsys-web`) as RxJS
 * Observables, with the same `Reading` objects as the Node client. No Node built-ins; bundle it
 * with your page (esbuild, Vite, …), or load the ready bundle the gateway serves at
 * `/acsys-rx-browser.js` (RxJS included).
 *
 * @example
 * ```ts
 * import { stream } from 'acsys-rx/browser';
 * // a page served by the gateway: it connects to ws://<host>/ws
 * stream('M:OUTTMP@p,1000').subscribe((r) => {
 *   document.title = `${Number(r.value).toFixed(2)} ${r.meta?.units ?? ''}`;
 * });
 * ```
 *
 * @module
 */
import { defer, type Observable } from 'rxjs';
import type { Reading } from '../dpm/reading.js';
import { gateway, type GatewayClient } from './client.js';
import type { BrowserStreamEventsOptions, GatewayStreamEvent } from './events.js';

export { gateway, type GatewayClient } from './client.js';
export type { GatewayState, GatewayStreamEvent, BrowserStreamEventsOptions } from './events.js';
export { GatewayError, type GatewayErrorReason } from './gateway-error.js';
export { gatewayUrl, resolveGatewayOptions, type GatewayOptions, type ResolvedGatewayOptions } from './options.js';
export type { WebSocketConstructor } from './link.js';
export { CLOSE, WIRE_VERSION } from './wire.js';
export { isOk, type Reading, type ValueReading, type ErrorReading, type ValueType, type ValueTypes, type DeviceMeta, type TimedArray } from '../dpm/reading.js';
export { AcnetStatus } from '../status/acnet-status.js';
export { AcsysError } from '../errors/acsys-error.js';
export { ConfigError } from '../errors/config-error.js';
export { ClientClosedError } from '../errors/client-closed-error.js';
export { ListError } from '../dpm/list-error.js';
export { DrfError } from '../drf/errors.js';
export { parseDrf, isValidDrf } from '../drf/parse.js';
export { toCanonical } from '../drf/canonical.js';

let shared: GatewayClient | undefined;

/**
 * The page's default client: `gateway()` with the default options (the gateway that served
 * the page), made on first use and shared by {@link stream} and {@link streamEvents}.
 *
 * @example
 * ```ts
 * defaultGateway().state$.subscribe((s) => console.log(s.connection, s.kind));
 * ```
 */
export function defaultGateway(): GatewayClient {
  if (shared === undefined || shared.closed) shared = gateway();
  return shared;
}

/**
 * Readings of one or more DRFs through the default gateway ({@link defaultGateway}); see
 * `GatewayClient.stream`.
 *
 * @example
 * ```ts
 * stream(['M:OUTTMP@p,1000', 'Z:ARRAY1K@p,1000']).subscribe((r) => console.log(r.drf, r.valueType));
 * ```
 */
export function stream(drfs: string | readonly string[]): Observable<Reading> {
  return defer(() => defaultGateway().stream(drfs));
}

/**
 * Readings, states and staleness reports through the default gateway; see
 * `GatewayClient.streamEvents`.
 *
 * @example
 * ```ts
 * streamEvents('M:OUTTMP@p,100', { stale: true }).subscribe((e) => console.log(e.kind));
 * ```
 */
export function streamEvents(drfs: string | readonly string[], options?: BrowserStreamEventsOptions): Observable<GatewayStreamEvent> {
  return defer(() => defaultGateway().streamEvents(drfs, options));
}
