import type { AcsysError } from '../errors/acsys-error.js';

/**
 * The state of one DPM connection, as a value (`client.state$`). Each state
 * names the connection (`connection`, e.g. `"pool#1"`, `"stream#3"`).
 *
 * - `connecting`: TCP connect and handshake in progress (`attempt` counts reconnects, from 1).
 * - `open`: handshake done, list `listId` exists. `warning` is set (to the status
 *   word) when a heartbeat (`ListStatus_reply`) carried a non-zero status; the
 *   connection is kept (`dpm-behaviour.md` §2.5).
 * - `stale`: open, but nothing has arrived for longer than DPM's heartbeat allows
 *   (`silentMs`); the watchdog has not expired yet. Leaves through `open`, `closed`
 *   or (a reconnecting stream) `reconnecting`.
 * - `reconnecting`: a stream lost its connection (`reason`) and will retry after
 *   `delayMs`. Reported instead of `closed`: the connection is not gone for good.
 * - `closed`: the connection ended for good (final); `reason` is the error (for a
 *   reconnecting stream: the one that made it give up), or `undefined` for a
 *   normal close (unsubscribe, idle linger, `client.close()`).
 *
 * @example
 * ```ts
 * client.state$.subscribe((s) => {
 *   if (s.kind === 'reconnecting') console.warn(`${s.connection}: ${s.reason.message}, retry in ${s.delayMs} ms`);
 * });
 * ```
 */
export type ConnectionState =
  | {
      /** TCP connect and handshake in progress. */
      readonly kind: 'connecting';
      /** Which connection (`pool#1`, `stream#3`, …). */
      readonly connection: string;
      /** 1 for the first attempt, then counts reconnects. */
      readonly attempt: number;
    }
  | {
      /** Handshake done. */
      readonly kind: 'open';
      /** Which connection. */
      readonly connection: string;
      /** The DPM list of this connection. */
      readonly listId: number;
      /** The status word of a heartbeat with a non-zero status, if any. */
      readonly warning?: number;
    }
  | {
      /** Open, but silent for longer than DPM's heartbeat allows. */
      readonly kind: 'stale';
      /** Which connection. */
      readonly connection: string;
      /** How long nothing has arrived, ms. */
      readonly silentMs: number;
    }
  | {
      /** A stream lost its connection and will retry. */
      readonly kind: 'reconnecting';
      /** Which connection. */
      readonly connection: string;
      /** The attempt that will follow. */
      readonly attempt: number;
      /** Wait before that attempt, ms. */
      readonly delayMs: number;
      /** Why the connection was lost. */
      readonly reason: AcsysError;
    }
  | {
      /** The connection ended. */
      readonly kind: 'closed';
      /** Which connection. */
      readonly connection: string;
      /** The error, or `undefined` for a normal close. */
      readonly reason: AcsysError | undefined;
    };
