/**
 * `acmonitor DRF...`: stream readings until Ctrl-C, `--count` or `--duration`, as lines, JSON
 * lines, or a live table.
 *
 * @module
 */
import { map, Subscription, type Observable } from 'rxjs';
import { dpm, type DpmClient } from '../dpm/client.js';
import type { Reading } from '../dpm/reading.js';
import type { StreamEvent } from '../dpm/stream.js';
import { parseDrf } from '../drf/parse.js';
import { ACNET_RETRY } from '../status/constants.js';
import type { ConnectionState } from '../transport/connection-state.js';
import {
  COMMON_HELP,
  EXIT,
  EXIT_HELP,
  describeError,
  drfArguments,
  endpointFrom,
  intOption,
  numberOption,
  reportError,
  runTool,
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
  --reconnect      when the connection is lost, keep reconnecting (with
                   backoff) instead of exiting with code 3; a line on stderr
                   (a note under the --table) says when the connection is
                   lost and when it is back. The ACNET_RETRY readings each
                   device gets at the loss are not failures, nor counted by
                   --count.
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
  readonly reconnect: boolean;
}

/**
 * Runs `acmonitor`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['M:OUTTMP@p,1000', '--count', '5'], processIO());
 * ```
 */
export function main(argv: readonly string[], io: CliIO): Promise<number> {
  const options = {
    json: { type: 'boolean' },
    table: { type: 'boolean' },
    count: { type: 'string' },
    duration: { type: 'string' },
    reconnect: { type: 'boolean' },
  } as const;
  return runTool({ tool: 'acmonitor', usage: USAGE, options }, argv, io, ({ values, positionals }) => {
    const drfs = drfArguments(positionals, (ds) => ds.forEach((d) => parseDrf(d))); // DrfError → exit 2 before connecting
    if (values.json === true && values.table === true) throw new UsageError('--json and --table cannot be combined');
    const count = intOption('count', values.count, 1, Number.MAX_SAFE_INTEGER);
    const duration = numberOption('duration', values.duration);
    const ep = endpointFrom(values, io.env);
    const tty = terminalOf(io).tty;
    const mode: Mode = values.json === true ? 'json' : values.table === true && tty ? 'table' : 'lines';
    const durationMs = duration === undefined ? undefined : duration * 1000;
    const run: Run = { drfs, mode, count, durationMs, reconnect: values.reconnect === true };
    return withEndpoint(ep, (o) => monitor(dpm(o), run, io));
  });
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

    const show = (r: Reading, gap: boolean): void => {
      const ok = r.valueType !== undefined && !r.status.isFailure;
      if (!ok && !gap) failed = true;
      if (table) {
        table.update(r);
        redraw ??= setTimeout(() => {
          redraw = undefined;
          if (!done) table.draw();
        }, 100);
        return;
      }
      if (!ok && !gap) io.stderr.write(`acmonitor: ${failureText(r)}\n`);
      if (run.mode === 'json') io.stdout.write(`${JSON.stringify(readingJson(r))}\n`);
      else if (ok) io.stdout.write(`${readingLine(r)}\n`);
    };

    const removeInterrupt = io.onInterrupt(() => finish());
    if (run.durationMs !== undefined) deadline = setTimeout(() => finish(), run.durationMs);
    table?.draw();
    const connection = connectionReporter((text, colour) => {
      if (table) {
        table.note(text, colour);
        table.draw();
      } else {
        io.stderr.write(`acmonitor: ${text}\n`);
      }
    });
    const events$: Observable<StreamEvent> = run.reconnect
      ? client.streamEvents(run.drfs, { reconnect: true })
      : client.stream(run.drfs).pipe(map((reading): StreamEvent => ({ kind: 'reading', reading })));
    sub.add(
      events$.subscribe({
        next: (ev) => {
          if (done) return;
          if (ev.kind === 'state') connection(ev.state);
          if (ev.kind !== 'reading') return;
          // with --reconnect, ACNET_RETRY marks the gap at a lost connection: reported by the connection line
          const gap = run.reconnect && ev.reading.valueType === undefined && ev.reading.status.equals(ACNET_RETRY);
          show(ev.reading, gap);
          if (!gap && run.count !== undefined && ++seen >= run.count) finish();
        },
        error: (e: unknown) => finish(reportError('acmonitor', e, io)),
        complete: () => finish(),
      }),
    );
  });
}

/**
 * Turns the stream's connection states into lines for the user: one when the connection is lost
 * (and each failed retry), one when it is back.
 */
function connectionReporter(say: (text: string, colour: 'red' | 'dim') => void): (s: ConnectionState) => void {
  let lostAt: number | undefined;
  return (s) => {
    if (s.kind === 'reconnecting') {
      const retry = `reconnecting in ${s.delayMs} ms`;
      say(lostAt === undefined ? `connection lost: ${describeError(s.reason)}; ${retry}` : `still no connection: ${describeError(s.reason)}; ${retry}`, 'red');
      lostAt ??= Date.now();
    } else if (s.kind === 'open' && lostAt !== undefined) {
      say(`connection restored after ${((Date.now() - lostAt) / 1000).toFixed(1)} s`, 'dim');
      lostAt = undefined;
    }
  };
}
