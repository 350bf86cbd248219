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
      ctx.send(makeReply(entry, ctx, now, ctx.timeline.cycleAt(now)));
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
        timers.interval(emit, period);
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

const FAST_CHUNK_BYTES = 256 * 1024;
const FAST_CHUNKS_PER_TURN = 1;

function startFastStream(entry: AcquisitionEntry, ctx: AcquisitionContext, stopped: () => boolean): void {
  const enc = new ScalarFrameEncoder(entry.refId);
  let cycle = 0;
  const writer = ctx.writer;
  const produce = (): void => {
    if (stopped()) return;
    const now = ctx.scheduler.now();
    const v = ctx.store.valueAt(entry.device, 'reading', now);
    const value = v?.kind === 'scalar' ? v.value : 0;
    if (writer.batchable) {
      for (let k = 0; k < FAST_CHUNKS_PER_TURN && !writer.congested; k++) {
        const buf = Buffer.allocUnsafe(FAST_CHUNK_BYTES);
        let pos = 0;
        let n = 0;
        const limit = FAST_CHUNK_BYTES - enc.maxFrameBytes;
        while (pos <= limit) {
          pos = enc.write(buf, pos, now, cycle++, value);
          n++;
        }
        writer.enqueue(buf.subarray(0, pos), n);
      }
    } else {
      for (let k = 0; k < 256; k++) {
        const buf = Buffer.allocUnsafe(enc.maxFrameBytes);
        const end = enc.write(buf, 0, now, cycle++, value);
        writer.enqueue(buf.subarray(0, end), 1);
      }
    }
    ctx.markActive();
    writer.onWritable(produce);
  };
  writer.onWritable(produce);
}
