import { expect } from 'chai';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { latestPerDevice } from '../../../lib/dpm/operators/latest-per-device.js';
import { scalar } from '../../support/readings.js';

describe('dpm/operators/latest-per-device', () => {
  it('keeps the latest reading of every device', () => {
    new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    }).run(({ cold, expectObservable }) => {
      const src = cold('a-b-c|', { a: scalar('M:X', 1), b: scalar('M:Y', 2), c: scalar('M:X', 3) });
      const out = src.pipe(
        latestPerDevice(),
        map((m) => [...m.values()].map((r) => `${r.drf}=${String(r.value)}`).join(' ')),
      );
      expectObservable(out).toBe('a-b-c|', { a: 'M:X=1', b: 'M:X=1 M:Y=2', c: 'M:X=3 M:Y=2' });
    });
  });
});
