/**
 * Terminal capabilities of the tools' output: whether cursor codes and colour may be used.
 *
 * @module
 */
import type { CliIO } from './io.js';

/**
 * What the output allows.
 *
 * @example
 * ```ts
 * const t = terminalOf(io); if (t.tty) io.stdout.write(cursorUp(3));
 * ```
 */
export interface Terminal {
  /** stdout is a terminal: cursor movement allowed. */
  readonly tty: boolean;
  /** Colour allowed: a terminal, `NO_COLOR` unset or empty, `TERM` not `dumb`. */
  readonly colour: boolean;
  /** Width in columns (80 when unknown). */
  readonly columns: number;
}

/**
 * The terminal capabilities of `io.stdout` (see https://no-color.org for `NO_COLOR`).
 *
 * @example
 * ```ts
 * terminalOf({ ...io, env: { NO_COLOR: '1' } }).colour; // false
 * ```
 */
export function terminalOf(io: CliIO): Terminal {
  const tty = io.stdout.isTTY === true && io.env['TERM'] !== 'dumb';
  const noColor = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
  const columns = typeof io.stdout.columns === 'number' && io.stdout.columns > 0 ? io.stdout.columns : 80;
  return { tty, colour: tty && !noColor, columns };
}

const ESC = '\u001b[';

/** ANSI: move the cursor up `n` lines. */
export function cursorUp(n: number): string {
  return n > 0 ? `${ESC}${n}A` : '';
}

/** ANSI: clear the whole current line. */
export const CLEAR_LINE = `${ESC}2K`;

/** The SGR colours used by the tools. */
export type Colour = 'red' | 'yellow' | 'green' | 'bold' | 'dim';

const SGR: Record<Colour, string> = { red: '31', yellow: '33', green: '32', bold: '1', dim: '2' };

/**
 * Wraps `text` in a colour when `enabled`, else returns it unchanged.
 *
 * @example
 * ```ts
 * paint(term.colour, 'red', 'failed');
 * ```
 */
export function paint(enabled: boolean, colour: Colour, text: string): string {
  return enabled ? `${ESC}${SGR[colour]}m${text}${ESC}0m` : text;
}

/**
 * Truncates `text` to `width` characters (with `…`) and pads it to `width`.
 *
 * @example
 * ```ts
 * fit('M:OUTTMP', 6); // 'M:OUT…'
 * ```
 */
export function fit(text: string, width: number): string {
  const chars = [...text.replace(/[\r\n\t]/g, ' ')];
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return chars.join('') + ' '.repeat(width - chars.length);
}
