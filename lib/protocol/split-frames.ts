import { Observable, mergeMap, type OperatorFunction } from 'rxjs';
import { FrameSplitter, type FrameSplitterOptions } from './frame-splitter.js';

/**
 * Complete frame bodies, in order, that one chunk of a byte stream finished
 * (never empty; at most {@link MAX_FRAME_BATCH}). Bodies may be views of the
 * chunks (zero copy), see {@link FrameSplitter}.
 *
 * @example
 * ```ts
 * chunks$.pipe(splitFrameBatches()).subscribe((batch: FrameBatch) => console.log(batch.length, 'frames'));
 * ```
 */
export type FrameBatch = readonly Uint8Array[];

/**
 * Most frames in one {@link FrameBatch}. A 64 KiB chunk can complete a thousand
 * small frames; handing them on in batches of this size, while the splitter
 * walks the chunk, lets each frame be decoded while its bytes are still in the
 * CPU cache (one batch per chunk is measurably slower).
 *
 * @example
 * ```ts
 * batch.length <= MAX_FRAME_BATCH; // true
 * ```
 */
export const MAX_FRAME_BATCH = 64;

/**
 * RxJS operator: byte chunks → {@link FrameBatch}es of the frames each chunk
 * completes (length prefixes removed; a chunk that completes none emits
 * nothing, one that completes many emits batches of up to
 * {@link MAX_FRAME_BATCH}), using a {@link FrameSplitter} per subscription.
 * This is the form a connection uses: the splitter is the inner loop and the
 * operator chain runs once per batch, not once per frame.
 *
 * Framing errors are **fatal** (dpm-wire.md §2.6): the frames the failing
 * chunk completed before the fault are emitted, then the output errors with the
 * `ProtocolError` (`bad_frame_length`, `http_error` with `detectHttp`, or
 * `truncated` when the source completes inside a frame). A source that
 * completes between frames completes the output.
 *
 * @example
 * ```ts
 * chunks$.pipe(splitFrameBatches({ detectHttp: true }))
 *   .subscribe((batch) => { for (const body of batch) handle(decodeReply(body)); });
 * ```
 */
export function splitFrameBatches(options?: FrameSplitterOptions): OperatorFunction<Uint8Array, FrameBatch> {
  return (source) =>
    new Observable<FrameBatch>((subscriber) => {
      let batch: Uint8Array[] = [];
      const flush = (): void => {
        if (batch.length === 0) return;
        const done = batch;
        batch = [];
        subscriber.next(done);
      };
      const splitter = new FrameSplitter((body) => {
        if (batch.push(body) === MAX_FRAME_BATCH) flush();
      }, options);
      return source.subscribe({
        next(chunk) {
          try {
            splitter.push(chunk);
          } catch (e) {
            flush();
            subscriber.error(e);
            return;
          }
          flush();
        },
        error(e) {
          subscriber.error(e);
        },
        complete() {
          try {
            splitter.end();
          } catch (e) {
            subscriber.error(e);
            return;
          }
          subscriber.complete();
        },
      });
    });
}

/**
 * RxJS operator: byte chunks → frame bodies, one emission per frame (the
 * frames of {@link splitFrameBatches}, flattened). Same errors and zero-copy
 * rule. For codec users and tests; a connection uses the batch form.
 *
 * @example
 * ```ts
 * chunks$.pipe(splitFrames({ detectHttp: true }), decodeReplies({ expectOpenListFirst: true }))
 *   .subscribe((f) => f.ok ? handle(f.message) : console.warn(f.error.category));
 * ```
 */
export function splitFrames(options?: FrameSplitterOptions): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) => source.pipe(splitFrameBatches(options), mergeMap((batch) => batch));
}
