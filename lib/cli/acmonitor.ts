/**
 * `acmonitor DRF...`: stream readings until Ctrl-C, `--count` or `--duration`, as lines, JSON
 * lines, or a live table.
 *
 * @module
 */
import { Subscription, type Observable } from 'rxjs';
import { ACNET_RETRY, dpm, isOk, parseDrf, type ConnectionState, type DpmClient, type Reading, type StreamEvent } from '../index.js';
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
import { failureText, readingJson, readingLines } from './format.js';
import { LiveTable } from './live-table.js';
import { terminalOf } from './terminal.js';

/** The `--help` text of `acmonitor`. */
export const USAGE = `Usage: acmonitor [options] DRF...

Streams readings of the DRFs (each on its own event, e.g. M:OUTTMP@p,1000;
without an event the device's default event is used) until Ctrl-C, then
stops the list, closes the connection and exits.
Default output: one line per reading, "DRF  VALUE [UNITS]  TIMESTAMP";
failed readings go to stderr as "acmonitor: DRF: STATUS".

Staleness: a periodic device (@p/@q) silent for 2 x its period + 1 s, or
every device when the connection itself goes quiet (DPM's heartbeat
overdue), is stale: a line "acmonitor: DRF stale (no data for N ms)" on
stderr, and "acmonitor: DRF fresh again" when data comes back; in the
--table its row keeps the last value with status STALE (yellow).
When every device's latest reading is a failure, DPM will send nothing
more: acmonitor says "every device failed; nothing more will come" and
exits with code 1.

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
device failed meanwhile; but with code 3 if there was no connection to DPM
when the run ended (e.g. --reconnect still waiting for the server).
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
    /** The stream's latest connection state (`undefined` before the first). */
    let connection: ConnectionState | undefined;
    /** Per DRF: whether its latest reading was a failure (not an ACNET_RETRY gap). */
    const latestFailed = new Map<string, boolean>();
    /** DRFs currently reported stale, and by what: their own silence or the connection's. */
    const stale = new Map<string, 'device' | 'connection'>();
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
      if (code === undefined && connection !== undefined && isDown(connection)) {
        io.stderr.write('acmonitor: the run ended without a connection to DPM\n');
        code = EXIT.CONNECTION;
      }
      resolve(code ?? (failed ? EXIT.DEVICE : EXIT.OK));
    };

    const scheduleDraw = (): void => {
      redraw ??= setTimeout(() => {
        redraw = undefined;
        if (!done) table?.draw();
      }, 100);
    };

    const markStale = (drf: string, silentMs: number, by: 'device' | 'connection'): void => {
      if (stale.has(drf) || latestFailed.get(drf) === true) return; // a failed device is not stale: it is failed
      stale.set(drf, by);
      if (table) {
        table.setStale(drf, true);
        scheduleDraw();
      } else {
        io.stderr.write(`acmonitor: ${drf} stale (no data for ${Math.round(silentMs)} ms)\n`);
      }
    };

    const markFresh = (drf: string): void => {
      if (!stale.delete(drf)) return;
      if (table) {
        table.setStale(drf, false);
        scheduleDraw();
      } else {
        io.stderr.write(`acmonitor: ${drf} fresh again\n`);
      }
    };

    const show = (r: Reading, gap: boolean): void => {
      const ok = isOk(r);
      if (!ok && !gap) failed = true;
      if (!gap) {
        latestFailed.set(r.drf, !ok);
        if (ok) markFresh(r.drf);
        else stale.delete(r.drf);
      }
      if (table) {
        if (!ok && !gap) table.setStale(r.drf, false);
        table.update(r);
        scheduleDraw();
        return;
      }
      if (!ok && !gap) io.stderr.write(`acmonitor: ${failureText(r)}\n`);
      if (run.mode === 'json') io.stdout.write(`${JSON.stringify(readingJson(r))}\n`);
      else if (ok) for (const line of readingLines(r)) io.stdout.write(`${line}\n`);
    };

    /** DPM sends nothing more for a failed request until the list changes: waiting would be forever. */
    const everyDeviceFailed = (): boolean => run.drfs.every((d) => latestFailed.get(d) === true);

    const removeInterrupt = io.onInterrupt(() => finish());
    if (run.durationMs !== undefined) deadline = setTimeout(() => finish(), run.durationMs);
    table?.draw();
    const report = connectionReporter((text, colour) => {
      if (table) {
        table.note(text, colour);
        table.draw();
      } else {
        io.stderr.write(`acmonitor: ${text}\n`);
      }
    });
    const onState = (s: ConnectionState): void => {
      connection = s;
      report(s);
      if (s.kind === 'stale') {
        // the connection itself went quiet (DPM's heartbeat is overdue): every device is stale
        for (const d of run.drfs) markStale(d, s.silentMs, 'connection');
      } else if (s.kind === 'open') {
        for (const [d, by] of [...stale]) if (by === 'connection') markFresh(d);
      }
    };
    const events$: Observable<StreamEvent> = client.streamEvents(run.drfs, { reconnect: run.reconnect, stale: true });
    sub.add(
      events$.subscribe({
        next: (ev) => {
          if (done) return;
          if (ev.kind === 'state') onState(ev.state);
          else if (ev.kind === 'stale') markStale(ev.drf, ev.silentMs, 'device');
          if (ev.kind !== 'reading') return;
          // with --reconnect, ACNET_RETRY marks the gap at a lost connection: reported by the connection line
          const gap = run.reconnect && ev.reading.valueType === undefined && ev.reading.status.equals(ACNET_RETRY);
          show(ev.reading, gap);
          if (!gap && run.count !== undefined && ++seen >= run.count) finish();
          else if (!gap && everyDeviceFailed()) {
            io.stderr.write('acmonitor: every device failed; nothing more will come\n');
            finish(EXIT.DEVICE);
          }
        },
        error: (e: unknown) => finish(reportError('acmonitor', e, io)),
        complete: () => finish(),
      }),
    );
  });
}

/**
 * Whether a connection state means "no connection": connecting, waiting to reconnect, or closed by
 * an error (a normal close, e.g. after the last one-shot reading, is not; nor is `stale`, which is
 * an open connection gone quiet).
 */
function isDown(s: ConnectionState): boolean {
  return s.kind === 'connecting' || s.kind === 'reconnecting' || (s.kind === 'closed' && s.reason !== undefined);
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
