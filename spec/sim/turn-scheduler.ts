/**
 * A virtual-time scheduler with event-loop turns, for the simulator's budgeted schedulers:
 * timers run on `advance()` (virtual clock, see {@link VirtualScheduler}); `setImmediate`
 * callbacks wait for `turn()`, which runs those queued before it (as Node runs one turn's
 * immediates), so a test can count turns and put "I/O" between them.
 *
 * @example
 * ```ts
 * const s = new TurnScheduler(0);
 * s.setImmediate(() => console.log('next turn'));
 * s.turn(); // logs
 * ```
 */
import type { Cancellable } from '../../lib/sim/scheduler.js';
import { VirtualScheduler } from '../support/virtual-scheduler.js';

export class TurnScheduler extends VirtualScheduler {
  private immediates: { fn: () => void; live: boolean }[] = [];

  /** Immediates waiting for the next turn. */
  get queued(): number {
    return this.immediates.filter((x) => x.live).length;
  }

  setImmediate(fn: () => void): Cancellable {
    const x = { fn, live: true };
    this.immediates.push(x);
    return { cancel: () => (x.live = false) };
  }

  /** Runs the immediates queued before this call; returns how many ran. */
  turn(): number {
    const batch = this.immediates;
    this.immediates = [];
    let n = 0;
    for (const x of batch) {
      if (!x.live) continue;
      x.live = false;
      n++;
      x.fn();
    }
    return n;
  }

  /** Runs turns until no immediate is queued (at most `max`); returns the number of turns. */
  drain(max = 10_000): number {
    let turns = 0;
    while (this.queued > 0 && turns < max) {
      this.turn();
      turns++;
    }
    return turns;
  }
}
