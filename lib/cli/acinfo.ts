/**
 * `acinfo DRF...`: device metadata (name, index, description, units, format hint) from DPM's
 * `DeviceInfo_reply`, fetched with one read of all the DRFs.
 *
 * @module
 */
import { prepareReads, type DeviceMeta, type Reading } from '../index.js';
import { COMMON_HELP, EXIT, EXIT_HELP, drfArguments, endpointFrom, readOnceAndPrint, runTool, UsageError, withEndpoint, type CliIO } from './common.js';
import { statusJson } from './format.js';

/** The `--help` text of `acinfo`. */
export const USAGE = `Usage: acinfo [options] DRF...

Prints the metadata DPM sends for each DRF (from one read of all of them):
  DRF
    name:        canonical device name
    index:       device index
    description: ...
    units:       engineering units of the requested property (- if none)
    format hint: display format code (- if none)
A DRF whose read failed before DPM described it is reported on stderr (and,
with --json, still gets its object, with ok: false and null fields).
DPM has no request that lists devices; the simulator's: acsys-sim --list.

Options:
  --json           one JSON object per DRF, failed ones included:
                   {drf, ok, name, index, description, units, formatHint, status}
${COMMON_HELP}

Example:
  acinfo M:OUTTMP Z:ARRAY1K --sim

${EXIT_HELP}
`;

/**
 * Runs `acinfo`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['M:OUTTMP'], processIO());
 * ```
 */
export function main(argv: readonly string[], io: CliIO): Promise<number> {
  return runTool({ tool: 'acinfo', usage: USAGE, options: { json: { type: 'boolean' } } }, argv, io, ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError("no DRF given (DPM cannot list devices; the simulator's: acsys-sim --list)");
    const drfs = drfArguments(positionals, prepareReads);
    const json = values.json === true;
    return withEndpoint(endpointFrom(values, io.env), (options) =>
      readOnceAndPrint(options, drfs, (readings, missing) => printAll(readings.filter((r) => !missing.has(r.drf)), json, io)),
    );
  });
}

function printAll(readings: readonly Reading[], json: boolean, io: CliIO): number {
  let failed = 0;
  for (const r of readings) {
    const m = r.meta;
    if (m === undefined) {
      failed++;
      io.stderr.write(`acinfo: ${r.drf}: no device information (${r.status.toString()})\n`);
      if (json) io.stdout.write(`${JSON.stringify(infoJson(r.drf, undefined, r))}\n`);
      continue;
    }
    io.stdout.write(json ? `${JSON.stringify(infoJson(r.drf, m, r))}\n` : infoText(r.drf, m));
  }
  return failed > 0 ? EXIT.DEVICE : EXIT.OK;
}

function infoJson(drf: string, m: DeviceMeta | undefined, r: Reading): object {
  return {
    drf,
    ok: m !== undefined,
    name: m?.name ?? null,
    index: m?.di ?? null,
    description: m?.description ?? null,
    units: m?.units ?? null,
    formatHint: m?.formatHint ?? null,
    status: statusJson(r.status),
  };
}

function infoText(drf: string, m: DeviceMeta): string {
  return [
    drf,
    `  name:        ${m.name}`,
    `  index:       ${m.di}`,
    `  description: ${m.description}`,
    `  units:       ${m.units ?? '-'}`,
    `  format hint: ${m.formatHint ?? '-'}`,
    '',
  ].join('\n');
}
