import { expect } from 'chai';
import { useVirtualSim, addAndStart, replyFor } from '../support/sim-harness.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';

type Scalar = Extract<ReplyMessage, { type: 'Scalar_reply' }>;
const scalars = (ms: readonly ReplyMessage[], refs: readonly number[]): Scalar[] =>
  ms.filter((m): m is Scalar => m.type === 'Scalar_reply' && refs.includes(m.ref_id));

/** cycle → timestamp of a list's clock-event replies; every request of an occurrence must agree. */
function byCycle(rs: readonly Scalar[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rs) {
    const t = out.get(r.cycle);
    if (t === undefined) out.set(r.cycle, r.timestamp);
    else expect(r.timestamp, `ref ${r.ref_id} cycle ${r.cycle}`).to.equal(t);
  }
  return out;
}

describe('sim: timestamps and cycle numbers', () => {
  // virtual time: the occurrences of 1.6 s happen in h.vs.advance; c.barrier() delivers their replies
  const h = useVirtualSim({ heartbeatMs: 5000 });

  it('two lists on @e,0F get one (timestamp, cycle) per event, consecutive cycles, exact 15 Hz; periodic replies carry the super-cycle', async () => {
    const a = await h.open();
    const b = await h.open();
    a.mark();
    b.mark();
    addAndStart(a, [
      [1, 'G:AMANDA@e,0F'],
      [2, 'M:OUTTMP@e,0F'],
      [3, 'Z:ACLTST@e,0F'],
      [9, 'G:AMANDA@p,20'],
    ]);
    addAndStart(b, [
      [5, 'Z:ACLTST@e,0F'],
      [6, 'G:AMANDA@e,0F'],
    ]);
    await replyFor(a, 'StartList_reply');
    await replyFor(b, 'StartList_reply');
    h.vs.advance(1600);
    await a.barrier();
    await b.barrier();
    const ta = byCycle(scalars(a.since(), [1, 2, 3]));
    const tb = byCycle(scalars(b.since(), [5, 6]));
    // every request of a list saw every occurrence, in order, cycles increasing by exactly 1
    for (const [c, refs] of [
      [a, [1, 2, 3]],
      [b, [5, 6]],
    ] as const) {
      for (const ref of refs) {
        const cycles = scalars(c.since(), [ref]).map((r) => r.cycle);
        expect(cycles.length, `ref ${ref}`).to.equal(24); // 1.6 s at 15 Hz
        cycles.forEach((n, i) => i === 0 || expect(n, `ref ${ref}`).to.equal(cycles[i - 1]! + 1));
      }
    }
    // both lists: the same timestamp for the same cycle
    const common = [...ta.keys()].filter((k) => tb.has(k));
    expect(common.length).to.equal(24);
    for (const k of common) expect(tb.get(k), `cycle ${k}`).to.equal(ta.get(k));
    // exact rate: 15 cycles are exactly 1000 ms apart; one cycle 66 or 67 ms
    const cs = [...ta.keys()].sort((x, y) => x - y);
    for (const k of cs) {
      if (ta.has(k - 1)) expect(ta.get(k)! - ta.get(k - 1)!).to.be.oneOf([66, 67]);
      if (ta.has(k - 15)) expect(ta.get(k)! - ta.get(k - 15)!).to.equal(1000);
    }
    // a periodic reply carries the number of the latest 15 Hz tick at its timestamp
    let checked = 0;
    for (const r of scalars(a.since(), [9])) {
      const t = ta.get(r.cycle);
      const next = ta.get(r.cycle + 1);
      if (t === undefined || next === undefined) continue;
      expect(r.timestamp, `periodic cycle ${r.cycle}`).to.be.within(t, next - 1);
      checked++;
    }
    expect(checked).to.be.at.least(10);
  });

  it('a delayed clock event (@E,0F,E,100) keeps the occurrence cycle, stamped 100 ms after it', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'G:AMANDA@e,0F'],
      [2, 'G:AMANDA@E,0F,E,100'],
    ]);
    await replyFor(c, 'StartList_reply');
    h.vs.advance(800);
    await c.barrier();
    const t1 = byCycle(scalars(c.since(), [1]));
    const delayed = scalars(c.since(), [2]);
    expect(delayed).to.have.length(10); // occurrences at 67 … 667 ms, each + 100 ms ≤ 800 ms
    for (const r of delayed) if (t1.has(r.cycle)) expect(r.timestamp - t1.get(r.cycle)!).to.equal(100);
  });
});
