/**
 * `acget DRF...`: read devices once (one round trip for all) and print one line per device.
 *
 * @module
 */
import { prepareReads } from '../dpm/batch-read.js';
import { isOk, type Reading } from '../dpm/reading.js';
import { COMMON_HELP, EXIT, EXIT_HELP, drfArguments, endpointFrom, readOnceAndPrint, runTool, withEndpoint, type CliIO } from './common.js';
import { failureText, readingJson, readingLine } from './format.js';

/** The `--help` text of `acget`. */
export const USAGE = `Usage: acget [options] DRF...

Reads each DRF once (all in one round trip, @I added unless the DRF has an
event or a logger source) and prints one line per device, in order:
  DRF  VALUE [UNITS]  TIMESTAMP
Failed devices are reported on stderr as "acget: DRF: STATUS"; the others
still print.

Options:
  --json           one JSON object per line and per DRF, failed ones included:
                   {drf, device, ok, valueType, value, units, timestamp, cycle,
                    status: {name, facility, error, text}}
                   (arrays as JSON arrays, raw bytes as a hex string)
${COMMON_HELP}

Example:
  acget M:OUTTMP Z:ARRAY1K Z:TEXTDEV --sim

${EXIT_HELP}
`;

/**
 * Runs `acget`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['M:OUTTMP', '--json'], processIO());
 * ```
 */
export function main(argv: readonly string[], io: CliIO): Promise<number> {
  return runTool({ tool: 'acget', usage: USAGE, options: { json: { type: 'boolean' } } }, argv, io, ({ values, positionals }) => {
    const drfs = drfArguments(positionals, prepareReads); // every DRF valid (DrfError → exit 2) before connecting
    const json = values.json === true;
    // On a timeout, what arrived prints; the error message (exit 3) names the devices that did not answer.
    return withEndpoint(endpointFrom(values, io.env), (options) => readOnceAndPrint(options, drfs, (readings, missing) => printAll(readings, json, io, missing)));
  });
}

/** Prints readings (successes on stdout, failures on stderr unless in `quiet`); returns 0 or 1. */
function printAll(readings: readonly Reading[], json: boolean, io: CliIO, quiet: ReadonlySet<string> = new Set()): number {
  let failed = 0;
  for (const r of readings) {
    const ok = isOk(r);
    if (!ok) {
      failed++;
      if (!quiet.has(r.drf)) io.stderr.write(`acget: ${failureText(r)}\n`);
    }
    if (json) io.stdout.write(`${JSON.stringify(readingJson(r))}\n`);
    else if (ok) io.stdout.write(`${readingLine(r)}\n`);
  }
  return failed > 0 ? EXIT.DEVICE : EXIT.OK;
}
