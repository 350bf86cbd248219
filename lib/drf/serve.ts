/**
 * What a server (the embedded DPM simulator) needs to serve a parsed request, in the DPM server's
 * own terms (drf.md §13): effective field, element/byte window, one-shot flag, data source, and
 * the status DPM answers for a request that fails to parse.
 *
 * @module
 */
import {
  DPM_BAD_DATASOURCE_FORMAT,
  DPM_BAD_EVENT,
  DPM_BAD_REQUEST,
  DPM_INVALID_DATASOURCE,
} from '../status/constants.js';
import type { AcnetStatus } from '../status/acnet-status.js';
import { DrfError } from './errors.js';
import { deviceKey } from './helpers.js';
import { parseDrf } from './parse.js';
import { isHistoricalSource } from './tables.js';
import type { DrfEvent, DrfExtra, DrfField, DrfProperty, DrfRequest } from './types.js';

/**
 * The part of the value a request selects, as the server reads the range: `start` and `count` in
 * elements (array range) or bytes (byte range); `count` null means "to the end".
 *
 * @example
 * ```ts
 * serveInfo(parseDrf('B:ARRAY1[2:5]')).window; // { unit: 'element', start: 2, count: 4 }
 * serveInfo(parseDrf('B:ARRAY1{4:8}')).window; // { unit: 'byte', start: 4, count: 8 }
 * ```
 */
export interface DataWindow {
  /** `element` for an array range, `byte` for a byte range. */
  readonly unit: 'element' | 'byte';
  /** First element or byte. */
  readonly start: number;
  /** Number of elements or bytes, or null for the rest. */
  readonly count: number | null;
}

/**
 * Everything needed to serve a request, as a plain frozen structure.
 *
 * @example
 * ```ts
 * const info = serveInfo(parseDrf('m:outtmp.volts@p,500<-LOGGER:1:2:MCRLOG'));
 * info.deviceKey;      // 'M:OUTTMP'
 * info.effectiveField; // 'PRIMARY'
 * info.source;         // { name: 'LOGGER', raw: 'LOGGER:1:2:MCRLOG', startMs: 1, endMs: 2, node: 'MCRLOG' }
 * ```
 */
export interface ServeInfo {
  /** The request itself. */
  readonly request: DrfRequest;
  /** Device name as typed (qualifier replaced by `:`). */
  readonly device: string;
  /** Upper-cased device, `#` index form written `0` (how the server looks devices up). */
  readonly deviceKey: string;
  /** The device index for `0:1234` / `#:1234` names, else null. */
  readonly deviceIndex: number | null;
  /** The property (canonical name). */
  readonly property: DrfProperty;
  /** The field as parsed (null when the property has no default and none was given). */
  readonly field: DrfField | null;
  /**
   * The field as the DPM server reads it: VOLTS → PRIMARY, COMMON → SCALED, and when none was
   * given ALL for STATUS / BIT_STATUS and SCALED for CONTROL, DESCRIPTION, INDEX, LONG_NAME,
   * ALARM_LIST_NAME.
   */
  readonly effectiveField: DrfField;
  /** The selected part of the value, or null for the whole value. */
  readonly window: DataWindow | null;
  /** The event (`DefaultEvent` when none was given). */
  readonly event: DrfEvent;
  /** True when the server sends one reading and finishes (event `I`). */
  readonly oneShot: boolean;
  /** The data source, or null for live data. `LIVEDATA` is reported as given. */
  readonly source: DrfExtra | null;
  /** True for `LOGGER`, `LOGGERDURATION`, `LOGGERSINGLE` sources. */
  readonly historical: boolean;
}

function effective(property: DrfProperty, field: DrfField | null): DrfField {
  if (field === 'VOLTS') return 'PRIMARY';
  if (field === 'COMMON') return 'SCALED';
  if (field !== null) return field;
  return property === 'STATUS' || property === 'BIT_STATUS' ? 'ALL' : 'SCALED';
}

function windowOf(r: DrfRequest): DataWindow | null {
  const g = r.range;
  if (g === null || g.mode === 'full') return null;
  if (g.kind === 'array') {
    if (g.mode === 'single') return Object.freeze({ unit: 'element', start: g.low, count: 1 });
    const start = g.low ?? 0;
    return Object.freeze({ unit: 'element', start, count: g.high === null ? null : g.high - start + 1 });
  }
  if (g.mode === 'single') return Object.freeze({ unit: 'byte', start: g.offset, count: 1 });
  return Object.freeze({ unit: 'byte', start: g.offset ?? 0, count: g.length });
}

/**
 * The information needed to serve a request (see `ServeInfo`).
 *
 * @example
 * ```ts
 * const info = serveInfo(parseDrf('Z|ACLTST@I'));
 * info.property;       // 'STATUS'
 * info.effectiveField; // 'ALL'
 * info.oneShot;        // true
 * ```
 */
export function serveInfo(request: DrfRequest | string): ServeInfo {
  const r = typeof request === 'string' ? parseDrf(request) : request;
  const key = deviceKey(r);
  const body = key.slice(2);
  const deviceIndex = key[0] === '0' && /^[0-9]{1,10}$/.test(body) ? Number(body) : null;
  return Object.freeze({
    request: r,
    device: r.device,
    deviceKey: key,
    deviceIndex,
    property: r.property,
    field: r.field,
    effectiveField: effective(r.property, r.field),
    window: windowOf(r),
    event: r.event,
    oneShot: r.event.mode === 'I',
    source: r.extra,
    historical: r.extra !== null && isHistoricalSource(r.extra.name),
  });
}

/**
 * The status a DPM server answers for an `AddToList` text that fails DRF parsing (status.md §7):
 * `DPM_BAD_EVENT` for a bad event, `DPM_INVALID_DATASOURCE` for an unknown/empty source,
 * `DPM_BAD_DATASOURCE_FORMAT` for a known source with bad parameters, otherwise `DPM_BAD_REQUEST`.
 *
 * @example
 * ```ts
 * try { parseDrf('M:OUTTMP@X') } catch (e) {
 *   if (e instanceof DrfError) dpmStatusFor(e).name; // 'DPM_BAD_EVENT'
 * }
 * ```
 */
export function dpmStatusFor(error: DrfError): AcnetStatus {
  switch (error.part) {
    case 'event':
      return DPM_BAD_EVENT;
    case 'extra':
      return error.sourceFormat ? DPM_BAD_DATASOURCE_FORMAT : DPM_INVALID_DATASOURCE;
    default:
      return DPM_BAD_REQUEST;
  }
}

/**
 * Parses `AddToList` text the way a DPM server would: a request, or the status to answer.
 *
 * @example
 * ```ts
 * const r = parseForServer('M:OUTTMP<-FOO');
 * if (!r.ok) r.status.name; // 'DPM_INVALID_DATASOURCE'
 * ```
 */
export function parseForServer(
  text: string,
):
  | {
      /** Parsed. */
      readonly ok: true;
      /** What the server needs to know of the request. */
      readonly info: ServeInfo;
    }
  | {
      /** Invalid. */
      readonly ok: false;
      /** The DPM status to answer with (`DPM_BAD_REQUEST`, `DPM_BAD_EVENT`, …; see `dpmStatusFor`). */
      readonly status: AcnetStatus;
      /** The parse error. */
      readonly error: DrfError;
    } {
  try {
    return { ok: true, info: serveInfo(parseDrf(text)) };
  } catch (e) {
    if (e instanceof DrfError) return { ok: false, status: dpmStatusFor(e), error: e };
    throw e;
  }
}
