/**
 * The simulator's scheduler of continuous periodic requests, in virtual time: drift-free
 * occurrence times, catch-up after a late turn (bounded), a budget per event-loop turn
 * with round-robin fairness, and no timer left once every job is gone.
 */
import { expect } from 'chai';
import {
  PERIODIC_CATCH_UP_MS,
  PERIODIC_LIGHT_FRACTION,
  PERIODIC_LIGHT_TURNS,
  PeriodicScheduler,
  VISIT_COST,
} from '../../lib/sim/periodic-scheduler.js';
import { TurnScheduler } from './turn-scheduler.js';

const T0 = 1_700_000_000_000;

/** Occurrences delivered to one job: [index, nominal time] pairs, plus the visits. */
function recorder(): { got: [number, number][]; visits: number; listener: (first: number, count: number, at: (n: number) => number) => void } {
  const r = {
    got: [] as [number, number][],
    visits: 0,
    listener: (first: number, count: number, at: (n: number) => number): void => {
      r.visits++;
      for (let n = first; n < first + count; n++) r.got.push([n, at(n)]);
    },
  };
  return r;
}

describe('sim/periodic-scheduler', () => {
  it('delivers occurrence n at t0 + n·P, one per period when on time', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const r = recorder();
    ps.add(10, r.listener);
    s.advance(95);
    s.drain();
    expect(r.got).to.deep.equal(Array.from({ length: 9 }, (_, i) => [i + 1, T0 + (i + 1) * 10]));
    expect(r.visits).to.equal(9);
    ps.close();
  });

  it('a late turn delivers every overdue occurrence at once, with its nominal time (no drift)', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const r = recorder();
    ps.add(1, r.listener);
    s.jump(50); // the event loop was blocked for 50 ms
    s.advance(0);
    s.drain();
    expect(r.visits).to.equal(1);
    expect(r.got.map(([n]) => n)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(r.got.map(([, t]) => t - T0)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    // and on time again afterwards
    s.advance(3);
    s.drain();
    expect(r.got.slice(-3).map(([n, t]) => [n, t - T0])).to.deep.equal([
      [51, 51],
      [52, 52],
      [53, 53],
    ]);
    ps.close();
  });

  it('catch-up is bounded: after a long stall the oldest occurrences are skipped', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const r = recorder();
    ps.add(1, r.listener);
    s.jump(1000);
    s.advance(0);
    s.drain();
    expect(r.got).to.have.length(PERIODIC_CATCH_UP_MS);
    expect(r.got[0]![0]).to.equal(1000 - PERIODIC_CATCH_UP_MS + 1);
    expect(r.got[r.got.length - 1]).to.deep.equal([1000, T0 + 1000]);
    ps.close();
  });

  it('a slice spends a bounded budget, then yields; every job is served round-robin over the next turns', () => {
    const s = new TurnScheduler(T0);
    const slice = 10 * (1 + VISIT_COST); // ten visits of one occurrence each
    const ps = new PeriodicScheduler(s, slice);
    const jobs = Array.from({ length: 100 }, () => recorder());
    for (const j of jobs) ps.add(1, j.listener);
    s.advance(1);
    // the first slice ran in the timer: ten jobs served, the rest deferred to the next turns
    expect(jobs.filter((j) => j.visits > 0)).to.have.length(10);
    let io = 0;
    const turns: number[] = [];
    while (s.queued > 0) {
      io++; // what the poll phase would do between two slices
      s.turn();
      turns.push(jobs.filter((j) => j.visits > 0).length);
    }
    // (one more turn finds nothing due and goes to sleep until the next occurrence)
    expect(turns).to.deep.equal([20, 30, 40, 50, 60, 70, 80, 90, 100, 100]);
    expect(io).to.equal(10);
    expect(s.pending).to.equal(1);
    // later turns deliver the overdue occurrences of the jobs served last: nothing is lost
    s.advance(10);
    s.drain();
    for (const j of jobs) expect(j.got.map(([n]) => n)).to.deep.equal(Array.from({ length: 11 }, (_, i) => i + 1));
    ps.close();
  });

  it('while connections arrive, slices are light (more, shorter turns) and no occurrence is lost', () => {
    const s = new TurnScheduler(T0);
    const slice = 80 * (1 + VISIT_COST);
    const ps = new PeriodicScheduler(s, slice);
    const jobs = Array.from({ length: 100 }, () => recorder());
    for (const j of jobs) ps.add(1, j.listener);
    ps.arrival();
    s.advance(1);
    const served = (): number => jobs.filter((j) => j.visits > 0).length;
    expect(served()).to.equal(80 * PERIODIC_LIGHT_FRACTION);
    const turns = s.drain();
    expect(turns).to.be.at.least(100 / (80 * PERIODIC_LIGHT_FRACTION) - 1);
    expect(served()).to.equal(100);
    // after PERIODIC_LIGHT_TURNS turns, full slices again
    for (let t = 0; t < PERIODIC_LIGHT_TURNS; t++) {
      s.advance(1);
      s.drain();
    }
    const before = jobs.map((j) => j.visits);
    s.advance(1);
    expect(jobs.filter((j, i) => j.visits > before[i]!)).to.have.length(80);
    s.drain();
    for (const j of jobs) expect(j.got.map(([n]) => n)).to.deep.equal(Array.from({ length: j.got.length }, (_, i) => i + 1));
    ps.close();
  });

  it('jobs with different periods each keep their own rate', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const fast = recorder();
    const slow = recorder();
    ps.add(2, fast.listener);
    s.advance(1);
    ps.add(7, slow.listener);
    s.advance(999);
    s.drain();
    expect(fast.got).to.have.length(500);
    expect(slow.got).to.have.length(Math.floor(999 / 7));
    expect(slow.got[0]![1]).to.equal(T0 + 1 + 7);
    ps.close();
  });

  it('leaves no timer once every job is cancelled, and none after close()', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const a = ps.add(1000, () => undefined);
    const b = ps.add(60_000, () => undefined);
    expect(s.pending).to.equal(1); // one timer for the whole scheduler
    a.cancel();
    expect(s.pending).to.equal(1);
    b.cancel();
    expect(s.pending).to.equal(0);
    const r = recorder();
    ps.add(5, r.listener);
    s.advance(5);
    expect(r.got).to.have.length(1);
    ps.close();
    expect(s.pending).to.equal(0);
    expect(s.queued).to.equal(0);
    s.advance(100);
    expect(r.got).to.have.length(1);
  });

  it('a job cancelled by another job during a slice is not served again', () => {
    const s = new TurnScheduler(T0);
    const ps = new PeriodicScheduler(s);
    const victim = recorder();
    const handles: { cancel(): void }[] = [];
    ps.add(1, () => handles[0]?.cancel());
    handles.push(ps.add(1, victim.listener));
    s.advance(5);
    s.drain();
    expect(victim.got).to.have.length(0);
    ps.close();
  });
});
