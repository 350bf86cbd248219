import type { Reading } from '../dpm/reading.js';
import type { AcsysError } from '../errors/acsys-error.js';

/**
 * The state of a connection of the browser client, shaped like the Node client's
 * `ConnectionState`. `connection` is `gateway` for the WebSocket to the gateway, or
 * `stream#N` for the path of one stream (gateway plus the gateway's own DPM connection for it:
 * `reconnecting` when either is lost, `open` once the DPM list is running again).
 *
 * @example
 * ```ts
 * gw.state$.subscribe((s) => {
 *   if (s.kind === 'reconnecting') console.warn(`${s.connection}: ${s.reason.message}; retry in ${s.delayMs} ms`);
 * });
 * ```
 */
export type GatewayState =
  | {
      /** Connecting (`attempt` counts from 1). */
      readonly kind: 'connecting';
      /** `gateway` or `stream#N`. */
      readonly connection: string;
      /** 1 for the first attempt, then counts reconnects. */
      readonly attempt: number;
    }
  | {
      /** Connected (for a stream: its DPM list exists). */
      readonly kind: 'open';
      /** `gateway` or `stream#N`. */
      readonly connection: string;
      /** A stream's DPM list id. */
      readonly listId?: number;
    }
  | {
      /** Open, but DPM has been silent for longer than its heartbeat allows. */
      readonly kind: 'stale';
      /** `stream#N`. */
      readonly connection: string;
      /** How long nothing has arrived, ms. */
      readonly silentMs: number;
    }
  | {
      /** Lost; another attempt follows after `delayMs` (when known; otherwise 0). */
      readonly kind: 'reconnecting';
      /** `gateway` or `stream#N`. */
      readonly connection: string;
      /** The attempt that will follow. */
      readonly attempt: number;
      /** Wait before that attempt, ms. */
      readonly delayMs: number;
      /** Why it was lost. */
      readonly reason: AcsysError;
    }
  | {
      /** Ended for good (final). */
      readonly kind: 'closed';
      /** `gateway` or `stream#N`. */
      readonly connection: string;
      /** The error, or `undefined` for a normal end (unsubscribe, `close()`). */
      readonly reason: AcsysError | undefined;
    };

/**
 * What `streamEvents` emits in the browser: readings, this stream's states and staleness
 * reports — as the Node client's `StreamEvent`.
 *
 * @example
 * ```ts
 * gw.streamEvents('M:OUTTMP@p,100', { stale: true }).subscribe((e) => {
 *   if (e.kind === 'reading') show(e.reading);
 *   else if (e.kind === 'stale') markStale(e.drf);
 * });
 * ```
 */
export type GatewayStreamEvent =
  | { readonly kind: 'reading'; readonly reading: Reading }
  | { readonly kind: 'state'; readonly state: GatewayState }
  | { readonly kind: 'stale'; readonly drf: string; readonly silentMs: number };

/**
 * Options of `streamEvents` in the browser.
 *
 * @example
 * ```ts
 * gw.streamEvents(['M:OUTTMP@p,100'], { stale: { afterMs: 2000 } });
 * ```
 */
export interface BrowserStreamEventsOptions {
  /**
   * Report devices whose data stops, as `{ kind: 'stale' }` events: `true` watches periodic
   * devices (limit 2 × period + 1 s, as in Node), `{ afterMs }` every device with one limit.
   * The whole path counts: DPM, the gateway and the WebSocket.
   */
  readonly stale?: boolean | { readonly afterMs: number };
}
