import { expect } from 'chai';
import { ClockTimeline, DEFAULT_CLOCK_RATES, occurrenceAt, occurrenceOffset } from '../../lib/sim/clock-timeline.js';
import { realScheduler } from '../../lib/sim/scheduler.js';
import { checkLeaks } from '../support/leaks.js';
import { VirtualScheduler } from '../support/virtual-scheduler.js';

describe('sim/clock-timeline', () => {
  checkLeaks();
  it('02 and 0F at 15 Hz by default; others at the default rate', () => {
    const tl = new ClockTimeline(realScheduler, DEFAULT_CLOCK_RATES, 2);
    expect(tl.rateOf(0x02)).to.equal(15);
    expect(tl.rateOf(0x0f)).to.equal(15);
    expect(tl.rateOf(0x8f)).to.equal(2);
  });
  it('shares one timer per event among listeners and stops it when the last leaves', () => {
    const vs = new VirtualScheduler(1_700_000_000_000);
    const tl = new ClockTimeline(vs, { 0x10: 100 }, 1);
    const a: number[] = [];
    const b: number[] = [];
    const sa = tl.subscribe(0x10, (n) => a.push(n));
    const sb = tl.subscribe(0x10, (n) => b.push(n));
    expect(vs.pending).to.equal(1); // one timer for both listeners
    vs.advance(200);
    expect(a).to.have.length(20);
    expect(b).to.deep.equal(a);
    sa.cancel();
    expect(vs.pending).to.equal(1); // b still listens
    sb.cancel();
    expect(vs.pending).to.equal(0);
    vs.advance(30);
    expect(a).to.have.length(20);
  });
  it('close() stops everything', () => {
    const vs = new VirtualScheduler(1_700_000_000_000);
    const tl = new ClockTimeline(vs, {}, 100);
    let n = 0;
    tl.subscribe(1, () => n++);
    tl.close();
    expect(vs.pending).to.equal(0);
    vs.advance(30);
    expect(n).to.equal(0);
  });

  describe('in virtual time', () => {
    const T0 = 1_700_000_000_000;

    it('15 Hz is exactly 15 occurrences per second: 900 in 60 s, consecutive counters, nominal times', () => {
      const vs = new VirtualScheduler(T0);
      const tl = new ClockTimeline(vs, DEFAULT_CLOCK_RATES, 1);
      const got: [number, number][] = [];
      const sub = tl.subscribe(0x0f, (n, t) => got.push([n, t]));
      vs.advance(60_000);
      sub.cancel();
      expect(got).to.have.length(900);
      got.forEach(([n, t], i) => {
        expect(n).to.equal(i + 1);
        expect(t).to.equal(T0 + Math.round((n * 1000) / 15));
      });
      expect(got[899]![1] - T0).to.equal(60_000);
      // a second is always exactly 15 occurrences (intervals of 66 or 67 ms, never a fixed 67)
      for (let i = 15; i < got.length; i++) expect(got[i]![1] - got[i - 15]![1]).to.equal(1000);
      expect(new Set(got.slice(1).map(([, t], i) => t - got[i]![1]))).to.deep.equal(new Set([66, 67]));
      expect(vs.pending).to.equal(0); // no timer left once the last listener left
    });

    it('other rates are exact too (7 Hz, 1 kHz, 0.5 Hz over 60 s)', () => {
      const vs = new VirtualScheduler(T0);
      const tl = new ClockTimeline(vs, { 0x10: 7, 0x11: 1000, 0x12: 0.5 }, 1);
      const n = { 0x10: 0, 0x11: 0, 0x12: 0 };
      for (const e of [0x10, 0x11, 0x12] as const) tl.subscribe(e, () => n[e]++);
      vs.advance(60_000);
      tl.close();
      expect(n).to.deep.equal({ 0x10: 420, 0x11: 60_000, 0x12: 30 });
    });

    it('every listener of an occurrence gets the same (counter, time), whenever it subscribed', () => {
      const vs = new VirtualScheduler(T0);
      const tl = new ClockTimeline(vs, DEFAULT_CLOCK_RATES, 1);
      const a: [number, number][] = [];
      const b: [number, number][] = [];
      const sa = tl.subscribe(0x0f, (c, t) => a.push([c, t]));
      vs.advance(1234);
      const sb = tl.subscribe(0x0f, (c, t) => b.push([c, t]));
      vs.advance(2000);
      expect(b).to.have.length(30);
      expect(a.slice(a.length - b.length)).to.deep.equal(b);
      // the counter is the occurrence index since the origin, also after every listener left
      sa.cancel();
      sb.cancel();
      vs.advance(5000);
      const c: number[] = [];
      tl.subscribe(0x0f, (n) => c.push(n));
      vs.advance(200);
      expect(c[0]).to.equal(a[a.length - 1]![0] + 75 + 1);
      tl.close();
    });

    it('the 15 Hz super-cycle (cycleAt) is the counter of the 15 Hz events', () => {
      const vs = new VirtualScheduler(T0);
      const tl = new ClockTimeline(vs, DEFAULT_CLOCK_RATES, 1);
      let checked = 0;
      tl.subscribe(0x02, (n, t) => {
        expect(tl.cycleAt(t)).to.equal(n);
        expect(tl.cycleAt(t - 1)).to.equal(n - 1);
        expect(tl.cycleAt(vs.now())).to.equal(n);
        checked++;
      });
      vs.advance(10_000);
      tl.close();
      expect(checked).to.equal(150);
      expect(tl.cycleAt(T0)).to.equal(0);
      expect(tl.cycleAt(T0 - 5)).to.equal(0);
    });

    it('a late timer catches up (consecutive counters, nominal times); a stall over 1 s skips the backlog', () => {
      const vs = new VirtualScheduler(T0);
      const tl = new ClockTimeline(vs, DEFAULT_CLOCK_RATES, 1);
      const got: [number, number][] = [];
      tl.subscribe(0x0f, (n, t) => got.push([n, t]));
      vs.advance(100); // #1 at 67 ms
      vs.jump(300); // event loop blocked: #2..#6 (133..400 ms) late
      vs.advance(0);
      expect(got.map(([n]) => n)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(got.map(([, t]) => t - T0)).to.deep.equal([67, 133, 200, 267, 333, 400]);
      vs.jump(5000); // blocked for 5 s: only the last second's 15 occurrences are delivered
      vs.advance(0);
      const after = got.slice(6).map(([n]) => n);
      expect(after).to.have.length(15);
      expect(after[14]).to.equal(occurrenceAt(5400, 15));
      expect(after.every((n, i) => i === 0 || n === after[i - 1]! + 1)).to.equal(true);
      tl.close();
    });

    it('occurrenceAt inverts occurrenceOffset', () => {
      for (const hz of [15, 7, 1000, 0.5, 3]) {
        for (let n = 0; n < 500; n++) {
          const off = occurrenceOffset(n, hz);
          expect(occurrenceAt(off, hz)).to.equal(n);
          if (n > 0 && off - 1 >= occurrenceOffset(n - 1, hz)) expect(occurrenceAt(off - 1, hz)).to.equal(n - 1);
        }
      }
    });
  });
});
