/**
 * Fault injection for tests: per-connection misbehaviour of the simulator.
 *
 * @example
 * ```ts
 * // fault only the first connection; a reconnect then succeeds
 * startSimulator({ faults: (i) => (i === 0 ? { dropAfterFrames: 2 } : {}) });
 * ```
 *
 * @module
 */

/**
 * Faults applied to one connection. Frame counts include the `OpenList_reply`
 * (frame 1). All options are off when absent.
 *
 * @example
 * ```ts
 * const f: FaultOptions = { httpError: 'HTTP/1.1 503 Service Unavailable' };
 * ```
 */
export interface FaultOptions {
  /** Answer the handshake with this HTTP status line (e.g. `"HTTP/1.1 503 Service Unavailable"`) and close. */
  httpError?: string;
  /** Close the handshake silently (no HTTP answer, no frame), as bare DPM does on a bad request. */
  closeOnHandshake?: boolean;
  /** Destroy the socket right after this many frames have been written. */
  dropAfterFrames?: number;
  /** Destroy the socket this many ms after the handshake completed. */
  dropAfterMs?: number;
  /**
   * With `dropAfterFrames`/`dropAfterMs`: first write the first half of the next frame,
   * then destroy the socket (a close inside a frame).
   */
  dropMidFrame?: boolean;
  /** Never send `ListStatus_reply` heartbeats. */
  noHeartbeats?: boolean;
  /** After this many frames, send nothing more (no data, no heartbeats) but keep the socket open. */
  stallAfterFrames?: number;
  /** Write every byte in its own `socket.write` call (exercises the client's reassembly). */
  oneByteWrites?: boolean;
  /** After this many frames, send one well-framed frame whose body is not a DPM message. */
  garbageFrameAfterFrames?: number;
  /** After this many frames, send a length prefix larger than any allowed frame (then nothing). */
  oversizedLengthAfterFrames?: number;
  /** The oversized length prefix to send (default 0x7FFFFFF0). */
  oversizedLength?: number;
  /** Delay every frame after the `OpenList_reply` by this many ms (order is kept). */
  replyDelayMs?: number;
  /**
   * Destroy the socket instead of sending the first reply of this type, after the request it
   * answers was handled — e.g. `'ApplySettings_reply'`: the settings are applied, their answer is
   * lost.
   */
  dropInsteadOfReply?: string;
  /**
   * After this many frames, start a frame that never completes (a slowloris server): its
   * length prefix announces 4096 bytes, then one body byte follows every `trickleIntervalMs`;
   * nothing else is sent (no data, no heartbeats) and the socket stays open.
   */
  trickleAfterFrames?: number;
  /** With `trickleAfterFrames`: ms between two trickled bytes (default 50). */
  trickleIntervalMs?: number;
}

/**
 * The `faults` simulator option: one object for every connection, or a function of the
 * connection index (0 for the first accepted TCP connection, 1 for the next, …).
 *
 * @example
 * ```ts
 * const faults: FaultSetting = (i) => (i < 2 ? { stallAfterFrames: 1 } : {});
 * ```
 */
export type FaultSetting = FaultOptions | ((connectionIndex: number) => FaultOptions | undefined);

/**
 * The faults for connection `index`.
 *
 * @example
 * ```ts
 * resolveFaults({ noHeartbeats: true }, 3); // { noHeartbeats: true }
 * ```
 */
export function resolveFaults(setting: FaultSetting | undefined, index: number): FaultOptions {
  if (setting === undefined) return {};
  if (typeof setting === 'function') return setting(index) ?? {};
  return setting;
}

/**
 * True when a fault needs frame-exact writes (no batching of many frames in one write).
 *
 * @example
 * ```ts
 * needsFrameExactWrites({ dropAfterFrames: 3 }); // true
 * ```
 */
export function needsFrameExactWrites(f: FaultOptions): boolean {
  return (
    f.dropAfterFrames !== undefined ||
    f.stallAfterFrames !== undefined ||
    f.garbageFrameAfterFrames !== undefined ||
    f.oversizedLengthAfterFrames !== undefined ||
    f.oneByteWrites === true ||
    f.trickleAfterFrames !== undefined ||
    (f.replyDelayMs ?? 0) > 0
  );
}
