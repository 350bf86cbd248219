/**
 * The canonical printer (drf.md §10).
 *
 * @module
 */
import { parseDrf } from './parse.js';
import { defaultField } from './tables.js';
import type { DrfEvent, DrfExtra, DrfRange, DrfRequest } from './types.js';

const num = (n: number | null): string => (n === null ? '' : String(n));

/**
 * Prints a range canonically: `[:]`, `[n]`, `[a:b]`, `[a:]`, `[:b]`, `{:}`, `{n}`, `{o:l}`, ...
 *
 * @example
 * ```ts
 * formatRange(parseRange('[007]')); // '[7]'
 * ```
 */
export function formatRange(range: DrfRange): string {
  if (range.kind === 'array') {
    switch (range.mode) {
      case 'full':
        return '[:]';
      case 'single':
        return `[${range.low}]`;
      default:
        return `[${num(range.low)}:${num(range.high)}]`;
    }
  }
  switch (range.mode) {
    case 'full':
      return '{:}';
    case 'single':
      return `{${range.offset}}`;
    default:
      return `{${num(range.offset)}:${num(range.length)}}`;
  }
}

/**
 * Prints an event as it appears after `@` in the canonical form, or `''` for the default event
 * (which is left out). P/Q/E/S events print as typed.
 *
 * @example
 * ```ts
 * formatEvent(parseEvent('i'));      // 'I'
 * formatEvent(parseEvent('p,1000')); // 'p,1000'
 * formatEvent(parseEvent('U'));      // ''
 * ```
 */
export function formatEvent(event: DrfEvent): string {
  return event.mode === 'U' ? '' : event.raw;
}

function formatExtra(extra: DrfExtra | null): string {
  return extra === null ? '' : `<-${extra.raw}`;
}

/**
 * The canonical string of a request (drf.md §10):
 * `device "." PROPERTY [range] ["." FIELD] ["@" event] ["<-" source]`. Accepts a parsed request or
 * text (which is parsed first, so invalid text throws `DrfError`).
 *
 * @example
 * ```ts
 * toCanonical('M_OUTTMP');                   // 'M:OUTTMP.SETTING'
 * toCanonical('z_acltst.set[2:3].raw@q,1k'); // 'z:acltst.SETTING[2:3].RAW@q,1k'
 * ```
 */
export function toCanonical(request: DrfRequest | string): string {
  const r = typeof request === 'string' ? parseDrf(request) : request;
  let s = `${r.device}.${r.property}`;
  if (r.range !== null) s += formatRange(r.range);
  if (r.field !== null && r.field !== defaultField(r.property)) s += `.${r.field}`;
  const e = formatEvent(r.event);
  if (e !== '') s += `@${e}`;
  return s + formatExtra(r.extra);
}
