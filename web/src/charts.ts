// The two uPlot charts: a time series of scalar devices (one y scale per unit) and the
// latest waveform of each array device.
import uPlot from 'uplot';
import { formatNumber } from './format.js';

/** What a chart needs to know of a device. */
export interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly units: string | undefined;
}

/** Chart draw statistics (read by the tests and the benchmark). */
export interface DrawStats {
  draws: number;
  drawMsTotal: number;
  drawMsMax: number;
}

function unitKey(units: string | undefined): string {
  return units === undefined || units === '' ? 'y' : `u:${units}`;
}

const AXIS = { stroke: '#4b5563', grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#d1d5db', width: 1 } };

/** A uPlot whose draws are counted and timed from `setData` to the end of the draw. */
function counted(opts: uPlot.Options, data: uPlot.AlignedData, el: HTMLElement, stats: DrawStats): { plot: uPlot; setData(d: uPlot.AlignedData): void } {
  let t0 = 0;
  const hooks: uPlot.Hooks.Arrays = {
    draw: [
      () => {
        if (t0 === 0) return;
        const ms = performance.now() - t0;
        t0 = 0;
        stats.draws++;
        stats.drawMsTotal += ms;
        if (ms > stats.drawMsMax) stats.drawMsMax = ms;
      },
    ],
  };
  const plot = new uPlot({ ...opts, hooks }, data, el);
  return {
    plot,
    setData(d) {
      t0 = performance.now();
      plot.setData(d);
    },
  };
}

/** The time-series chart: x in seconds since 1970 over a sliding window. */
export function timeChart(el: HTMLElement, specs: readonly SeriesSpec[], width: number, range: () => [number, number], stats: DrawStats): { plot: uPlot; setData(d: uPlot.AlignedData): void } {
  const keys = [...new Set(specs.map((s) => unitKey(s.units)))];
  const scales: uPlot.Scales = { x: { time: true, range: () => range() } };
  for (const k of keys) scales[k] = { auto: true };
  const axes: uPlot.Axis[] = [{ ...AXIS }];
  keys.forEach((k, i) => {
    const units = k === 'y' ? '' : k.slice(2);
    axes.push({
      ...AXIS,
      scale: k,
      side: i % 2 === 0 ? 3 : 1,
      show: i < 4,
      label: units,
      labelSize: units === '' ? 0 : 18,
      size: 60,
      grid: { ...AXIS.grid, show: i === 0 },
      values: (_u, splits) => splits.map((v) => (v == null ? '' : formatNumber(v))),
    });
  });
  const series: uPlot.Series[] = [
    { label: 'time' },
    ...specs.map(
      (s): uPlot.Series => ({
        label: s.label,
        stroke: s.color,
        width: 1.5,
        scale: unitKey(s.units),
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => (v == null ? '—' : `${formatNumber(v)}${s.units ? ` ${s.units}` : ''}`),
      }),
    ),
  ];
  const empty: uPlot.AlignedData = [new Float64Array(0), ...specs.map(() => [] as number[])];
  return counted({ width, height: 340, scales, axes, series, legend: { live: true }, cursor: { drag: { x: false, y: false } } }, empty, el, stats);
}

/** The waveform chart: x is the element index. */
export function waveChart(el: HTMLElement, specs: readonly SeriesSpec[], width: number, stats: DrawStats): { plot: uPlot; setData(d: uPlot.AlignedData): void } {
  const keys = [...new Set(specs.map((s) => unitKey(s.units)))];
  const scales: uPlot.Scales = { x: { time: false } };
  for (const k of keys) scales[k] = { auto: true };
  const axes: uPlot.Axis[] = [{ ...AXIS, label: 'index', labelSize: 18 }];
  keys.forEach((k, i) => {
    const units = k === 'y' ? '' : k.slice(2);
    axes.push({ ...AXIS, scale: k, side: i % 2 === 0 ? 3 : 1, show: i < 4, label: units, labelSize: units === '' ? 0 : 18, size: 60, grid: { ...AXIS.grid, show: i === 0 } });
  });
  const series: uPlot.Series[] = [
    { label: 'index' },
    ...specs.map((s): uPlot.Series => ({ label: s.label, stroke: s.color, width: 1.5, scale: unitKey(s.units), points: { show: false } })),
  ];
  const empty: uPlot.AlignedData = [new Float64Array(0), ...specs.map(() => [] as number[])];
  return counted({ width, height: 260, scales, axes, series, legend: { live: true }, cursor: { drag: { x: false, y: false } } }, empty, el, stats);
}
