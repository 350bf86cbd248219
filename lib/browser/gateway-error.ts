import { AcsysError } from '../errors/acsys-error.js';

/**
 * Why a {@link GatewayError} happened.
 *
 * - `unreachable`: the WebSocket could not be opened (gateway down, refused origin, too many
 *   clients — a browser does not tell these apart);
 * - `closed`: the gateway closed the connection (shutting down `1001`, too slow a reader `1013`,
 *   or the network dropped it `1006`); the client reconnects;
 * - `refused`: the gateway closed the connection because of what this client sent (`1003`,
 *   `1007`, `1008`, `1009`); the client does not reconnect;
 * - `heartbeat`: nothing arrived from the gateway for too long;
 * - `protocol`: the gateway sent something this client does not understand;
 * - `limit`: a subscription exceeded a limit of the gateway (subscriptions, DRFs, DRF length);
 * - `bad_request`: the gateway refused a subscription as malformed;
 * - `upstream`: the gateway's own DPM stream failed (`remoteCode` names the error there).
 *
 * @example
 * ```ts
 * if (e instanceof GatewayError && e.reason === 'limit') console.warn('too many devices');
 * ```
 */
export type GatewayErrorReason = 'unreachable' | 'closed' | 'refused' | 'heartbeat' | 'protocol' | 'limit' | 'bad_request' | 'upstream';

/**
 * An error of the browser client's link to the gateway, or one the gateway reported for a
 * subscription. `reason` says which; `closeCode` is the WebSocket close code when the gateway
 * closed the connection; `remoteCode` is the `code` of the error on the gateway's side.
 *
 * @example
 * ```ts
 * gw.stream('M:OUTTMP@p,100').subscribe({
 *   error: (e) => {
 *     if (e instanceof GatewayError) console.error(e.reason, e.closeCode, e.message);
 *   },
 * });
 * ```
 */
export class GatewayError extends AcsysError {
  readonly code = 'GATEWAY_ERROR' as const;
  /** What went wrong. */
  readonly reason: GatewayErrorReason;
  /** The WebSocket close code, when the connection was closed. */
  readonly closeCode: number | undefined;
  /** The error code on the gateway's side (`LIMIT`, `CONNECTION_LOST`, …), when it sent one. */
  readonly remoteCode: string | undefined;

  constructor(reason: GatewayErrorReason, message: string, details: { readonly closeCode?: number; readonly remoteCode?: string; readonly cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.closeCode = details.closeCode;
    this.remoteCode = details.remoteCode;
  }
}
