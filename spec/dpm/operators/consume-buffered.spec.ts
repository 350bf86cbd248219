import { expect } from 'chai';
import { map, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { newBackpressureStats } from '../../../lib/dpm/operators/backpressure-stats.js';
import { consumeBuffered } from '../../../lib/dpm/operators/consume-buffered.js';

describe('dpm/operators/consume-buffered', () => {
  it('buffers at most `size` items and counts what overflows (drop-newest)', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, expectObservable }) => {
      const stats = newBackpressureStats();
      const src = cold('abcdef|');
      const out = src.pipe(consumeBuffered((x: string) => timer(3, ts).pipe(map(() => x)), { size: 2, stats }));
      // a runs at once; b, c wait; d (arriving before a is done) and f overflow
      expectObservable(out).toBe('---a--b--c--(e|)');
      ts.flush();
      expect(stats.dropped).to.equal(2);
      expect(stats.maxQueued).to.equal(2);
    });
  });

  it('drop-oldest keeps the newest items', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, expectObservable }) => {
      const src = cold('abcdef|');
      const out = src.pipe(consumeBuffered((x: string) => timer(3, ts).pipe(map(() => x)), { size: 2, overflow: 'drop-oldest' }));
      expectObservable(out).toBe('---a--c--e--(f|)');
    });
  });
});
