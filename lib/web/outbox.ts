import { asapScheduler, asyncScheduler, timer, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * What the outbox needs of a WebSocket (the `ws` package's `WebSocket` has it).
 *
 * @example
 * ```ts
 * const socket: OutboxSocket = ws;
 * ```
 */
export interface OutboxSocket {
  /** Bytes accepted by `send` and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  send(data: string, cb: (err?: Error) => void): void;
}

/**
 * Limits and hooks of an {@link Outbox}.
 *
 * @example
 * ```ts
 * new Outbox(ws, { highWaterBytes: 1 << 20, maxFrameBytes: 256 << 10, maxHeldControl: 500, stallMs: 30_000, onGiveUp: (why) => ws.terminate() });
 * ```
 */
export interface OutboxOptions {
  /** Socket backlog (bytes) at or above which readings are held and coalesced. */
  readonly highWaterBytes: number;
  /** A frame is closed once it holds this many characters (a single item may exceed it). */
  readonly maxFrameBytes: number;
  /** Control items held while backed up before the peer is given up. */
  readonly maxHeldControl: number;
  /** Backed up with no write completing for this long: the peer is given up. */
  readonly stallMs: number;
  /** Called once when the peer is given up (`stall` or `overflow`); nothing is sent after it. */
  readonly onGiveUp: (why: 'stall' | 'overflow') => void;
  /** Scheduler of the stall timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** Scheduler of the flush that ends a burst (default `asapScheduler`: after the current task). */
  readonly flushScheduler?: SchedulerLike;
}

/**
 * Counters of the outgoing queue of one browser connection.
 *
 * @example
 * ```ts
 * const s: OutboxStats = outbox.stats();
 * console.log(`${s.dropped} readings dropped, ${s.held} held`);
 * ```
 */
export interface OutboxStats {
  /** Items sent (readings and control items). */
  readonly sent: number;
  /** Frames sent. */
  readonly frames: number;
  /** Readings replaced by a newer one of the same device while backed up. */
  readonly dropped: number;
  /** Items held now (backed up). */
  readonly held: number;
  /** Most items held at once. */
  readonly maxHeld: number;
  /** Whether the socket is backed up now. */
  readonly congested: boolean;
  /** Bytes waiting in the socket. */
  readonly bufferedBytes: number;
}

// Keys of queued items. Readings: `id * 65536 + k` (below 2^48), replaced by newer ones while
// backed up and counted as dropped. Metadata (2^48 + …) and subscription states (2^49 + id),
// and the heartbeat (-1): replaced by newer ones, not counted. Other control items: unique
// negative keys, never replaced.
const META_BASE = 2 ** 48;
const STATE_BASE = 2 ** 49;
const HB_KEY = -1;

/**
 * The outgoing queue of one browser connection: items of one burst go out in one frame; while
 * the socket is backed up (at or above `highWaterBytes`), readings are held with at most one per
 * device — a newer one replaces the older, counted in `dropped`, like `consumeLatest` — and
 * control items are held in order; everything held goes out when the socket drains below half
 * the high-water mark. Memory per connection is thus bounded by the number of devices plus
 * `maxHeldControl`; a peer that stops reading altogether is given up after `stallMs`.
 *
 * @example
 * ```ts
 * const out = new Outbox(ws, options);
 * out.reading(subscriptionId, k, encodeReading(subscriptionId, k, r));
 * out.control(encodeControl({ t: 'end', id: subscriptionId }));
 * ```
 */
export class Outbox {
  private texts: string[] = [];
  /** Per batched text: the device key (`id * 65536 + k`), or a negative control key. */
  private keys: number[] = [];
  private readonly heldItems = new Map<number, string>();
  private heldControl = 0;
  private controlSeq = 2;
  private congested = false;
  private inflight = 0;
  private flushScheduled = false;
  private dead = false;
  private stall: Subscription | undefined;
  private sent = 0;
  private frames = 0;
  private dropped = 0;
  private maxHeld = 0;
  private readonly scheduler: SchedulerLike;
  private readonly flushScheduler: SchedulerLike;

  constructor(
    private readonly socket: OutboxSocket,
    private readonly options: OutboxOptions,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.flushScheduler = options.flushScheduler ?? asapScheduler;
  }

  /** Readings replaced while backed up, so far. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Queue a reading of device `k` of subscription `id` (its JSON text). */
  reading(id: number, k: number, text: string): void {
    this.push(id * 65536 + k, text);
  }

  /** Queue the metadata of device `k` of subscription `id` (a held one is replaced by the newer). */
  meta(id: number, k: number, text: string): void {
    this.push(META_BASE + id * 65536 + k, text);
  }

  /** Queue a state of subscription `id` (a held one is replaced by the newer). */
  state(id: number, text: string): void {
    this.push(STATE_BASE + id, text);
  }

  /** Queue a control item (never replaced). */
  control(text: string): void {
    this.push(-this.controlSeq++, text);
  }

  /** Queue the heartbeat (a held one is replaced by the newer). */
  heartbeat(text: string): void {
    this.push(HB_KEY, text);
  }

  stats(): OutboxStats {
    return {
      sent: this.sent,
      frames: this.frames,
      dropped: this.dropped,
      held: this.heldItems.size,
      maxHeld: this.maxHeld,
      congested: this.congested,
      bufferedBytes: this.dead ? 0 : this.socket.bufferedAmount,
    };
  }

  /** Stop: drop everything, cancel timers; nothing is sent afterwards. */
  close(): void {
    this.dead = true;
    this.texts = [];
    this.keys = [];
    this.heldItems.clear();
    this.stall?.unsubscribe();
    this.stall = undefined;
  }

  private push(key: number, text: string): void {
    if (this.dead) return;
    if (this.congested) {
      this.hold(key, text);
      return;
    }
    this.texts.push(text);
    this.keys.push(key);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.flushScheduler.schedule(() => this.flush());
    }
  }

  private hold(key: number, text: string): void {
    const h = this.heldItems;
    if (key >= 0 || key === HB_KEY) {
      // the newest value moves behind everything queued meanwhile
      if (h.delete(key) && key < META_BASE && key >= 0) this.dropped++;
      h.set(key, text);
    } else {
      h.set(key, text);
      if (++this.heldControl > this.options.maxHeldControl) {
        this.giveUp('overflow');
        return;
      }
    }
    if (h.size > this.maxHeld) this.maxHeld = h.size;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.dead || this.texts.length === 0) return;
    const texts = this.texts;
    const keys = this.keys;
    this.texts = [];
    this.keys = [];
    if (this.congested || this.socket.bufferedAmount >= this.options.highWaterBytes) {
      this.enterCongestion();
      for (let i = 0; i < texts.length && !this.dead; i++) this.hold(keys[i]!, texts[i]!);
      return;
    }
    this.sendAll(texts);
  }

  private sendAll(texts: readonly string[]): void {
    const max = this.options.maxFrameBytes;
    let frame = '[';
    let n = 0;
    for (const t of texts) {
      if (n > 0 && frame.length + t.length > max) {
        this.sendFrame(frame + ']', n);
        frame = '[';
        n = 0;
      }
      frame += n === 0 ? t : ',' + t;
      n++;
    }
    if (n > 0) this.sendFrame(frame + ']', n);
  }

  private sendFrame(frame: string, items: number): void {
    if (this.dead) return;
    this.inflight++;
    this.frames++;
    this.sent += items;
    this.socket.send(frame, this.onWritten);
  }

  private readonly onWritten = (err?: Error): void => {
    this.inflight--;
    if (this.dead || err !== undefined) return;
    if (!this.congested) return;
    this.armStall(); // progress: the stall clock starts again
    if (this.inflight === 0 || this.socket.bufferedAmount < this.options.highWaterBytes / 2) this.leaveCongestion();
  };

  private enterCongestion(): void {
    if (this.congested) return;
    this.congested = true;
    this.armStall();
  }

  private leaveCongestion(): void {
    this.congested = false;
    this.stall?.unsubscribe();
    this.stall = undefined;
    const held = [...this.heldItems.values()];
    this.heldItems.clear();
    this.heldControl = 0;
    if (held.length > 0) this.sendAll(held);
  }

  private armStall(): void {
    this.stall?.unsubscribe();
    this.stall = timer(this.options.stallMs, this.scheduler).subscribe(() => this.giveUp('stall'));
  }

  private giveUp(why: 'stall' | 'overflow'): void {
    if (this.dead) return;
    this.close();
    this.options.onGiveUp(why);
  }
}
