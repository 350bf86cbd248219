/**
 * Fair scheduling of the simulator's fast streams (devices that push replies as fast as
 * the socket takes them, e.g. `Z:FAST`). One pump per simulator serves every ready fast
 * stream round-robin, at most {@link FAST_TURN_BYTES} per event-loop turn in all, then
 * yields (`setImmediate`), so accepting connections, answering handshakes, heartbeats and
 * periodic streams keep running however many fast streams saturate their sockets. A
 * stream whose socket refuses data leaves the ring and comes back on `'drain'`.
 *
 * Why: each fast stream used to produce 256 KiB per flush in its own `setImmediate`
 * chain; 1,000 of them made one event-loop turn encode ~256 MB (seconds), and half of
 * 1,000 new connections saw their handshake time out.
 *
 * @example
 * ```ts
 * const pump = new FastStreamPump();
 * pump.add({ produce: (max) => writeSomeFrames(max) }); // bytes produced, or -1 to leave the ring
 * pump.close();
 * ```
 *
 * @module
 */
import type { Cancellable } from './scheduler.js';

/**
 * Bytes all fast streams together may produce in one event-loop turn.
 *
 * @example
 * ```ts
 * FAST_TURN_BYTES; // 1 MiB
 * ```
 */
export const FAST_TURN_BYTES = 1024 * 1024;

/**
 * While connections are arriving (see {@link FastStreamPump.arrival}), only every
 * `FAST_LIGHT_SERVE_EVERY`-th turn serves fast streams, and then one chunk of
 * {@link FAST_CHUNK_MIN_BYTES}: Node's libuv accepts at most one connection per event-loop
 * turn, so a burst of new connections is served only as fast as turns go round. Fast
 * streams slow down but never stop.
 *
 * @example
 * ```ts
 * FAST_LIGHT_SERVE_EVERY; // 4
 * ```
 */
export const FAST_LIGHT_SERVE_EVERY = 4;

/**
 * How many turns stay light after a connection arrived.
 *
 * @example
 * ```ts
 * FAST_LIGHT_TURNS; // 64
 * ```
 */
export const FAST_LIGHT_TURNS = 64;

/**
 * Smallest and largest share of a turn one stream gets (its chunk): the turn's bytes split
 * over the ready streams, within these bounds.
 *
 * @example
 * ```ts
 * FAST_CHUNK_MIN_BYTES <= chunk && chunk <= FAST_CHUNK_MAX_BYTES;
 * ```
 */
export const FAST_CHUNK_MIN_BYTES = 16 * 1024;
/** See {@link FAST_CHUNK_MIN_BYTES}. */
export const FAST_CHUNK_MAX_BYTES = 256 * 1024;

/**
 * One fast stream as the pump sees it.
 *
 * @example
 * ```ts
 * const job: PumpJob = { produce: (maxBytes) => (stopped ? -1 : encodeUpTo(maxBytes)) };
 * ```
 */
export interface PumpJob {
  /**
   * Produces up to about `maxBytes` of frames; returns the bytes produced, or -1 when the
   * job leaves the ring (stopped, or waiting for its socket: it then adds itself again).
   */
  produce(maxBytes: number): number;
}

/**
 * Defers a function to the next event-loop turn (default: `setImmediate`). Tests pass a
 * manual queue to step through turns.
 *
 * @example
 * ```ts
 * const defer: Defer = (fn) => { const h = setImmediate(fn); return { cancel: () => clearImmediate(h) }; };
 * ```
 */
export type Defer = (fn: () => void) => Cancellable;

const immediate: Defer = (fn) => {
  const h = setImmediate(fn);
  return { cancel: () => clearImmediate(h) };
};

/**
 * Round-robin, budgeted producer loop for fast streams (see the module doc).
 *
 * @example
 * ```ts
 * const pump = new FastStreamPump(undefined, 512 * 1024);
 * pump.add(job);
 * pump.close();
 * ```
 */
export class FastStreamPump {
  private ready: PumpJob[] = [];
  private pending: Cancellable | undefined;
  private closed = false;
  private light = 0;

  constructor(
    private readonly defer: Defer = immediate,
    private readonly turnBytes = FAST_TURN_BYTES,
  ) {}

  /**
   * A connection was accepted: the next {@link FAST_LIGHT_TURNS} turns are light (see
   * {@link FAST_LIGHT_SERVE_EVERY}), so that the event loop turns faster and the accepts
   * (one per turn), handshakes and list starts of a burst of connections go through quickly.
   */
  arrival(): void {
    this.light = FAST_LIGHT_TURNS;
  }

  /** Streams waiting for their turn. */
  get size(): number {
    return this.ready.length;
  }

  /** Adds a ready stream; it is served from the next turn on. */
  add(job: PumpJob): void {
    if (this.closed) return;
    this.ready.push(job);
    this.schedule();
  }

  /** Forgets every stream and cancels the pending turn. */
  close(): void {
    this.closed = true;
    this.ready = [];
    this.pending?.cancel();
    this.pending = undefined;
  }

  private schedule(): void {
    if (this.pending === undefined && !this.closed) this.pending = this.defer(this.turn);
  }

  /** One turn: serve streams from the head of the ring until the budget is spent; served ones go to the back. */
  private readonly turn = (): void => {
    this.pending = undefined;
    const ring = this.ready;
    const n = ring.length;
    if (n === 0) return;
    let budget = this.turnBytes;
    if (this.light > 0) {
      this.light--;
      budget = this.light % FAST_LIGHT_SERVE_EVERY === 0 ? FAST_CHUNK_MIN_BYTES : 0;
      if (budget === 0) {
        this.schedule(); // a turn without fast-stream work
        return;
      }
    }
    const chunk = Math.min(FAST_CHUNK_MAX_BYTES, Math.max(FAST_CHUNK_MIN_BYTES, Math.floor(budget / Math.max(1, n))));
    let i = 0;
    const again: PumpJob[] = [];
    for (; i < n && budget > 0; i++) {
      const job = ring[i]!;
      const bytes = job.produce(chunk);
      if (bytes < 0) continue;
      budget -= Math.max(bytes, 1);
      again.push(job);
    }
    // jobs added during this turn (ring.length > n) wait behind the unserved ones
    this.ready = i === 0 ? ring : ring.slice(i).concat(again);
    if (this.closed) this.ready = [];
    if (this.ready.length > 0) this.schedule();
  };
}
