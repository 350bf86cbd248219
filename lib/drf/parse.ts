/**
 * The DRF parser: a hand-written scanner following drf.md §2 (no backtracking regexes).
 *
 * @module
 */
import { DrfError, type DrfErrorPart } from './errors.js';
import {
  defaultField,
  isFieldValid,
  lookupDataSource,
  lookupField,
  lookupProperty,
  qualifierProperty,
} from './tables.js';
import type {
  DrfEvent,
  DrfExtra,
  DrfField,
  DrfProperty,
  DrfRange,
  DrfRequest,
  StateOperator,
} from './types.js';

const MAX_INT = 2147483647;
const MAX_DEVICE = 64;

/**
 * A parsed request with where things are in its text; used by the text-preserving helpers.
 *
 * @internal
 * @example
 * ```ts
 * scanDrf('M:OUTTMP@U<-FTP'); // { request, mainEnd: 10, eventAt: 8 }
 * ```
 */
export interface DrfScan {
  readonly request: DrfRequest;
  /** Index where `main` ends (the `<-` or the end of the text). */
  readonly mainEnd: number;
  /** Index of the event's `@`, or -1 when the text has no explicit event. */
  readonly eventAt: number;
}

// ---------------------------------------------------------------------------------------------
// character classes

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWordChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 95;
}
function isBodyChar(c: number): boolean {
  return isWordChar(c) || c === 58 /* : */ || c === 45 /* - */;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function fail(input: string, position: number, part: DrfErrorPart, detail: string, sourceFormat = false): never {
  throw new DrfError(input, position, part, detail, { sourceFormat });
}

function quote(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------------------------
// numbers and times

/** Parses a run of ASCII digits (already checked) as an integer; returns -1 if above `max`. */
function digitsValue(s: string, max: number): number {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  const t = s.slice(i);
  if (t.length > 16) return -1;
  const n = Number(t);
  return n > max ? -1 : n;
}

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** round(a / b) with halves up, in integers (drf.md §7.1). */
function roundDiv(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

/**
 * Parses a time or frequency value (drf.md §7.1) into milliseconds.
 *
 * @example
 * ```ts
 * parseTimeMs('60H'); // 17
 * parseTimeMs('2s');  // 2000
 * ```
 */
export function parseTimeMs(text: string, input: string = text, position = 0): number {
  let end = text.length;
  let unit = 'M';
  if (end > 0 && isAlpha(text.charCodeAt(end - 1))) {
    unit = text[end - 1]!.toUpperCase();
    end--;
  }
  const num = text.slice(0, end);
  if (!allDigits(num) || !'SMUHK'.includes(unit)) {
    fail(input, position, 'event', `bad time/frequency value ${quote(text)}`);
  }
  const n = digitsValue(num, MAX_INT);
  if (n < 0) fail(input, position, 'event', `time/frequency value ${num} exceeds ${MAX_INT}`);
  if (n === 0) return 0;
  switch (unit) {
    case 'S':
      return n * 1000;
    case 'U':
      return roundDiv(n, 1000);
    case 'H':
      return roundDiv(1000, n);
    case 'K':
      return roundDiv(1, n);
    default:
      return n;
  }
}

// ---------------------------------------------------------------------------------------------
// device

/** Returns the index of the first problem in a device name, or -1 when it is valid (drf.md §3). */
function deviceProblem(name: string): { at: number; detail: string } | null {
  if (name.length < 3) return { at: 0, detail: `device name ${quote(name)} is shorter than 3 characters` };
  if (name.length > MAX_DEVICE) {
    return { at: MAX_DEVICE, detail: `device name is longer than ${MAX_DEVICE} characters` };
  }
  const c0 = name.charCodeAt(0);
  if (!(isAlpha(c0) || c0 === 48 || c0 === 35)) {
    return { at: 0, detail: `a device name must start with a letter, '0' or '#', not ${quote(name[0]!)}` };
  }
  if (qualifierProperty(name[1]!) === undefined) {
    return { at: 1, detail: `${quote(name[1]!)} is not a device qualifier character` };
  }
  for (let i = 2; i < name.length; i++) {
    if (!isBodyChar(name.charCodeAt(i))) return { at: i, detail: `invalid character ${quote(name[i]!)} in device name` };
  }
  return null;
}

/**
 * Whether a text is a valid device name (drf.md §3), any qualifier.
 *
 * @example
 * ```ts
 * isDeviceName('M_OUTTMP'); // true
 * isDeviceName('bogus');    // false
 * ```
 */
export function isDeviceName(name: string): boolean {
  return deviceProblem(name) === null;
}

// ---------------------------------------------------------------------------------------------
// range

function freezeRange(r: DrfRange): DrfRange {
  return Object.freeze(r);
}

/**
 * Parses range text (`[...]` or `{...}`, drf.md §6). Throws `DrfError` when invalid.
 *
 * @example
 * ```ts
 * parseRange('[2:5]'); // { kind: 'array', mode: 'std', low: 2, high: 5 }
 * parseRange('{:}');   // { kind: 'byte', mode: 'full', offset: null, length: null }
 * ```
 */
export function parseRange(text: string, input: string = text, position = 0): DrfRange {
  const open = text[0];
  const close = open === '[' ? ']' : open === '{' ? '}' : undefined;
  if (close === undefined || text.length < 2 || text[text.length - 1] !== close) {
    fail(input, position, 'range', `bad range ${quote(text)}`);
  }
  const inner = text.slice(1, -1);
  let colon = -1;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 58) {
      if (colon >= 0) fail(input, position + 1 + i, 'range', `bad range ${quote(text)} (more than one ':')`);
      colon = i;
    } else if (!isDigit(c)) {
      fail(input, position + 1 + i, 'range', `bad range ${quote(text)} (unexpected ${quote(inner[i]!)})`);
    }
  }
  const num = (s: string, at: number): number | null => {
    if (s === '') return null;
    const n = digitsValue(s, MAX_INT);
    if (n < 0) fail(input, position + 1 + at, 'range', `range number ${s} exceeds ${MAX_INT}`);
    return n;
  };
  const array = open === '[';
  if (colon < 0) {
    const n = num(inner, 0);
    if (n === null) {
      return freezeRange(array
        ? { kind: 'array', mode: 'full', low: null, high: null }
        : { kind: 'byte', mode: 'full', offset: null, length: null });
    }
    return freezeRange(array
      ? { kind: 'array', mode: 'single', low: n, high: null }
      : { kind: 'byte', mode: 'single', offset: n, length: null });
  }
  const a = num(inner.slice(0, colon), 0);
  const b = num(inner.slice(colon + 1), colon + 1);
  if (a === null && b === null) {
    return freezeRange(array
      ? { kind: 'array', mode: 'full', low: null, high: null }
      : { kind: 'byte', mode: 'full', offset: null, length: null });
  }
  if (array) {
    if (a !== null && b !== null && b < a) fail(input, position + 2 + colon, 'range', `range end ${b} is before start ${a}`);
    return freezeRange({ kind: 'array', mode: 'std', low: a, high: b });
  }
  if (a !== null && b !== null && a + b > MAX_INT + 1) {
    fail(input, position, 'range', `byte range offset + length exceeds ${MAX_INT + 1}`);
  }
  return freezeRange({ kind: 'byte', mode: 'std', offset: a, length: b });
}

// ---------------------------------------------------------------------------------------------
// events

const DEFAULT_EVENT: DrfEvent = Object.freeze({ kind: 'default', mode: 'U', raw: 'U' } as const);
const IMMEDIATE_EVENT: DrfEvent = Object.freeze({ kind: 'immediate', mode: 'I', raw: 'I' } as const);
const NEVER_EVENT: DrfEvent = Object.freeze({ kind: 'never', mode: 'N', raw: 'N' } as const);

/**
 * The shared default (`U`) event.
 *
 * @internal
 * @example
 * ```ts
 * parseEvent('u') === defaultEvent; // true
 * ```
 */
export const defaultEvent = DEFAULT_EVENT;
/**
 * The shared immediate (`I`) event.
 *
 * @internal
 * @example
 * ```ts
 * parseEvent('I') === immediateEvent; // true
 * ```
 */
export const immediateEvent = IMMEDIATE_EVENT;
/**
 * The shared never (`N`) event.
 *
 * @internal
 * @example
 * ```ts
 * parseEvent('n') === neverEvent; // true
 * ```
 */
export const neverEvent = NEVER_EVENT;

const OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '*', '>', '<', '>=', '<=']);

/**
 * Parses event text (what follows `@`, drf.md §7). Throws `DrfError` when invalid.
 *
 * @example
 * ```ts
 * parseEvent('p,1000');  // { kind: 'periodic', mode: 'P', raw: 'p,1000', continuous: true, periodMs: 1000, immediate: true }
 * parseEvent('e,02,h');  // { kind: 'clock', mode: 'E', raw: 'e,02,h', eventNumber: 2, clockType: 'H', delayMs: 0 }
 * ```
 */
export function parseEvent(text: string, input: string = text, position = 0): DrfEvent {
  if (text.length === 0) fail(input, position, 'event', "empty event after '@'");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) fail(input, position + i, 'event', `character ${quote(text[i]!)} is not printable ASCII`);
  }
  const letter = text[0]!.toUpperCase();
  switch (letter) {
    case 'U':
    case 'I':
    case 'N':
      if (text.length !== 1) fail(input, position, 'event', `event ${quote(text)}: ${letter} takes no parameters`);
      return letter === 'U' ? DEFAULT_EVENT : letter === 'I' ? IMMEDIATE_EVENT : NEVER_EVENT;
    case 'P':
    case 'Q': {
      let periodMs = 1000;
      let immediate = true;
      if (text.length > 1) {
        const parts = text.split(',');
        if (parts[0]!.length !== 1 || parts.length > 3 || parts[1] === '') {
          fail(input, position, 'event', `bad periodic event ${quote(text)}`);
        }
        const tp = parts[1]!;
        periodMs = parseTimeMs(tp, input, position + 2);
        if (parts.length === 3) {
          const imm = parts[2]!.toUpperCase();
          if (imm === 'TRUE' || imm === 'T') immediate = true;
          else if (imm === 'FALSE' || imm === 'F') immediate = false;
          else fail(input, position + 3 + tp.length, 'event', `bad periodic event ${quote(text)} (immediate flag must be TRUE or FALSE)`);
        }
      }
      return Object.freeze({ kind: 'periodic', mode: letter, raw: text, continuous: letter === 'P', periodMs, immediate });
    }
    case 'E': {
      const parts = text.split(',');
      if (parts[0]!.length !== 1 || parts.length < 2 || parts.length > 4) fail(input, position, 'event', `bad clock event ${quote(text)}`);
      const hex = parts[1]!;
      if (hex.length === 0) fail(input, position, 'event', `bad clock event ${quote(text)}`);
      for (let i = 0; i < hex.length; i++) {
        if (!isHex(hex.charCodeAt(i))) fail(input, position + 2 + i, 'event', `bad clock event ${quote(text)} (${quote(hex)} is not hexadecimal)`);
      }
      const stripped = hex.replace(/^0+(?=.)/, '');
      const eventNumber = stripped.length > 4 ? 0x10000 : parseInt(stripped, 16);
      if (eventNumber > 0xffff) fail(input, position + 2, 'event', `clock event number ${hex} exceeds FFFF`);
      let clockType: 'H' | 'S' | 'E' = 'E';
      let delayMs = 0;
      if (parts.length >= 3) {
        const t = parts[2]!.toUpperCase();
        if (t !== 'H' && t !== 'S' && t !== 'E') fail(input, position + 3 + hex.length, 'event', `bad clock event ${quote(text)} (clock type must be H, S or E)`);
        clockType = t;
      }
      if (parts.length === 4) delayMs = parseTimeMs(parts[3]!, input, position + 5 + hex.length);
      return Object.freeze({ kind: 'clock', mode: 'E', raw: text, eventNumber, clockType, delayMs });
    }
    case 'S': {
      const parts = text.split(',');
      if (parts[0]!.length !== 1 || parts.length !== 5) fail(input, position, 'event', `bad state event ${quote(text)}`);
      const [, device, valueText, delayText, op] = parts as [string, string, string, string, string];
      let at = position + 2;
      if (deviceProblem(device) !== null) fail(input, at, 'event', `state event device ${quote(device)} is not a device name`);
      at += device.length + 1;
      if (!allDigits(valueText)) fail(input, at, 'event', `bad state event ${quote(text)} (value must be a decimal number)`);
      const value = digitsValue(valueText, 65535);
      if (value < 0) fail(input, at, 'event', `state event value ${valueText} exceeds 65535`);
      at += valueText.length + 1;
      const delayMs = parseTimeMs(delayText, input, at);
      at += delayText.length + 1;
      if (!OPERATORS.has(op)) fail(input, at, 'event', `bad state event ${quote(text)} (unknown operator ${quote(op)})`);
      return Object.freeze({ kind: 'state', mode: 'S', raw: text, device, value, delayMs, expression: op as StateOperator });
    }
    default:
      return fail(input, position, 'event', `unknown event type ${quote(text[0]!)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// data sources

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Parses data source text (what follows `<-`, drf.md §8), checking the parameters against the
 * formats the DPM server reads. Throws `DrfError` when invalid.
 *
 * @example
 * ```ts
 * parseDataSource('LOGGER:1700000000000:1700000600000');
 * // { name: 'LOGGER', raw: '...', startMs: 1700000000000, endMs: 1700000600000, node: null }
 * ```
 */
export function parseDataSource(text: string, input: string = text, position = 0): DrfExtra {
  if (text.length === 0) fail(input, position, 'extra', "empty data source after '<-'");
  const at = text.indexOf('@');
  if (at >= 0) fail(input, position + at, 'extra', "'@' after '<-': the event must come before the data source");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) fail(input, position + i, 'extra', `character ${quote(text[i]!)} is not printable ASCII`);
  }
  let end = 0;
  while (end < text.length && text[end] !== ':' && text[end] !== '[') end++;
  const word = text.slice(0, end);
  if (word.length === 0) fail(input, position, 'extra', `empty data source name in ${quote(text)}`);
  const name = lookupDataSource(word);
  if (name === undefined) fail(input, position, 'extra', `unknown data source ${quote(word)}`);
  const rest = text.slice(end);
  const bad = (why: string): never =>
    fail(input, position + end, 'extra', `bad ${name} data source ${quote(text)}: ${why}`, true);
  if (rest.length > 0 && rest[0] !== ':') bad(`unexpected ${quote(rest[0]!)} after the name`);
  const params = rest.length === 0 ? [] : rest.slice(1).split(':');
  const int = (s: string | undefined, what: string): number => {
    if (s === undefined || !allDigits(s)) return bad(`${what} must be a decimal integer`);
    const n = digitsValue(s, SAFE);
    if (n < 0) return bad(`${what} is too large`);
    return n;
  };
  const nodeName = (s: string | undefined, what: string): string => {
    if (s === undefined || s.length === 0) return bad(`${what} is empty`);
    return s;
  };
  const count = (min: number, max: number, form: string): void => {
    if (params.length < min || params.length > max) bad(`expected ${form}`);
  };
  switch (name) {
    case 'LIVEDATA':
    case 'FTP':
    case 'MIRROR':
      if (rest.length > 0) bad('it takes no parameters');
      return Object.freeze({ name, raw: text });
    case 'LOGGER': {
      count(2, 3, 'LOGGER:start:end[:logger]');
      const startMs = int(params[0], 'start');
      const endMs = int(params[1], 'end');
      // DPM answers a reversed window with no points at all: say so instead
      if (startMs > endMs) bad(`start ${startMs} is after end ${endMs} (the window is LOGGER:start:end, start first)`);
      const node = params.length === 3 ? nodeName(params[2], 'logger') : null;
      return Object.freeze({ name, raw: text, startMs, endMs, node });
    }
    case 'LOGGERDURATION': {
      count(1, 2, 'LOGGERDURATION:ms[:logger]');
      const durationMs = int(params[0], 'duration');
      const node = params.length === 2 ? nodeName(params[1], 'logger') : null;
      return Object.freeze({ name, raw: text, durationMs, node });
    }
    case 'LOGGERSINGLE': {
      count(3, 3, 'LOGGERSINGLE:logger:seconds:accuracy_seconds');
      const node = nodeName(params[0], 'logger');
      const seconds = int(params[1], 'seconds');
      const accuracy = int(params[2], 'accuracy');
      return Object.freeze({ name, raw: text, node, timeMs: seconds * 1000, accuracyMs: accuracy * 1000 });
    }
    case 'SRFILE':
      count(1, 1, 'SRFILE:file_number');
      return Object.freeze({ name, raw: text, fileNumber: int(params[0], 'file number') });
    case 'SDAFILE': {
      count(4, 4, 'SDAFILE:n1:n2:n3:n4');
      const numbers = Object.freeze([int(params[0], 'n1'), int(params[1], 'n2'), int(params[2], 'n3'), int(params[3], 'n4')] as const);
      return Object.freeze({ name, raw: text, numbers });
    }
    case 'REDIR': {
      count(1, 1, 'REDIR:from->to');
      const p = params[0]!;
      const arrow = p.indexOf('->');
      if (arrow < 0) bad("expected REDIR:from->to");
      const from = nodeName(p.slice(0, arrow), 'from');
      const to = nodeName(p.slice(arrow + 2), 'to');
      if (to.includes('->')) bad("more than one '->'");
      return Object.freeze({ name, raw: text, from, to });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// request

/**
 * Builds a frozen request from parts (no validation: callers pass parsed parts).
 *
 * @internal
 * @example
 * ```ts
 * makeRequest('M:OUTTMP', 'SETTING', true, null, 'SCALED', neverEvent, null);
 * ```
 */
export function makeRequest(
  device: string,
  property: DrfProperty,
  propertyExplicit: boolean,
  range: DrfRange | null,
  field: DrfField | null,
  event: DrfEvent,
  extra: DrfExtra | null,
): DrfRequest {
  return Object.freeze({ device, property, propertyExplicit, range, field, event, extra });
}

function scanUncached(input: string): DrfScan {
  const len = input.length;
  if (len === 0) fail(input, 0, 'syntax', 'empty request');
  for (let i = 0; i < len; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      const cp = input.codePointAt(i)!;
      const shown = String.fromCodePoint(cp);
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      fail(input, i, 'syntax', `character ${quote(shown)} (U+${hex}) is not printable ASCII`);
    }
  }
  // data source
  let mainEnd = len;
  let extra: DrfExtra | null = null;
  const arrow = input.indexOf('<-');
  if (arrow >= 0) {
    const second = input.indexOf('<-', arrow + 2);
    if (second >= 0) fail(input, second, 'syntax', "more than one '<-'");
    mainEnd = arrow;
    extra = parseDataSource(input.slice(arrow + 2), input, arrow + 2);
  }
  if (mainEnd < 3) fail(input, 0, 'syntax', 'not a data request (shorter than 3 characters)');
  if (input.charCodeAt(mainEnd - 1) === 64 /* @ */) fail(input, mainEnd - 1, 'event', "empty event after '@'");

  // device: ends at the first '.', '[', '{' or '@' at index 2 or later
  let p = 2;
  while (p < mainEnd) {
    const c = input.charCodeAt(p);
    if (c === 46 || c === 91 || c === 123 || c === 64) break;
    p++;
  }
  const typed = input.slice(0, p);
  const problem = deviceProblem(typed);
  if (problem !== null) fail(input, problem.at, 'device', problem.detail);
  const device = `${typed[0]}:${typed.slice(2)}`;
  const qualified = qualifierProperty(typed[1]!)!;

  // words and range
  const word = (start: number): number => {
    let q = start;
    while (q < mainEnd && isWordChar(input.charCodeAt(q))) q++;
    if (q === start) {
      fail(input, start, 'syntax', `expected a property or field name after '.'`);
    }
    return q;
  };
  let w1: string | null = null;
  let w1At = -1;
  let w2: string | null = null;
  let w2At = -1;
  let range: DrfRange | null = null;
  let rangeAt = -1;
  if (p < mainEnd && input[p] === '.') {
    w1At = p + 1;
    p = word(w1At);
    w1 = input.slice(w1At, p);
  }
  if (p < mainEnd && (input[p] === '[' || input[p] === '{')) {
    const close = input[p] === '[' ? ']' : '}';
    rangeAt = p;
    let q = p + 1;
    while (q < mainEnd && input[q] !== close) {
      const c = input.charCodeAt(q);
      if (!isDigit(c) && c !== 58) fail(input, q, 'range', `unexpected ${quote(input[q]!)} in range`);
      q++;
    }
    if (q >= mainEnd) fail(input, rangeAt, 'range', `unterminated range ${quote(input.slice(rangeAt, mainEnd))}`);
    range = parseRange(input.slice(rangeAt, q + 1), input, rangeAt);
    p = q + 1;
  }
  if (p < mainEnd && input[p] === '.') {
    w2At = p + 1;
    p = word(w2At);
    w2 = input.slice(w2At, p);
  }
  let event: DrfEvent = DEFAULT_EVENT;
  let eventAt = -1;
  if (p < mainEnd) {
    if (input[p] !== '@') {
      fail(input, p, 'syntax', `unexpected ${quote(input[p]!)} after ${w2 !== null ? 'the field' : range !== null ? 'the range' : 'the property'}`);
    }
    eventAt = p;
    event = parseEvent(input.slice(p + 1, mainEnd), input, p + 1);
  }

  // resolve the words (drf.md §4.3)
  let property: DrfProperty = qualified;
  let propertyExplicit = false;
  let fieldWord: string | null = w2;
  let fieldAt = w2At;
  if (w1 !== null) {
    const prop = lookupProperty(w1);
    if (prop !== undefined) {
      property = prop;
      propertyExplicit = true;
    } else if (w2 !== null) {
      fail(input, w1At, 'property', `unknown property ${quote(w1.toUpperCase())}`);
    } else if (range !== null) {
      fail(input, w1At, 'property', `${quote(w1.toUpperCase())} is not a property (a range follows it)`);
    } else {
      fieldWord = w1;
      fieldAt = w1At;
    }
  }
  let field: DrfField | null = defaultField(property);
  if (fieldWord !== null) {
    const f = lookupField(fieldWord);
    if (f === undefined) {
      fail(input, fieldAt, 'field', w1 !== null && fieldWord === w1 && w2 === null
        ? `unknown property or field ${quote(fieldWord.toUpperCase())}`
        : `unknown field ${quote(fieldWord.toUpperCase())}`);
    }
    if (!isFieldValid(property, f)) fail(input, fieldAt, 'field', `field ${f} is not valid for property ${property}`);
    field = f;
  }
  return Object.freeze({
    request: makeRequest(device, property, propertyExplicit, range, field, event, extra),
    mainEnd,
    eventAt,
  });
}

// ---------------------------------------------------------------------------------------------
// cache

const CACHE_SIZE = 2048;
const MAX_CACHED_LENGTH = 512;
const cache = new Map<string, DrfScan>();

/**
 * Parses with positions, through a small bounded LRU cache (2,048 strings of up to 512 chars).
 *
 * @internal
 * @example
 * ```ts
 * scanDrf('M:OUTTMP').eventAt; // -1
 * ```
 */
export function scanDrf(input: string): DrfScan {
  const hit = cache.get(input);
  if (hit !== undefined) {
    cache.delete(input);
    cache.set(input, hit);
    return hit;
  }
  const scan = scanUncached(input);
  if (input.length <= MAX_CACHED_LENGTH) {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(input, scan);
  }
  return scan;
}

/**
 * Parses a DRF string into a deeply frozen `DrfRequest` (drf.md). Throws `DrfError` for anything
 * the spec rejects, with the part and position of the problem. Results of identical strings are
 * cached (they are immutable, so sharing is safe).
 *
 * @example
 * ```ts
 * const r = parseDrf('M:OUTTMP.SETTING[0:10]@p,1000');
 * r.device;          // 'M:OUTTMP'
 * r.property;        // 'SETTING'
 * r.event.kind;      // 'periodic'
 * ```
 */
export function parseDrf(text: string): DrfRequest {
  if (typeof text !== 'string') {
    throw new DrfError(String(text), 0, 'syntax', `a DRF request must be a string, not ${typeof text}`);
  }
  return scanDrf(text).request;
}

/**
 * Whether a text is a valid DRF request (never throws).
 *
 * @example
 * ```ts
 * isValidDrf('M:OUTTMP@p,1000'); // true
 * isValidDrf('M:OUTTMP@');       // false
 * ```
 */
export function isValidDrf(text: string): boolean {
  try {
    parseDrf(text);
    return true;
  } catch (e) {
    if (e instanceof DrfError) return false;
    throw e;
  }
}
