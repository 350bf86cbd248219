/**
 * `acmonitor DRF...`: stream readings until Ctrl-C, `--count` or `--duration`, as lines, JSON
 * lines, or a live table.
 *
 * @module
 */
import { Subscription } from 'rxjs';
import { dpm, type DpmClient } from '../dpm/client.js';
import type { Reading } from '../dpm/reading.js';
import { parseDrf } from '../drf/parse.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  EXIT_HELP,
  endpointFrom,
  intOption,
  numberOption,
  parseCli,
  reportError,
  UsageError,
  withEndpoint,
  type CliIO,
} from './common.js';
import { failureText, readingJson, readingLine } from './format.js';
import { LiveTable } from './live-table.js';
import { terminalOf } from './terminal.js';

/** The `--help` text of `acmonitor`. */
export const USAGE = `Usage: acmonitor [options] DRF...

Streams readings of the DRFs (each on its own event, e.g. M:OUTTMP@p,1000;
without an event the device's default event is used) until Ctrl-C, then
stops the list, closes the connection and exits.
Default output: one line per reading, "DRF  VALUE [UNITS]  TIMESTAMP";
failed readings go to stderr as "acmonitor: DRF: STATUS".

Options:
  --table          live table, one row per device (device, value, units,
                   time, status), redrawn in place. Only when stdout is a
                   terminal; otherwise plain lines are printed instead (never
                   cursor or colour codes). Colour is off with NO_COLOR set or
                   TERM=dumb.
  --json           one JSON object per reading (see acget --help)
  --count N        exit after N readings in total (failed ones included)
  --duration S     exit after S seconds (decimals allowed)
${COMMON_HELP}

Example:
  acmonitor 'M:OUTTMP@p,1000' 'G:AMANDA@p,500' --table

Ctrl-C (SIGINT), --count and --duration end with exit code 0, or 1 if any
device failed meanwhile.
${EXIT_HELP}
`;

/** How readings are shown. */
type Mode = 'lines' | 'json' | 'table';

/** Settings of one run. */
interface Run {
  readonly drfs: readonly string[];
  readonly mode: Mode;
  readonly count: number | undefined;
  readonly durationMs: number | undefined;
}

/**
 * Runs `acmonitor`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['M:OUTTMP@p,1000', '--count', '5'], processIO());
 * ```
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parseCli(argv, {
      ...COMMON_OPTIONS,
      json: { type: 'boolean' },
      table: { type: 'boolean' },
      count: { type: 'string' },
      duration: { type: 'string' },
    });
    if (values.help === true) {
      io.stdout.write(USAGE);
      return EXIT.OK;
    }
    if (positionals.length === 0) throw new UsageError('no DRF given');
    for (const d of positionals) parseDrf(d); // DrfError → exit 2 before connecting
    if (values.json === true && values.table === true) throw new UsageError('--json and --table cannot be combined');
    const count = intOption('count', values.count, 1, Number.MAX_SAFE_INTEGER);
    const duration = numberOption('duration', values.duration);
    const ep = endpointFrom(values, io.env);
    const tty = terminalOf(io).tty;
    const mode: Mode = values.json === true ? 'json' : values.table === true && tty ? 'table' : 'lines';
    const run: Run = { drfs: positionals, mode, count, durationMs: duration === undefined ? undefined : duration * 1000 };
    return await withEndpoint(ep, (options) => monitor(dpm(options), run, io));
  } catch (e) {
    return reportError('acmonitor', e, io);
  }
}

/** Streams until an end condition; always closes the client. */
function monitor(client: DpmClient, run: Run, io: CliIO): Promise<number> {
  return new Promise<number>((resolve) => {
    const table = run.mode === 'table' ? new LiveTable(run.drfs, io.stdout, terminalOf(io)) : undefined;
    let seen = 0;
    let failed = false;
    let done = false;
    const sub = new Subscription(); // closed by finish; anything added later is torn down at once
    let redraw: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;

    const finish = (code?: number): void => {
      if (done) return;
      done = true;
      removeInterrupt();
      if (deadline) clearTimeout(deadline);
      if (redraw) clearTimeout(redraw);
      sub.unsubscribe(); // StopList, then the stream's connection closes
      client.close();
      table?.draw();
      resolve(code ?? (failed ? EXIT.DEVICE : EXIT.OK));
    };

    const show = (r: Reading): void => {
      const ok = r.valueType !== undefined && !r.status.isFailure;
      if (!ok) failed = true;
      if (table) {
        table.update(r);
        redraw ??= setTimeout(() => {
          redraw = undefined;
          if (!done) table.draw();
        }, 100);
        return;
      }
      if (!ok) io.stderr.write(`acmonitor: ${failureText(r)}\n`);
      if (run.mode === 'json') io.stdout.write(`${JSON.stringify(readingJson(r))}\n`);
      else if (ok) io.stdout.write(`${readingLine(r)}\n`);
    };

    const removeInterrupt = io.onInterrupt(() => finish());
    if (run.durationMs !== undefined) deadline = setTimeout(() => finish(), run.durationMs);
    table?.draw();
    sub.add(
      client.stream(run.drfs).subscribe({
        next: (r) => {
          if (done) return;
          show(r);
          if (run.count !== undefined && ++seen >= run.count) finish();
        },
        error: (e: unknown) => finish(reportError('acmonitor', e, io)),
        complete: () => finish(),
      }),
    );
  });
}
