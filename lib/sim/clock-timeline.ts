/**
 * A simulated TCLK clock-event timeline shared by every connection of a simulator.
 * Each event number fires at its own rate (event 0x02 and 0x0F at 15 Hz by default,
 * others at a configurable default rate); a timer runs only while someone listens.
 *
 * @example
 * ```ts
 * const tl = new ClockTimeline(realScheduler, { 0x02: 15 }, 1);
 * const sub = tl.subscribe(0x02, (n) => console.log('event 02 #', n));
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

interface Channel {
  listeners: Set<(count: number) => void>;
  timer: Cancellable | undefined;
  count: number;
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

  constructor(
    private readonly scheduler: Scheduler,
    private readonly rates: Readonly<Record<number, number>> = DEFAULT_CLOCK_RATES,
    private readonly defaultHz = 1,
  ) {}

  /** The rate of an event number in Hz (0 = never fires). */
  rateOf(eventNumber: number): number {
    return this.rates[eventNumber] ?? this.defaultHz;
  }

  /** Calls `listener` at every occurrence of the event, with an occurrence counter. */
  subscribe(eventNumber: number, listener: (count: number) => void): Cancellable {
    let ch = this.channels.get(eventNumber);
    if (ch === undefined) {
      ch = { listeners: new Set(), timer: undefined, count: 0 };
      this.channels.set(eventNumber, ch);
    }
    const channel = ch;
    channel.listeners.add(listener);
    const hz = this.rateOf(eventNumber);
    if (channel.timer === undefined && hz > 0) {
      channel.timer = this.scheduler.setInterval(() => {
        channel.count++;
        for (const l of [...channel.listeners]) l(channel.count);
      }, Math.max(1, Math.round(1000 / hz)));
    }
    return {
      cancel: () => {
        channel.listeners.delete(listener);
        if (channel.listeners.size === 0) {
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
      ch.listeners.clear();
    }
    this.channels.clear();
  }
}
