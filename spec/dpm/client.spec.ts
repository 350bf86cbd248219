import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { DrfError } from '../../lib/drf/errors.js';
import { ClientClosedError } from '../../lib/errors/client-closed-error.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { DeviceError } from '../../lib/status/device-error.js';
import type { EncodableReply } from '../../lib/protocol/messages.js';
import { defaultHandler, fakeDpm, type FakeConn, type FakeDpm } from '../support/fake-dpm.js';
import { checkLeaks } from '../support/leaks.js';
import { until } from '../support/until.js';

function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => e,
  );
}

describe('dpm/client', () => {
  let server: FakeDpm | undefined;
  let client: DpmClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close();
    server = undefined;
  });
  checkLeaks();

  async function setup(onRequest?: (req: Parameters<typeof defaultHandler>[0], c: FakeConn) => void, opts = {}) {
    server = await fakeDpm(onRequest ? { onRequest } : {});
    client = dpm({ host: '127.0.0.1', port: server.port, linger: 50, ...opts });
    return client;
  }

  it('read() gives the value, get() the reading with metadata', async () => {
    const c = await setup();
    expect(await firstValueFrom(c.read('M:OUTTMP'))).to.equal(1.5);
    const r = await firstValueFrom(c.get('M:OUTTMP'));
    expect(r.valueType).to.equal('scalar');
    expect(r.meta?.name).to.equal('M:OUTTMP');
    expect(r.meta?.units).to.equal('U');
    expect(r.drf).to.equal('M:OUTTMP');
    // the second read reused the pooled connection, with fresh ref ids, and @I was added
    expect(server!.conns).to.have.length(1);
    const adds = server!.conns[0]!.requests.filter((q) => q.type === 'AddToList_request');
    expect(adds.map((a) => (a.type === 'AddToList_request' ? [a.ref_id, a.drf_request] : []))).to.deep.equal([
      [1, 'M:OUTTMP@I'],
      [2, 'M:OUTTMP@I'],
    ]);
    // a finished one-shot read's Stop + Clear travel in front of the next batch (one write);
    // a third read shows that nothing else was sent in between (one connection, TCP order)
    await firstValueFrom(c.read('M:OUTTMP'));
    const types = server!.conns[0]!.requests.map((q) => q.type);
    expect(types).to.deep.equal([
      'AddToList_request', 'StartList_request',
      'StopList_request', 'ClearList_request', 'AddToList_request', 'StartList_request',
      'StopList_request', 'ClearList_request', 'AddToList_request', 'StartList_request',
    ]);
  });

  it('getMany keeps request order and reports per-device failures as readings', async () => {
    const c = await setup();
    const rs = await firstValueFrom(c.getMany(['M:OUTTMP', 'Z:NOTFND', 'G:AMANDA']));
    expect(rs.map((r) => r.drf)).to.deep.equal(['M:OUTTMP', 'Z:NOTFND', 'G:AMANDA']);
    expect(rs[0]!.value).to.equal(1.5);
    expect(rs[1]!.valueType).to.equal(undefined);
    expect(rs[1]!.status.isFailure).to.equal(true);
    expect(rs[2]!.value).to.equal(4.5);
  });

  it('read() of a failed device errors with DeviceError', async () => {
    const c = await setup();
    const e = await errorOf(firstValueFrom(c.read('Z:NOTFND')));
    expect(e).to.be.instanceOf(DeviceError);
  });

  it('a bad DRF errors at once with DrfError and nothing is sent', async () => {
    const c = await setup();
    const e = await errorOf(firstValueFrom(c.getMany(['M:OUTTMP', 'M:OUTTMP['])));
    expect(e).to.be.instanceOf(DrfError);
    const e2 = await errorOf(firstValueFrom(c.read('M:OUTTMP@N')));
    expect(e2).to.be.instanceOf(DrfError);
    expect(server!.conns).to.have.length(0);
  });

  it('accepts AddToList_reply acknowledgements, DeviceInfo at add time and data before StartList_reply', async () => {
    const c = await setup((req, conn) => {
      if (req.type === 'AddToList_request') {
        conn.list.set(req.ref_id, req.drf_request);
        conn.send([
          { type: 'AddToList_reply', list_id: conn.listId, ref_id: req.ref_id, status: req.drf_request.startsWith('Z:BAD') ? -6127 : 0 },
          { type: 'DeviceInfo_reply', ref_id: req.ref_id, di: 7, name: 'X', description: 'd' },
        ]);
      } else if (req.type === 'StartList_request') {
        const out: EncodableReply[] = [];
        for (const [ref, drf] of conn.list) {
          if (!drf.startsWith('Z:BAD')) out.push({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: 42 });
        }
        out.push({ type: 'ListStatus_reply', list_id: conn.listId, status: 0 });
        out.push({ type: 'StartList_reply', list_id: conn.listId, status: 0 });
        conn.send(out);
      } else if (req.type === 'ClearList_request') conn.list.clear();
    });
    const rs = await firstValueFrom(c.getMany(['M:OUTTMP', 'Z:BAD']));
    expect(rs[0]!.value).to.equal(42);
    expect(rs[0]!.meta?.di).to.equal(7);
    expect(rs[0]!.timestamp).to.equal(undefined);
    expect(rs[1]!.status.isFailure).to.equal(true);
  });

  it('drops late replies of an earlier read (ref ids never repeat on a connection)', async () => {
    let startCount = 0;
    const c = await setup((req, conn) => {
      if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
      else if (req.type === 'ClearList_request') conn.list.clear();
      else if (req.type === 'StartList_request') {
        startCount++;
        const out: EncodableReply[] = [];
        // a late sample for ref 1 (first read) arrives ahead of the second read's answer
        if (startCount === 2) out.push({ type: 'Scalar_reply', ref_id: 1, timestamp: 0, cycle: 0, status: 0, data: -1 });
        for (const [ref] of conn.list) out.push({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: ref * 10 });
        conn.send(out);
      }
    });
    expect(await firstValueFrom(c.read('M:OUTTMP@p,1000'))).to.equal(10);
    expect(await firstValueFrom(c.read('M:OUTTMP@p,1000'))).to.equal(20);
    // a repetitive read stops its list at once, not at the next read
    const types = server!.conns[0]!.requests.map((q) => q.type);
    expect(types.slice(0, 4)).to.deep.equal(['AddToList_request', 'StartList_request', 'StopList_request', 'ClearList_request']);
  });

  it('concurrent reads on a small pool never see each other\'s replies; extra reads queue', async () => {
    const c = await setup(
      (req, conn) => {
        if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
        else if (req.type === 'ClearList_request') conn.list.clear();
        else if (req.type === 'StartList_request') {
          const out: EncodableReply[] = [];
          for (const [ref, drf] of conn.list) {
            out.push({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: Number(drf.slice(3, drf.indexOf('@'))) });
          }
          setTimeout(() => conn.send(out), 5 + Math.random() * 20);
        }
      },
      { poolSize: 2 },
    );
    const n = 20;
    const values = await Promise.all(Array.from({ length: n }, (_, i) => firstValueFrom(c.read(`Z:D${i}`))));
    expect(values).to.deep.equal(Array.from({ length: n }, (_, i) => i));
    expect(server!.conns.length).to.be.at.most(2);
  });

  it('getMany times out with TimeoutError naming the missing devices and carrying the partial readings', async () => {
    const c = await setup(
      (req, conn) => {
        if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
        else if (req.type === 'StartList_request') {
          for (const [ref, drf] of conn.list) {
            if (!drf.startsWith('Z:SLOW')) conn.send([{ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: 1 }]);
          }
        }
      },
      { timeouts: { operation: 200 } },
    );
    const e = await errorOf(firstValueFrom(c.getMany(['M:OUTTMP', 'Z:SLOW', 'G:AMANDA'])));
    expect(e).to.be.instanceOf(TimeoutError);
    const t = e as TimeoutError;
    expect(t.missing).to.deep.equal(['Z:SLOW']);
    expect(t.readings.map((r) => r.value)).to.deep.equal([1, undefined, 1]);
    expect(t.readings[1]!.status.facility).to.equal(1);
  });

  it('a read whose pooled connection died is retried once on a fresh connection', async () => {
    let conns = 0;
    const c = await setup((req, conn) => {
      if (req.type === 'StartList_request' && conn.requests.filter((q) => q.type === 'StartList_request').length === 2 && conns++ === 0) {
        conn.socket.destroy();
        return;
      }
      defaultHandler(req, conn);
    });
    expect(await firstValueFrom(c.read('M:OUTTMP'))).to.equal(1.5);
    // second read: the connection dies on StartList; retried transparently
    expect(await firstValueFrom(c.read('M:OUTTMP'))).to.equal(1.5);
    expect(server!.conns.length).to.equal(2);
  });

  it('StartList_reply with an error status ends the read with ListError', async () => {
    const c = await setup((req, conn) => {
      if (req.type === 'StartList_request') conn.send([{ type: 'StartList_reply', list_id: conn.listId, status: -6127 }]);
    });
    const e = await errorOf(firstValueFrom(c.getMany(['M:OUTTMP'])));
    expect(e).to.be.instanceOf(ListError);
    expect((e as ListError).readings).to.have.length(1);
  });

  it('getMany: a connection lost after some replies errors with ConnectionLost carrying the readings (§4.3)', async () => {
    const c = await setup((req, conn) => {
      if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
      else if (req.type === 'StartList_request') {
        const [first] = [...conn.list.keys()];
        conn.send([{ type: 'Scalar_reply', ref_id: first!, timestamp: Date.now(), cycle: 1, status: 0, data: 42 }]);
        setTimeout(() => conn.socket.destroy(), 20);
      }
    });
    const e = await errorOf(firstValueFrom(c.getMany(['M:OUTTMP', 'G:AMANDA'])));
    expect(e).to.be.instanceOf(Lost);
    const rs = (e as Lost).readings!;
    expect(rs.map((r) => r.drf)).to.deep.equal(['M:OUTTMP', 'G:AMANDA']);
    expect(rs[0]!.value).to.equal(42);
    expect(rs[1]!.status.name).to.equal('ACNET_RETRY');
    expect(server!.conns.length).to.equal(1);
  });

  it('state$ keeps no `reconnecting` entry for a stream unsubscribed during its backoff', async () => {
    const probe = await fakeDpm();
    const port = probe.port;
    await probe.close(); // nothing listens there now: every attempt is refused
    client = dpm({ host: '127.0.0.1', port, linger: 50 });
    const c = client;
    const reconnecting = first(c.state$.pipe(filter((s) => s.kind === 'reconnecting')));
    const sub = c.stream('M:OUTTMP@p,1000', { reconnect: { initialDelay: 60_000 } }).subscribe({ error: () => undefined });
    const s = await reconnecting;
    sub.unsubscribe();
    const now: ConnectionState[] = [];
    c.state$.subscribe((st) => now.push(st)).unsubscribe();
    expect(now.filter((st) => st.connection === s.connection)).to.deep.equal([]);
  });

  it('an unencodable stream request (model with a lone surrogate) errors the stream, not the process', async () => {
    const c = await setup();
    const e = await errorOf(firstValueFrom(c.stream('M:OUTTMP@p,1000', { model: 'LOGGER:\uD800' })));
    expect(e).to.be.instanceOf(Error);
    expect((e as Error).name).to.equal('EncodeError');
  });

  it('close() fails running and later operations with ClientClosedError', async () => {
    let started!: () => void;
    const sent = new Promise<void>((r) => (started = r));
    const c = await setup((req) => {
      if (req.type === 'StartList_request') started();
    });
    const p = errorOf(firstValueFrom(c.read('M:OUTTMP')));
    await sent; // the read is running: sent, never answered
    c.close();
    expect(await p).to.be.instanceOf(ClientClosedError);
    expect(await errorOf(firstValueFrom(c.read('M:OUTTMP')))).to.be.instanceOf(ClientClosedError);
  });

  it('close() errors running streams with ClientClosedError', async () => {
    const c = await setup((req, conn) => {
      if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
      else if (req.type === 'StartList_request') {
        for (const [ref] of conn.list) conn.send([{ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: 1 }]);
      }
    });
    const p = new Promise<unknown>((resolve) => c.stream('M:OUTTMP@p,1000').subscribe({ next: () => c.close(), error: resolve }));
    expect(await p).to.be.instanceOf(ClientClosedError);
  });

  it('validates options with a ConfigError naming the option', () => {
    expect(() => dpm({ poolSize: 0 })).to.throw(ConfigError, /poolSize/);
    expect(() => dpm({ heartbeat: 2000 })).to.throw(ConfigError, /heartbeat/);
    expect(() => dpm({ timeouts: { operation: -1 } })).to.throw(ConfigError, /timeouts\.operation/);
    expect(() => dpm({ port: 70000 })).to.throw(ConfigError, /port/);
    expect(() => dpm({ bogus: 1 } as never)).to.throw(ConfigError, /bogus/);
    expect(() => dpm({ heartbeat: 500, testOnly: { heartbeatFloor: 100 } })).not.to.throw();
  });

  it('stream: readings flow; unsubscribe sends StopList and closes the socket', async () => {
    let timer: NodeJS.Timeout | undefined;
    const c = await setup((req, conn) => {
      if (req.type === 'AddToList_request') conn.list.set(req.ref_id, req.drf_request);
      else if (req.type === 'StartList_request') {
        conn.send([{ type: 'StartList_reply', list_id: conn.listId, status: 0 }]);
        let k = 0;
        timer = setInterval(() => {
          for (const [ref] of conn.list) conn.send([{ type: 'Scalar_reply', ref_id: ref, timestamp: Date.now(), cycle: k, status: 0, data: k }]);
          k++;
        }, 5);
        conn.socket.on('close', () => clearInterval(timer));
      }
    });
    const rs = await lastValueFrom(c.stream(['M:OUTTMP@p,5', 'G:AMANDA@p,5']).pipe(take(6), toArray()));
    expect(rs).to.have.length(6);
    expect(new Set(rs.map((r) => r.drf))).to.deep.equal(new Set(['M:OUTTMP@p,5', 'G:AMANDA@p,5']));
    const conn = server!.conns[0]!;
    await new Promise((r) => (conn.socket.destroyed ? r(undefined) : conn.socket.once('close', r)));
    expect(conn.requests.map((q) => q.type)).to.deep.equal(['AddToList_request', 'AddToList_request', 'StartList_request', 'StopList_request']);
  });
});

// ---------------------------------------------------------------------------
// Against the DPM simulator over real TCP
// ---------------------------------------------------------------------------
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../lib/sim/index.js';
import { ConnectionLost as Lost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import type { ConnectionState } from '../../lib/transport/connection-state.js';
import type { StreamEvent } from '../../lib/dpm/stream.js';
import { filter, firstValueFrom as first } from 'rxjs';

describe('dpm/client against the simulator', () => {
  let sim: SimulatorHandle | undefined;
  let client: DpmClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    await sim?.close();
    sim = undefined;
  });
  checkLeaks();

  async function start(simOpts: SimulatorOptions = {}, clientOpts = {}): Promise<DpmClient> {
    sim = await startSimulator({ port: 0, ...simOpts });
    client = dpm({ host: sim.host, port: sim.port, linger: 100, ...clientOpts });
    return client;
  }

  it('reads every value type', async () => {
    const c = await start();
    const rs = await first(
      c.getMany([
        'M:OUTTMP',
        'Z:ARRAY1K',
        'Z:TEXTDEV',
        'Z:TXTARR',
        'Z:RAWDEV.RAW',
        'Z:STSDEV.STATUS',
        'Z:STSDEV.ANALOG',
        'Z:STSDEV.DIGITAL',
        'Z:LOGDEV<-LOGGER:1700000000000:1700000060000',
      ]),
    );
    expect(rs.map((r) => r.valueType)).to.deep.equal([
      'scalar',
      'scalarArray',
      'text',
      'textArray',
      'raw',
      'basicStatus',
      'analogAlarm',
      'digitalAlarm',
      'timedScalarArray',
    ]);
    const [outtmp, arr, text, texts, raw, sts, ana, dig] = rs;
    expect(outtmp!.meta?.units).to.equal('DegF');
    expect(outtmp!.timestamp).to.be.instanceOf(Date);
    if (arr!.valueType === 'scalarArray') {
      expect(arr!.value).to.be.instanceOf(Float64Array);
      expect(arr!.value.length).to.equal(1024);
    }
    expect(text!.value).to.be.a('string');
    expect(texts!.value).to.deep.equal(['alpha', 'beta', 'gamma', 'delta']);
    expect(Array.from(raw!.value as Uint8Array)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sts!.value).to.deep.equal({ on: true, ready: false, remote: true, positive: false });
    expect(ana!.value).to.include({ minimum: 15, maximum: 30, triesNeeded: 3 });
    expect(dig!.value).to.include({ nominal: 5, mask: 7 });
  });

  it('reads an hour of logger data as one timed array', async () => {
    const c = await start();
    const t0 = 1700000000000;
    const v = await first(c.read(`Z:LOGDEV<-LOGGER:${t0}:${t0 + 3_600_000}`));
    const ta = v as { data: Float64Array; micros: Float64Array };
    expect(ta.data.length).to.be.within(35_990, 36_010);
    expect(ta.micros.length).to.equal(ta.data.length);
    expect(ta.micros[0]! / 1000).to.be.within(t0, t0 + 200);
    for (let i = 1; i < ta.micros.length; i++) if (!(ta.micros[i]! > ta.micros[i - 1]!)) throw new Error(`not increasing at ${i}`);
  });

  it('streams a logger request chunk by chunk and completes at the terminator', async () => {
    const c = await start();
    const t0 = 1700000000000;
    const chunks = await lastValueFrom(c.stream(`Z:LOGDEV<-LOGGER:${t0}:${t0 + 600_000}`).pipe(toArray()));
    expect(chunks.length).to.be.greaterThan(5);
    expect(chunks.every((r) => r.valueType === 'timedScalarArray')).to.equal(true);
  });

  it('getMany: request order, duplicates, partial failures', async () => {
    const c = await start();
    const rs = await first(c.getMany(['G:AMANDA', 'Z:NOTFND', 'M:OUTTMP', 'G:AMANDA', 'M:OUTTMP.FOOBAR_BAD_IS_DRF_ERROR'.slice(0, 8)]));
    expect(rs.map((r) => r.drf)).to.deep.equal(['G:AMANDA', 'Z:NOTFND', 'M:OUTTMP', 'G:AMANDA', 'M:OUTTMP']);
    expect(rs.map((r) => r.status.isFailure)).to.deep.equal([false, true, false, false, false]);
    expect(rs[1]!.status.name).to.equal('DBM_NOPROP');
  });

  it('concurrent reads on a small pool: every read gets its own answer', async () => {
    const c = await start({}, { poolSize: 2 });
    const drfs = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'Z:TEXTDEV' : 'Z:ARRAY1K'));
    const rs = await Promise.all(drfs.map((d) => first(c.get(d))));
    rs.forEach((r, i) => expect(r.valueType).to.equal(i % 2 === 0 ? 'text' : 'scalarArray'));
    expect(sim!.totalConnections).to.be.at.most(2);
  });

  it('HTTP error at the handshake is a HandshakeError with the status line', async () => {
    const c = await start({ faults: { httpError: 'HTTP/1.1 503 Service Unavailable' } });
    const e = await errorOf(first(c.read('M:OUTTMP')));
    expect(e).to.be.instanceOf(HandshakeError);
    expect((e as HandshakeError).statusLine).to.equal('HTTP/1.1 503 Service Unavailable');
  });

  it('the heartbeat watchdog notices a silent server', async () => {
    const c = await start({ faults: { noHeartbeats: true } }, { heartbeat: 400, testOnly: { heartbeatFloor: 100 } });
    const t0 = Date.now();
    const e = await errorOf(lastValueFrom(c.stream('M:OUTTMP@N')));
    expect(e).to.be.instanceOf(Lost);
    expect((e as Lost).reason).to.equal('heartbeat');
    expect(Date.now() - t0).to.be.within(350, 3000);
  });

  it('server dropping mid-stream errors the stream with ConnectionLost (no reconnect)', async () => {
    const c = await start({ faults: { dropAfterMs: 250 } });
    const seen: number[] = [];
    const e = await new Promise<unknown>((resolve) => {
      c.stream('M:OUTTMP@p,50').subscribe({ next: (r) => seen.push(r.value as number), error: resolve });
    });
    expect(e).to.be.instanceOf(Lost);
    expect(seen.length).to.be.greaterThan(1);
  });

  it('server dropping mid-frame is a fatal protocol error', async () => {
    const c = await start({ faults: { dropAfterMs: 200, dropMidFrame: true } });
    const e = await errorOf(lastValueFrom(c.stream('M:OUTTMP@p,20')));
    expect(e).to.be.instanceOf(Lost);
    expect((e as Lost).reason).to.equal('protocol');
  });

  it('with reconnect, a dropped stream reconnects, replays its list and reports the gap', async () => {
    const c = await start({ faults: (i) => (i === 0 ? { dropAfterMs: 250 } : {}) });
    const states: string[] = [];
    const sub = c.state$.subscribe((s: ConnectionState) => states.push(s.kind));
    const events = await lastValueFrom(
      c.streamEvents('M:OUTTMP@p,50', { reconnect: { initialDelay: 100 } }).pipe(
        filter((e: StreamEvent) => e.kind === 'reading'),
        take(12),
        toArray(),
      ),
    );
    sub.unsubscribe();
    const kinds = events.map((e) => (e.kind === 'reading' ? (e.reading.valueType === undefined ? e.reading.status.name : 'v') : e.kind));
    expect(kinds).to.include('ACNET_RETRY');
    expect(kinds.at(-1)).to.equal('v');
    expect(states).to.include.members(['open', 'reconnecting', 'connecting']);
    expect(sim!.totalConnections).to.equal(2);
  });

  it('state$: a stream that will reconnect reports `reconnecting`, never `closed` before it; `closed` only at the end', async () => {
    const c = await start({ faults: (i) => (i === 0 ? { dropAfterMs: 200 } : {}) });
    const states: ConnectionState[] = [];
    const sub = c.state$.subscribe((s: ConnectionState) => states.push(s));
    const events: StreamEvent[] = [];
    const rs = await lastValueFrom(
      c.streamEvents('M:OUTTMP@p,50', { reconnect: { initialDelay: 100 } }).pipe(
        filter((e: StreamEvent) => {
          events.push(e);
          return e.kind === 'reading' && e.reading.valueType !== undefined;
        }),
        take(8),
        toArray(),
      ),
    );
    sub.unsubscribe();
    expect(rs).to.have.length(8);
    const mine = states.filter((s) => s.connection.startsWith('stream#')).map((s) => s.kind);
    expect(mine).to.deep.equal(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']);
    const r = states.find((s) => s.kind === 'reconnecting');
    expect(r?.kind === 'reconnecting' ? r.reason : undefined).to.be.instanceOf(Lost);
    const last = states.at(-1);
    expect(last).to.deep.include({ kind: 'closed', reason: undefined });
    // streamEvents sees the same sequence (up to the unsubscribe)
    const seen = events.flatMap((e) => (e.kind === 'state' ? [e.state.kind] : []));
    expect(seen).to.deep.equal(['connecting', 'open', 'reconnecting', 'connecting', 'open']);
  });

  it('state$ keeps no entry for a stream unsubscribed on its gap reading (before `reconnecting`)', async () => {
    const c = await start({ faults: (i) => (i === 0 ? { dropAfterMs: 150 } : {}) });
    const label = await new Promise<string | undefined>((resolve) => {
      const sub = c.stream('M:OUTTMP@p,50', { reconnect: { initialDelay: 100 } }).subscribe((r) => {
        if (r.valueType === undefined) {
          sub.unsubscribe();
          const now: ConnectionState[] = [];
          c.state$.subscribe((st) => now.push(st)).unsubscribe();
          resolve(now.find((st) => st.connection.startsWith('stream#'))?.connection);
        }
      });
    });
    expect(label).to.equal(undefined);
  });

  it('stream() rejects the `stale` option (streamEvents only) with ConfigError naming it', async () => {
    const c = await start();
    // @ts-expect-error -- `stale` is not a StreamOptions field
    const e = await errorOf(lastValueFrom(c.stream('M:OUTTMP@p,50', { reconnect: true, stale: true })));
    expect(e).to.be.instanceOf(ConfigError);
    expect((e as ConfigError).option).to.equal('stale');
    expect(sim!.totalConnections).to.equal(0);
  });

  it('streamEvents marks a device stale, then the connection, before the watchdog ends it', async () => {
    const c = await start({ faults: { stallAfterFrames: 6 } }, { heartbeat: 2000, testOnly: { heartbeatFloor: 100 } });
    const seen: string[] = [];
    const e = await new Promise<unknown>((resolve) => {
      c.streamEvents('M:OUTTMP@p,50', { stale: true }).subscribe({
        next: (ev) => {
          const tag = ev.kind === 'reading' ? 'reading' : ev.kind === 'state' ? `state:${ev.state.kind}` : `stale:${ev.drf}`;
          if (seen.at(-1) !== tag) seen.push(tag);
        },
        error: resolve,
      });
    });
    expect(e).to.be.instanceOf(Lost);
    expect((e as Lost).reason).to.equal('heartbeat');
    expect(seen).to.include.members(['reading', 'state:stale', 'stale:M:OUTTMP@p,50', 'state:closed']);
    expect(seen.indexOf('state:stale')).to.be.below(seen.indexOf('stale:M:OUTTMP@p,50'));
  });

  it('unsubscribing a stream closes its connection', async () => {
    const c = await start();
    await lastValueFrom(c.stream(['M:OUTTMP@p,20', 'G:AMANDA@p,20']).pipe(take(4)));
    await until(() => sim!.connections === 0, { what: 'the simulator to see the close' });
  });

  it('a garbage frame is reported on protocolErrors$ and the stream goes on', async () => {
    const c = await start({ faults: { garbageFrameAfterFrames: 3 } });
    const reported: string[] = [];
    const sub = c.protocolErrors$.subscribe((e) => reported.push(e.category));
    const rs = await lastValueFrom(c.stream('M:OUTTMP@p,20').pipe(take(5), toArray()));
    sub.unsubscribe();
    expect(rs).to.have.length(5);
    expect(reported).to.have.length(1);
  });

  it('one-byte writes are reassembled', async () => {
    const c = await start({ faults: { oneByteWrites: true } });
    const v = await first(c.read('Z:ARRAY1K'));
    expect((v as Float64Array).length).to.equal(1024);
  });
});
