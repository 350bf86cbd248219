// Text for values, ages and statuses in the dashboard's table.
import type { Reading } from '../../lib/browser/index.js';

/** A number with up to 6 significant digits, no trailing zeros. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toExponential(4);
  return String(Number(v.toPrecision(6)));
}

function range(a: ArrayLike<number>): string {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return a.length === 0 ? '[0 values]' : `[${a.length} values] ${formatNumber(min)} … ${formatNumber(max)}`;
}

/** A reading's value in one short line. */
export function formatValue(r: Reading): string {
  switch (r.valueType) {
    case undefined:
      return '—';
    case 'scalar':
      return formatNumber(r.value);
    case 'scalarArray':
      return range(r.value);
    case 'timedScalarArray':
      return `${range(r.value.data)} (logged)`;
    case 'raw':
      return Array.from(r.value.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ') + (r.value.length > 16 ? ` … (${r.value.length} bytes)` : '');
    case 'text':
      return r.value;
    case 'textArray':
      return r.value.join(' | ');
    case 'basicStatus':
      return Object.entries(r.value)
        .map(([k, v]) => `${k} ${v ? '✓' : '✗'}`)
        .join('  ');
    case 'analogAlarm':
      return `${formatNumber(r.value.minimum)} … ${formatNumber(r.value.maximum)}${r.value.alarmStatus ? ' IN ALARM' : ''}`;
    case 'digitalAlarm':
      return `nominal ${r.value.nominal} mask ${r.value.mask}${r.value.alarmStatus ? ' IN ALARM' : ''}`;
  }
}

/** "0.4 s ago", "12 s ago", "3 min ago". */
export function formatAge(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s ago`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  return `${Math.round(ms / 60_000)} min ago`;
}
