// The browser gateway: the simulator, the gateway and the readers each in their own process.
// Prints:
//   web_offered_per_s <n> readings/s             what the simulator is asked for: 1,000 devices at 100 Hz
//                                                (ACSYS_WEB_BENCH_DEVICES=N for another count)
//   web_readings_per_s_node <n> readings/s       simulator → gateway → the browser client (acsys-rx/browser on `ws`
//                                                in Node), one stream of those devices, 3 s after 1 s warm-up
//   web_readings_per_s_chromium <n> readings/s   the same into a page in headless Chromium (only when Chromium is installed)
//   web_dropped_per_s_<reader> <n> readings/s    readings the gateway coalesced away because that reader was slower
//   web_dashboard_20x15hz_draws_per_s, _draw_ms, _readings_per_s
//                                                the dashboard page in Chromium with 20 devices at 15 Hz: time-series
//                                                redraws per second (at most 30), mean time per redraw, readings in
//   web_fanout_readings_per_s <n> readings/s     10 browser-like clients × 100 devices at 15 Hz, all received
//   web_gateway_heap_start / _end <n> MB         the gateway's heap after a full GC, at the start and the end of that run
//   web_gateway_heap_growth <n> MB               end − start (flat: about 0)
//   web_gateway_rss_end <n> MB                   the gateway process's resident memory at the end
// The fan-out run lasts 10 s; ACSYS_WEB_BENCH_SECONDS=60 npm run bench -- web runs it for a minute.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Subscription } from 'rxjs';
import WebSocket from 'ws';
import { gateway, type GatewayClient } from '../lib/browser/index.js';
import type { WebSocketConstructor } from '../lib/browser/link.js';

const here = dirname(fileURLToPath(import.meta.url));
const WS = WebSocket as unknown as WebSocketConstructor;
const OFFERED_DEVICES = Number(process.env['ACSYS_WEB_BENCH_DEVICES'] ?? 1000);

interface Child {
  readonly info: Record<string, unknown>;
  ask(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function startChild(script: string, args: string[], nodeArgs: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(here, 'support', script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l) as Record<string, unknown>));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    });
  const info = await next();
  return {
    info,
    ask(line) {
      const p = next();
      child.stdin.write(`${line}\n`);
      return p;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

const gen = (i: number): string => `Z:GEN${String(i).padStart(5, '0')}`;
const mb = (bytes: unknown): string => (Number(bytes) / 1048576).toFixed(1);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function findChromium(): string | undefined {
  const env = process.env['ACSYS_CHROMIUM'];
  if (env) return existsSync(env) ? env : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

/** Readings/s delivered to `count()` over 3 s after 1 s of warm-up, and the gateway's drops meanwhile. */
async function measure(gw: Child, count: () => Promise<number>): Promise<{ rate: number; dropped: number }> {
  await sleep(1000);
  const n0 = await count();
  const d0 = Number((await gw.ask('stats'))['dropped']);
  const t0 = Date.now();
  await sleep(3000);
  const n1 = await count();
  const d1 = Number((await gw.ask('stats'))['dropped']);
  const secs = (Date.now() - t0) / 1000;
  return { rate: (n1 - n0) / secs, dropped: (d1 - d0) / secs };
}

export default async function bench(): Promise<void> {
  const seconds = Number(process.env['ACSYS_WEB_BENCH_SECONDS'] ?? 10);
  const sim = await startChild('web-sim-server.ts', [String(OFFERED_DEVICES)]);
  const gw = await startChild('web-gateway-server.ts', [String(sim.info['host']), String(sim.info['port'])], ['--expose-gc']);
  const wsUrl = String(gw.info['wsUrl']);
  const offered = Array.from({ length: OFFERED_DEVICES }, (_, i) => `${gen(i)}@p,10`);
  try {
    console.log(`web_offered_per_s ${offered.length * 100} readings/s`);
    // --- throughput into the browser client in Node
    {
      const client = gateway({ url: wsUrl, WebSocketCtor: WS });
      let n = 0;
      const sub = client.stream(offered).subscribe(() => n++);
      const r = await measure(gw, () => Promise.resolve(n));
      sub.unsubscribe();
      client.close();
      console.log(`web_readings_per_s_node ${Math.round(r.rate)} readings/s`);
      console.log(`web_dropped_per_s_node ${Math.round(r.dropped)} readings/s`);
    }

    // --- throughput into a page in headless Chromium
    const exe = findChromium();
    if (exe !== undefined) {
      const profile = mkdtempSync(join(tmpdir(), 'acsys-bench-chromium-'));
      const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: exe,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await ctx.newPage();
        // the page makes the same 1,000 DRFs and subscribes them in one stream
        await page.goto(`${String(gw.info['url'])}count.html?n=${offered.length}&event=p,10`);
        const r = await measure(gw, () => page.evaluate('window.benchCount') as Promise<number>);
        const errors = (await page.evaluate('window.benchErrors')) as string[];
        if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
        console.log(`web_readings_per_s_chromium ${Math.round(r.rate)} readings/s`);
        console.log(`web_dropped_per_s_chromium ${Math.round(r.dropped)} readings/s`);
        await page.close();

        // the dashboard with 20 devices at 15 Hz: how often and how fast the time-series chart is redrawn
        const dash = await ctx.newPage();
        await dash.goto(`${String(gw.info['url'])}?${Array.from({ length: 20 }, (_, i) => `drf=${gen(i)}`).join('&')}&window=60`);
        type Stats = { draws: number; drawMsTotal: number; readings: number };
        const read = () => dash.evaluate('window.acsysDashboard.stats()') as Promise<Stats>;
        await sleep(2000);
        const s0 = await read();
        const t0 = Date.now();
        await sleep(5000);
        const s1 = await read();
        const secs = (Date.now() - t0) / 1000;
        console.log(`web_dashboard_20x15hz_draws_per_s ${((s1.draws - s0.draws) / secs).toFixed(1)} draws/s`);
        console.log(`web_dashboard_20x15hz_draw_ms ${((s1.drawMsTotal - s0.drawMsTotal) / Math.max(1, s1.draws - s0.draws)).toFixed(2)} ms`);
        console.log(`web_dashboard_20x15hz_readings_per_s ${Math.round((s1.readings - s0.readings) / secs)} readings/s`);
        await dash.close();
      } finally {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      }
    } else {
      console.error('web bench: no Chromium installed; web_readings_per_s_chromium not measured');
    }
    while (Number((await gw.ask('stats'))['clients']) > 0) await sleep(50);

    // --- memory: 10 browser-like clients × 100 devices at 15 Hz
    const clients: GatewayClient[] = [];
    const subs: Subscription[] = [];
    let received = 0;
    for (let c = 0; c < 10; c++) {
      const client = gateway({ url: wsUrl, WebSocketCtor: WS });
      clients.push(client);
      const drfs = Array.from({ length: 100 }, (_, i) => `${gen(c * 100 + i)}@p,67`);
      subs.push(client.stream(drfs).subscribe(() => received++));
    }
    await sleep(2000); // every list running, JIT warm
    const start = await gw.ask('mem');
    const r0 = received;
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const got = received - r0;
    const secs = (Date.now() - t0) / 1000;
    const end = await gw.ask('mem');
    const stats = await gw.ask('stats');
    for (const s of subs) s.unsubscribe();
    for (const c of clients) c.close();
    console.log(`web_fanout_readings_per_s ${Math.round(got / secs)} readings/s`);
    console.log(`web_fanout_dropped ${Number(stats['dropped'])} readings`);
    console.log(`web_gateway_heap_start ${mb(start['heapUsed'])} MB`);
    console.log(`web_gateway_heap_end ${mb(end['heapUsed'])} MB`);
    console.log(`web_gateway_heap_growth ${mb(Number(end['heapUsed']) - Number(start['heapUsed']))} MB`);
    console.log(`web_gateway_rss_end ${mb(end['rss'])} MB`);
  } finally {
    await gw.stop();
    await sim.stop();
  }
}
