// The gateway over real sockets: a simulator, the DPM client, the gateway, and WebSocket
// clients — well-behaved ones and hostile ones.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { startGateway, type GatewayHandle, type GatewayServerOptions } from '../../lib/web/index.js';
import { checkLeaks } from '../support/leaks.js';
import { RawWsClient, TestClient, until } from '../support/ws-clients.js';

interface Rig {
  sim: SimulatorHandle;
  client: DpmClient;
  gw: GatewayHandle;
  clients: TestClient[];
  raws: RawWsClient[];
  open(options?: { origin?: string }): Promise<TestClient>;
  raw(): Promise<RawWsClient>;
}

function useRig(options: Partial<Omit<GatewayServerOptions, 'client'>> = {}): Rig {
  const rig = { clients: [] as TestClient[], raws: [] as RawWsClient[] } as unknown as Rig;
  beforeEach(async () => {
    rig.sim = await startSimulator({ port: 0 });
    rig.client = dpm({ host: rig.sim.host, port: rig.sim.port });
    rig.gw = await startGateway({ client: rig.client, page: false, reconnect: { initialDelay: 100, maxDelay: 500 }, ...options });
    rig.open = async (o) => {
      const c = await TestClient.open(rig.gw.wsUrl, o);
      rig.clients.push(c);
      return c;
    };
    rig.raw = async () => {
      const r = await RawWsClient.open(rig.gw.port);
      rig.raws.push(r);
      return r;
    };
  });
  afterEach(async () => {
    for (const r of rig.raws.splice(0)) r.destroy();
    await Promise.all(rig.clients.splice(0).map((c) => c.close()));
    await rig.gw.close();
    rig.client.close();
    await rig.sim.close();
  });
  checkLeaks(3000);
  return rig;
}

/** The longest time between consecutive readings of subscription `id` at or after `from`. */
function longestGap(c: TestClient, id: number, from: number): number {
  const t = c.times(id).filter((x) => x >= from);
  let gap = 0;
  for (let i = 1; i < t.length; i++) gap = Math.max(gap, t[i]! - t[i - 1]!);
  return gap;
}

describe('web/gateway (real sockets, simulator behind)', function () {
  this.timeout(60_000);

  describe('a well-behaved browser', () => {
    const rig = useRig();

    it('gets hello first, then metadata, states and readings as compact tuples', async () => {
      const c = await rig.open();
      await until(() => c.items.length >= 1, 5000, 'hello');
      expect(c.items[0]!.item).to.deep.include({ t: 'hello', v: 1, heartbeatMs: 5000 });
      c.subscribe(1, ['M:OUTTMP@p,100', 'Z:ARRAY1K@p,100']);
      await until(() => c.readings(1).filter((r) => r[1] === 1).length >= 2, 5000, 'readings');
      const [first] = c.readings(1);
      expect(first).to.have.length(7);
      expect(first!.slice(0, 2)).to.deep.equal([1, 0]);
      expect(first![2]).to.be.closeTo(Date.now(), 10_000);
      expect(first!.slice(4, 6)).to.deep.equal([0, 's']);
      const arr = c.readings(1).find((r) => r[1] === 1)!;
      expect(arr[5]).to.equal('a');
      expect(arr[6]).to.be.an('array').with.length(1024);
      expect(c.controls('meta', 1).map((m) => (m['m'] as { name: string }).name).sort()).to.deep.equal(['M:OUTTMP', 'Z:ARRAY1K']);
      expect(c.controls('state', 1).map((s) => (s['s'] as { kind: string }).kind)).to.deep.equal(['connecting', 'open']);
      // metadata precedes the first reading of its device
      const firstMeta = c.items.findIndex((i) => (i.item as { t?: string }).t === 'meta');
      const firstReading = c.items.findIndex((i) => Array.isArray(i.item));
      expect(firstMeta).to.be.lessThan(firstReading);
    });

    it('one DPM list per subscription; unsubscribe ends it at the simulator and stops the readings', async () => {
      const c = await rig.open();
      const base = rig.sim.connections;
      c.subscribe(1, ['M:OUTTMP@p,100']);
      c.subscribe(2, ['G:AMANDA@p,100', 'Z:LOGDEV@p,100']);
      await until(() => c.readings(1).length > 0 && c.readings(2).length > 0, 5000, 'readings of both');
      expect(rig.sim.connections).to.equal(base + 2);
      expect(rig.gw.stats()).to.include({ clients: 1, lists: 2 });
      c.unsubscribe(2);
      await until(() => rig.sim.connections === base + 1, 5000, 'the list to end at the simulator');
      expect(rig.gw.stats().lists).to.equal(1);
      const n = c.readings(2).length;
      // the list of subscription 1 goes on over the same (ordered) socket: once two more of its
      // readings arrived, whatever the gateway sent for subscription 2 before them has too
      const m = c.readings(1).length;
      await until(() => c.readings(1).length >= m + 2, 5000, 'two more readings of subscription 1');
      expect(c.readings(2).length).to.be.at.most(n + 2); // at most what was already on its way
      await c.close();
      await until(() => rig.sim.connections === base && rig.gw.stats().lists === 0, 5000, 'every list to end after the browser left');
    });

    it('a one-shot DRF ends with `end`; a bad DRF, an empty list and a long DRF get an error item, the connection stays', async () => {
      const c = await rig.open();
      c.subscribe(1, ['M:OUTTMP@I']);
      c.subscribe(2, ['M:OUTTMP[']);
      c.subscribe(3, []);
      c.subscribe(4, [`M:OUTTMP${'x'.repeat(300)}`]);
      c.subscribe(5, ['Z:NOTFND@p,100']);
      await until(() => c.controls('end', 1).length === 1 && c.controls('error').length === 3 && c.readings(5).length > 0, 5000, 'answers');
      expect(c.readings(1)).to.have.length(1);
      expect(c.controls('error', 2)[0]!['e']).to.deep.include({ code: 'DRF_ERROR', input: 'M:OUTTMP[', part: 'range' });
      expect(c.controls('error', 3)[0]!['e']).to.deep.include({ code: 'BAD_REQUEST' });
      expect(c.controls('error', 4)[0]!['e']).to.deep.include({ code: 'LIMIT' });
      expect((c.controls('error', 4)[0]!['e'] as { message: string }).message).to.match(/308 characters long \(limit 256\)/);
      // an unknown device is a reading with its status, as in Node
      expect(c.readings(5)[0]!.slice(4)).to.deep.equal([-3312]);
      expect(c.closed).to.equal(undefined);
      expect(rig.gw.stats().lists).to.be.at.most(1); // Z:NOTFND's list
    });

    it('a lost DPM connection is reported per subscription (reconnecting, gap readings) and recovers', async () => {
      const c = await rig.open();
      c.subscribe(1, ['M:OUTTMP@p,100']);
      await until(() => c.readings(1).length >= 3, 5000, 'readings');
      const port = rig.sim.port;
      await rig.sim.close();
      await until(() => c.controls('state', 1).some((s) => (s['s'] as { kind: string }).kind === 'reconnecting'), 5000, 'reconnecting');
      expect(c.readings(1).some((r) => r.length === 5 && r[4] === -255)).to.equal(true); // ACNET_RETRY gap
      rig.sim = await startSimulator({ port });
      const n = c.readings(1).length;
      await until(() => c.readings(1).length > n + 3, 10_000, 'readings after the simulator came back');
      const kinds = c.controls('state', 1).map((s) => (s['s'] as { kind: string }).kind);
      expect(kinds.slice(-2)).to.deep.equal(['connecting', 'open']);
    });

    it('gateway shutdown closes browsers with 1001 and ends every list', async () => {
      const c = await rig.open();
      c.subscribe(1, ['M:OUTTMP@p,100']);
      await until(() => c.readings(1).length > 0, 5000, 'readings');
      const base = rig.sim.connections;
      const [a, b] = [rig.gw.close(), rig.gw.close()];
      expect(a).to.equal(b); // one shutdown, however many callers
      await a;
      await until(() => c.closed !== undefined, 5000, 'close');
      expect(c.closed).to.deep.equal({ code: 1001, reason: 'gateway shutting down' });
      await until(() => rig.sim.connections === base - 1, 5000, 'the list to end');
    });
  });

  describe('refusals at the door', () => {
    const rig = useRig({ limits: { maxClients: 2 } });

    it('another site’s page: HTTP 403; its own origin: accepted; wrong path: 404; too many clients: 503', async () => {
      let err: unknown;
      await TestClient.open(rig.gw.wsUrl, { origin: 'https://evil.example' }).catch((e: unknown) => (err = e));
      expect(String(err)).to.contain('HTTP 403');
      const own = await rig.open({ origin: `http://127.0.0.1:${rig.gw.port}` });
      expect(own.ws.readyState).to.equal(1);
      await TestClient.open(rig.gw.wsUrl.replace('/ws', '/other')).catch((e: unknown) => (err = e));
      expect(String(err)).to.contain('HTTP 404');
      await rig.open();
      await TestClient.open(rig.gw.wsUrl).catch((e: unknown) => (err = e));
      expect(String(err)).to.contain('HTTP 503');
      expect(rig.gw.stats()).to.include({ clients: 2, refused: 3 });
    });
  });

  describe('hostile clients', () => {
    const rig = useRig({ limits: { maxMessageBytes: 4096, stallMs: 1500, highWaterBytes: 64 * 1024 } });

    async function closedWith(send: (c: TestClient) => void): Promise<{ code: number; reason: string }> {
      const c = await rig.open();
      send(c);
      await until(() => c.closed !== undefined, 5000, 'the gateway to close');
      return c.closed!;
    }

    it('garbage, binary, unknown messages, oversized messages, a reused id: each closed with a clear code; others unaffected', async () => {
      const good = await rig.open();
      good.subscribe(1, ['M:OUTTMP@p,100']);
      await until(() => good.readings(1).length > 0, 5000, 'the good client’s readings');
      const t0 = Date.now();
      expect(await closedWith((c) => c.send('hello gateway'))).to.deep.equal({ code: 1007, reason: 'not JSON' });
      expect((await closedWith((c) => c.ws.send(Buffer.from([1, 2, 3])))).code).to.equal(1003);
      expect(await closedWith((c) => c.send({ op: 'write', id: 1, drf: 'Z:ACLTST', value: 1 }))).to.deep.equal({
        code: 1008,
        reason: 'unknown message: expected op "subscribe" or "unsubscribe"',
      });
      expect((await closedWith((c) => c.subscribe(1, ['x'.repeat(5000)]))).code).to.equal(1009);
      const dup = await closedWith((c) => {
        c.subscribe(7, ['M:OUTTMP@p,1000']);
        c.subscribe(7, ['G:AMANDA@p,1000']);
      });
      expect(dup).to.deep.equal({ code: 1008, reason: 'subscription id 7 is already in use' });
      await until(() => rig.gw.stats().clients === 1 && rig.gw.stats().lists === 1, 5000, 'the hostile connections and their lists to go');
      expect(good.closed).to.equal(undefined);
      expect(longestGap(good, 1, t0)).to.be.below(1000);
    });

    it('a client that never reads: readings coalesced (bounded), then cut; the others keep their data', async () => {
      const good = await rig.open();
      good.subscribe(1, ['M:OUTTMP@p,100']);
      await until(() => good.readings(1).length > 0, 5000, 'the good client’s readings');
      const raw = await rig.raw();
      const drfs = Array.from({ length: 8 }, (_, i) => `Z:ARRAY1K@p,${20 + i}`);
      raw.sendText(JSON.stringify({ op: 'subscribe', id: 1, drfs }));
      raw.socket.pause(); // never reads again
      const t0 = Date.now();
      let worst = { held: 0, buffered: 0, congested: false, dropped: 0 };
      await until(
        () => {
          const s = rig.gw.stats().connections.find((x) => x.drfs === 8);
          if (s !== undefined) {
            worst = {
              held: Math.max(worst.held, s.outbox.held),
              buffered: Math.max(worst.buffered, s.outbox.bufferedBytes),
              congested: worst.congested || s.outbox.congested,
              dropped: Math.max(worst.dropped, s.outbox.dropped),
            };
          }
          return rig.gw.stats().clients === 1 && worst.congested;
        },
        20_000,
        'the stuck client to be coalesced and then cut',
      );
      // at most one reading per device (plus a heartbeat and states) held; the socket's backlog
      // stays near the high-water mark: one frame of 8 arrays over it at most
      expect(worst.held).to.be.at.most(8 + 3);
      expect(worst.buffered).to.be.below(64 * 1024 + 8 * 25_000);
      expect(worst.dropped).to.be.greaterThan(0);
      expect(rig.gw.stats()).to.include({ clients: 1, lists: 1 });
      expect(good.closed).to.equal(undefined);
      expect(longestGap(good, 1, t0)).to.be.below(1000);
    });

  });

  describe('a client that never answers pings', () => {
    const rig = useRig({ pingMs: 300 });

    it('is dropped after a missed pong', async () => {
      const raw = await rig.raw(); // reads everything, answers nothing
      await until(() => raw.ended, 5000, 'the silent client to be dropped');
      expect(rig.gw.stats().clients).to.equal(0);
    });
  });

  describe('10,000 subscriptions from one client', () => {
    describe('within the request rate', () => {
      const rig = useRig({ limits: { maxSubscriptions: 50, subscribeBurst: 20_000 } });

      it('the first 50 become lists, the other 9,950 get a LIMIT error each; the connection lives on', async () => {
        const good = await rig.open();
        good.subscribe(1, ['G:AMANDA@p,100']);
        const c = await rig.open();
        const base = rig.sim.connections;
        const t0 = Date.now();
        for (let i = 1; i <= 10_000; i++) c.subscribe(i, ['M:OUTTMP@p,1000']);
        await until(() => c.controls('error').length === 9950, 20_000, '9,950 refusals');
        const errors = c.controls('error');
        expect(errors.every((e) => (e['e'] as { code: string }).code === 'LIMIT')).to.equal(true);
        expect((errors[0]!['e'] as { message: string }).message).to.equal('too many subscriptions on this connection (limit 50)');
        expect(Math.min(...errors.map((e) => e['id'] as number))).to.equal(51);
        expect(rig.gw.stats().lists).to.equal(51);
        expect(rig.sim.connections - base).to.be.at.most(50);
        expect(c.closed).to.equal(undefined);
        await until(() => new Set(c.readings(50).map((r) => r[0])).size === 1, 10_000, 'the 50th list’s readings');
        expect(longestGap(good, 1, t0 + 1000)).to.be.below(1000);
        await c.close();
        await until(() => rig.gw.stats().lists === 1 && rig.sim.connections <= base, 10_000, 'the 50 lists to end');
      });
    });

    describe('at the default request rate', () => {
      const rig = useRig({ limits: { maxSubscriptions: 50 } });

      it('the burst allowance runs out: closed with 1008 and every list it opened ends', async () => {
        const c = await rig.open();
        const base = rig.sim.connections;
        for (let i = 1; i <= 10_000; i++) c.subscribe(i, ['M:OUTTMP@p,1000']);
        await until(() => c.closed !== undefined, 10_000, 'close');
        expect(c.closed).to.deep.equal({ code: 1008, reason: 'too many subscribe requests (burst 200, then 50/s)' });
        expect(c.controls('error').length).to.be.at.most(150);
        await until(() => rig.gw.stats().lists === 0 && rig.sim.connections === base, 10_000, 'its lists to end');
      });
    });
  });

  describe('HTTP', () => {
    const pages = mkdtempSync(join(tmpdir(), 'acsys-pages-'));
    const outside = mkdtempSync(join(tmpdir(), 'acsys-outside-'));
    writeFileSync(join(pages, 'mine.html'), '<!doctype html><p>mine</p>');
    mkdirSync(join(pages, 'sub'));
    writeFileSync(join(pages, 'sub', 'index.html'), 'sub index');
    writeFileSync(join(pages, '.secret.html'), 'hidden');
    writeFileSync(join(outside, 'secret.html'), 'outside');
    symlinkSync(join(outside, 'secret.html'), join(pages, 'link.html'));
    after(() => {
      rmSync(pages, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });
    const rig = useRig({ page: true, pagesDir: pages });

    it('serves the page, its bundle and the stand-alone client, with safe headers; GET only', async () => {
      const base = rig.gw.url;
      const page = await fetch(base);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).to.contain("default-src 'self'");
      expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(await page.text()).to.contain('<script type="module" src="app.js"></script>');
      const app = await fetch(`${base}app.js`);
      expect(app.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
      expect((await app.text()).length).to.be.greaterThan(10_000);
      expect((await fetch(`${base}app.css`)).status).to.equal(200);
      const lib = await fetch(`${base}acsys-rx-browser.js`);
      expect(lib.headers.get('access-control-allow-origin')).to.equal('*');
      expect(await lib.text()).to.match(/export\{/);
      expect(await (await fetch(`${base}healthz`)).text()).to.equal('ok\n');
      expect(await (await fetch(`${base}stats`)).json()).to.include({ clients: 0, lists: 0 });
      expect((await fetch(`${base}nope.js`)).status).to.equal(404);
      const post = await fetch(base, { method: 'POST', body: '{}' });
      expect(post.status).to.equal(405);
      expect(post.headers.get('allow')).to.equal('GET, HEAD');
      await post.text();
    });

    it('serves a pages folder and nothing outside it', async () => {
      const base = rig.gw.url;
      expect(await (await fetch(`${base}mine.html`)).text()).to.equal('<!doctype html><p>mine</p>');
      expect(await (await fetch(`${base}sub/`)).text()).to.equal('sub index');
      for (const p of ['.secret.html', 'link.html', '..%2f' + 'etc%2fpasswd', 'sub/..%2f..%2fsecret.html', '%2e%2e/x.html', 'mine.exe']) {
        const r = await fetch(`${base}${p}`);
        expect(r.status, p).to.equal(404);
        await r.text();
      }
    });
  });
});
