/**
 * The per-connection output queue of the simulator: one FIFO of frames, batched into
 * few `socket.write` calls, respecting backpressure (`write()` return value and
 * `'drain'`), and applying the write-side faults of {@link FaultOptions}.
 *
 * @example
 * ```ts
 * const w = new FrameWriter(socket, {}, timers);
 * w.enqueue(encodeReplyFrame({ type: 'OpenList_reply', list_id: 4096 }));
 * ```
 *
 * @module
 */
import type { Socket } from 'node:net';
import type { FaultOptions } from './faults.js';
import { needsFrameExactWrites } from './faults.js';
import type { Cancellable, TimerGroup } from './scheduler.js';

/** Bytes queued (not yet handed to the socket) above which producers should wait. */
const HIGH_WATER = 256 * 1024;

/**
 * When a writer gives up on a peer that does not read: the connection is destroyed when
 * more than `maxBytes` are queued while the socket refuses data (its `write()` returned
 * false and no `'drain'` came yet), or when the socket has refused data for `stallMs`
 * without a `'drain'`.
 *
 * @example
 * ```ts
 * const limits: OutputLimits = { maxBytes: 4 * 1024 * 1024, stallMs: 30_000 };
 * ```
 */
export interface OutputLimits {
  readonly maxBytes: number;
  readonly stallMs: number;
}

/** Size of the buffers frames are encoded into directly (see {@link FrameWriter.reserve}). */
const SLAB_BYTES = 64 * 1024;

/** Queued output: bytes `[start, end)` of `bytes`, holding `frames` whole frames. */
interface Item {
  readonly bytes: Uint8Array;
  readonly start: number;
  end: number;
  frames: number;
}

/**
 * Batching, backpressure-aware frame writer with fault injection.
 *
 * @example
 * ```ts
 * const w = new FrameWriter(socket, { oneByteWrites: true }, timers);
 * w.onWritable(() => produceMore());
 * ```
 */
export class FrameWriter {
  private queue: Item[] = [];
  private queuedBytes = 0;
  private flushScheduled: NodeJS.Immediate | undefined;
  private waitingDrain = false;
  private writableCallbacks: (() => void)[] = [];
  private framesWritten = 0;
  private stalled = false;
  private closed = false;
  private readonly exact: boolean;
  private readonly delayMs: number;
  private firstFrameSeen = false;
  private trickle: Uint8Array[] = [];
  private trickleAt = 0;
  private tricklePump: NodeJS.Immediate | undefined;
  private stallTimer: Cancellable | undefined;
  private stallStart = 0;
  private overflow: 'bytes' | 'stall' | undefined;
  /** Buffer that {@link reserve} hands out; bytes before `slabPos` are committed. */
  private slab: Buffer | undefined;
  private slabPos = 0;
  /** The queued item that ends at `slabPos` (later commits extend it), if still queued. */
  private slabItem: Item | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly faults: FaultOptions,
    private readonly timers: TimerGroup,
    private readonly onDestroy: () => void = () => undefined,
    private readonly limits?: OutputLimits,
  ) {
    this.exact = needsFrameExactWrites(faults);
    this.delayMs = faults.replyDelayMs ?? 0;
    socket.on('drain', () => {
      this.waitingDrain = false;
      this.scheduleFlush();
    });
  }

  /** Bytes queued here and not yet handed to the socket. */
  get queued(): number {
    return this.queuedBytes;
  }

  /** Bytes queued here plus those the socket buffers (not yet accepted by the kernel). */
  get backlog(): number {
    return this.queuedBytes + this.socket.writableLength;
  }

  /** Why the writer closed the connection on its own: an output limit it exceeded. */
  get overflowed(): 'bytes' | 'stall' | undefined {
    return this.overflow;
  }

  /** True when frames may be written in batches (no frame-exact fault is active). */
  get batchable(): boolean {
    return !this.exact;
  }

  /** Frames handed to the socket so far. */
  get written(): number {
    return this.framesWritten;
  }

  /**
   * True when frames may be encoded straight into the output with {@link reserve} and
   * {@link commit}: batched writes and no reply delay fault.
   */
  get direct(): boolean {
    return !this.exact && this.delayMs === 0;
  }

  /**
   * A buffer with at least `maxBytes` free from {@link reservedAt}, into which a producer
   * encodes whole frames, then calls {@link commit} with the end position. Nothing is
   * copied: consecutive commits become one region, written with one `socket.write`.
   * Only when {@link direct} is true.
   */
  reserve(maxBytes: number): Buffer {
    let s = this.slab;
    if (s === undefined || s.length - this.slabPos < maxBytes) {
      s = this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, maxBytes));
      this.slabPos = 0;
      this.slabItem = undefined;
    }
    return s;
  }

  /** Where the next frame goes in the buffer {@link reserve} returned. */
  get reservedAt(): number {
    return this.slabPos;
  }

  /** Queues bytes `[reservedAt, end)` of the reserved buffer: `frames` whole frames. */
  commit(end: number, frames = 1): void {
    const s = this.slab;
    if (s === undefined || this.closed || this.stalled) return;
    const n = end - this.slabPos;
    const open = this.slabItem;
    if (open !== undefined && this.queue[this.queue.length - 1] === open) {
      open.end = end;
      open.frames += frames;
    } else {
      const it: Item = { bytes: s, start: this.slabPos, end, frames };
      this.queue.push(it);
      this.slabItem = it;
    }
    this.slabPos = end;
    this.queuedBytes += n;
    this.scheduleFlush();
  }

  /** True when producers should hold off (queue or socket buffer full, or stalled). */
  get congested(): boolean {
    return this.closed || this.stalled || this.waitingDrain || this.queuedBytes >= HIGH_WATER;
  }

  /** Queues one complete frame (`frames` > 1 for a pre-batched chunk of whole frames). */
  enqueue(bytes: Uint8Array, frames = 1): void {
    if (this.closed || this.stalled) return;
    if (this.delayMs > 0 && this.firstFrameSeen) {
      this.timers.timeout(() => this.push(bytes, frames), this.delayMs);
      return;
    }
    this.firstFrameSeen = true;
    this.push(bytes, frames);
  }

  /** Calls `cb` once, as soon as the writer is not congested and its queue is empty. */
  onWritable(cb: () => void): void {
    if (this.closed) return;
    this.writableCallbacks.push(cb);
    this.scheduleFlush();
  }

  /**
   * Hands what is queued to the socket now instead of at the end of the turn (a fast
   * stream's chunk, so that it goes out in the turn it was produced in).
   */
  flushNow(): void {
    if (this.flushScheduled !== undefined) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    this.flush();
  }

  /** Destroys the connection now; with `midFrame`, after writing half of the next frame. */
  drop(midFrame: boolean): void {
    if (this.closed) return;
    if (midFrame) {
      const head = this.queue[0];
      const next = head === undefined ? HALF_FRAME_FILLER : head.bytes.subarray(head.start, head.end);
      this.socket.write(next.subarray(0, Math.max(1, Math.floor(next.length / 2))));
    }
    this.destroy();
  }

  /** Stops all output and timers of this writer (the socket is not touched). */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.slab = undefined;
    this.slabItem = undefined;
    this.writableCallbacks = [];
    if (this.flushScheduled !== undefined) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    if (this.tricklePump !== undefined) clearImmediate(this.tricklePump);
    this.tricklePump = undefined;
    this.trickle = [];
    this.stallTimer?.cancel();
    this.stallTimer = undefined;
  }

  private push(bytes: Uint8Array, frames: number): void {
    if (this.closed || this.stalled) return;
    this.queue.push({ bytes, start: 0, end: bytes.length, frames });
    this.queuedBytes += bytes.length;
    if (this.waitingDrain && this.limits !== undefined && this.queuedBytes > this.limits.maxBytes) {
      this.overflow = 'bytes';
      this.destroy();
      return;
    }
    this.scheduleFlush();
  }

  /** The socket refused data (`write()` returned false): wait for `'drain'`, watch for a stall. */
  private refused(): void {
    if (!this.waitingDrain) this.stallStart = this.timers.scheduler.now();
    this.waitingDrain = true;
    if (this.limits !== undefined && this.stallTimer === undefined) this.armStallTimer(this.limits.stallMs);
  }

  /** One timer per stall period, not per refusal (a fast stream is refused hundreds of times a second). */
  private armStallTimer(ms: number): void {
    this.stallTimer = this.timers.timeout(() => {
      this.stallTimer = undefined;
      const limits = this.limits;
      if (!this.waitingDrain || this.closed || limits === undefined) return;
      const waited = this.timers.scheduler.now() - this.stallStart;
      if (waited >= limits.stallMs) {
        this.overflow = 'stall';
        this.destroy();
      } else {
        this.armStallTimer(limits.stallMs - waited);
      }
    }, ms);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled !== undefined || this.closed) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    if (!this.waitingDrain && this.queue.length > 0) {
      if (this.exact) this.flushExact();
      else this.flushBatch();
    }
    if (!this.closed && !this.congested && this.queue.length === 0 && this.writableCallbacks.length > 0) {
      const cbs = this.writableCallbacks;
      this.writableCallbacks = [];
      for (const cb of cbs) cb();
    }
  }

  private flushBatch(): void {
    const items = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    let frames = 0;
    for (const it of items) frames += it.frames;
    const data = items.length === 1 ? slice(items[0]!) : Buffer.concat(items.map(slice));
    this.framesWritten += frames;
    if (!this.socket.write(data)) this.refused();
  }

  private flushExact(): void {
    const f = this.faults;
    while (!this.closed && !this.waitingDrain) {
      const n = this.framesWritten;
      if (f.stallAfterFrames !== undefined && n >= f.stallAfterFrames) {
        this.stalled = true;
        this.queue = [];
        this.queuedBytes = 0;
        return;
      }
      if (f.dropAfterFrames !== undefined && n >= f.dropAfterFrames) {
        this.drop(f.dropMidFrame === true);
        return;
      }
      if (f.garbageFrameAfterFrames !== undefined && n === f.garbageFrameAfterFrames) {
        this.framesWritten++;
        this.rawWrite(GARBAGE_FRAME);
        continue;
      }
      if (f.trickleAfterFrames !== undefined && n >= f.trickleAfterFrames) {
        this.stalled = true;
        this.queue = [];
        this.queuedBytes = 0;
        this.rawWrite(NEVER_ENDING_FRAME_PREFIX);
        this.timers.interval(() => {
          if (!this.closed) this.socket.write(TRICKLE_BYTE);
        }, f.trickleIntervalMs ?? 50);
        return;
      }
      if (f.oversizedLengthAfterFrames !== undefined && n >= f.oversizedLengthAfterFrames) {
        const p = Buffer.alloc(4);
        p.writeUInt32BE((f.oversizedLength ?? 0x7ffffff0) >>> 0);
        this.rawWrite(p);
        this.stalled = true;
        this.queue = [];
        this.queuedBytes = 0;
        return;
      }
      const it = this.queue.shift();
      if (it === undefined) return;
      this.queuedBytes -= it.end - it.start;
      this.framesWritten += it.frames;
      this.rawWrite(slice(it));
    }
  }

  private rawWrite(bytes: Uint8Array): void {
    if (this.faults.oneByteWrites === true) {
      this.trickle.push(bytes);
      this.pumpTrickle();
      return;
    }
    if (!this.socket.write(bytes)) this.refused();
  }

  /** oneByteWrites: one byte per event-loop turn, so the peer really sees 1-byte reads. */
  private pumpTrickle(): void {
    if (this.tricklePump !== undefined || this.closed) return;
    this.tricklePump = setImmediate(() => {
      this.tricklePump = undefined;
      const head = this.trickle[0];
      if (head === undefined || this.closed) return;
      this.socket.write(head.subarray(this.trickleAt, this.trickleAt + 1));
      if (++this.trickleAt >= head.length) {
        this.trickle.shift();
        this.trickleAt = 0;
      }
      if (this.trickle.length > 0) this.pumpTrickle();
    });
  }

  private destroy(): void {
    this.close();
    this.socket.destroy();
    this.onDestroy();
  }
}

function slice(it: Item): Uint8Array {
  return it.start === 0 && it.end === it.bytes.length ? it.bytes : it.bytes.subarray(it.start, it.end);
}

/** A well-framed body that is not a DPM message (bad magic). */
const GARBAGE_FRAME = Buffer.from([0, 0, 0, 16, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
/** `trickleAfterFrames`: the length prefix of a 4096-byte frame whose body then comes one byte at a time. */
const NEVER_ENDING_FRAME_PREFIX = Buffer.from([0, 0, 0x10, 0]);
const TRICKLE_BYTE = Buffer.from([0x55]);
/** Used by a mid-frame drop when nothing is queued: a ListStatus_reply-sized frame start. */
const HALF_FRAME_FILLER = Buffer.from([0, 0, 0, 24, 0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70]);
