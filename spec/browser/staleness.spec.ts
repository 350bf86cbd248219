import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import type { GatewayStreamEvent } from '../../lib/browser/events.js';
import { reportStale, staleLimits } from '../../lib/browser/staleness.js';
import { failed, scalar } from '../support/readings.js';

describe('browser/staleness', () => {
  it('limits: 2 × period + 1 s for periodic DRFs with `true`, one limit for all with afterMs', () => {
    expect(staleLimits(['M:OUTTMP@p,100', 'G:AMANDA@e,02', 'Z:X@I', 'M:OUTTMP@q,1000'], true)).to.deep.equal([1200, 0, 0, 3000]);
    expect(staleLimits(['M:OUTTMP@p,100', 'G:AMANDA@e,02'], { afterMs: 700 })).to.deep.equal([700, 700]);
    expect(staleLimits(['M:OUTTMP@p,100'], undefined)).to.deep.equal([0]);
    expect(staleLimits(['M:OUTTMP@p,100'], false)).to.deep.equal([0]);
  });

  it('reports a device once per silence; a value reading ends it; error readings are no data (marbles)', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, expectObservable }) => {
      const a: GatewayStreamEvent = { kind: 'reading', reading: scalar('A:X@p,10', 1) };
      const e: GatewayStreamEvent = { kind: 'reading', reading: failed('A:X@p,10', -255) };
      // limit 40 ms, checked every 10 ms
      const src = cold<GatewayStreamEvent>('a 9ms e 49ms a 99ms |', { a, e });
      const out = src.pipe(reportStale(['A:X@p,10'], [40], ts));
      // at 40 the device has been silent for 40 ms (the error reading at 10 does not count)
      expectObservable(out).toBe('a 9ms e 29ms s 19ms a 39ms t 59ms |', {
        a,
        e,
        s: { kind: 'stale', drf: 'A:X@p,10', silentMs: 40 },
        t: { kind: 'stale', drf: 'A:X@p,10', silentMs: 40 },
      });
    });
  });

  it('with no watched device it passes the source through untouched', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, expectObservable }) => {
      const a: GatewayStreamEvent = { kind: 'reading', reading: scalar('A:X', 1) };
      expectObservable(cold<GatewayStreamEvent>('a 100ms |', { a }).pipe(reportStale(['A:X'], [0], ts))).toBe('a 100ms |', { a });
    });
  });
});
