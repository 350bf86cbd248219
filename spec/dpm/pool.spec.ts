import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { defer } from 'rxjs';
import { ConnectionPool, type Lease } from '../../lib/dpm/pool.js';
import { ClientClosedError } from '../../lib/errors/client-closed-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import type { Connection } from '../../lib/transport/connection.js';
import { FakeConnection } from '../support/fake-connection.js';

describe('dpm/pool', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('opens lazily, keeps the connection for the linger period after the last user, then tears it down', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const conn = new FakeConnection();
      const src = cold<Connection>('-c', { c: conn });
      const pool = new ConnectionPool(() => src, { size: 2, linger: 10, scheduler: ts });
      const got: string[] = [];
      ts.schedule(() => {
        const s = pool.borrow().subscribe((l) => got.push(`lease@${ts.now()}:${l.connection.listId}`));
        ts.schedule(() => s.unsubscribe(), 5);
      }, 2);
      flush();
      expect(got).to.deep.equal(['lease@3:4096']);
      // subscribed at 2, released at 7, linger 10 → torn down at 17
      expectSubscriptions(src.subscriptions).toBe('--^--------------!');
      expect(conn.refd).to.equal(false);
    });
  });

  it('a borrow within the linger reuses the open connection', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('-c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 10, scheduler: ts });
      const s1 = pool.borrow().subscribe();
      ts.schedule(() => s1.unsubscribe(), 3);
      ts.schedule(() => {
        const s2 = pool.borrow().subscribe();
        ts.schedule(() => s2.unsubscribe(), 2);
      }, 8);
      flush();
      // one connection: 0 → (released 10) + linger 10 → 20
      expectSubscriptions(src.subscriptions).toBe('^-------------------!');
    });
  });

  it('holds a connection exclusively; borrows beyond capacity queue in FIFO order', () => {
    ts.run(({ cold, flush }) => {
      const conns = [new FakeConnection(1), new FakeConnection(2)];
      let k = 0;
      const pool = new ConnectionPool(() => cold<Connection>('c', { c: conns[k++]! }), { size: 2, linger: 5, scheduler: ts });
      const log: string[] = [];
      const take = (name: string, at: number, hold: number) =>
        ts.schedule(() => {
          const s = pool.borrow().subscribe((l: Lease) => {
            log.push(`${name}:${l.connection.listId}@${ts.now()}`);
            ts.schedule(() => s.unsubscribe(), hold);
          });
        }, at);
      take('a', 0, 10);
      take('b', 1, 10);
      take('c', 2, 3);
      take('d', 3, 3);
      flush();
      expect(log).to.deep.equal(['a:1@0', 'b:2@1', 'c:1@10', 'd:2@11']);
      expect(pool.waiting).to.equal(0);
    });
  });

  it('discard() closes the connection on release instead of lingering', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 50, scheduler: ts });
      const s = pool.borrow().subscribe((l) => l.discard());
      ts.schedule(() => s.unsubscribe(), 4);
      flush();
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });

  it('a connection that errors is dropped and the next borrow opens a fresh one', () => {
    ts.run(({ cold, flush }) => {
      let opened = 0;
      const pool = new ConnectionPool(
        () =>
          defer(() =>
            ++opened === 1
              ? cold<Connection>('c--#', { c: new FakeConnection(1) }, new ConnectionLost('closed', 'x'))
              : cold<Connection>('c', { c: new FakeConnection(2) }),
          ),
        { size: 1, linger: 5, scheduler: ts },
      );
      const log: string[] = [];
      pool.borrow().subscribe({ next: (l) => log.push(`lease ${l.connection.listId}`), error: (e: Error) => log.push(e.name) });
      ts.schedule(() => {
        pool.borrow().subscribe((l) => log.push(`lease ${l.connection.listId}`));
      }, 5);
      flush();
      expect(log).to.deep.equal(['lease 1', 'ConnectionLost', 'lease 2']);
    });
  });

  it('close() fails queued and running borrows and tears down idle connections at once', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 100, scheduler: ts });
      const errors: unknown[] = [];
      const s = pool.borrow().subscribe();
      ts.schedule(() => s.unsubscribe(), 2);
      ts.schedule(() => {
        pool.borrow().subscribe({ error: (e) => errors.push(e) });
        pool.borrow().subscribe({ error: (e) => errors.push(e) });
      }, 3);
      ts.schedule(() => pool.close(), 6);
      flush();
      expect(errors).to.have.length(2);
      expect(errors[0]).to.be.instanceOf(ClientClosedError);
      expectSubscriptions(src.subscriptions).toBe('^-----!');
      pool.borrow().subscribe({ error: (e) => errors.push(e) });
      expect(errors[2]).to.be.instanceOf(ClientClosedError);
    });
  });

  it('a borrower leaving before its connection opened does not keep that connection', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('-----c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 50, scheduler: ts });
      const s = pool.borrow().subscribe();
      ts.schedule(() => s.unsubscribe(), 2);
      flush();
      expectSubscriptions(src.subscriptions).toBe('^-!');
    });
  });

  it('a queued borrower takes over the slot directly (no linger cycle, same connection)', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 5, scheduler: ts });
      const s1 = pool.borrow().subscribe();
      const got: number[] = [];
      const s2 = pool.borrow().subscribe(() => got.push(ts.now()));
      ts.schedule(() => s1.unsubscribe(), 3);
      ts.schedule(() => s2.unsubscribe(), 6);
      flush();
      expect(got).to.deep.equal([3]);
      expectSubscriptions(src.subscriptions).toBe('^----------!');
    });
  });

  it('a discarded connection is not handed to a queued borrower: that one gets a fresh connection', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const conns = [new FakeConnection(1), new FakeConnection(2)];
      let k = 0;
      const srcs = conns.map((c) => cold<Connection>('c', { c }));
      const pool = new ConnectionPool(() => defer(() => srcs[k++]!), { size: 1, linger: 50, scheduler: ts });
      const s1 = pool.borrow().subscribe((l) => l.discard()); // e.g. its read timed out
      const got: number[] = [];
      const s2 = pool.borrow().subscribe((l) => got.push(l.connection.listId));
      ts.schedule(() => s1.unsubscribe(), 3);
      ts.schedule(() => s2.unsubscribe(), 6);
      flush();
      expect(got).to.deep.equal([2]);
      expectSubscriptions(srcs[0]!.subscriptions).toBe('^--!');
      // the second connection was not discarded: it lingers after its healthy release
      expect(srcs[1]!.subscriptions.map((l) => [l.subscribedFrame, l.unsubscribedFrame])).to.deep.equal([[3, 6 + 50]]);
    });
  });

  it('a borrower leaving before its connection opened hands the opening connection to a waiter', () => {
    ts.run(({ cold, expectSubscriptions, flush }) => {
      const src = cold<Connection>('-----c', { c: new FakeConnection() });
      const pool = new ConnectionPool(() => src, { size: 1, linger: 5, scheduler: ts });
      const got: number[] = [];
      const s1 = pool.borrow().subscribe();
      const s2 = pool.borrow().subscribe(() => got.push(ts.now()));
      ts.schedule(() => s1.unsubscribe(), 2);
      ts.schedule(() => s2.unsubscribe(), 8);
      flush();
      // one connection, opened at 5 for the second borrower, lingering 5 after it left at 8
      expect(got).to.deep.equal([5]);
      expectSubscriptions(src.subscriptions).toBe('^------------!');
    });
  });

  it('a lease whose connection completes errors with ClientClosedError; the slot opens a fresh one next time', () => {
    ts.run(({ cold, flush }) => {
      let n = 0;
      const pool = new ConnectionPool(() => defer(() => cold<Connection>(++n === 1 ? 'c-|' : 'c', { c: new FakeConnection(n) })), {
        size: 1,
        linger: 5,
        scheduler: ts,
      });
      const log: string[] = [];
      pool.borrow().subscribe({ next: (l) => log.push(`lease ${l.connection.listId}`), error: (e: Error) => log.push(e.name) });
      ts.schedule(() => pool.borrow().subscribe((l) => log.push(`lease ${l.connection.listId}`)), 4);
      flush();
      expect(log).to.deep.equal(['lease 1', 'ClientClosedError', 'lease 2']);
      expect(pool.inUse).to.equal(1);
    });
  });
});
