import { expect } from 'chai';
import { finalize } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { deadline } from '../../lib/dpm/deadline.js';

describe('dpm/deadline (virtual time)', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('passes the source through when it ends in time', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-a-b|');
      expectObservable(src.pipe(deadline(10, () => new Error('late'), ts))).toBe('-a-b|');
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });

  it('errors with expire()’s result at the deadline, and unsubscribes the source', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-a------b|');
      const err = new Error('late');
      expectObservable(src.pipe(deadline(5, () => err, ts))).toBe('-a---#', undefined, err);
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('runs expire() before the source is torn down (a read discards its connection first)', () => {
    ts.run(({ cold, flush }) => {
      const log: string[] = [];
      const src = cold('--------|').pipe(finalize(() => log.push(`source torn down @${ts.now()}`)));
      src.pipe(deadline(3, () => (log.push(`expire @${ts.now()}`), new Error('late')), ts)).subscribe({ error: () => log.push('error') });
      flush();
      expect(log).to.deep.equal(['expire @3', 'error', 'source torn down @3']);
    });
  });

  it('an unsubscribed subscriber leaves no timer behind', () => {
    ts.run(({ cold, flush }) => {
      let expired = 0;
      const sub = cold('-----|').pipe(deadline(3, () => (expired++, new Error('late')), ts)).subscribe();
      ts.schedule(() => sub.unsubscribe(), 1);
      flush();
      expect(expired).to.equal(0);
    });
  });
});
