/**
 * Simulated data-logger answers (`dpm-behaviour.md` §7): the points of a logged device
 * in a time window, sent as `TimedScalarArray_reply` chunks of at most 487 points
 * (`cycle` = chunk number, `micros` = point times in µs), then one empty terminator.
 *
 * @example
 * ```ts
 * const replies = loggerReplies(store, dev, { startMs: t0, endMs: t1 }, 1, Date.now());
 * ```
 *
 * @module
 */
import type { EncodableReply } from '../protocol/index.js';
import type { DeviceStore, SimDevice } from './device-store.js';
import { SimStatus } from './status-words.js';

/**
 * Points per logger chunk (as the real server).
 *
 * @example
 * ```ts
 * chunk.data.length <= LOGGER_CHUNK_POINTS; // true
 * ```
 */
export const LOGGER_CHUNK_POINTS = 487;
/**
 * Most points one logger request returns (the sampling step is widened beyond this).
 *
 * @example
 * ```ts
 * total <= LOGGER_MAX_POINTS; // true for any window
 * ```
 */
export const LOGGER_MAX_POINTS = 100_000;

/**
 * The replies for a logger window `[startMs, endMs]` (clipped to `now`): the chunks and the
 * terminator, or one `Status_reply` `ACNET_NO_NODE` when the device is not logged (or not
 * a scalar).
 *
 * @example
 * ```ts
 * loggerReplies(store, dev, { startMs: 0, endMs: 0 }, 5, Date.now()); // just the terminator
 * ```
 */
export function loggerReplies(
  store: DeviceStore,
  device: SimDevice,
  window: { startMs: number; endMs: number },
  refId: number,
  now: number,
): EncodableReply[] {
  const period = device.spec.logger?.periodMs;
  if (period === undefined || store.kindOf(device, 'reading') !== 'scalar') {
    return [{ type: 'Status_reply', ref_id: refId, timestamp: now, cycle: 0, status: SimStatus.ACNET_NO_NODE }];
  }
  const end = Math.min(window.endMs, now);
  let step = period;
  let first = Math.ceil(window.startMs / step) * step;
  if (end >= first && (end - first) / step + 1 > LOGGER_MAX_POINTS) {
    step = Math.ceil((end - first) / (LOGGER_MAX_POINTS - 1) / period) * period;
    first = Math.ceil(window.startMs / step) * step;
  }
  const out: EncodableReply[] = [];
  let chunk = 0;
  let data: number[] = [];
  let micros: number[] = [];
  const flush = (): void => {
    out.push({ type: 'TimedScalarArray_reply', ref_id: refId, timestamp: now, cycle: chunk++, status: 0, data, micros });
    data = [];
    micros = [];
  };
  for (let t = first; t <= end; t += step) {
    const v = store.valueAt(device, 'reading', t);
    data.push(v?.kind === 'scalar' ? v.value : 0);
    micros.push(t * 1000);
    if (data.length === LOGGER_CHUNK_POINTS) flush();
  }
  if (data.length > 0) flush();
  flush(); // terminator: empty data and micros
  return out;
}

/**
 * The answer to `LOGGERSINGLE`: one `Scalar_reply` with the logged point closest to
 * `timeMs` (timestamp = that point's time), or `Status_reply` `DAE_LJ_NO_DATA` when none
 * lies within `accuracyMs`.
 *
 * @example
 * ```ts
 * loggerSingleReply(store, dev, Date.now() - 5000, 1000, 1, Date.now()).type; // 'Scalar_reply'
 * ```
 */
export function loggerSingleReply(
  store: DeviceStore,
  device: SimDevice,
  timeMs: number,
  accuracyMs: number,
  refId: number,
  now: number,
): EncodableReply {
  const period = device.spec.logger?.periodMs;
  if (period === undefined || store.kindOf(device, 'reading') !== 'scalar') {
    return { type: 'Status_reply', ref_id: refId, timestamp: now, cycle: 0, status: SimStatus.ACNET_NO_NODE };
  }
  let t = Math.round(timeMs / period) * period;
  if (t > now) t = Math.floor(now / period) * period;
  if (Math.abs(t - timeMs) > accuracyMs) {
    return { type: 'Status_reply', ref_id: refId, timestamp: now, cycle: 0, status: SimStatus.DAE_LJ_NO_DATA };
  }
  const v = store.valueAt(device, 'reading', t);
  return { type: 'Scalar_reply', ref_id: refId, timestamp: t, cycle: 0, status: 0, data: v?.kind === 'scalar' ? v.value : 0 };
}
