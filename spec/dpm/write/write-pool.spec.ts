import { expect } from 'chai';
import { Observable, Subject, firstValueFrom, of, type Subscriber } from 'rxjs';
import { ClientClosedError } from '../../../lib/errors/client-closed-error.js';
import { WritePool, type WriteKey } from '../../../lib/dpm/write/write-pool.js';
import type { WriteConnection } from '../../../lib/dpm/write/write-connection.js';
import { FakeConnection } from '../../support/fake-connection.js';

const ALICE: WriteKey = { principal: 'alice@FNAL.GOV', role: undefined };
const BOB: WriteKey = { principal: 'bob@FNAL.GOV', role: undefined };

/** A controllable authenticated-connection Observable: records opens and closes. */
class Opener {
  opened = 0;
  closed = 0;
  readonly pending: Subscriber<WriteConnection>[] = [];
  /** Emit at once (true) or wait for `authenticate()` (false). */
  constructor(private readonly immediate = true) {}
  readonly open$ = new Observable<WriteConnection>((s) => {
    this.opened++;
    const wc: WriteConnection = { connection: new FakeConnection(4096 + this.opened), principal: 'alice@FNAL.GOV', role: undefined };
    if (this.immediate) s.next(wc);
    else this.pending.push(s);
    return () => this.closed++;
  });
  authenticate(): void {
    const s = this.pending.shift()!;
    s.next({ connection: new FakeConnection(), principal: 'alice@FNAL.GOV', role: undefined });
  }
}

const work = (v: boolean) => (): Observable<boolean> => of(v);
const keep = (v: boolean): boolean => v;

describe('dpm/write/write-pool: authenticated connections lent as a resource-scoped Observable', () => {
  it('a lease whose work ends reusable gives the connection back; the next lease of the same identity reuses it', async () => {
    const pool = new WritePool(2);
    const o = new Opener();
    expect(await firstValueFrom(pool.lease(ALICE, o.open$, work(true), keep))).to.equal(true);
    expect(await firstValueFrom(pool.lease(ALICE, o.open$, work(true), keep))).to.equal(true);
    expect([o.opened, o.closed, pool.idleCount, pool.count]).to.deep.equal([1, 0, 1, 1]);
    pool.close();
    expect(o.closed).to.equal(1);
  });

  it('work that ends not reusable (or errors) closes the connection', async () => {
    const pool = new WritePool(2);
    const o = new Opener();
    await firstValueFrom(pool.lease(ALICE, o.open$, work(false), keep));
    expect([o.opened, o.closed, pool.count]).to.deep.equal([1, 1, 0]);
    const e = await firstValueFrom(pool.lease(ALICE, o.open$, () => new Observable<boolean>((s) => s.error(new Error('boom'))), keep)).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(Error).with.property('message', 'boom');
    expect([o.opened, o.closed, pool.count]).to.deep.equal([2, 2, 0]);
  });

  it('another identity opens its own connection; a full pool closes the idle one of the other identity', async () => {
    const pool = new WritePool(1);
    const o = new Opener();
    await firstValueFrom(pool.lease(ALICE, o.open$, work(true), keep));
    await firstValueFrom(pool.lease(BOB, o.open$, work(true), keep));
    expect([o.opened, o.closed, pool.count]).to.deep.equal([2, 1, 1]);
    pool.close();
  });

  it('a full pool makes leases wait in FIFO order; an unsubscribed waiter leaves the queue', () => {
    const pool = new WritePool(1);
    const o = new Opener();
    const hold = new Subject<boolean>();
    const order: string[] = [];
    pool.lease(ALICE, o.open$, () => hold, keep).subscribe(() => order.push('first'));
    const second = pool.lease(ALICE, o.open$, work(true), keep).subscribe(() => order.push('second'));
    pool.lease(ALICE, o.open$, work(true), keep).subscribe(() => order.push('third'));
    second.unsubscribe();
    expect(order).to.deep.equal([]);
    hold.next(true);
    hold.complete();
    expect(order).to.deep.equal(['first', 'third']);
    expect(o.opened).to.equal(1);
    pool.close();
  });

  it('unsubscribing while the connection is being opened (e.g. authenticating) closes it; nothing is lent', () => {
    const pool = new WritePool(1);
    const o = new Opener(false);
    let ran = false;
    const sub = pool.lease(ALICE, o.open$, () => {
      ran = true;
      return of(true);
    }, keep).subscribe();
    expect([o.opened, o.closed, pool.count]).to.deep.equal([1, 0, 1]);
    sub.unsubscribe();
    expect([o.opened, o.closed, pool.count]).to.deep.equal([1, 1, 0]);
    expect(ran).to.equal(false);
  });

  it('an idle connection that dies is dropped from the pool', async () => {
    const pool = new WritePool(1);
    let sink: Subscriber<WriteConnection> | undefined;
    const open$ = new Observable<WriteConnection>((s) => {
      sink = s;
      s.next({ connection: new FakeConnection(), principal: 'alice@FNAL.GOV', role: undefined });
    });
    await firstValueFrom(pool.lease(ALICE, open$, work(true), keep));
    expect(pool.idleCount).to.equal(1);
    sink!.error(new Error('connection lost'));
    expect([pool.idleCount, pool.count]).to.deep.equal([0, 0]);
  });

  it('close(): waiting and opening leases and lent work fail with ClientClosedError; later leases too', () => {
    const pool = new WritePool(2);
    const o = new Opener(false);
    const errors: unknown[] = [];
    const lent = new Opener();
    pool.lease(BOB, lent.open$, () => new Subject<boolean>(), keep).subscribe({ error: (e: unknown) => errors.push(e) });
    pool.lease(ALICE, o.open$, work(true), keep).subscribe({ error: (e: unknown) => errors.push(e) });
    pool.lease(ALICE, o.open$, work(true), keep).subscribe({ error: (e: unknown) => errors.push(e) });
    pool.close();
    expect(errors).to.have.length(3);
    for (const e of errors) expect(e).to.be.instanceOf(ClientClosedError);
    expect([o.closed, lent.closed, pool.count]).to.deep.equal([1, 1, 0]);
    let late: unknown;
    pool.lease(ALICE, o.open$, work(true), keep).subscribe({ error: (e: unknown) => (late = e) });
    expect(late).to.be.instanceOf(ClientClosedError);
  });
});
