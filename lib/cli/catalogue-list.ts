/**
 * `acsys-sim --list`: the simulator's devices as a table (or JSON lines), from a catalogue.
 *
 * @module
 */
import { AcnetStatus } from '../status/index.js';
import type { Catalogue, DeviceSpec, ValueSpec } from '../sim/index.js';

/**
 * The value type of a READING/SETTING spec as the tools print it: `scalar`, `array[1024]`,
 * `text`, `text[4]`, `raw[8]`.
 *
 * @example
 * ```ts
 * valueKind({ kind: 'array', length: 1024, generator: 'zero' }); // 'array[1024]'
 * ```
 */
export function valueKind(v: ValueSpec): string {
  switch (v.kind) {
    case 'scalar':
      return 'scalar';
    case 'array':
      return `array[${v.values?.length ?? v.length ?? 0}]`;
    case 'text':
      return 'text';
    case 'textArray':
      return `text[${v.values.length}]`;
    case 'raw':
      return `raw[${v.hex.length / 2}]`;
  }
}

/**
 * The DRF properties a catalogue device answers (the others answer `DBM_NOPROP`).
 *
 * @example
 * ```ts
 * deviceProperties(defaultCatalogue().devices[0]!); // ['READING', 'ANALOG', 'LOGGER']
 * ```
 */
export function deviceProperties(d: DeviceSpec): string[] {
  const p: string[] = [];
  if (d.reading !== undefined) p.push('READING');
  if (d.setting !== undefined) p.push('SETTING');
  if (d.status !== undefined) p.push('STATUS');
  if (d.status !== undefined || d.setting !== undefined) p.push('CONTROL');
  if (d.analogAlarm !== undefined) p.push('ANALOG');
  if (d.digitalAlarm !== undefined) p.push('DIGITAL');
  if (d.logger !== undefined) p.push('LOGGER');
  return p;
}

/**
 * One JSON object per device: `{name, index, type, properties, units, description, loggedEveryMs, fault}`
 * (`fault`: the status name of a device in a fault state, else null).
 *
 * @example
 * ```ts
 * catalogueJson(defaultCatalogue())[0]; // { name: 'M:OUTTMP', index: 27235, type: 'scalar', … }
 * ```
 */
export function catalogueJson(cat: Catalogue): Array<Record<string, string | number | null | readonly string[]>> {
  return cat.devices.map((d) => ({
    name: d.name,
    index: d.index,
    type: d.reading !== undefined ? valueKind(d.reading) : null,
    properties: deviceProperties(d),
    units: d.units ?? null,
    description: d.description,
    loggedEveryMs: d.logger?.periodMs ?? null,
      fault: d.errorStatus !== undefined ? faultName(d.errorStatus) : null,
  }));
}

/** A fault status word by name (`DBM_NOPROP`), or as `facility error` when the table lacks it. */
function faultName(word: number): string {
  const s = AcnetStatus.fromWord(word);
  return s.name ?? `${s.facility} ${s.errorNumber}`;
}

/**
 * The catalogue as an aligned text table with a header:
 * `DEVICE  INDEX  TYPE  UNITS  PROPERTIES  DESCRIPTION`.
 *
 * @example
 * ```ts
 * process.stdout.write(catalogueTable(defaultCatalogue()));
 * ```
 */
export function catalogueTable(cat: Catalogue): string {
  const rows = [
    ['DEVICE', 'INDEX', 'TYPE', 'UNITS', 'PROPERTIES', 'DESCRIPTION'],
    ...cat.devices.map((d) => [
      d.name,
      String(d.index),
      d.reading !== undefined ? valueKind(d.reading) : '-',
      d.units ?? '-',
      deviceProperties(d).join(',') || '-',
      d.errorStatus !== undefined ? `${d.description} (fault state: ${faultName(d.errorStatus)})` : d.description,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}
