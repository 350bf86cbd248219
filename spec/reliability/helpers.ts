/**
 * Shared helpers of the reliability specs: a simulator plus a public-API client
 * per test (both always closed), event recorders and reading checks.
 */
import type { Subscription } from 'rxjs';
import { dpm, type DpmClient, type DpmOptions } from '../../lib/dpm/index.js';
import type { Reading } from '../../lib/dpm/reading.js';
import type { StreamEvent } from '../../lib/dpm/stream.js';
import type { ProtocolError } from '../../lib/protocol/errors.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../lib/sim/index.js';
import { Status } from '../../lib/status/constants.js';
import { until as untilHolds } from '../support/until.js';

/** `ACNET_RETRY` (1 −1) as a word: the status of the gap readings of a reconnecting stream. */
export const ACNET_RETRY = Status.ACNET_RETRY.code;

/** Client options for fast fault tests: the watchdog lowered with the test-only floor. */
export function fastClientOptions(sim: SimulatorHandle, extra: DpmOptions = {}): DpmOptions {
  return {
    host: sim.host,
    port: sim.port,
    heartbeat: 400,
    linger: 20,
    timeouts: { connect: 1000, handshake: 1000, operation: 2000 },
    testOnly: { heartbeatFloor: 100 },
    ...extra,
  };
}

/** Runs `body` with a fresh simulator and client; closes both whatever happens. */
export async function withSim<T>(
  simOptions: SimulatorOptions,
  body: (sim: SimulatorHandle, client: DpmClient) => Promise<T>,
  clientOptions: DpmOptions = {},
): Promise<T> {
  const sim = await startSimulator({ heartbeatMs: 100, ...simOptions });
  const client = dpm(fastClientOptions(sim, clientOptions));
  try {
    return await body(sim, client);
  } finally {
    client.close();
    await sim.close();
  }
}

/** Everything one `streamEvents` subscription produced. */
export interface Recording {
  readonly events: StreamEvent[];
  readonly readings: Reading[];
  readonly protocolErrors: ProtocolError[];
  error: unknown;
  completed: boolean;
  readonly subscription: Subscription;
  /** Resolves when the stream errors or completes (never rejects). */
  readonly ended: Promise<void>;
}

/** Subscribes to `client.streamEvents(...)` and records everything. */
export function record(
  client: DpmClient,
  drfs: string | readonly string[],
  options: Parameters<DpmClient['streamEvents']>[1] = {},
): Recording {
  const events: StreamEvent[] = [];
  const readings: Reading[] = [];
  const protocolErrors: ProtocolError[] = [];
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((r) => {
    resolveEnded = r;
  });
  const pe = client.protocolErrors$.subscribe((e) => protocolErrors.push(e));
  const rec: Recording = {
    events,
    readings,
    protocolErrors,
    error: undefined,
    completed: false,
    ended,
    subscription: client.streamEvents(drfs, options).subscribe({
      next: (e) => {
        events.push(e);
        if (e.kind === 'reading') readings.push(e.reading);
      },
      error: (e: unknown) => {
        rec.error = e;
        pe.unsubscribe();
        resolveEnded();
      },
      complete: () => {
        rec.completed = true;
        pe.unsubscribe();
        resolveEnded();
      },
    }),
  };
  rec.subscription.add(pe);
  return rec;
}

/** Polls `cond` every 10 ms; throws naming `what` after `ms` (spec/support/until.ts). */
export const until = (cond: () => boolean, ms: number, what: string): Promise<void> => untilHolds(cond, { timeout: ms, every: 10, what });

/** Waits for the recording to end, or throws after `ms`. */
export async function endedWithin(rec: Recording, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stream did not end within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([rec.ended, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const okReadings = (rs: readonly Reading[]): Reading[] => rs.filter((r) => r.valueType !== undefined && !r.status.isFailure);
export const gapReadings = (rs: readonly Reading[]): Reading[] => rs.filter((r) => r.status.code === ACNET_RETRY);

const ts = (r: Reading): number => r.timestamp?.getTime() ?? 0;

/**
 * Keys (`drf@cycle@timestamp`) of the value readings that occur more than once:
 * one reply delivered twice. (The simulator's `cycle` alone is not unique: it is
 * derived from wall time, not from the clock-event count — see the report.)
 */
export function duplicates(rs: readonly Reading[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const r of okReadings(rs)) {
    const k = `${r.drf}@${r.cycle}@${ts(r)}`;
    if (seen.has(k)) dup.push(k);
    seen.add(k);
  }
  return dup;
}

/**
 * Per DRF, the timestamps and cycles of its value readings must never go back,
 * and the timestamps must strictly increase (no duplicate, no reordering);
 * returns the violations.
 */
export function nonIncreasing(rs: readonly Reading[]): string[] {
  const last = new Map<string, Reading>();
  const bad: string[] = [];
  for (const r of okReadings(rs)) {
    const prev = last.get(r.drf);
    if (prev !== undefined && (ts(r) <= ts(prev) || r.cycle < prev.cycle)) {
      bad.push(`${r.drf}: cycle ${r.cycle} @${ts(r)} after cycle ${prev.cycle} @${ts(prev)}`);
    }
    last.set(r.drf, r);
  }
  return bad;
}

/**
 * Silent losses of a periodic DRF: two consecutive value readings more than
 * `factor` × `periodMs` apart (by timestamp) with no gap (ACNET_RETRY) reading
 * between them. The default factor 2.5 tolerates ~100 ms of timer lateness at
 * 15 Hz and still catches two or more readings lost in a row.
 */
export function silentLosses(rs: readonly Reading[], drf: string, periodMs: number, factor = 2.5): string[] {
  const out: string[] = [];
  let prev: Reading | undefined;
  let gapSeen = false;
  for (const r of rs) {
    if (r.drf !== drf) continue;
    if (r.status.code === ACNET_RETRY) {
      gapSeen = true;
      continue;
    }
    if (r.valueType === undefined) continue;
    if (prev !== undefined && ts(r) - ts(prev) > factor * periodMs && !gapSeen) {
      out.push(`${drf}: ${ts(r) - ts(prev)} ms between cycle ${prev.cycle} and ${r.cycle} without a gap report`);
    }
    prev = r;
    gapSeen = false;
  }
  return out;
}

/** The kinds of the state events, in order (`open` repeated states collapsed). */
export function stateKinds(events: readonly StreamEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'state' ? [e.state.kind] : []));
}
