/**
 * Generated catalogues for scale tests.
 *
 * @example
 * ```ts
 * startSimulator({ catalogue: generateCatalogue(10_000) });
 * ```
 *
 * @module
 */
import type { Catalogue, DeviceSpec } from './codec.js';
import { defaultCatalogue } from './default-catalogue.js';

/**
 * A catalogue holding the default devices plus `n` generated scalar devices named
 * `Z:GEN00000`, `Z:GEN00001`, … (indexes from 1 000 000), each a slowly varying value
 * with units, scaling and a basic status; every tenth one is settable and every hundredth
 * is logged.
 *
 * @example
 * ```ts
 * generateCatalogue(3).devices.at(-1)?.name; // 'Z:GEN00002'
 * ```
 */
export function generateCatalogue(n: number, options: { includeDefaults?: boolean } = {}): Catalogue {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`generateCatalogue: n must be a non-negative integer, got ${n}`);
  const width = Math.max(5, String(Math.max(0, n - 1)).length);
  const devices: DeviceSpec[] = options.includeDefaults === false ? [] : defaultCatalogue().devices;
  for (let i = 0; i < n; i++) {
    const d: DeviceSpec = {
      name: `Z:GEN${String(i).padStart(width, '0')}`,
      index: 1_000_000 + i,
      description: `Generated device ${i}`,
      units: UNITS[i % UNITS.length]!,
      reading: { kind: 'scalar', value: i % 1000, sine: { amplitude: 1 + (i % 7), periodS: 30 + (i % 600) } },
      scaling: { scale: 0.01, offset: 0 },
      status: { on: i % 3 !== 0, ready: true },
      defaultEvent: 'p,1000',
    };
    if (i % 10 === 0) d.setting = { kind: 'scalar', value: i % 1000 };
    if (i % 100 === 0) d.logger = { periodMs: 1000 };
    devices.push(d);
  }
  return { devices };
}

const UNITS = ['V', 'A', 'DegF', 'mm', 'Hz', 'Gauss', 'psi'] as const;
