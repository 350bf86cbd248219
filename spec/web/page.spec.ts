// The dashboard page in a real headless Chromium (Debian's), against the gateway and the
// simulator over real sockets.
import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { generateCatalogue, startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { startGateway, type GatewayHandle } from '../../lib/web/index.js';
import { useChromium } from '../support/chromium.js';
import { until } from '../support/ws-clients.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface DeviceView {
  drf: string;
  kind: string | null;
  points: number;
  plotted: number;
  stale: boolean;
  state: string | null;
  failure: string | null;
  value: string | null;
}

interface Dash {
  devices(): DeviceView[];
  link(): string | null;
  stats(): { draws: number; drawMsTotal: number; drawMsMax: number; readings: number; dropped: number };
}

// What the page-side functions below use of the DOM (this program has no DOM types; the
// functions run in the page, where `document` is the page's).
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getElementById(id: string): PageElement | null;
};

function devices(page: Page): Promise<DeviceView[]> {
  return page.evaluate('window.acsysDashboard.devices()') as Promise<DeviceView[]>;
}

function stats(page: Page): Promise<ReturnType<Dash['stats']>> {
  return page.evaluate('window.acsysDashboard.stats()') as Promise<ReturnType<Dash['stats']>>;
}

/** Waits until the row of `drf` has `data-status` `status`. */
function rowStatus(page: Page, drf: string, status: string, timeout = 10_000): Promise<unknown> {
  return page.waitForFunction(([d, st]) => document.querySelector(`tr[data-drf="${d}"]`)?.getAttribute('data-status') === st, [drf, status] as const, { timeout });
}

/** Waits (polling in the page) until `fn(devices)` holds. */
async function waitDevices(page: Page, what: string, fn: (d: DeviceView[]) => boolean, ms = 15_000): Promise<DeviceView[]> {
  const end = Date.now() + ms;
  for (;;) {
    const d = await devices(page);
    if (fn(d)) return d;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('web page in headless Chromium (gateway + simulator)', function () {
  this.timeout(120_000);
  const browser = useChromium();
  let sim: SimulatorHandle;
  let client: DpmClient;
  let gw: GatewayHandle;
  let page: Page;
  let pageErrors: string[];

  const startGw = async (port = 0): Promise<void> => {
    gw = await startGateway({ client, port, page: true, pagesDir: join(root, 'examples', 'web'), reconnect: { initialDelay: 200, maxDelay: 500 } });
  };

  before(async function () {
    this.timeout(90_000);
    sim = await startSimulator({ port: 0, catalogue: generateCatalogue(20) });
    client = dpm({ host: sim.host, port: sim.port });
    await startGw();
  });

  after(async () => {
    await gw?.close();
    client?.close();
    await sim?.close();
  });

  beforeEach(async () => {
    pageErrors = [];
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
  });

  afterEach(async () => {
    await page.close();
    await until(() => gw.stats().clients === 0, 10_000, 'the page’s WebSocket to close');
  });

  it('loads, connects and plots points of M:OUTTMP within 3 s', async () => {
    await page.goto(gw.url, { waitUntil: 'load' });
    const loaded = Date.now();
    const d = await waitDevices(page, 'M:OUTTMP points', (ds) => (ds.find((x) => x.drf === 'M:OUTTMP@p,67')?.plotted ?? 0) > 0);
    const firstPointMs = Date.now() - loaded;
    console.log(`      (first M:OUTTMP point ${firstPointMs} ms after load)`);
    expect(firstPointMs).to.be.below(3000);
    expect(d.map((x) => x.drf)).to.deep.equal(['M:OUTTMP@p,67', 'G:AMANDA@p,67', 'Z:ARRAY1K@p,67']);
    await waitDevices(page, 'the three devices', (ds) => ds.length === 3 && ds.every((x) => x.points > 3) && ds[2]!.kind === 'array');
    expect(await page.locator('#link-state').textContent()).to.equal('connected');
    expect(await page.locator('#link-state').getAttribute('data-kind')).to.equal('open');
    // the table shows value, units and status
    const row = page.locator('tr[data-drf="M:OUTTMP@p,67"]');
    await rowStatus(page, 'M:OUTTMP@p,67', 'ok');
    expect(await row.locator('td').nth(3).textContent()).to.equal('DegF');
    expect(Number(await row.locator('td.value').textContent())).to.be.within(40, 70);
    // two charts: the time series and the waveform of Z:ARRAY1K; both drawn
    expect(await page.locator('#timeseries canvas').count()).to.equal(1);
    expect(await page.locator('#waveform-box').isVisible()).to.equal(true);
    expect(await page.locator('#timeseries .u-legend .u-series').count()).to.equal(3); // time + 2 scalars
    expect((await stats(page)).draws).to.be.greaterThan(5);
    // devices are kept in the address bar
    expect(decodeURIComponent(page.url())).to.contain('drf=M:OUTTMP@p,67&drf=G:AMANDA@p,67&drf=Z:ARRAY1K@p,67');
    expect(pageErrors).to.deep.equal([]);
  });

  it('adding a DRF adds a series; removing it ends its DPM list at the simulator', async () => {
    await page.goto(`${gw.url}?drf=M:OUTTMP@p,100`);
    await waitDevices(page, 'M:OUTTMP', (ds) => (ds[0]?.points ?? 0) > 0);
    const base = sim.connections;
    await page.locator('#drf-input').fill('Z:LOGDEV@p,100');
    await page.locator('#drf-input').press('Enter');
    await waitDevices(page, 'Z:LOGDEV points', (ds) => (ds.find((x) => x.drf === 'Z:LOGDEV@p,100')?.plotted ?? 0) > 2);
    await page.waitForFunction(() => document.querySelectorAll('#timeseries .u-legend .u-series').length === 3, undefined, { timeout: 5000 });
    expect(await page.locator('#timeseries .u-legend').textContent()).to.contain('Z:LOGDEV@p,100');
    expect(await page.locator('#drf-input').inputValue()).to.equal('');
    expect(sim.connections).to.equal(base + 1);
    // remove it: the row, the series and the DPM list go
    await page.locator('tr[data-drf="Z:LOGDEV@p,100"] button.remove').click();
    await until(() => sim.connections === base, 10_000, 'the list to end at the simulator');
    expect(await page.locator('tr[data-drf="Z:LOGDEV@p,100"]').count()).to.equal(0);
    await page.waitForFunction(() => document.querySelectorAll('#timeseries .u-legend .u-series').length === 2, undefined, { timeout: 5000 });
    expect(gw.stats().lists).to.equal(1);
    expect(pageErrors).to.deep.equal([]);
  });

  it('a bad DRF shows its error next to the input (nothing added); an unknown device shows DPM’s error', async () => {
    await page.goto(`${gw.url}?drf=`);
    await page.locator('#drf-input').fill('M:OUTTMP[');
    await page.locator('#add-button').click();
    expect(await page.locator('#drf-error').textContent()).to.equal('bad DRF: unterminated range "[" at position 8 in "M:OUTTMP["');
    expect(await page.locator('#values tbody tr').count()).to.equal(0);
    expect(await page.locator('#drf-input').inputValue()).to.equal('M:OUTTMP['); // kept, to be corrected
    await page.locator('#drf-input').fill('Z:NOTFND');
    await page.locator('#drf-input').press('Enter');
    await page.waitForFunction(() => (document.getElementById('drf-error')?.textContent ?? '').includes('DBM_NOPROP'), undefined, { timeout: 10_000 });
    expect(await page.locator('#drf-error').textContent()).to.match(/^Z:NOTFND@p,67: DBM_NOPROP \(16 -13\): /);
    await rowStatus(page, 'Z:NOTFND@p,67', 'error');
    expect(await page.locator('tr[data-drf="Z:NOTFND@p,67"] td.status').textContent()).to.equal('DBM_NOPROP');
    expect(pageErrors).to.deep.equal([]);
  });

  it('simulator stopped: the page shows the stream as reconnecting, then stale; it recovers when the simulator returns', async () => {
    await page.goto(`${gw.url}?drf=M:OUTTMP@p,100&drf=G:AMANDA@p,100`);
    await waitDevices(page, 'data', (ds) => ds.length === 2 && ds.every((x) => x.points > 2));
    const port = sim.port;
    await sim.close();
    try {
      await rowStatus(page, 'M:OUTTMP@p,100', 'reconnecting');
      expect(await page.locator('tr[data-drf="M:OUTTMP@p,100"] td.status').textContent()).to.equal('reconnecting (DPM)');
      await waitDevices(page, 'stale', (ds) => ds.length === 2 && ds.every((x) => x.stale));
      expect(await page.locator('#link-state').getAttribute('data-kind')).to.equal('open'); // the gateway itself is fine
    } finally {
      sim = await startSimulator({ port, catalogue: generateCatalogue(20) });
    }
    const before = await devices(page);
    await waitDevices(page, 'recovery', (ds) => ds.every((x, i) => !x.stale && x.state === 'open' && x.points > before[i]!.points + 3));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#values tbody tr')).every((r) => r.getAttribute('data-status') === 'ok'), undefined, { timeout: 5000 });
    expect(pageErrors).to.deep.equal([]);
  });

  it('gateway stopped: the connection pill says reconnecting; the page recovers when the gateway returns', async () => {
    await page.goto(`${gw.url}?drf=M:OUTTMP@p,100`);
    await waitDevices(page, 'data', (ds) => ds[0]!.points > 2);
    const port = gw.port;
    await gw.close();
    try {
      await page.waitForFunction(() => document.getElementById('link-state')?.dataset['kind'] === 'reconnecting', undefined, { timeout: 10_000 });
      expect(await page.locator('#link-state').textContent()).to.match(/^reconnecting in \d+\.\d s — connection to the gateway closed 1001 \(gateway shutting down\)$/);
      await rowStatus(page, 'M:OUTTMP@p,100', 'reconnecting');
      expect(await page.locator('tr[data-drf="M:OUTTMP@p,100"] td.status').textContent()).to.equal('reconnecting (gateway)');
    } finally {
      await startGw(port);
    }
    const n = (await devices(page))[0]!.points;
    await waitDevices(page, 'recovery', (ds) => ds[0]!.points > n + 3);
    expect(await page.locator('#link-state').getAttribute('data-kind')).to.equal('open');
    // the browser logs the failed reconnect attempts while the gateway was down; nothing else
    expect(pageErrors.filter((e) => !/WebSocket connection to .* failed/.test(e))).to.deep.equal([]);
  });

  it('20 devices at 15 Hz: every series is drawn, smoothly; the screenshot is saved', async () => {
    const drfs = Array.from({ length: 20 }, (_, i) => `Z:GEN${String(i).padStart(5, '0')}`);
    await page.goto(`${gw.url}?${drfs.map((d) => `drf=${d}`).join('&')}&drf=Z:ARRAY1K&window=10`);
    const ds = await waitDevices(page, '20 series with points', (d) => d.filter((x) => x.kind === 'scalar' && x.plotted >= 15).length === 20 && d.some((x) => x.kind === 'array'), 30_000);
    expect(ds.filter((x) => x.kind === 'scalar')).to.have.length(20);
    expect(await page.locator('#timeseries .u-legend .u-series').count()).to.equal(21);
    const s0 = await stats(page);
    const t0 = Date.now();
    // a window of about 3 s, measured in data (900 readings) rather than in wall-clock time
    let s1 = s0;
    for (const end = Date.now() + 30_000; s1.readings - s0.readings < 900; ) {
      if (Date.now() > end) throw new Error(`only ${s1.readings - s0.readings} readings reached the page in 30 s`);
      await new Promise((r) => setTimeout(r, 50)); // (polling the page)
      s1 = await stats(page);
    }
    const seconds = (Date.now() - t0) / 1000;
    const fps = (s1.draws - s0.draws) / seconds;
    const readingsPerS = (s1.readings - s0.readings) / seconds;
    const meanMs = (s1.drawMsTotal - s0.drawMsTotal) / Math.max(1, s1.draws - s0.draws);
    console.log(`      (${readingsPerS.toFixed(0)} readings/s, ${fps.toFixed(1)} draws/s, ${meanMs.toFixed(1)} ms per draw, worst ${s1.drawMsMax.toFixed(1)} ms)`);
    // 20 × 15 Hz plus the array: about 315 readings/s reach the page; the charts keep being redrawn
    expect(readingsPerS).to.be.above(150);
    expect(s1.draws - s0.draws).to.be.at.least(10);
    expect(s1.dropped).to.equal(0);
    const file = process.env['ACSYS_SCREENSHOT'] ?? join(tmpdir(), 'acsys-rx-dashboard.png');
    // (making the README's picture: let the 10 s window fill first)
    await new Promise((r) => setTimeout(r, Number(process.env['ACSYS_SCREENSHOT_SETTLE_MS'] ?? 0)));
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).to.be.above(20_000);
    console.log(`      (screenshot: ${file})`);
    expect(pageErrors).to.deep.equal([]);
  });

  it('a page of your own (examples/web/live-value.html, served with pagesDir) shows M:OUTTMP with the stand-alone client', async () => {
    await page.goto(`${gw.url}live-value.html`);
    await page.waitForFunction(() => /^-?\d+\.\d\d DegF$/.test(document.getElementById('value')?.textContent ?? ''), undefined, { timeout: 10_000 });
    expect(pageErrors).to.deep.equal([]);
    // the README shows this very file
    const html = readFileSync(join(root, 'examples', 'web', 'live-value.html'), 'utf8');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).to.contain('```html\n' + html + '```');
  });
});
