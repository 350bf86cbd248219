/**
 * `acget DRF...`: read devices once (one round trip for all) and print one line per device.
 *
 * @module
 */
import { isOk, prepareReads, type Reading } from '../index.js';
import { COMMON_HELP, EXIT, EXIT_HELP, drfArguments, endpointFrom, intOption, readOnceAndPrint, runTool, withEndpoint, type CliIO } from './common.js';
import { failureText, readingJson, readingLines, type TextOptions } from './format.js';

/** Array elements shown in text mode without `--max-elements`. */
export const DEFAULT_MAX_ELEMENTS = 16;

/** The `--help` text of `acget`. */
export const USAGE = `Usage: acget [options] DRF...

Reads each DRF once (all in one round trip, @I added unless the DRF has an
event or a logger source) and prints one line per device, in order:
  DRF  VALUE [UNITS]  TIMESTAMP
Logged data (DRF<-LOGGER:start:end, <-LOGGERDURATION:ms) prints one such line
per point, with the point's own time. Failed devices are reported on stderr
as "acget: DRF: STATUS"; the others still print.

Options:
  --json           one JSON object per line and per DRF, failed ones included:
                   {drf, device, ok, valueType, value, units, timestamp, cycle,
                    status: {name, facility, error, text}}
                   (arrays as JSON arrays, raw bytes as a hex string); always
                   every value, at full precision (--precision and
                   --max-elements do not apply)
  --precision N    digits after the decimal point (0 to 20) for numbers and
                   array elements (default: as many as needed)
  --max-elements N show the first N elements of an array, then
                   "… (1024 values)" (default ${DEFAULT_MAX_ELEMENTS}; 0 = all); for
                   logged data, the first N points (default: all)
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
  const options = {
    json: { type: 'boolean' },
    precision: { type: 'string' },
    'max-elements': { type: 'string' },
  } as const;
  return runTool({ tool: 'acget', usage: USAGE, options }, argv, io, ({ values, positionals }) => {
    const decimals = intOption('precision', values.precision, 0, 20);
    const given = intOption('max-elements', values['max-elements'], 0, Number.MAX_SAFE_INTEGER);
    const max = given ?? DEFAULT_MAX_ELEMENTS;
    const drfs = drfArguments(positionals, prepareReads); // every DRF valid (DrfError → exit 2) before connecting
    const json = values.json === true;
    const text: TextOptions = { decimals, maxItems: max === 0 ? undefined : max };
    const maxPoints = given === undefined || given === 0 ? undefined : given;
    // On a timeout, what arrived prints; the error message (exit 3) names the devices that did not answer.
    return withEndpoint(endpointFrom(values, io.env), (o) => readOnceAndPrint(o, drfs, (readings, missing) => printAll(readings, json, text, maxPoints, io, missing)));
  });
}

/** Prints readings (successes on stdout, failures on stderr unless in `quiet`); returns 0 or 1. */
function printAll(
  readings: readonly Reading[],
  json: boolean,
  text: TextOptions,
  maxPoints: number | undefined,
  io: CliIO,
  quiet: ReadonlySet<string> = new Set(),
): number {
  let failed = 0;
  for (const r of readings) {
    const ok = isOk(r);
    if (!ok) {
      failed++;
      if (!quiet.has(r.drf)) io.stderr.write(`acget: ${failureText(r)}\n`);
    }
    if (json) io.stdout.write(`${JSON.stringify(readingJson(r))}\n`);
    else if (ok) {
      if (r.valueType === 'timedScalarArray' && r.value.data.length === 0) io.stderr.write(`acget: ${r.drf}: no logged points in that window\n`);
      for (const line of readingLines(r, text, maxPoints)) io.stdout.write(`${line}\n`);
    }
  }
  return failed > 0 ? EXIT.DEVICE : EXIT.OK;
}
