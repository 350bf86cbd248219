/**
 * `acinfo DRF...`: device metadata (name, index, description, units, format hint) from DPM's
 * `DeviceInfo_reply`, fetched with one read of all the DRFs.
 *
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { prepareReads } from '../dpm/batch-read.js';
import { dpm } from '../dpm/client.js';
import type { DeviceMeta, Reading } from '../dpm/reading.js';
import { TimeoutError } from '../dpm/timeout-error.js';
import { ListError } from '../errors/list-error.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  EXIT_HELP,
  endpointFrom,
  parseCli,
  reportError,
  UsageError,
  withEndpoint,
  type CliIO,
} from './common.js';
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
A DRF whose read failed before DPM described it is reported on stderr.

Options:
  --json           one JSON object per DRF:
                   {drf, name, index, description, units, formatHint, status}
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
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parseCli(argv, { ...COMMON_OPTIONS, json: { type: 'boolean' } });
    if (values.help === true) {
      io.stdout.write(USAGE);
      return EXIT.OK;
    }
    if (positionals.length === 0) throw new UsageError('no DRF given');
    prepareReads(positionals);
    const ep = endpointFrom(values, io.env);
    const json = values.json === true;
    return await withEndpoint(ep, async (options) => {
      const client = dpm(options);
      try {
        return printAll(await firstValueFrom(client.getMany(positionals)), json, io);
      } catch (e) {
        if (e instanceof TimeoutError) printAll(e.readings.filter((r) => !e.missing.includes(r.drf)), json, io);
        else if (e instanceof ListError) printAll(e.readings, json, io);
        throw e;
      } finally {
        client.close();
      }
    });
  } catch (e) {
    return reportError('acinfo', e, io);
  }
}

function printAll(readings: readonly Reading[], json: boolean, io: CliIO): number {
  let failed = 0;
  for (const r of readings) {
    const m = r.meta;
    if (m === undefined) {
      failed++;
      io.stderr.write(`acinfo: ${r.drf}: no device information (${r.status.toString()})\n`);
      continue;
    }
    io.stdout.write(json ? `${JSON.stringify(infoJson(r.drf, m, r))}\n` : infoText(r.drf, m));
  }
  return failed > 0 ? EXIT.DEVICE : EXIT.OK;
}

function infoJson(drf: string, m: DeviceMeta, r: Reading): object {
  return {
    drf,
    name: m.name,
    index: m.di,
    description: m.description,
    units: m.units ?? null,
    formatHint: m.formatHint ?? null,
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
