import { expect } from 'chai';
import { defer, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchRead, prepareReads } from '../../lib/dpm/batch-read.js';
import { ConnectionPool } from '../../lib/dpm/pool.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { ConnectError } from '../../lib/errors/connect-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { Observable, type Subscription } from 'rxjs';
import type { Connection } from '../../lib/transport/connection.js';
import { FakeConnection } from '../support/fake-connection.js';

describe('dpm/batch-read', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('prepareReads adds @I, keeps events and logger sources', () => {
    expect(prepareReads(['M:OUTTMP', 'M:OUTTMP@p,1000', 'M:OUTTMP<-LOGGER:1:2']).map((p) => [p.wire, p.historical])).to.deep.equal([
      ['M:OUTTMP@I', false],
      ['M:OUTTMP@p,1000', false],
      ['M:OUTTMP<-LOGGER:1:2', true],
    ]);
  });

  it('one deadline for the batch: TimeoutError at the deadline with partial readings, connection discarded', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const add = msgs.find((m) => m.type === 'AddToList_request');
        if (add?.type === 'AddToList_request') {
          ts.schedule(() => c.reply({ type: 'Scalar_reply', ref_id: Number(add.ref_id), timestamp: 0, cycle: 0, status: 0, data: 7 }), 3);
        }
      };
      const src = cold<Connection>('-c', { c: conn });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 100, scheduler: ts });
      let err: TimeoutError | undefined;
      const read$ = batchRead(pool, prepareReads(['M:OUTTMP', 'Z:SLOW']), 20, ts);
      read$.subscribe({ error: (e: TimeoutError) => (err = e) });
      flush();
      expect(err).to.be.instanceOf(TimeoutError);
      expect(err!.missing).to.deep.equal(['Z:SLOW']);
      expect(err!.readings.map((r: Reading) => r.value)).to.deep.equal([7, undefined]);
      // the timed-out connection is not kept for the linger period
      expectSubscriptions(src.subscriptions).toBe('^-------------------!');
      void expectObservable;
    });
  });

  it('completes with readings in request order when every device answered (data before StartList_reply)', () => {
    ts.run(({ cold, expectObservable }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const adds = msgs.flatMap((m) => (m.type === 'AddToList_request' ? [Number(m.ref_id)] : []));
        if (adds.length === 0) return;
        ts.schedule(() => {
          for (const ref of [...adds].reverse()) c.reply({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: ref });
          c.reply({ type: 'StartList_reply', list_id: c.listId, status: 0 });
        }, 2);
      };
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conn }), { size: 1, linger: 5, scheduler: ts });
      const values$ = defer(() => batchRead(pool, prepareReads(['A:ONE', 'B:TWO', 'C:THREE']), 50, ts)).pipe(
        map((rs: Reading[]) => rs.map((r) => `${r.drf}=${String(r.value)}`).join(' ')),
      );
      expectObservable(values$).toBe('--(v|)', { v: 'A:ONE=1 B:TWO=2 C:THREE=3' });
    });
  });

  it('retries once on a fresh connection when the connection dies before any reply', () => {
    ts.run(({ cold, flush }) => {
      let opened = 0;
      const good = new FakeConnection(2);
      good.onSend = (msgs, c) => {
        for (const m of msgs) {
          if (m.type === 'AddToList_request') {
            ts.schedule(() => c.reply({ type: 'Scalar_reply', ref_id: Number(m.ref_id), timestamp: 0, cycle: 0, status: 0, data: 5 }), 1);
          }
        }
      };
      const pool = new ConnectionPool(
        () =>
          defer(() =>
            ++opened === 1
              ? cold<Connection>('c-#', { c: new FakeConnection(1) }, new ConnectionLost('reset', 'boom'))
              : cold<Connection>('c', { c: good }),
          ),
        { size: 1, linger: 5, scheduler: ts },
      );
      const out: unknown[] = [];
      batchRead(pool, prepareReads(['M:OUTTMP']), 50, ts).subscribe({ next: (rs) => out.push(rs[0]!.value), error: (e) => out.push(e) });
      flush();
      expect(out).to.deep.equal([5]);
      expect(opened).to.equal(2);
    });
  });

  it('a connection error after some replies carries the readings: real ones, ACNET_RETRY for the rest (§4.3)', () => {
    ts.run(({ cold, flush }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const add = msgs.find((m) => m.type === 'AddToList_request');
        if (add?.type === 'AddToList_request') {
          ts.schedule(() => c.reply({ type: 'Scalar_reply', ref_id: Number(add.ref_id), timestamp: 0, cycle: 0, status: 0, data: 7 }), 1);
        }
      };
      const lost = new ConnectionLost('reset', 'boom');
      let opened = 0;
      const pool = new ConnectionPool(() => defer(() => (opened++, cold<Connection>('c---#', { c: conn }, lost))), { size: 1, linger: 5, scheduler: ts });
      let err: unknown;
      batchRead(pool, prepareReads(['M:OUTTMP', 'Z:SLOW']), 50, ts).subscribe({ error: (e: unknown) => (err = e) });
      flush();
      // a reply had arrived: no retry
      expect(opened).to.equal(1);
      expect(err).to.be.instanceOf(ConnectionLost);
      const e = err as ConnectionLost;
      expect(e.reason).to.equal('reset');
      expect(e.message).to.equal(lost.message);
      expect(e).not.to.equal(lost); // a copy: the original may reach others
      expect(lost.readings).to.equal(undefined);
      expect(e.readings!.map((r) => r.drf)).to.deep.equal(['M:OUTTMP', 'Z:SLOW']);
      expect(e.readings![0]!.value).to.equal(7);
      expect(e.readings![1]!.value).to.equal(undefined);
      expect(e.readings![1]!.status.name).to.equal('ACNET_RETRY');
    });
  });

  it('when the retry fails too, the error carries ACNET_RETRY readings for every request', () => {
    ts.run(({ cold, flush }) => {
      let opened = 0;
      const pool = new ConnectionPool(
        () =>
          defer(() =>
            ++opened === 1
              ? cold<Connection>('c-#', { c: new FakeConnection(1) }, new ConnectionLost('reset', 'boom'))
              : cold<Connection>('--#', undefined, new ConnectError('h', 1, 'refused')),
          ),
        { size: 1, linger: 5, scheduler: ts },
      );
      let err: unknown;
      batchRead(pool, prepareReads(['A:ONE', 'B:TWO']), 50, ts).subscribe({ error: (e: unknown) => (err = e) });
      flush();
      expect(opened).to.equal(2);
      expect(err).to.be.instanceOf(ConnectError);
      expect((err as ConnectError).host).to.equal('h');
      expect((err as ConnectError).readings!.map((r) => `${r.drf}:${r.status.name}`)).to.deep.equal(['A:ONE:ACNET_RETRY', 'B:TWO:ACNET_RETRY']);
    });
  });

  it('a ListError discards the connection (the server refused or disposed the list)', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        if (msgs.some((m) => m.type === 'StartList_request')) ts.schedule(() => c.reply({ type: 'StartList_reply', list_id: c.listId, status: -6127 }), 1);
      };
      const src = cold<Connection>('c', { c: conn });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 100, scheduler: ts });
      let err: unknown;
      batchRead(pool, prepareReads(['M:OUTTMP']), 50, ts).subscribe({ error: (e: unknown) => (err = e) });
      flush();
      expect(err).to.be.instanceOf(ListError);
      expectSubscriptions(src.subscriptions).toBe('^!');
    });
  });

  it('unsubscribing while the retry is borrowing (a synchronous state callback) leaves no borrow behind', () => {
    ts.run(({ cold, flush }) => {
      let opened = 0;
      let secondClosed = false;
      const pool = new ConnectionPool(
        () =>
          defer(() => {
            if (++opened === 1) return cold<Connection>('c-#', { c: new FakeConnection(1) }, new ConnectionLost('reset', 'boom'));
            return new Observable<Connection>(() => {
              // like a `connecting` state delivered synchronously to a user who cancels the read
              readSub.unsubscribe();
              return () => (secondClosed = true);
            });
          }),
        { size: 1, linger: 5, scheduler: ts },
      );
      const readSub: Subscription = batchRead(pool, prepareReads(['M:OUTTMP']), 50, ts).subscribe({ error: () => undefined });
      flush();
      expect(opened).to.equal(2);
      expect(secondClosed).to.equal(true);
      expect(pool.inUse).to.equal(0);
    });
  });
});
