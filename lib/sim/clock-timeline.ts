/**
 * A simulated TCLK clock-event timeline shared by every connection of a simulator.
 * Each event number fires at its own rate (event 0x02 and 0x0F at 15 Hz by default,
 * others at a configurable default rate); a timer runs only while someone listens.
 *
 * Occurrences are anchored on the timeline's origin (the simulator's start): occurrence
 * `n` of an event at `hz` happens at `origin + round(n * 1000 / hz)` ms, so the average
 * rate is exact (15 Hz is 15 occurrences per second, not one every 67 ms) and the
 * occurrence counter is the same for every listener, whenever it subscribed. Every
 * listener of an occurrence receives the same counter and the same (nominal) time.
 *
 * The 15 Hz super-cycle counter ({@link ClockTimeline.cycleAt}) is the same sequence as
 * the counter of a 15 Hz event: it numbers the 15 Hz ticks since the origin.
 *
 * @example
 * ```ts
 * const tl = new ClockTimeline(realScheduler, { 0x02: 15 }, 1);
 * const sub = tl.subscribe(0x02, (n, t) => console.log('event 02 #', n, 'at', t));
 * sub.cancel();
 * ```
 *
 * @module
 */
import type { Cancellable, Scheduler } from './scheduler.js';

/**
 * Default clock event rates in Hz: `02` and `0F` at 15 Hz.
 *
 * @example
 * ```ts
 * DEFAULT_CLOCK_RATES[0x02]; // 15
 * ```
 */
export const DEFAULT_CLOCK_RATES: Readonly<Record<number, number>> = { 0x02: 15, 0x0f: 15 };

/**
 * Rate of the machine super-cycle whose counter numbers the cycles of non-clock replies.
 *
 * @example
 * ```ts
 * SUPER_CYCLE_HZ; // 15
 * ```
 */
export const SUPER_CYCLE_HZ = 15;

/**
 * Most occurrences one late timer callback delivers to catch up (one second's worth, at
 * least 1). When the event loop was blocked longer, older occurrences are skipped: the
 * counter then jumps (it stays the occurrence index since the origin).
 */
const MAX_CATCH_UP_S = 1;

/**
 * A clock event listener: `count` is the occurrence index since the timeline's origin
 * (consecutive occurrences have consecutive counts), `time` its nominal time in ms since
 * the epoch (the same value for every listener of that occurrence).
 *
 * @example
 * ```ts
 * const l: ClockListener = (count, time) => console.log(count, new Date(time));
 * ```
 */
export type ClockListener = (count: number, time: number) => void;

interface Channel {
  readonly eventNumber: number;
  readonly listeners: Set<ClockListener>;
  readonly hz: number;
  timer: Cancellable | undefined;
  /** Index of the next occurrence to deliver. */
  next: number;
}

/**
 * Offset in ms from the origin of occurrence `n` of an event at `hz`.
 *
 * @example
 * ```ts
 * occurrenceOffset(3, 15); // 200
 * ```
 */
export function occurrenceOffset(n: number, hz: number): number {
  return Math.round((n * 1000) / hz);
}

/**
 * Index of the latest occurrence of an event at `hz` at or before `dt` ms after the
 * origin (0 for `dt` ≤ 0: occurrence 0 is the origin itself).
 *
 * @example
 * ```ts
 * occurrenceAt(199, 15); // 2
 * occurrenceAt(200, 15); // 3
 * ```
 */
export function occurrenceAt(dt: number, hz: number): number {
  if (!(dt > 0) || !(hz > 0)) return 0;
  let n = Math.floor((dt * hz) / 1000);
  while (n > 0 && occurrenceOffset(n, hz) > dt) n--;
  while (occurrenceOffset(n + 1, hz) <= dt) n++;
  return n;
}

/**
 * Clock events by number, each at its own rate.
 *
 * @example
 * ```ts
 * new ClockTimeline(realScheduler, DEFAULT_CLOCK_RATES, 0.5).rateOf(0x0f); // 15
 * ```
 */
export class ClockTimeline {
  private readonly channels = new Map<number, Channel>();
  /** Time (ms since the epoch) of occurrence 0 of every event. */
  readonly origin: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rates: Readonly<Record<number, number>> = DEFAULT_CLOCK_RATES,
    private readonly defaultHz = 1,
    origin?: number,
  ) {
    this.origin = origin ?? scheduler.now();
  }

  /** The rate of an event number in Hz (0 = never fires). */
  rateOf(eventNumber: number): number {
    return this.rates[eventNumber] ?? this.defaultHz;
  }

  /**
   * The 15 Hz super-cycle number at time `t` (ms since the epoch): the index of the latest
   * 15 Hz tick at or before `t`, the same counter a 15 Hz event's listeners receive.
   */
  cycleAt(t: number): number {
    return occurrenceAt(t - this.origin, SUPER_CYCLE_HZ);
  }

  /**
   * Calls `listener` at every occurrence of the event from now on, with the occurrence
   * counter and its nominal time.
   */
  subscribe(eventNumber: number, listener: ClockListener): Cancellable {
    let ch = this.channels.get(eventNumber);
    if (ch === undefined) {
      const hz = this.rateOf(eventNumber);
      ch = { eventNumber, listeners: new Set(), hz, timer: undefined, next: occurrenceAt(this.scheduler.now() - this.origin, hz) + 1 };
      this.channels.set(eventNumber, ch);
      if (hz > 0) this.arm(ch);
    }
    const channel = ch;
    channel.listeners.add(listener);
    return {
      cancel: () => {
        channel.listeners.delete(listener);
        if (channel.listeners.size === 0 && this.channels.get(eventNumber) === channel) {
          channel.timer?.cancel();
          channel.timer = undefined;
          this.channels.delete(eventNumber);
        }
      },
    };
  }

  /** Stops every timer. */
  close(): void {
    for (const ch of this.channels.values()) {
      ch.timer?.cancel();
      ch.timer = undefined;
      ch.listeners.clear();
    }
    this.channels.clear();
  }

  private arm(ch: Channel): void {
    const at = this.origin + occurrenceOffset(ch.next, ch.hz);
    ch.timer = this.scheduler.setTimeout(() => this.fire(ch), at - this.scheduler.now());
  }

  private fire(ch: Channel): void {
    ch.timer = undefined;
    const due = occurrenceAt(this.scheduler.now() - this.origin, ch.hz);
    const maxBehind = Math.max(1, Math.ceil(ch.hz * MAX_CATCH_UP_S));
    if (due - ch.next >= maxBehind) ch.next = due - maxBehind + 1;
    while (ch.next <= due && ch.listeners.size > 0) {
      const n = ch.next++;
      const t = this.origin + occurrenceOffset(n, ch.hz);
      for (const l of [...ch.listeners]) l(n, t);
    }
    // re-arm unless every listener left (or the timeline closed) meanwhile
    if (ch.listeners.size > 0 && ch.timer === undefined && this.channels.get(ch.eventNumber) === ch) this.arm(ch);
  }
}
