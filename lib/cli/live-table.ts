/**
 * The live table of `acmonitor --table`: one row per device, redrawn in place with cursor-up
 * codes (terminals only).
 *
 * @module
 */
import { isOk, type Reading } from '../index.js';
import { timeText, valueText } from './format.js';
import type { CliOutput } from './io.js';
import { CLEAR_LINE, cursorUp, fit, paint, type Terminal } from './terminal.js';

const HEADERS = ['DEVICE', 'VALUE', 'UNITS', 'TIME', 'STATUS'] as const;

/**
 * A table of the latest reading per DRF. `update` records a reading; `draw` writes the whole
 * table, moving the cursor back over the previous drawing first.
 *
 * @example
 * ```ts
 * const t = new LiveTable(['M:OUTTMP', 'G:AMANDA'], io.stdout, terminalOf(io));
 * t.update(reading); t.draw();
 * ```
 */
export class LiveTable {
  private readonly latest = new Map<string, Reading>();
  private readonly stale = new Set<string>();
  private drawnLines = 0;
  private noteText: { readonly text: string; readonly colour: 'red' | 'dim' } | undefined;

  constructor(
    private readonly drfs: readonly string[],
    private readonly out: CliOutput,
    private readonly term: Terminal,
  ) {}

  /** Records the latest reading of its DRF. */
  update(r: Reading): void {
    this.latest.set(r.drf, r);
  }

  /**
   * Marks a DRF's row stale (no data for longer than expected) or fresh again. A stale row keeps
   * its last value, with status `STALE` (in yellow when colour is allowed); a failed reading's
   * status is shown as it is.
   */
  setStale(drf: string, stale: boolean): void {
    if (stale) this.stale.add(drf);
    else this.stale.delete(drf);
  }

  /** Sets (or, with `undefined`, removes) a line drawn under the rows, e.g. the connection's state. */
  note(text: string | undefined, colour: 'red' | 'dim' = 'dim'): void {
    this.noteText = text === undefined ? undefined : { text, colour };
  }

  /** Writes the table (over the previous one). */
  draw(): void {
    const widths = this.widths();
    const lines = [this.row(HEADERS, widths, 'bold')];
    for (const drf of this.drfs) lines.push(this.deviceRow(drf, widths));
    if (this.noteText !== undefined) {
      lines.push(paint(this.term.colour, this.noteText.colour, fit(this.noteText.text, Math.max(1, this.term.columns - 1))));
    }
    while (lines.length < this.drawnLines) lines.push(''); // blank out a removed note
    let s = cursorUp(this.drawnLines);
    for (const l of lines) s += `${CLEAR_LINE}${l}\n`;
    this.out.write(s);
    this.drawnLines = lines.length;
  }

  private widths(): number[] {
    const device = Math.min(40, Math.max(6, ...this.drfs.map((d) => d.length)));
    const units = 6;
    const time = 12;
    const status = 12;
    const value = Math.max(10, this.term.columns - 1 - device - units - time - status - 8);
    return [device, value, units, time, status];
  }

  private deviceRow(drf: string, widths: number[]): string {
    const r = this.latest.get(drf);
    const stale = this.stale.has(drf);
    if (r === undefined) return this.row([drf, '…', '', '', stale ? 'STALE' : 'waiting'], widths, stale ? 'yellow' : 'dim');
    const time = r.timestamp ? r.timestamp.toISOString().slice(11, 23) : timeText(r);
    const failed = !isOk(r);
    const status = stale && !failed ? 'STALE' : (r.status.name ?? `${r.status.facility} ${r.status.errorNumber}`);
    const colour = failed ? 'red' : stale || r.status.isWarning ? 'yellow' : undefined;
    const value = r.valueType === undefined ? '-' : valueText(r, { precision: 6, maxItems: 8 });
    return this.row([drf, value, r.meta?.units ?? '', time, status], widths, colour);
  }

  private row(cells: readonly string[], widths: number[], colour: 'bold' | 'dim' | 'red' | 'yellow' | undefined): string {
    const text = cells.map((c, i) => fit(c, widths[i]!)).join('  ').trimEnd();
    return colour === undefined ? text : paint(this.term.colour, colour, text);
  }
}
