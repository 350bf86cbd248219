/**
 * Live-data acquisition for one request of a started list: schedules its replies
 * according to its event (`dpm-behaviour.md` §11.6): `I` one reply, `N` none, `P` every
 * period, `Q` every period when the value changed, `E` on simulated clock events, `S` when
 * a state device meets its condition. Fast-stream devices push replies as fast as the
 * socket drains.
 *
 * Timestamps and cycle numbers: a reply on a clock event carries the occurrence's nominal
 * time (plus the request's delay, if any) and the occurrence counter the
 * {@link ClockTimeline} hands its listeners, so every request on that occurrence, in every
 * list, gets the same pair, and the cycle grows by exactly 1 per occurrence. Every other
 * reply (`I`, `P`, `Q`, `S`) is stamped with the scheduler's current time and the current
 * 15 Hz super-cycle number ({@link ClockTimeline.cycleAt}: the number of the latest 15 Hz
 * tick — the same counter `@e,0F` replies carry). Fast-stream frames number themselves
 * 0, 1, 2, … per request. Replies of repetitive requests are sent as coalescable ("latest
 * per request", see {@link AcquisitionContext.send}), except fault `Status_reply`s.
 *
 * @example
 * ```ts
 * const job = startAcquisition({ refId: 1, request, device, event: request.event }, ctx);
 * job.cancel();
 * ```
 *
 * @module
 */
import type { EncodableReply } from '../protocol/index.js';
import type { DrfEvent, DrfRequest } from '../drf/types.js';
import { buildDataReply, statusReply } from './reply-builder.js';
import type { DeviceStore, SimDevice } from './device-store.js';
import type { ClockTimeline } from './clock-timeline.js';
import { TimerGroup, type Cancellable, type Scheduler } from './scheduler.js';
import type { FrameWriter } from './frame-writer.js';
import { ScalarFrameEncoder } from './fast-scalar-frame.js';
import { FastStreamPump, type PumpJob } from './fast-stream-pump.js';
import { PeriodicScheduler } from './periodic-scheduler.js';

/**
 * What a job needs from its connection.
 *
 * @example
 * ```ts
 * const ctx: AcquisitionContext = { store, timeline, scheduler, writer, send, markActive: () => {} };
 * ```
 */
export interface AcquisitionContext {
  readonly store: DeviceStore;
  readonly timeline: ClockTimeline;
  readonly scheduler: Scheduler;
  readonly writer: FrameWriter;
  /**
   * Queues a (counted) reply on the connection. `latest`: a reply of a repetitive
   * acquisition for `refId`, which the connection may coalesce with (replace by) a newer
   * one for the same request while its output is congested.
   */
  send(reply: EncodableReply, latest?: { readonly refId: number }): void;
  /** Marks the list as having sent a counted reply (for the heartbeat rule). */
  markActive(): void;
  /**
   * The writer, when frames may be encoded straight into it now (no fault needing
   * frame-exact writes or delays, not congested, nothing held back before them); marks
   * the list active. Without it every reply goes through {@link send}.
   */
  direct?(): FrameWriter | undefined;
  /** Counts `n` repetitive replies skipped (not produced) because the output was congested. */
  skipped?(n: number): void;
  /** Serves fast streams fairly (one per simulator); a process-wide one when absent. */
  readonly pump?: FastStreamPump;
  /** Runs continuous periodic requests (one per simulator); one per request when absent. */
  readonly periodic?: PeriodicScheduler;
}

/**
 * One request to acquire: its ref_id, parsed DRF, resolved device and effective event
 * (the device's default event already substituted for `U`).
 *
 * @example
 * ```ts
 * const e: AcquisitionEntry = { refId: 1, request, device, event: request.event };
 * ```
 */
export interface AcquisitionEntry {
  readonly refId: number;
  readonly request: DrfRequest;
  readonly device: SimDevice;
  readonly event: DrfEvent;
  /**
   * The reply the session built to validate the request (same device, request and instant):
   * an immediate request sends it, with its timestamp and cycle, instead of building it again.
   */
  readonly probe?: EncodableReply;
}

/**
 * Smallest period used for `P`/`Q` events (a period of 0 is treated as this).
 *
 * @example
 * ```ts
 * startAcquisition(entry, ctx); // '@p,0' runs every MIN_PERIOD_MS
 * ```
 */
export const MIN_PERIOD_MS = 1;

/**
 * Starts acquisition for `entry`; the returned handle stops it.
 *
 * @example
 * ```ts
 * startAcquisition(entry, ctx).cancel();
 * ```
 */
export function startAcquisition(entry: AcquisitionEntry, ctx: AcquisitionContext): Cancellable {
  const kind = entry.event.kind;
  if (kind === 'immediate' || kind === 'default' || kind === 'never') {
    // one reply (or none) right now: no timers, no closures (1,000-request reads hit this)
    if (kind !== 'never') {
      const now = ctx.scheduler.now();
      const cycle = ctx.timeline.cycleAt(now);
      const probe = entry.probe;
      const fault = entry.device.spec.errorStatus;
      if (probe !== undefined && (fault === undefined || fault === 0) && 'timestamp' in probe && 'cycle' in probe) {
        probe.timestamp = now;
        probe.cycle = cycle;
        ctx.send(probe);
      } else ctx.send(makeReply(entry, ctx, now, cycle));
    }
    return FINISHED;
  }
  const timers = new TimerGroup(ctx.scheduler);
  const extra: Cancellable[] = [];
  const handle: Cancellable = {
    cancel: () => {
      stopped = true;
      timers.cancelAll();
      for (const c of extra) c.cancel();
    },
  };
  let stopped = false;
  const latest = { refId: entry.refId };
  const sendRepeated = (r: EncodableReply): void => {
    if (r.type === 'Status_reply') ctx.send(r); // a fault status is never coalesced away
    else ctx.send(r, latest);
  };
  /** The reply now, with the current super-cycle number. */
  const make = (): EncodableReply => {
    const now = ctx.scheduler.now();
    return makeReply(entry, ctx, now, ctx.timeline.cycleAt(now));
  };
  const emit = (): void => {
    if (!stopped) sendRepeated(make());
  };
  /** The reply for a clock event occurrence: its time and counter. */
  const emitAt = (time: number, cycle: number): void => {
    if (!stopped) sendRepeated(makeReply(entry, ctx, time, cycle));
  };
  const ev = entry.event;
  const repetitive = ev.kind === 'periodic' || ev.kind === 'clock' || ev.kind === 'state';
  if (repetitive && entry.device.spec.fastStream === true && !entry.device.spec.errorStatus) {
    startFastStream(entry, ctx, () => stopped);
    return handle;
  }
  switch (ev.kind) {
    case 'periodic': {
      const period = Math.max(MIN_PERIOD_MS, ev.periodMs);
      if (ev.continuous) {
        if (ev.immediate) emit();
        const ps = ctx.periodic ?? new PeriodicScheduler(ctx.scheduler);
        extra.push(ps.add(period, (first, count, at) => emitPeriodic(entry, ctx, sendRepeated, first, count, at, () => stopped)));
      } else {
        let last: string | undefined;
        const sample = (): void => {
          if (stopped) return;
          const r = make();
          const key = replyKey(r);
          if (key !== last) {
            last = key;
            sendRepeated(r);
          }
        };
        if (ev.immediate) sample();
        timers.interval(sample, period);
      }
      break;
    }
    case 'clock': {
      const delay = ev.delayMs;
      const sub = ctx.timeline.subscribe(ev.eventNumber, (count, time) => {
        if (delay > 0) timers.timeout(() => emitAt(time + delay, count), delay);
        else emitAt(time, count);
      });
      extra.push(sub);
      break;
    }
    case 'state': {
      const target = ctx.store.find(ev.device);
      const read = (): number | undefined => {
        if (target === undefined) return undefined;
        const v = ctx.store.valueAt(target, 'reading', ctx.scheduler.now());
        return v?.kind === 'scalar' ? v.value : undefined;
      };
      let prev = read();
      const off = ctx.store.onChange((name) => {
        if (target === undefined || name !== target.name) return;
        const v = read();
        if (v === undefined) return;
        const hit = stateMatches(ev.expression, v, ev.value, prev);
        prev = v;
        if (!hit) return;
        if (ev.delayMs > 0) timers.timeout(emit, ev.delayMs);
        else emit();
      });
      extra.push({ cancel: off });
      break;
    }
  }
  return handle;
}

/** The handle of a job that already finished (cancelling it has nothing to stop). */
const FINISHED: Cancellable = { cancel: () => undefined };

/** The reply for `entry` at `now` (cycle `cycle`): its data reply, or the device's simulated fault status. */
function makeReply(entry: AcquisitionEntry, ctx: AcquisitionContext, now: number, cycle: number): EncodableReply {
  const rc = { refId: entry.refId, now, cycle };
  const fault = entry.device.spec.errorStatus;
  if (fault !== undefined && fault !== 0) return statusReply({ ...rc, cycle: 0 }, fault);
  return buildDataReply(ctx.store, entry.device, entry.request, rc);
}

/** Per-request encoders of the direct path (a Scalar_reply frame straight into the writer). */
const encoders = new WeakMap<AcquisitionEntry, ScalarFrameEncoder>();

/**
 * The replies of `count` consecutive occurrences of a continuous periodic request, each
 * with its nominal time and the super-cycle at that time. Scalar replies are encoded
 * straight into the connection's output (one buffer, one `socket.write` per connection per
 * turn); while the output is congested only the latest occurrence is produced (held back by
 * the connection's backpressure policy) and the others count as skipped.
 */
function emitPeriodic(
  entry: AcquisitionEntry,
  ctx: AcquisitionContext,
  sendRepeated: (r: EncodableReply) => void,
  first: number,
  count: number,
  at: (n: number) => number,
  stopped: () => boolean,
): void {
  const last = first + count - 1;
  for (let n = first; n <= last; n++) {
    if (stopped()) return;
    if (n < last && ctx.writer.congested) {
      ctx.skipped?.(last - n);
      n = last;
    }
    const time = at(n);
    const r = makeReply(entry, ctx, time, ctx.timeline.cycleAt(time));
    // the fast encoder takes integer timestamps and cycles (a custom scheduler's clock may not)
    const plain =
      r.type === 'Scalar_reply' &&
      typeof r.data === 'number' &&
      typeof r.status === 'number' &&
      Number.isSafeInteger(r.timestamp) &&
      Number.isSafeInteger(r.cycle);
    const w = plain ? ctx.direct?.() : undefined;
    if (w === undefined || !plain) {
      sendRepeated(r);
      continue;
    }
    let enc = encoders.get(entry);
    if (enc === undefined) encoders.set(entry, (enc = new ScalarFrameEncoder(entry.refId)));
    const buf = w.reserve(enc.maxFrameBytes);
    const sr = r as { timestamp: number; cycle: number; data: number; status: number };
    w.commit(enc.write(buf, w.reservedAt, sr.timestamp, sr.cycle, sr.data, sr.status));
  }
}

function stateMatches(op: string, v: number, want: number, prev: number | undefined): boolean {
  switch (op) {
    case '=':
      return v === want;
    case '!=':
      return v !== want;
    case '>':
      return v > want;
    case '<':
      return v < want;
    case '>=':
      return v >= want;
    case '<=':
      return v <= want;
    default:
      return v !== prev; // '*': any change
  }
}

function replyKey(r: EncodableReply): string {
  if ('data' in r) {
    const d = r.data;
    if (typeof d === 'number' || typeof d === 'string') return `${r.type}:${String(d)}`;
    return `${r.type}:${Array.from(d as ArrayLike<number | string>).join(',')}`;
  }
  if (r.type === 'Status_reply') return `status:${r.status}`;
  const { timestamp: _t, cycle: _c, ...rest } = r as unknown as Record<string, unknown>;
  return JSON.stringify(rest);
}

/** The pump of contexts that bring none (unit tests of a session alone). */
let sharedPump: FastStreamPump | undefined;

/**
 * A fast stream: frames as fast as the socket takes them, produced in chunks when the
 * simulator's {@link FastStreamPump} gives it a turn; it leaves the pump's ring while its
 * socket is congested and returns on drain.
 */
function startFastStream(entry: AcquisitionEntry, ctx: AcquisitionContext, stopped: () => boolean): void {
  const enc = new ScalarFrameEncoder(entry.refId);
  let cycle = 0;
  const writer = ctx.writer;
  const pump = ctx.pump ?? (sharedPump ??= new FastStreamPump());
  const job: PumpJob = {
    produce: (maxBytes) => {
      if (stopped()) return -1;
      if (writer.congested) {
        writer.onWritable(ready);
        return -1;
      }
      const now = ctx.scheduler.now();
      const v = ctx.store.valueAt(entry.device, 'reading', now);
      const value = v?.kind === 'scalar' ? v.value : 0;
      let bytes = 0;
      if (writer.batchable) {
        const direct = writer.direct;
        const buf = direct ? writer.reserve(maxBytes) : Buffer.allocUnsafe(maxBytes);
        const start = direct ? writer.reservedAt : 0;
        let pos = start;
        let n = 0;
        const limit = start + maxBytes - enc.maxFrameBytes;
        while (pos <= limit) {
          pos = enc.write(buf, pos, now, cycle++, value);
          n++;
        }
        bytes = pos - start;
        if (direct) {
          writer.commit(pos, n);
          writer.flushNow(); // out in this turn, not one turn later
        } else {
          writer.enqueue(buf.subarray(0, pos), n);
        }
      } else {
        for (let k = 0; k < 256; k++) {
          const buf = Buffer.allocUnsafe(enc.maxFrameBytes);
          const end = enc.write(buf, 0, now, cycle++, value);
          writer.enqueue(buf.subarray(0, end), 1);
          bytes += end;
        }
      }
      ctx.markActive();
      return bytes;
    },
  };
  const ready = (): void => {
    if (!stopped()) pump.add(job);
  };
  writer.onWritable(ready);
}
