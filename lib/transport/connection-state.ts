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
 *   (`silentMs`); the watchdog has not expired yet. Leaves through `open` or `closed`.
 * - `reconnecting`: a stream lost its connection and will retry after `delayMs`.
 * - `closed`: the connection ended; `reason` is the error, or `undefined` for a
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
  | { readonly kind: 'connecting'; readonly connection: string; readonly attempt: number }
  | { readonly kind: 'open'; readonly connection: string; readonly listId: number; readonly warning?: number }
  | { readonly kind: 'stale'; readonly connection: string; readonly silentMs: number }
  | {
      readonly kind: 'reconnecting';
      readonly connection: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: AcsysError;
    }
  | { readonly kind: 'closed'; readonly connection: string; readonly reason: AcsysError | undefined };
