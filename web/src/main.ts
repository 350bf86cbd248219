// The dashboard: a DRF input, a live time-series chart, a waveform chart for array devices and
// a value table, fed by the acsys-rx browser client (one stream, hence one DPM list, per device).
import 'uplot/dist/uPlot.min.css';
import '../style.css';
import type { Subscription } from 'rxjs';
import type uPlot from 'uplot';
import { AcnetStatus, DrfError, GatewayError, gateway, parseDrf, type GatewayState, type Reading } from '../../lib/browser/index.js';
import { isHistorical } from '../../lib/drf/helpers.js';
import { timeChart, waveChart, type DrawStats, type SeriesSpec } from './charts.js';
import { formatAge, formatValue } from './format.js';
import { Series, align } from './series.js';

const RETRY = AcnetStatus.fromWord(-255);
const DEFAULT_DRFS = ['M:OUTTMP', 'G:AMANDA', 'Z:ARRAY1K'];
const MAX_POINTS = 20_000;
const DRAW_EVERY_MS = 33;
const TABLE_EVERY_MS = 250;
const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f',
  '#393b79', '#ad494a', '#637939', '#e6550d', '#7b4173', '#843c39', '#3182bd', '#31a354', '#756bb1', '#636363',
];

interface Device {
  readonly drf: string;
  readonly color: string;
  readonly series: Series;
  readonly row: HTMLTableRowElement;
  readonly cells: { value: HTMLTableCellElement; units: HTMLTableCellElement; age: HTMLTableCellElement; status: HTMLTableCellElement };
  sub: Subscription | undefined;
  latest: Reading | undefined;
  receivedAt: number;
  kind: 'scalar' | 'array' | 'other' | undefined;
  wave: Float64Array | undefined;
  units: string | undefined;
  stale: boolean;
  staleSince: number;
  state: GatewayState | undefined;
  failure: string | undefined;
  done: boolean;
  points: number;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = $<HTMLInputElement>('drf-input');
const rateSelect = $<HTMLSelectElement>('rate');
const windowSelect = $<HTMLSelectElement>('window');
const errorBox = $<HTMLSpanElement>('drf-error');
const linkPill = $<HTMLSpanElement>('link-state');
const droppedNote = $<HTMLSpanElement>('dropped');
const tbody = ($<HTMLTableElement>('values').tBodies[0] ?? $<HTMLTableElement>('values').createTBody()) as HTMLTableSectionElement;
const timeEl = $<HTMLDivElement>('timeseries');
const timeEmpty = $<HTMLParagraphElement>('timeseries-empty');
const waveBox = $<HTMLElement>('waveform-box');
const waveEl = $<HTMLDivElement>('waveform');
const pauseButton = $<HTMLButtonElement>('pause');

const gw = gateway();
const devices = new Map<string, Device>();
/** Draws of the time-series chart, and readings received (the waveform chart counts apart). */
const stats: DrawStats & { readings: number } = { draws: 0, drawMsTotal: 0, drawMsMax: 0, readings: 0 };
const waveStats: DrawStats = { draws: 0, drawMsTotal: 0, drawMsMax: 0 };
let linkState: GatewayState | undefined;
let structureDirty = true;
let paused = false;
let colorIndex = 0;
let time: { plot: uPlot; setData(d: uPlot.AlignedData): void } | undefined;
let wave: { plot: uPlot; setData(d: uPlot.AlignedData): void } | undefined;
let timeDevices: Device[] = [];
let waveDevices: Device[] = [];
let lastDraw = 0;
let lastTable = 0;
let waveDirty = false;
let latestTs = 0;

function windowSeconds(): number {
  return Number(windowSelect.value) || 60;
}

function showError(text: string): void {
  errorBox.textContent = text;
}

function describe(e: unknown): string {
  if (e instanceof DrfError) return `bad DRF: ${e.message}`;
  if (e instanceof GatewayError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The DRF to stream for what the user typed: the page's rate when it names no event. */
function drfFor(text: string): string {
  const req = parseDrf(text);
  if (req.event.kind !== 'default' || isHistorical(req)) return text;
  const at = text.indexOf('<-');
  const event = `@p,${rateSelect.value}`;
  const drf = at < 0 ? text + event : text.slice(0, at) + event + text.slice(at);
  parseDrf(drf);
  return drf;
}

function syncUrl(): void {
  const q = new URLSearchParams();
  for (const d of devices.values()) q.append('drf', d.drf);
  if (devices.size === 0) q.set('drf', '');
  q.set('window', String(windowSeconds()));
  history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
}

function td(text: string, className?: string): HTMLTableCellElement {
  const c = document.createElement('td');
  c.textContent = text;
  if (className !== undefined) c.className = className;
  return c;
}

function onReading(d: Device, r: Reading): void {
  stats.readings++;
  const tMs = r.timestamp?.getTime() ?? Date.now();
  if (r.valueType === undefined) {
    if (r.status === RETRY) {
      d.series.push(tMs / 1000, null); // the line breaks where the data stopped
      return;
    }
    d.failure = r.status.name ?? r.status.toString();
    showError(`${d.drf}: ${r.status.toString()}`);
    return;
  }
  if (d.failure !== undefined && d.latest === undefined) errorBox.textContent = '';
  d.failure = undefined;
  d.stale = false;
  d.latest = r;
  d.receivedAt = Date.now();
  d.points++;
  const units = r.meta?.units;
  let kind: Device['kind'];
  switch (r.valueType) {
    case 'scalar':
      kind = 'scalar';
      d.series.push(tMs / 1000, r.value);
      if (tMs > latestTs) latestTs = tMs;
      break;
    case 'timedScalarArray': {
      kind = 'scalar';
      const { data, micros } = r.value;
      for (let i = 0; i < data.length; i++) d.series.push(micros[i]! / 1e6, data[i]!);
      break;
    }
    case 'scalarArray':
      kind = 'array';
      d.wave = r.value;
      waveDirty = true;
      break;
    default:
      kind = 'other';
  }
  if (kind !== d.kind || units !== d.units) {
    d.kind = kind;
    d.units = units;
    structureDirty = true;
  }
}

function addDevice(text: string): boolean {
  const typed = text.trim();
  if (typed === '') {
    showError('enter a DRF, e.g. M:OUTTMP or G:AMANDA@p,100');
    return false;
  }
  let drf: string;
  try {
    drf = drfFor(typed);
  } catch (e) {
    showError(describe(e));
    return false;
  }
  if (devices.has(drf)) {
    showError(`${drf} is already shown`);
    return false;
  }
  const color = PALETTE[colorIndex++ % PALETTE.length]!;
  const row = document.createElement('tr');
  row.dataset['drf'] = drf;
  const swatch = td('', 'swatch');
  swatch.style.setProperty('--c', color);
  const cells = { value: td('', 'value'), units: td(''), age: td('', 'age'), status: td('waiting…', 'status') };
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'remove';
  remove.textContent = '✕';
  remove.title = `remove ${drf}`;
  remove.setAttribute('aria-label', `remove ${drf}`);
  remove.addEventListener('click', () => removeDevice(drf));
  const removeCell = td('');
  removeCell.append(remove);
  row.append(swatch, td(drf, 'drf'), cells.value, cells.units, cells.age, cells.status, removeCell);
  tbody.append(row);
  const d: Device = {
    drf,
    color,
    series: new Series(),
    row,
    cells,
    sub: undefined,
    latest: undefined,
    receivedAt: 0,
    kind: undefined,
    wave: undefined,
    units: undefined,
    stale: false,
    staleSince: 0,
    state: undefined,
    failure: undefined,
    done: false,
    points: 0,
  };
  devices.set(drf, d);
  d.sub = gw.streamEvents(drf, { stale: true }).subscribe({
    next: (e) => {
      if (e.kind === 'reading') onReading(d, e.reading);
      else if (e.kind === 'state') d.state = e.state;
      else {
        d.stale = true;
        d.staleSince = Date.now() - e.silentMs;
      }
    },
    error: (e: unknown) => {
      d.failure = describe(e);
      d.sub = undefined;
      showError(`${drf}: ${d.failure}`);
    },
    complete: () => {
      d.done = true;
      d.sub = undefined;
    },
  });
  showError('');
  structureDirty = true;
  syncUrl();
  return true;
}

function removeDevice(drf: string): void {
  const d = devices.get(drf);
  if (d === undefined) return;
  d.sub?.unsubscribe(); // ends the stream at the gateway, hence the DPM list
  d.sub = undefined;
  d.row.remove();
  devices.delete(drf);
  structureDirty = true;
  syncUrl();
}

function specs(list: readonly Device[]): SeriesSpec[] {
  return list.map((d) => ({ label: d.drf, color: d.color, units: d.units }));
}

function rebuildCharts(): void {
  structureDirty = false;
  const width = Math.max(320, timeEl.clientWidth || document.body.clientWidth - 32);
  timeDevices = [...devices.values()].filter((d) => d.kind === 'scalar');
  waveDevices = [...devices.values()].filter((d) => d.kind === 'array');
  time?.plot.destroy();
  time = undefined;
  timeEmpty.hidden = timeDevices.length > 0;
  if (timeDevices.length > 0) {
    time = timeChart(timeEl, specs(timeDevices), width, () => {
      const right = Math.max(Date.now(), latestTs) / 1000;
      return [right - windowSeconds(), right];
    }, stats);
  }
  wave?.plot.destroy();
  wave = undefined;
  waveBox.hidden = waveDevices.length === 0;
  if (waveDevices.length > 0) {
    wave = waveChart(waveEl, specs(waveDevices), width, waveStats);
    waveDirty = true;
  }
}

function drawTime(): void {
  if (time === undefined) return;
  const right = Math.max(Date.now(), latestTs) / 1000;
  const from = right - windowSeconds() - 1;
  for (const d of timeDevices) d.series.trim(from, MAX_POINTS);
  time.setData(align(timeDevices.map((d) => d.series), from) as uPlot.AlignedData);
}

function drawWave(): void {
  if (wave === undefined) return;
  waveDirty = false;
  const n = Math.max(0, ...waveDevices.map((d) => d.wave?.length ?? 0));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = i;
  const ys = waveDevices.map((d) => (d.wave === undefined ? [] : Array.from(d.wave)));
  wave.setData([xs, ...ys] as uPlot.AlignedData);
}

function statusOf(d: Device, now: number): [string, string] {
  if (d.failure !== undefined) return [d.failure, 'error'];
  if (linkState !== undefined && linkState.kind !== 'open') return ['reconnecting (gateway)', 'reconnecting'];
  if (d.state?.kind === 'reconnecting') return ['reconnecting (DPM)', 'reconnecting'];
  if (d.stale) return [`STALE (no data for ${((now - d.staleSince) / 1000).toFixed(1)} s)`, 'stale'];
  if (d.done) return ['done', 'ok'];
  if (d.latest === undefined) return ['waiting…', 'waiting'];
  return ['OK', 'ok'];
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function updateTable(now: number): void {
  for (const d of devices.values()) {
    setText(d.cells.value, d.latest === undefined ? '—' : formatValue(d.latest));
    setText(d.cells.units, d.units ?? '');
    setText(d.cells.age, d.latest === undefined ? '' : formatAge(now - d.receivedAt));
    const [text, cls] = statusOf(d, now);
    setText(d.cells.status, text);
    if (d.row.dataset['status'] !== cls) d.row.dataset['status'] = cls;
  }
  const dropped = gw.dropped;
  droppedNote.hidden = dropped === 0;
  if (dropped > 0) setText(droppedNote, `${dropped} readings dropped by the gateway (this page reads too slowly)`);
}

function showLink(s: GatewayState): void {
  linkState = s;
  let text: string;
  switch (s.kind) {
    case 'connecting':
      text = s.attempt > 1 ? `connecting… (attempt ${s.attempt})` : 'connecting…';
      break;
    case 'open':
      text = 'connected';
      break;
    case 'stale':
      text = 'connected, silent';
      break;
    case 'reconnecting':
      text = `reconnecting in ${(s.delayMs / 1000).toFixed(1)} s — ${s.reason.message}`;
      break;
    case 'closed':
      text = s.reason === undefined ? 'idle (no devices)' : `closed — ${s.reason.message}`;
      break;
  }
  linkPill.textContent = text;
  linkPill.dataset['kind'] = s.kind === 'closed' && s.reason === undefined ? 'idle' : s.kind;
}

function frame(now: number): void {
  requestAnimationFrame(frame);
  if (structureDirty) rebuildCharts();
  if (!paused && now - lastDraw >= DRAW_EVERY_MS) {
    lastDraw = now;
    drawTime();
    if (waveDirty) drawWave();
  }
  if (now - lastTable >= TABLE_EVERY_MS) {
    lastTable = now;
    updateTable(Date.now());
  }
}

gw.state$.subscribe((s) => {
  if (s.connection === 'gateway') showLink(s);
});

$<HTMLFormElement>('add-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (addDevice(input.value)) input.value = '';
});
input.addEventListener('input', () => showError(''));
windowSelect.addEventListener('change', syncUrl);
pauseButton.addEventListener('click', () => {
  paused = !paused;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  pauseButton.setAttribute('aria-pressed', String(paused));
});
window.addEventListener('resize', () => (structureDirty = true));

const params = new URLSearchParams(location.search);
const win = params.get('window');
if (win !== null && [...windowSelect.options].some((o) => o.value === win)) windowSelect.value = win;
const initial = params.has('drf') ? params.getAll('drf').filter((d) => d.trim() !== '') : DEFAULT_DRFS;
for (const d of initial) addDevice(d);
if (initial.length === 0) syncUrl();
requestAnimationFrame(frame);

/** For tests and the browser console: what the page holds and how fast it draws. */
const debug = {
  devices: () =>
    [...devices.values()].map((d) => ({
      drf: d.drf,
      kind: d.kind ?? null,
      points: d.points,
      plotted: d.series.length,
      stale: d.stale,
      state: d.state?.kind ?? null,
      failure: d.failure ?? null,
      value: d.latest === undefined ? null : formatValue(d.latest),
    })),
  link: () => linkState?.kind ?? null,
  stats: () => ({ ...stats, waveDraws: waveStats.draws, dropped: gw.dropped }),
  add: (drf: string) => addDevice(drf),
  remove: (drf: string) => removeDevice(drf),
};
(window as unknown as { acsysDashboard: typeof debug }).acsysDashboard = debug;
