import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { values } from '../../../lib/dpm/operators/values.js';
import { failed, scalar } from '../../support/readings.js';

describe('dpm/operators/values', () => {
  it('emits the values of good readings only', () => {
    new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    }).run(({ cold, expectObservable }) => {
      const src = cold('a-b-c|', { a: scalar('M:X', 1), b: failed('M:Y'), c: scalar('M:X', 3) });
      expectObservable(src.pipe(values())).toBe('a---c|', { a: 1, c: 3 });
    });
  });
});
