/**
 * The simulator's fast-stream pump, turn by turn (a manual `setImmediate`): bounded bytes
 * per event-loop turn, round-robin among ready streams, streams that wait for their socket
 * leave the ring and come back, nothing left pending after close.
 */
import { expect } from 'chai';
import {
  FAST_CHUNK_MAX_BYTES,
  FAST_CHUNK_MIN_BYTES,
  FAST_LIGHT_SERVE_EVERY,
  FAST_LIGHT_TURNS,
  FastStreamPump,
  type PumpJob,
} from '../../lib/sim/fast-stream-pump.js';
import { TurnScheduler } from './turn-scheduler.js';

interface TestJob extends PumpJob {
  produced: number;
  calls: number;
  chunks: number[];
  /** Next produce leaves the ring (as a congested stream does). */
  congestNext: boolean;
  stopped: boolean;
}

function job(): TestJob {
  const j: TestJob = {
    produced: 0,
    calls: 0,
    chunks: [],
    congestNext: false,
    stopped: false,
    produce(max) {
      if (j.stopped) return -1;
      if (j.congestNext) {
        j.congestNext = false;
        return -1;
      }
      j.calls++;
      j.produced += max;
      j.chunks.push(max);
      return max;
    },
  };
  return j;
}

describe('sim/fast-stream-pump', () => {
  const TURN = 1024 * 1024;

  it('spends at most its budget per turn, split over the ready streams, and serves them round-robin', () => {
    const s = new TurnScheduler(0);
    const pump = new FastStreamPump((fn) => s.setImmediate(fn), TURN);
    const jobs = Array.from({ length: 1000 }, () => job());
    for (const j of jobs) pump.add(j);
    const perTurn: number[] = [];
    for (let t = 0; t < 64; t++) {
      const before = jobs.reduce((a, j) => a + j.produced, 0);
      expect(s.turn()).to.equal(1); // one pump turn per event-loop turn
      perTurn.push(jobs.reduce((a, j) => a + j.produced, 0) - before);
    }
    for (const b of perTurn) expect(b).to.be.at.most(TURN);
    for (const j of jobs) for (const c of j.chunks) expect(c).to.equal(FAST_CHUNK_MIN_BYTES); // 1 MiB / 1,000 is below the minimum chunk
    // 64 turns of 64 chunks: every stream served 4 or 5 times, none starved
    const calls = jobs.map((j) => j.calls);
    expect(Math.min(...calls)).to.be.at.least(4);
    expect(Math.max(...calls) - Math.min(...calls)).to.be.at.most(1);
    pump.close();
    expect(s.queued).to.equal(0);
  });

  it('one ready stream gets the largest chunk each turn', () => {
    const s = new TurnScheduler(0);
    const pump = new FastStreamPump((fn) => s.setImmediate(fn), TURN);
    const j = job();
    pump.add(j);
    s.turn();
    s.turn();
    expect(j.chunks).to.deep.equal([FAST_CHUNK_MAX_BYTES, FAST_CHUNK_MAX_BYTES]);
    pump.close();
  });

  it('a stream that waits for its socket leaves the ring until added again; a stopped one for good', () => {
    const s = new TurnScheduler(0);
    const pump = new FastStreamPump((fn) => s.setImmediate(fn), TURN);
    const a = job();
    const b = job();
    pump.add(a);
    pump.add(b);
    a.congestNext = true;
    s.turn();
    expect(pump.size).to.equal(1);
    expect([a.calls, b.calls]).to.deep.equal([0, 1]);
    s.turn();
    expect([a.calls, b.calls]).to.deep.equal([0, 2]);
    pump.add(a); // 'drain'
    s.turn();
    expect([a.calls, b.calls]).to.deep.equal([1, 3]);
    a.stopped = true;
    b.stopped = true;
    s.turn();
    expect(pump.size).to.equal(0);
    expect(s.queued).to.equal(0); // nothing ready: no turn pending
    pump.close();
  });

  it('while connections arrive, turns are light: one minimal chunk every few turns, then full turns again', () => {
    const s = new TurnScheduler(0);
    const pump = new FastStreamPump((fn) => s.setImmediate(fn), TURN);
    const jobs = Array.from({ length: 100 }, () => job());
    for (const j of jobs) pump.add(j);
    pump.arrival();
    const produced = (): number => jobs.reduce((a, j) => a + j.produced, 0);
    const perTurn: number[] = [];
    for (let t = 0; t < FAST_LIGHT_TURNS; t++) {
      const before = produced();
      expect(s.turn()).to.equal(1); // the loop keeps turning (accepts happen between turns)
      perTurn.push(produced() - before);
    }
    expect(perTurn.filter((b) => b > 0)).to.have.length(FAST_LIGHT_TURNS / FAST_LIGHT_SERVE_EVERY);
    for (const b of perTurn) expect(b === 0 || b === FAST_CHUNK_MIN_BYTES).to.equal(true);
    const before = produced();
    s.turn();
    expect(produced() - before).to.equal(TURN); // light mode over
    pump.close();
  });

  it('after close() nothing runs and adding does nothing', () => {
    const s = new TurnScheduler(0);
    const pump = new FastStreamPump((fn) => s.setImmediate(fn), TURN);
    const j = job();
    pump.add(j);
    pump.close();
    pump.add(job());
    expect(s.drain()).to.equal(0);
    expect(j.calls).to.equal(0);
  });
});
