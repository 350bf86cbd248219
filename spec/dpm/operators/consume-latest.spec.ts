import { expect } from 'chai';
import { map, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { newBackpressureStats } from '../../../lib/dpm/operators/backpressure-stats.js';
import { consumeLatest } from '../../../lib/dpm/operators/consume-latest.js';
import { scalar } from '../../support/readings.js';

describe('dpm/operators/consume-latest', () => {
  it('keeps only the newest pending reading per device while the consumer is busy', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold }) => {
      const stats = newBackpressureStats();
      // X arrives every frame, Y once; each piece of work takes 5 frames
      const src = cold('abcdefgh|', {
        a: scalar('M:X', 1), b: scalar('M:X', 2), c: scalar('M:Y', 9), d: scalar('M:X', 4),
        e: scalar('M:X', 5), f: scalar('M:X', 6), g: scalar('M:X', 7), h: scalar('M:X', 8),
      });
      const out: string[] = [];
      src.pipe(consumeLatest((r) => timer(5, ts).pipe(map(() => `${r.drf}=${String(r.value)}`)), { stats })).subscribe((v) => out.push(v));
      ts.flush();
      // 8 readings, 4 consumer runs: the first, then the newest X, Y (kept its place), the newest X
      expect(out[0]).to.equal('M:X=1');
      expect(out).to.include('M:Y=9');
      expect(out.at(-1)).to.equal('M:X=8');
      expect(out).to.have.length(4);
      expect(stats.dropped).to.equal(4);
      expect(stats.processed).to.equal(4);
      expect(stats.maxQueued).to.equal(2);
    });
  });
});
