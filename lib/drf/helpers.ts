/**
 * Helpers a client needs (drf.md §11): device name and keys, one-shot form, write target, builders.
 *
 * @module
 */
import { formatRange, toCanonical } from './canonical.js';
import { DrfError } from './errors.js';
import { immediateEvent, makeRequest, neverEvent, parseDrf, parseEvent, parseRange, scanDrf } from './parse.js';
import { defaultField, isFieldValid, isHistoricalSource, lookupField, lookupProperty } from './tables.js';
import type { DrfEvent, DrfField, DrfProperty, DrfRange, DrfRequest } from './types.js';

function req(x: DrfRequest | string): DrfRequest {
  return typeof x === 'string' ? parseDrf(x) : x;
}

/**
 * The device of a request: the name as typed with its qualifier replaced by `:` (drf.md §11.1).
 *
 * @example
 * ```ts
 * deviceName('M_OUTTMP.SETTING[0:10]@p,1000'); // 'M:OUTTMP'
 * deviceName('m|outtmp.on');                   // 'm:outtmp'
 * ```
 */
export function deviceName(drf: DrfRequest | string): string {
  return req(drf).device;
}

/**
 * A key identifying a device for pooling and de-duplication: the device name upper-cased, with a
 * leading `#` (index form) written `0` as the DPM server does. Two requests address the same device
 * exactly when their keys are equal.
 *
 * @example
 * ```ts
 * deviceKey('m_outtmp@p,1000'); // 'M:OUTTMP'
 * deviceKey('#:1234');          // '0:1234'
 * ```
 */
export function deviceKey(drf: DrfRequest | string): string {
  const d = req(drf).device.toUpperCase();
  return d[0] === '#' ? `0${d.slice(1)}` : d;
}

/**
 * Whether two requests (or texts) address the same device, comparing names case-insensitively.
 *
 * @example
 * ```ts
 * sameDevice('M:OUTTMP', 'm_outtmp.raw'); // true
 * ```
 */
export function sameDevice(a: DrfRequest | string, b: DrfRequest | string): boolean {
  return deviceKey(a) === deviceKey(b);
}

/**
 * A key for de-duplicating requests: the canonical form with the device replaced by its
 * `deviceKey` and P/Q/E/S event text upper-cased (events are case-insensitive). The data source is
 * kept as typed (the DPM server compares `FTP`/`LIVEDATA` case-sensitively).
 *
 * @example
 * ```ts
 * requestKey('m:outtmp@p,1000') === requestKey('M:OUTTMP.READING@P,1000'); // true
 * ```
 */
export function requestKey(drf: DrfRequest | string): string {
  const r = req(drf);
  const ev = r.event.mode === 'U' ? r.event : parseEvent(r.event.raw.toUpperCase());
  return toCanonical(makeRequest(deviceKey(r), r.property, r.propertyExplicit, r.range, r.field, ev, r.extra));
}

/**
 * Whether a request reads historical (logger) data: source `LOGGER`, `LOGGERDURATION` or
 * `LOGGERSINGLE`. Such requests are never given `@I` and their data comes in chunks.
 *
 * @example
 * ```ts
 * isHistorical('M:OUTTMP<-LOGGERDURATION:60000'); // true
 * ```
 */
export function isHistorical(drf: DrfRequest | string): boolean {
  const x = req(drf).extra;
  return x !== null && isHistoricalSource(x.name);
}

function refuseNever(input: string, at: number): never {
  throw new DrfError(
    input,
    at,
    'event',
    'a one-shot read of a request with the never event (@N) would never complete',
  );
}

/**
 * The one-shot form of a request text for a read (drf.md §11.2, `ensure_immediate_event`). Keeps
 * the text as typed: no event or `@U` becomes `@I` (placed before any `<-` source); other events
 * and logger sources are left alone. Throws `DrfError` for invalid text and for an `@N` request
 * (such a read could never complete).
 *
 * @example
 * ```ts
 * ensureImmediate('M_OUTTMP');        // 'M_OUTTMP@I'
 * ensureImmediate('M:OUTTMP@U<-FTP'); // 'M:OUTTMP@I<-FTP'
 * ensureImmediate('M:OUTTMP@p,1000'); // 'M:OUTTMP@p,1000'
 * ```
 */
export function ensureImmediate(drf: string): string {
  const { request, mainEnd, eventAt } = scanDrf(drf);
  if (request.extra !== null && isHistoricalSource(request.extra.name)) return drf;
  if (request.event.mode === 'N') refuseNever(drf, eventAt);
  if (request.event.mode !== 'U') return drf;
  const cut = eventAt >= 0 ? eventAt : mainEnd;
  return `${drf.slice(0, cut)}@I${drf.slice(mainEnd)}`;
}

/**
 * The one-shot form of a parsed request: the default event becomes `I`; other events and logger
 * sources are kept. Throws `DrfError` for an `@N` request.
 *
 * @example
 * ```ts
 * toCanonical(oneShot(parseDrf('M:OUTTMP'))); // 'M:OUTTMP.READING@I'
 * ```
 */
export function oneShot(drf: DrfRequest | string): DrfRequest {
  const r = req(drf);
  if (r.extra !== null && isHistoricalSource(r.extra.name)) return r;
  if (r.event.mode === 'N') {
    const text = toCanonical(r);
    refuseNever(text, text.lastIndexOf('@'));
  }
  if (r.event.mode !== 'U') return r;
  return makeRequest(r.device, r.property, r.propertyExplicit, r.range, r.field, immediateEvent, r.extra);
}

const WRITABLE: Partial<Record<DrfProperty, DrfProperty>> = { READING: 'SETTING', STATUS: 'CONTROL' };

/**
 * The request to write for a given request (drf.md §11.3): READING → SETTING, STATUS → CONTROL,
 * the field kept if still valid, range and source kept, event `N`.
 *
 * @example
 * ```ts
 * toCanonical(writeRequest('M:OUTTMP.RAW@p,1000')); // 'M:OUTTMP.SETTING.RAW@N'
 * ```
 */
export function writeRequest(drf: DrfRequest | string): DrfRequest {
  const r = req(drf);
  const property = WRITABLE[r.property] ?? r.property;
  let field = r.field;
  if (property !== r.property && (field === null || !isFieldValid(property, field))) field = defaultField(property);
  return makeRequest(r.device, property, r.propertyExplicit || property !== r.property, r.range, field, neverEvent, r.extra);
}

/**
 * The canonical write target of a request (drf.md §11.3, `prepare_for_write`).
 *
 * @example
 * ```ts
 * writeTarget('M:OUTTMP');           // 'M:OUTTMP.SETTING@N'
 * writeTarget('M:OUTTMP.STATUS.ON'); // 'M:OUTTMP.CONTROL@N'
 * writeTarget('M:OUTTMP.VOLTS');     // 'M:OUTTMP.SETTING.VOLTS@N'
 * ```
 */
export function writeTarget(drf: string | DrfRequest): string {
  return toCanonical(writeRequest(drf));
}

/**
 * A new request with another event (`U` / `'U'` removes it). The event may be text (`'p,500'`) or
 * a parsed event; a parsed event is re-read from its `raw` text so the result is consistent.
 *
 * @example
 * ```ts
 * toCanonical(withEvent('M:OUTTMP<-FTP', 'q,2s,false')); // 'M:OUTTMP.READING@q,2s,false<-FTP'
 * ```
 */
export function withEvent(drf: DrfRequest | string, event: DrfEvent | string): DrfRequest {
  const r = req(drf);
  const e = parseEvent(typeof event === 'string' ? event : event.raw);
  return makeRequest(r.device, r.property, r.propertyExplicit, r.range, r.field, e, r.extra);
}

/**
 * A new request without an explicit event (the default event `U`).
 *
 * @example
 * ```ts
 * toCanonical(stripEvent('M_OUTTMP[0:3].RAW@I<-FTP')); // 'M:OUTTMP.SETTING[0:3].RAW<-FTP'
 * ```
 */
export function stripEvent(drf: DrfRequest | string): DrfRequest {
  return withEvent(drf, 'U');
}

/**
 * The canonical form with the event replaced (drf.md §11.4, `replace_event`).
 *
 * @example
 * ```ts
 * replaceEvent('M:OUTTMP@p,1000', 'i'); // 'M:OUTTMP.READING@I'
 * ```
 */
export function replaceEvent(drf: DrfRequest | string, event: DrfEvent | string): string {
  return toCanonical(withEvent(drf, event));
}

/**
 * A new request with another range, or none (`null`). The range may be text (`'[0:3]'`, `'{2:4}'`)
 * or a range object (validated).
 *
 * @example
 * ```ts
 * toCanonical(withRange('B:ARRAY1[0:3]@I', '{2:4}')); // 'B:ARRAY1.READING{2:4}@I'
 * toCanonical(withRange('B:ARRAY1[0:3]@I', null));    // 'B:ARRAY1.READING@I'
 * ```
 */
export function withRange(drf: DrfRequest | string, range: DrfRange | string | null): DrfRequest {
  const r = req(drf);
  const rg = range === null ? null : parseRange(typeof range === 'string' ? range : formatRange(range));
  return makeRequest(r.device, r.property, r.propertyExplicit, rg, r.field, r.event, r.extra);
}

function resolveField(property: DrfProperty, field: DrfField | string): DrfField {
  const f = lookupField(field);
  if (f === undefined) throw new DrfError(field, 0, 'field', `unknown field ${JSON.stringify(field.toUpperCase())}`);
  if (!isFieldValid(property, f)) throw new DrfError(field, 0, 'field', `field ${f} is not valid for property ${property}`);
  return f;
}

/**
 * A new request with another property (any alias, any case). A different property drops the
 * current field unless `field` is given; the same property keeps it (drf.md §11.5).
 *
 * @example
 * ```ts
 * toCanonical(withProperty('M:OUTTMP.STATUS.ON@p,1000', 'SETTING'));        // 'M:OUTTMP.SETTING@p,1000'
 * toCanonical(withProperty('M:OUTTMP.STATUS.ON@p,1000', 'CONTROL', 'RAW')); // 'M:OUTTMP.CONTROL.RAW@p,1000'
 * ```
 */
export function withProperty(
  drf: DrfRequest | string,
  property: DrfProperty | string,
  field?: DrfField | string | null,
): DrfRequest {
  const r = req(drf);
  const p = lookupProperty(property);
  if (p === undefined) throw new DrfError(property, 0, 'property', `unknown property ${JSON.stringify(property.toUpperCase())}`);
  let f: DrfField | null;
  if (field !== undefined && field !== null) f = resolveField(p, field);
  else if (field === null || p !== r.property) f = defaultField(p);
  else f = r.field;
  return makeRequest(r.device, p, true, r.range, f, r.event, r.extra);
}

/**
 * A new request with another field (any alias, any case), or the property's default (`null`).
 * Throws `DrfError` when the field is not valid for the property.
 *
 * @example
 * ```ts
 * toCanonical(withField('M:OUTTMP.STATUS.ON@p,1000', 'READY')); // 'M:OUTTMP.STATUS.READY@p,1000'
 * ```
 */
export function withField(drf: DrfRequest | string, field: DrfField | string | null): DrfRequest {
  const r = req(drf);
  const f = field === null ? defaultField(r.property) : resolveField(r.property, field);
  return makeRequest(r.device, r.property, r.propertyExplicit, r.range, f, r.event, r.extra);
}

/**
 * An `AddToList` list property (`#NAME:VALUE`, e.g. `#ROLE:operator`): not a DRF (drf.md §1).
 *
 * @example
 * ```ts
 * const p: ListProperty | null = parseListProperty('#ROLE:testing'); // { name: 'ROLE', value: 'testing' }
 * ```
 */
export interface ListProperty {
  /** The property name, as given (DPM compares names as given: `ROLE`). */
  readonly name: string;
  /** Its value: the text after the first `:`, up to the next `:` if any. */
  readonly value: string;
}

/**
 * The list-property rule of the DPM server (`dpm-behaviour.md` §3.1), the one rule the client and
 * the simulator share: an `AddToList` text is a list property when it starts with `#`, is longer
 * than 4 characters, and splits on `:` into a non-empty name (between `#` and the first `:`) and a
 * non-empty value; the value is the text up to the next `:` (`#ROLE:a:b` sets `ROLE` to `a`).
 * Anything else (`#ROLE`, `#ROLE:`, `#:1234`) is not a property, and DPM parses it as a DRF.
 * Returns null for a text that is not a property.
 *
 * @example
 * ```ts
 * parseListProperty('#ROLE:testing'); // { name: 'ROLE', value: 'testing' }
 * parseListProperty('#ROLE:a:b');     // { name: 'ROLE', value: 'a' }
 * parseListProperty('#:1234');        // null (a DRF: device index 1234)
 * ```
 */
export function parseListProperty(text: string): ListProperty | null {
  if (text.charCodeAt(0) !== 35 /* # */ || text.length <= 4) return null;
  const colon = text.indexOf(':');
  if (colon < 2) return null; // no `:`, or an empty name
  const next = text.indexOf(':', colon + 1);
  const value = next < 0 ? text.slice(colon + 1) : text.slice(colon + 1, next);
  if (value === '') return null;
  return Object.freeze({ name: text.slice(1, colon), value });
}
