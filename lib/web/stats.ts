import type { OutboxStats } from './outbox.js';

/**
 * Counters of one browser connection.
 *
 * @example
 * ```ts
 * for (const s of gw.stats().connections) console.log(s.label, s.subscriptions, s.outbox.dropped);
 * ```
 */
export interface SessionStats {
  /** `#N address:port`. */
  readonly label: string;
  /** Subscriptions (DPM lists) open now. */
  readonly subscriptions: number;
  /** DRFs over those subscriptions. */
  readonly drfs: number;
  /** Readings forwarded to the outbox. */
  readonly readings: number;
  /** The outgoing queue. */
  readonly outbox: OutboxStats;
}
