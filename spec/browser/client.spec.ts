// The browser client in Node (the `ws` package as its WebSocket) against a real gateway and
// simulator, and against fake gateways that misbehave.
import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { Subject, filter, firstValueFrom, lastValueFrom, take, toArray, type Observable, type Subscription } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import { gateway, type GatewayClient } from '../../lib/browser/client.js';
import type { GatewayState, GatewayStreamEvent } from '../../lib/browser/events.js';
import { GatewayError } from '../../lib/browser/gateway-error.js';
import type { WebSocketConstructor } from '../../lib/browser/link.js';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { DrfError } from '../../lib/drf/errors.js';
import { ClientClosedError } from '../../lib/errors/client-closed-error.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { AcnetStatus } from '../../lib/status/acnet-status.js';
import { startGateway, type GatewayHandle, type GatewayServerOptions } from '../../lib/web/index.js';
import { checkLeaks } from '../support/leaks.js';
import { until } from '../support/ws-clients.js';

const WS = WebSocket as unknown as WebSocketConstructor;

interface Rig {
  sim: SimulatorHandle;
  node: DpmClient;
  gw: GatewayHandle;
  browser: GatewayClient;
  subs: Subscription[];
  startGateway(port?: number): Promise<GatewayHandle>;
}

function useRig(options: Partial<Omit<GatewayServerOptions, 'client'>> = {}): Rig {
  const rig = { subs: [] as Subscription[] } as Rig;
  beforeEach(async () => {
    rig.sim = await startSimulator({ port: 0 });
    rig.node = dpm({ host: rig.sim.host, port: rig.sim.port });
    rig.startGateway = async (port = 0) => {
      rig.gw = await startGateway({ client: rig.node, page: false, port, reconnect: { initialDelay: 100, maxDelay: 300 }, ...options });
      return rig.gw;
    };
    await rig.startGateway();
    rig.browser = gateway({ url: rig.gw.wsUrl, WebSocketCtor: WS, reconnect: { initialDelay: 100, maxDelay: 300 } });
  });
  afterEach(async () => {
    for (const s of rig.subs.splice(0)) s.unsubscribe();
    rig.browser.close();
    await rig.gw.close();
    rig.node.close();
    await rig.sim.close();
  });
  checkLeaks(3000);
  return rig;
}

/** Collects a stream's events until unsubscribed. */
function collect<T>(rig: Rig, o: Observable<T>) {
  const got = { values: [] as T[], error: undefined as unknown, complete: false };
  rig.subs.push(o.subscribe({ next: (v) => got.values.push(v), error: (e) => (got.error = e), complete: () => (got.complete = true) }));
  return got;
}

const readingsOf = (events: GatewayStreamEvent[]): Reading[] => events.flatMap((e) => (e.kind === 'reading' ? [e.reading] : []));

describe('browser/client (Node, ws, real gateway and simulator)', function () {
  this.timeout(30_000);

  describe('streams', () => {
    const rig = useRig();

    it('gives readings of the same shape as the Node client for every value type', async () => {
      const drfs = ['M:OUTTMP@p,200', 'Z:ARRAY1K@p,200', 'Z:TEXTDEV@p,200', 'Z:TXTARR@p,200', 'Z:RAWDEV@p,200', 'Z:STSDEV.STATUS@p,200', 'Z:STSDEV.ANALOG@p,200', 'Z:STSDEV.DIGITAL@p,200'];
      const fromBrowser = await firstValueFrom(rig.browser.stream(drfs).pipe(take(drfs.length * 2), toArray()));
      const fromNode = await firstValueFrom(rig.node.stream(drfs).pipe(take(drfs.length * 2), toArray()));
      for (const drf of drfs) {
        const b = fromBrowser.find((r) => r.drf === drf)!;
        const n = fromNode.find((r) => r.drf === drf)!;
        expect(b, drf).to.not.equal(undefined);
        expect(Object.keys(b), drf).to.deep.equal(Object.keys(n));
        expect(b.valueType, drf).to.equal(n.valueType);
        expect(b.status).to.equal(n.status);
        expect(b.status).to.be.instanceOf(AcnetStatus);
        expect(b.timestamp).to.be.instanceOf(Date);
        expect(b.meta, drf).to.deep.equal(n.meta);
        expect(Object.prototype.toString.call(b.value), drf).to.equal(Object.prototype.toString.call(n.value));
        // constant devices (M:OUTTMP is noisy, Z:ARRAY1K's phase moves)
        if (b.valueType !== 'scalar' && b.valueType !== 'scalarArray') expect(b.value, drf).to.deep.equal(n.value);
      }
      expect(fromBrowser.find((r) => r.drf === 'M:OUTTMP@p,200')!.meta?.units).to.equal('DegF');
    });

    it('multiplexes streams over one WebSocket; each is one DPM list; unsubscribing ends it at the simulator', async () => {
      const base = rig.sim.connections;
      const a = collect(rig, rig.browser.stream('M:OUTTMP@p,100'));
      const b = collect(rig, rig.browser.stream(['G:AMANDA@p,100', 'Z:LOGDEV@p,100']));
      await until(() => a.values.length > 2 && b.values.length > 2, 5000, 'readings of both');
      expect(rig.gw.stats()).to.include({ clients: 1, lists: 2 });
      expect(rig.sim.connections).to.equal(base + 2);
      rig.subs[1]!.unsubscribe();
      await until(() => rig.sim.connections === base + 1, 5000, 'the list to end at the simulator');
      const n = a.values.length;
      await until(() => a.values.length > n + 2, 5000, 'the other stream to go on');
      rig.subs[0]!.unsubscribe();
      await until(() => rig.gw.stats().clients === 0 && rig.sim.connections === base, 5000, 'the WebSocket to close with the last stream');
    });

    it('checks DRFs before sending anything (DrfError), completes one-shot requests, reports device errors in-band', async () => {
      let err: unknown;
      await firstValueFrom(rig.browser.stream(['M:OUTTMP@p,100', 'M:OUTTMP[']), { defaultValue: undefined }).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(DrfError);
      expect(rig.gw.stats().totalClients).to.equal(0);
      const once = await lastValueFrom(rig.browser.stream(['M:OUTTMP@I', 'G:AMANDA@I']).pipe(toArray()));
      expect(once.map((r) => r.drf).sort()).to.deep.equal(['G:AMANDA@I', 'M:OUTTMP@I']);
      const bad = await firstValueFrom(rig.browser.stream('Z:NOTFND@p,100'));
      expect(bad).to.include({ valueType: undefined, value: undefined });
      expect(bad.status.name).to.equal('DBM_NOPROP');
    });

    it('state$: the WebSocket and each stream, connecting → open → closed', async () => {
      const states: GatewayState[] = [];
      const s = rig.browser.state$.subscribe((x) => states.push(x));
      const r = await firstValueFrom(rig.browser.stream('M:OUTTMP@p,100'));
      expect(r.valueType).to.equal('scalar');
      await until(() => states.some((x) => x.connection === 'gateway' && x.kind === 'closed'), 5000, 'closed');
      s.unsubscribe();
      const brief = states.map((x) => `${x.connection}:${x.kind}`);
      expect(brief).to.deep.equal(['gateway:connecting', 'gateway:open', 'stream#1:connecting', 'stream#1:open', 'stream#1:closed', 'gateway:closed']);
      expect(states.find((x) => x.connection === 'stream#1' && x.kind === 'open')).to.have.property('listId').that.is.a('number');
    });

    it('close(): running streams error with ClientClosedError, the socket closes, later streams error at once', async () => {
      const a = collect(rig, rig.browser.stream('M:OUTTMP@p,100'));
      await until(() => a.values.length > 0, 5000, 'readings');
      rig.browser.close();
      expect(a.error).to.be.instanceOf(ClientClosedError);
      expect(rig.browser.closed).to.equal(true);
      await until(() => rig.gw.stats().clients === 0, 5000, 'the socket to close');
      let err: unknown;
      await firstValueFrom(rig.browser.stream('M:OUTTMP@p,100')).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(ClientClosedError);
    });
  });

  describe('losses and recoveries', () => {
    const rig = useRig();

    it('the gateway goes away: an ACNET_RETRY gap reading, reconnecting, then the stream resumes on a new gateway', async () => {
      const states: GatewayState[] = [];
      rig.subs.push(rig.browser.state$.subscribe((x) => states.push(x)));
      const got = collect(rig, rig.browser.streamEvents('M:OUTTMP@p,100'));
      await until(() => readingsOf(got.values).length > 2, 5000, 'readings');
      const port = rig.gw.port;
      await rig.gw.close();
      await until(() => readingsOf(got.values).some((r) => r.status.name === 'ACNET_RETRY'), 5000, 'the gap reading');
      const gap = readingsOf(got.values).find((r) => r.status.name === 'ACNET_RETRY')!;
      expect(gap).to.include({ drf: 'M:OUTTMP@p,100', valueType: undefined });
      expect(gap.meta?.units).to.equal('DegF');
      await until(() => states.filter((s) => s.connection === 'gateway' && s.kind === 'connecting').length >= 3, 5000, 'reconnect attempts');
      const reconnecting = states.find((s) => s.connection === 'gateway' && s.kind === 'reconnecting');
      expect(reconnecting).to.deep.include({ kind: 'reconnecting', attempt: 2 });
      expect((reconnecting as Extract<GatewayState, { kind: 'reconnecting' }>).reason).to.be.instanceOf(GatewayError).and.include({ reason: 'closed', closeCode: 1001 });
      expect(got.values.some((e) => e.kind === 'state' && e.state.kind === 'reconnecting')).to.equal(true);
      await rig.startGateway(port);
      const n = readingsOf(got.values).length;
      await until(() => readingsOf(got.values).length > n + 3, 10_000, 'readings through the new gateway');
      expect(got.error).to.equal(undefined);
      expect(states.filter((s) => s.connection === 'gateway').at(-1)!.kind).to.equal('open');
    });

    it('the simulator goes away: the gateway’s gap reading and DPM state reach the page; staleness is reported; all recover', async () => {
      const got = collect(rig, rig.browser.streamEvents('M:OUTTMP@p,100', { stale: true }));
      await until(() => readingsOf(got.values).length > 2, 5000, 'readings');
      const port = rig.sim.port;
      await rig.sim.close();
      await until(() => got.values.some((e) => e.kind === 'stale'), 5000, 'staleness (2 × 100 ms + 1 s)');
      expect(readingsOf(got.values).some((r) => r.status.name === 'ACNET_RETRY')).to.equal(true);
      expect(got.values.some((e) => e.kind === 'state' && e.state.kind === 'reconnecting' && e.state.connection === 'stream#1')).to.equal(true);
      const stale = got.values.find((e) => e.kind === 'stale')!;
      expect(stale).to.deep.include({ kind: 'stale', drf: 'M:OUTTMP@p,100' });
      rig.sim = await startSimulator({ port });
      const n = readingsOf(got.values).length;
      await until(() => readingsOf(got.values).length > n + 3, 10_000, 'readings after the simulator came back');
      expect(got.error).to.equal(undefined);
    });
  });

  describe('limits', () => {
    const rig = useRig({ limits: { maxSubscriptions: 1 } });

    it('a stream beyond the gateway’s limit errors with GatewayError(limit); the others go on', async () => {
      const a = collect(rig, rig.browser.stream('M:OUTTMP@p,100'));
      await until(() => a.values.length > 0, 5000, 'readings');
      let err: unknown;
      await firstValueFrom(rig.browser.stream('G:AMANDA@p,100')).catch((e: unknown) => (err = e));
      expect(err).to.be.instanceOf(GatewayError).and.include({ reason: 'limit', remoteCode: 'LIMIT' });
      const n = a.values.length;
      await until(() => a.values.length > n + 2, 5000, 'the first stream to go on');
    });
  });
});

/** A fake gateway: the test decides what each connection gets. */
async function fakeGateway(onConnection: (ws: WebSocket, n: number) => void): Promise<{ url: string; connections: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const state = { connections: 0 };
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    onConnection(ws, ++state.connections);
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

const HELLO = JSON.stringify([{ t: 'hello', v: 1, heartbeatMs: 100, limits: { maxSubscriptions: 10, maxDrfs: 10, maxDrfLength: 256, maxMessageBytes: 65536 } }]);

describe('browser/client against misbehaving gateways', function () {
  this.timeout(20_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  checkLeaks(3000);

  async function streamAgainst(onConnection: (ws: WebSocket, n: number) => void, options: { maxAttempts?: number } = {}) {
    const fake = await fakeGateway(onConnection);
    cleanups.push(() => fake.close());
    const gw = gateway({ url: fake.url, WebSocketCtor: WS, reconnect: { initialDelay: 50, maxDelay: 100, ...options } });
    cleanups.push(() => gw.close());
    const states: GatewayState[] = [];
    const sub = gw.state$.subscribe((s) => states.push(s));
    cleanups.push(() => sub.unsubscribe());
    const events = new Subject<void>();
    const got = { readings: [] as Reading[], error: undefined as unknown };
    const s = gw.stream('M:OUTTMP@p,100').subscribe({ next: (r) => (got.readings.push(r), events.next()), error: (e) => (got.error = e) });
    cleanups.push(() => s.unsubscribe());
    return { fake, gw, states, got };
  }

  const reasons = (states: GatewayState[]): string[] =>
    states
      .filter((s): s is Extract<GatewayState, { kind: 'reconnecting' }> => s.kind === 'reconnecting' && s.connection === 'gateway')
      .map((s) => (s.reason as GatewayError).reason);

  it('a refusal (1008) ends the stream with GatewayError(refused) and no reconnect', async () => {
    const { fake, got, states } = await streamAgainst((ws) => {
      ws.send(HELLO);
      ws.once('message', () => ws.close(1008, 'subscription id 1 is already in use'));
    });
    await until(() => got.error !== undefined, 5000, 'the error');
    expect(got.error).to.be.instanceOf(GatewayError).and.include({ reason: 'refused', closeCode: 1008 });
    expect((got.error as Error).message).to.contain('subscription id 1 is already in use');
    // a retry would be announced (a 'reconnecting' state) before its delay starts; instead the
    // link is closed and the stream has ended (its teardown leaves no timer: checkLeaks)
    expect(states.filter((st) => st.kind === 'reconnecting')).to.deep.equal([]);
    expect(states.at(-1)).to.deep.include({ connection: 'gateway', kind: 'closed' });
    expect(fake.connections).to.equal(1);
  });

  it('garbage, a wrong protocol version, a silent gateway: each a lost link, retried with backoff', async () => {
    const { fake, states } = await streamAgainst((ws, n) => {
      if (n === 1) ws.send('not json');
      else if (n === 2) ws.send(JSON.stringify([{ t: 'hello', v: 99, heartbeatMs: 100, limits: { maxSubscriptions: 1, maxDrfs: 1, maxDrfLength: 1, maxMessageBytes: 1 } }]));
      else if (n === 3) ws.send(HELLO); // then nothing: no heartbeat for 3 periods
      else ws.send(JSON.stringify([{ t: 'bogus' }]));
    });
    await until(() => fake.connections >= 4 && reasons(states).length >= 4, 10_000, 'four lost links');
    expect(reasons(states).slice(0, 4)).to.deep.equal(['protocol', 'protocol', 'heartbeat', 'protocol']);
  });

  it('an unreachable gateway: reconnecting with growing delays, then the error after maxAttempts', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const gw = gateway({ url: `ws://127.0.0.1:${port}/ws`, WebSocketCtor: WS, reconnect: { initialDelay: 50, maxDelay: 400, maxAttempts: 3 } });
    cleanups.push(() => gw.close());
    const states: GatewayState[] = [];
    const sub = gw.state$.subscribe((s) => states.push(s));
    cleanups.push(() => sub.unsubscribe());
    let err: unknown;
    await lastValueFrom(gw.streamEvents('M:OUTTMP@p,100').pipe(filter((e) => e.kind === 'reading'))).catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(GatewayError).and.include({ reason: 'unreachable' });
    const delays = states.filter((s): s is Extract<GatewayState, { kind: 'reconnecting' }> => s.kind === 'reconnecting' && s.connection === 'gateway').map((s) => s.delayMs);
    expect(delays).to.deep.equal([50, 100, 200]);
    const closed = states.find((s) => s.connection === 'gateway' && s.kind === 'closed');
    expect(closed).to.deep.include({ kind: 'closed', reason: err });
  });
});
