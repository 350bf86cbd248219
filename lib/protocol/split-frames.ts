import { Observable, type OperatorFunction } from 'rxjs';
import { FrameSplitter, type FrameSplitterOptions } from './frame-splitter.js';

/**
 * RxJS operator: byte chunks → frame bodies (length prefixes removed), using a
 * {@link FrameSplitter} per subscription.
 *
 * Framing errors are **fatal** (dpm-wire.md §2.6): the output errors with the
 * `ProtocolError` (`bad_frame_length`, `http_error` with `detectHttp`, or
 * `truncated` when the source completes inside a frame). A source that completes
 * between frames completes the output. Bodies may be views of the input chunks
 * (zero copy), see {@link FrameSplitter}.
 *
 * @example
 * ```ts
 * chunks$.pipe(splitFrames({ detectHttp: true }), decodeReplies({ expectOpenListFirst: true }))
 *   .subscribe((f) => f.ok ? handle(f.message) : console.warn(f.error.category));
 * ```
 */
export function splitFrames(options?: FrameSplitterOptions): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      const splitter = new FrameSplitter((body) => subscriber.next(body), options);
      return source.subscribe({
        next(chunk) {
          try {
            splitter.push(chunk);
          } catch (e) {
            subscriber.error(e);
          }
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
