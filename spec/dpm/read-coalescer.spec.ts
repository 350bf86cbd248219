import { expect } from 'chai';
import { defer, firstValueFrom, forkJoin, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { prepareRead } from '../../lib/dpm/batch-read.js';
import { ConnectionPool } from '../../lib/dpm/pool.js';
import { ReadCoalescer } from '../../lib/dpm/read-coalescer.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { dpm, type DpmClient } from '../../lib/index.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import type { OutgoingRequest } from '../../lib/transport/connection.js';
import type { Connection } from '../../lib/transport/connection.js';
import { FakeConnection } from '../support/fake-connection.js';
import { fakeDpm } from '../support/fake-dpm.js';

/** The DRFs of each list a connection was sent (one array per StartList). */
function lists(sent: readonly (readonly OutgoingRequest[])[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const m of sent.flat()) {
    if (m.type === 'AddToList_request') cur.push(m.drf_request);
    else if (m.type === 'StartList_request') {
      out.push(cur);
      cur = [];
    }
  }
  return out;
}

/** A connection answering every AddToList `delay` frames after its list left, with a value from `value`. */
function answering(ts: TestScheduler, delay: number, value: (drf: string) => number | undefined = () => 1): FakeConnection {
  const conn = new FakeConnection();
  conn.onSend = (msgs, c) => {
    const adds = msgs.flatMap((m) => (m.type === 'AddToList_request' ? [[Number(m.ref_id), m.drf_request] as const] : []));
    if (adds.length === 0) return;
    ts.schedule(() => {
      for (const [ref, drf] of adds) {
        const v = value(drf);
        if (v !== undefined) c.reply({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: v });
      }
    }, delay);
  };
  return conn;
}

describe('dpm/read-coalescer', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  const value = (r: Reading): unknown => r.value;

  it('reads issued in the same tick travel in one list; each caller gets its own reading', () => {
    ts.run(({ cold, expectObservable }) => {
      const conn = answering(ts, 3, (drf) => drf.length);
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 4, linger: 10, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      // window 0: the list leaves at the end of the frame in which the reads were issued
      //   a$, b$, c$  ^ (frame 0) ---> one list ---> answers at frame 3
      expectObservable(co.read(prepareRead('A:ONE'), 50).pipe(map(value))).toBe('---(a|)', { a: 'A:ONE@I'.length });
      expectObservable(co.read(prepareRead('B:TWOO'), 50).pipe(map(value))).toBe('---(b|)', { b: 'B:TWOO@I'.length });
      expectObservable(co.read(prepareRead('C:THREE'), 50).pipe(map(value))).toBe('---(c|)', { c: 'C:THREE@I'.length });
      ts.schedule(() => expect(lists(conn.sent)).to.deep.equal([['A:ONE@I', 'B:TWOO@I', 'C:THREE@I']]), 5);
    });
  });

  it('a window gathers reads issued within it: reads at 0 and 1 share a list sent at 2, a read at 3 goes in the next', () => {
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 1);
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 4, linger: 10, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 2, maxBatch: 1000, scheduler: ts });
      // subscribe at frames 0, 1 and 3 with the scheduler
      const out: string[] = [];
      for (const [frame, drf] of [[0, 'A:ONE'], [1, 'B:TWO'], [3, 'C:THREE']] as const) {
        ts.schedule(() => co.read(prepareRead(drf), 50).subscribe((r) => out.push(`${ts.now()}:${r.drf}`)), frame);
      }
      flush();
      expect(lists(conn.sent)).to.deep.equal([['A:ONE@I', 'B:TWO@I'], ['C:THREE@I']]);
      // list 1 left at 2 (window from 0), answered at 3; list 2 left at 5, answered at 6
      expect(out).to.deep.equal(['3:A:ONE', '3:B:TWO', '6:C:THREE']);
    });
  });

  it('each caller has its own deadline: the fast one is answered, the slow one times out alone, naming only its device', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      // answers only A:FAST (Z:SLOW never answers)
      const conn = answering(ts, 4, (drf) => (drf.startsWith('A:FAST') ? 9 : undefined));
      const src = cold<Connection>('c', { c: conn });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 100, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      const out: unknown[] = [];
      co.read(prepareRead('A:FAST'), 50).subscribe({ next: (r) => out.push(`${ts.now()}:${String(r.value)}`) });
      co.read(prepareRead('Z:SLOW'), 20).subscribe({ error: (e: unknown) => out.push(e) });
      flush();
      expect(out[0]).to.equal('4:9');
      const e = out[1] as TimeoutError;
      expect(e).to.be.instanceOf(TimeoutError);
      expect(e.missing).to.deep.equal(['Z:SLOW']);
      expect(e.readings.map((r) => `${r.drf}:${r.status.name}`)).to.deep.equal(['Z:SLOW:ACNET_REQTMO']);
      expect(lists(conn.sent)).to.deep.equal([['A:FAST@I', 'Z:SLOW@I']]);
      // the list was abandoned with a request unanswered after a deadline: the connection is discarded
      expectSubscriptions(src.subscriptions).toBe('^-------------------!');
    });
  });

  it('deadlines are per caller even when callers share a timer: each times out at its own join time + its own timeout', () => {
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 1, () => undefined); // never answers
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 1, linger: 100, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 5, maxBatch: 1000, scheduler: ts });
      const out: string[] = [];
      const read = (drf: string, timeout: number): void =>
        void co.read(prepareRead(drf), timeout).subscribe({ error: (e: TimeoutError) => out.push(`${ts.now()}:${e.missing.join()}`) });
      ts.schedule(() => read('A:ONE', 20), 0);
      ts.schedule(() => read('C:THREE', 10), 1);
      ts.schedule(() => read('B:TWO', 20), 3);
      flush();
      expect(lists(conn.sent)).to.deep.equal([['A:ONE@I', 'C:THREE@I', 'B:TWO@I']]);
      expect(out).to.deep.equal(['11:C:THREE', '20:A:ONE', '23:B:TWO']);
    });
  });

  it('a caller that leaves before the list leaves is not sent; when every caller leaves, nothing is sent and no connection opens', () => {
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 1);
      let opened = 0;
      const pool = new ConnectionPool(() => defer(() => (opened++, cold<Connection>('c', { c: conn }))), { size: 1, linger: 10, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 3, maxBatch: 1000, scheduler: ts });
      const got: string[] = [];
      const a = co.read(prepareRead('A:ONE'), 50).subscribe((r) => got.push(r.drf));
      co.read(prepareRead('B:TWO'), 50).subscribe((r) => got.push(r.drf));
      ts.schedule(() => a.unsubscribe(), 1);
      flush();
      expect(lists(conn.sent)).to.deep.equal([['B:TWO@I']]);
      expect(got).to.deep.equal(['B:TWO']);

      const c = co.read(prepareRead('C:THREE'), 50).subscribe();
      const d = co.read(prepareRead('D:FOUR'), 50).subscribe();
      const before = opened;
      ts.schedule(() => {
        c.unsubscribe();
        d.unsubscribe();
      }, 1);
      flush();
      expect(lists(conn.sent)).to.have.length(1);
      expect(opened).to.equal(before);
    });
  });

  it('the same DRF read twice is requested once; both callers get the reading', () => {
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 1, () => 42);
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 1, linger: 10, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      const got: unknown[] = [];
      co.read(prepareRead('M:OUTTMP'), 50).subscribe((r) => got.push(r.value));
      co.read(prepareRead('M:OUTTMP'), 50).subscribe((r) => got.push(r.value));
      flush();
      expect(lists(conn.sent)).to.deep.equal([['M:OUTTMP@I']]);
      expect(got).to.deep.equal([42, 42]);
    });
  });

  it('maxBatch caps a list: the rest go in another list, on another pooled connection', () => {
    ts.run(({ cold, flush }) => {
      const conns: FakeConnection[] = [];
      const pool = new ConnectionPool(
        () =>
          defer(() => {
            const c = answering(ts, 1);
            conns.push(c);
            return cold<Connection>('c', { c });
          }),
        { size: 4, linger: 10, scheduler: ts },
      );
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 2, scheduler: ts });
      const got: string[] = [];
      for (const d of ['A:ONE', 'B:TWO', 'C:THREE']) co.read(prepareRead(d), 50).subscribe((r) => got.push(r.drf));
      flush();
      expect(conns.map((c) => lists(c.sent))).to.deep.equal([[['A:ONE@I', 'B:TWO@I']], [['C:THREE@I']]]);
      expect(got.sort()).to.deep.equal(['A:ONE', 'B:TWO', 'C:THREE']);
    });
  });

  it('while the pool is busy, later reads keep joining the waiting batch: one list when a connection frees', () => {
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 5);
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 1, linger: 10, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      const got: string[] = [];
      const read = (d: string): void => void co.read(prepareRead(d), 50).subscribe((r) => got.push(`${ts.now()}:${r.drf}`));
      read('A:ONE'); // leaves at 0, answered at 5
      ts.schedule(() => read('B:TWO'), 1);
      ts.schedule(() => read('C:THREE'), 2);
      ts.schedule(() => read('D:FOUR'), 4);
      flush();
      expect(lists(conn.sent)).to.deep.equal([['A:ONE@I'], ['B:TWO@I', 'C:THREE@I', 'D:FOUR@I']]);
      expect(got).to.deep.equal(['5:A:ONE', '10:B:TWO', '10:C:THREE', '10:D:FOUR']);
    });
  });

  it('a connection lost before any reply: the list is sent again on a fresh connection; lost after a reply: each waiting caller gets its own copy of the error with its reading', () => {
    ts.run(({ cold, flush }) => {
      let opened = 0;
      const good = answering(ts, 1, () => 5);
      const pool = new ConnectionPool(
        () =>
          defer(() =>
            ++opened === 1 ? cold<Connection>('c-#', { c: new FakeConnection(1) }, new ConnectionLost('reset', 'boom')) : cold<Connection>('c', { c: good }),
          ),
        { size: 1, linger: 5, scheduler: ts },
      );
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      const got: unknown[] = [];
      co.read(prepareRead('A:ONE'), 50).subscribe((r) => got.push(r.value));
      co.read(prepareRead('B:TWO'), 50).subscribe((r) => got.push(r.value));
      flush();
      expect(opened).to.equal(2);
      expect(got).to.deep.equal([5, 5]);
    });
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, flush }) => {
      const conn = answering(ts, 1, (drf) => (drf.startsWith('A:') ? 7 : undefined));
      const lost = new ConnectionLost('reset', 'boom');
      let opened = 0;
      const pool = new ConnectionPool(() => defer(() => (opened++, cold<Connection>('c---#', { c: conn }, lost))), { size: 1, linger: 5, scheduler: ts });
      const co = new ReadCoalescer(pool, { window: 0, maxBatch: 1000, scheduler: ts });
      const got: unknown[] = [];
      for (const d of ['A:ONE', 'B:TWO', 'C:THREE']) co.read(prepareRead(d), 50).subscribe({ next: (r) => got.push(r.value), error: (e: unknown) => got.push(e) });
      flush();
      expect(opened).to.equal(1);
      expect(got[0]).to.equal(7);
      const [b, c] = got.slice(1) as ConnectionLost[];
      expect(b).to.be.instanceOf(ConnectionLost);
      expect(b).not.to.equal(c);
      expect(b!.readings!.map((r) => `${r.drf}:${r.status.name}`)).to.deep.equal(['B:TWO:ACNET_RETRY']);
      expect(c!.readings!.map((r) => `${r.drf}:${r.status.name}`)).to.deep.equal(['C:THREE:ACNET_RETRY']);
      expect(lost.readings).to.equal(undefined);
    });
  });

  describe('over real sockets', () => {
    let sim: SimulatorHandle;
    let client: DpmClient | undefined;
    let separate: DpmClient | undefined;
    beforeEach(async () => {
      sim = await startSimulator({ port: 0 });
    });
    afterEach(async () => {
      client?.close();
      separate?.close();
      client = separate = undefined;
      await sim.close();
    });

    it('1,000 reads issued at once give the same results as 1,000 separate reads and as one getMany', async () => {
      const drfs: string[] = [];
      for (let i = 0; i < 990; i++) {
        const name = `M:OUTTMP`;
        drfs.push(i % 3 === 0 ? name : i % 3 === 1 ? 'G:AMANDA' : `Z:NOPE${i}`);
      }
      drfs.push('M:OUTTMP.SETTING', 'G:AMANDA@p,1000', 'Z:ACLTST', 'M:OUTTMP[0:1]', 'Z:BAD..X', 'M:OUTTMP.DESCRIPTION');
      sim.setDevice('M:OUTTMP', 71.5);
      sim.setDevice('G:AMANDA', 3);
      client = dpm({ host: sim.host, port: sim.port });
      separate = dpm({ host: sim.host, port: sim.port, coalesce: false });
      const key = (r: Reading): string => `${r.drf} ${r.status.name} ${JSON.stringify(r.value)}`;
      const valid = drfs.filter((d) => !d.includes('..'));
      const c = client;
      const together = await firstValueFrom(forkJoin(valid.map((d) => c.get(d))));
      const s = separate;
      const one = [];
      for (const d of valid.slice(0, 60)) one.push(await firstValueFrom(s.get(d)));
      const many = await firstValueFrom(client.getMany(valid));
      expect(together.map(key)).to.deep.equal(many.map(key));
      expect(together.slice(0, 60).map(key)).to.deep.equal(one.map(key));
      // an invalid DRF fails alone, before anything is sent
      const bad = await firstValueFrom(c.get('Z:BAD..X')).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      expect(bad).to.equal('DrfError');
    });

    it('1,000 reads issued at once travel in one list; a read issued later goes in a new one', async () => {
      const server = await fakeDpm();
      const c = dpm({ host: '127.0.0.1', port: server.port });
      try {
        const drfs = Array.from({ length: 1000 }, (_, i) => `Z:DEV${i}`);
        const rs = await firstValueFrom(forkJoin(drfs.map((d) => c.read(d))));
        expect(rs).to.have.length(1000);
        await firstValueFrom(c.read('M:OUTTMP'));
        const starts = server.conns.flatMap((k) => k.requests.filter((m) => m.type === 'StartList_request'));
        const adds = server.conns.flatMap((k) => k.requests.filter((m) => m.type === 'AddToList_request'));
        expect(starts).to.have.length(2);
        expect(adds).to.have.length(1001);
      } finally {
        c.close();
        await server.close();
      }
    });

    it('coalesce: false sends each read in a list of its own', async () => {
      const server = await fakeDpm();
      const c = dpm({ host: '127.0.0.1', port: server.port, coalesce: false, poolSize: 1 });
      try {
        await firstValueFrom(forkJoin(['A:ONE', 'B:TWO', 'C:THREE'].map((d) => c.read(d))));
        const starts = server.conns.flatMap((k) => k.requests.filter((m) => m.type === 'StartList_request'));
        expect(starts).to.have.length(3);
      } finally {
        c.close();
        await server.close();
      }
    });
  });
});
