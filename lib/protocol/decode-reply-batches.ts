import { Observable, type OperatorFunction } from 'rxjs';
import { decodeReply } from './decode.js';
import { ProtocolError } from './errors.js';
import type { ReplyMessage } from './messages.js';
import type { FrameBatch } from './split-frames.js';

/**
 * The replies of one {@link FrameBatch}, decoded as they are read: each {@link ReplyCursor.next}
 * decodes the next frame. One cursor serves every batch of a stream (it is reset per batch):
 * read it when it arrives, do not keep it.
 *
 * @example
 * ```ts
 * for (let m = cursor.next(); m !== undefined; m = cursor.next()) {
 *   if (m === null) console.warn(cursor.error); // an undecodable frame, skipped
 *   else console.log(m.type);
 * }
 * ```
 */
export class ReplyCursor {
  /** The `ProtocolError` of the last frame that `next()` returned `null` for. */
  error: ProtocolError | undefined = undefined;
  /** Set when the decoder failed with something other than a `ProtocolError` (a defect): stop reading. */
  fault: unknown = undefined;
  private frames: FrameBatch = [];
  private i = 0;

  /** Start on `frames`. */
  reset(frames: FrameBatch): this {
    this.frames = frames;
    this.i = 0;
    return this;
  }

  /** Frames not read yet. */
  get remaining(): number {
    return this.frames.length - this.i;
  }

  /**
   * The next reply; `null` for an undecodable frame (`error` says why; not fatal, `dpm-wire.md`
   * §2.6), `undefined` after the last frame.
   */
  next(): ReplyMessage | null | undefined {
    const frames = this.frames;
    if (this.i >= frames.length) return undefined;
    const frame = frames[this.i++]!;
    try {
      return decodeReply(frame);
    } catch (e) {
      if (e instanceof ProtocolError) this.error = e;
      else {
        this.fault = e;
        this.i = frames.length;
      }
      return null;
    }
  }
}

/**
 * RxJS operator: frame batches → a {@link ReplyCursor} over each batch's replies. The decoding
 * step of a connection's pipeline: no message is decoded before its consumer reads it, and no
 * array of messages is built (materialising a batch's replies first cost 15–25 % per frame), so
 * a decoded reply lives only while it is delivered.
 *
 * @example
 * ```ts
 * batches$.pipe(decodeReplyBatches()).subscribe((cursor) => {
 *   for (let m = cursor.next(); m !== undefined; m = cursor.next()) if (m !== null) replies.next(m);
 * });
 * ```
 */
export function decodeReplyBatches(): OperatorFunction<FrameBatch, ReplyCursor> {
  return (source) =>
    new Observable<ReplyCursor>((subscriber) => {
      const cursor = new ReplyCursor();
      return source.subscribe({
        next: (batch) => subscriber.next(cursor.reset(batch)),
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
