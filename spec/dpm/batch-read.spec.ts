import { expect } from 'chai';
import { defer, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchRead, prepareReads } from '../../lib/dpm/batch-read.js';
import { ConnectionPool } from '../../lib/dpm/pool.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
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
});
