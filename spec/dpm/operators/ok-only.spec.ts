import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { okOnly } from '../../../lib/dpm/operators/ok-only.js';
import { failed, scalar } from '../../support/readings.js';

describe('dpm/operators/ok-only', () => {
  it('drops error readings', () => {
    new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    }).run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = scalar('M:X', 1);
      const src = cold('a-b-a-', { a, b: failed('M:Y') });
      expectObservable(src.pipe(okOnly()), '^---!').toBe('a---', { a });
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });
});
