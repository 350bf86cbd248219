import { expect } from 'chai';
import { useVirtualSim, addAndStart, replyFor } from '../support/sim-harness.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';
import { SimStatus } from '../../lib/sim/index.js';

const scalars = (ms: readonly ReplyMessage[], ref: number): ReplyMessage[] =>
  ms.filter((m) => m.type === 'Scalar_reply' && m.ref_id === ref);

describe('sim/acquisition: events', () => {
  // the simulator runs in virtual time: periods and clock events fire only on h.vs.advance, and
  // c.barrier() (a round trip) makes every reply produced so far arrive before counting
  const h = useVirtualSim({ heartbeatMs: 5000, clockEvents: { '8F': 50, '11': 0 } });

  it('immediate (@I) → exactly one reply', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@I']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.vs.advance(10_000);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1);
  });

  it("default event (none or @U) → the device's default: one reply for @I devices, periodic for M:OUTTMP (p,1000)", async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'G:AMANDA'],
      [2, 'M:OUTTMP@U'],
    ]);
    await replyFor(c, 'Scalar_reply', 1);
    await replyFor(c, 'Scalar_reply', 2);
    h.vs.advance(999);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1);
    expect(scalars(c.since(), 2)).to.have.length(1); // next one only after 1 s
    h.vs.advance(1);
    await replyFor(c, 'Scalar_reply', 2); // (the mark is before the first one: wait for the second)
    await c.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 2, 2);
    h.vs.advance(10_000);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1);
  });

  it('never (@N) → DeviceInfo_reply and no data', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'Z:ACLTST.SETTING@N']]);
    await replyFor(c, 'StartList_reply');
    h.vs.advance(10_000);
    await c.barrier();
    const types = c.since().map((m) => m.type);
    expect(types.filter((t) => t !== 'ListStatus_reply')).to.deep.equal(['DeviceInfo_reply', 'StartList_reply']); // heartbeats aside
  });

  it('periodic @p,N at the given period, first reply at once', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@p,25']]);
    await replyFor(c, 'Scalar_reply', 1); // with no time advanced: at once
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1);
    h.vs.advance(300);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1 + 300 / 25);
  });

  it('periodic @p,N,false waits one period before the first reply', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@p,200,false']]);
    await replyFor(c, 'StartList_reply');
    h.vs.advance(199);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(0);
    h.vs.advance(1);
    await replyFor(c, 'Scalar_reply', 1);
  });

  it('@q sends only when the value changes', async () => {
    const c = await h.open();
    h.sim.setDevice('Z:ACLTST', 1, 'setting');
    c.mark();
    addAndStart(c, [[1, 'Z:ACLTST@q,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.vs.advance(120);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(1);
    h.sim.setDevice('Z:ACLTST', 2, 'setting');
    h.vs.advance(20);
    await c.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 1, 2);
    const got = scalars(c.since(), 1).map((m) => (m.type === 'Scalar_reply' ? m.data : NaN));
    expect(got).to.deep.equal([1, 2]);
  });

  it('clock events: @e,02 at 15 Hz, a configured event at its rate, a rate-0 event never', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'G:AMANDA@e,02'],
      [2, 'G:AMANDA@E,8F'],
      [3, 'G:AMANDA@e,11'],
    ]);
    await replyFor(c, 'StartList_reply');
    h.vs.advance(1000);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(15);
    expect(scalars(c.since(), 2)).to.have.length(50);
    expect(scalars(c.since(), 3)).to.have.length(0);
    // cycle numbers increase
    const cycles = scalars(c.since(), 1).map((m) => (m.type === 'Scalar_reply' ? m.cycle : -1));
    expect(cycles[cycles.length - 1]!).to.be.greaterThan(cycles[0]!);
  });

  it('clock event with a delay (@E,0F,E,100) fires after the delay', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@E,0F,E,100']]);
    await replyFor(c, 'StartList_reply');
    const t0 = h.vs.now();
    h.vs.advance(99); // a 0F occurs within the first 67 ms; its reply is due 100 ms later
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(0);
    h.vs.advance(1000);
    const r = await replyFor(c, 'Scalar_reply', 1);
    expect(r.timestamp - t0).to.be.at.least(100);
  });

  it('state event @S fires when the state device meets the condition', async () => {
    const c = await h.open();
    h.sim.setDevice('Z:ACLTST', 0, 'setting');
    c.mark();
    addAndStart(c, [[1, 'M:OUTTMP@S,Z:ACLTST,5,0,=']]);
    await replyFor(c, 'StartList_reply');
    h.sim.setDevice('Z:ACLTST', 4, 'setting');
    h.vs.advance(1000);
    await c.barrier();
    expect(scalars(c.since(), 1)).to.have.length(0);
    h.sim.setDevice('Z:ACLTST', 5, 'setting');
    h.vs.advance(1000);
    await replyFor(c, 'Scalar_reply', 1);
  });

  it('fast stream device pushes many replies quickly, decodable, with increasing cycles', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[7, 'Z:FAST@p,1000']]);
    await c.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 7, 5000, 5000);
    const s = scalars(c.since(), 7).slice(0, 100);
    s.forEach((m, i) => expect(m).to.include({ cycle: i, status: 0, data: 1 }));
    c.send({ type: 'StopList_request', list_id: c.listId });
    // frames already queued are still delivered (they precede the barrier's reply); then the
    // stream must stop: nothing more between a second round trip, however much time passes
    await c.barrier(10_000);
    const n = c.replies.length;
    h.vs.advance(5000);
    await c.barrier();
    await c.barrier();
    expect(c.replies.length).to.equal(n);
    expect(c.decodeErrors).to.have.length(0);
  });

  it('a device in a simulated fault state answers Status_reply with its status, until cleared', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@p,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.sim.setDeviceError('G:AMANDA', SimStatus.DIO_NOSCALE);
    expect(h.sim.getDevice('G:AMANDA')?.errorStatus).to.equal(SimStatus.DIO_NOSCALE);
    h.vs.advance(20);
    expect(await replyFor(c, 'Status_reply', 1)).to.include({ status: SimStatus.DIO_NOSCALE, cycle: 0 });
    h.sim.setDeviceError('G:AMANDA', undefined);
    await c.barrier(); // the Status_replies already produced have arrived
    c.mark();
    h.vs.advance(20);
    await replyFor(c, 'Scalar_reply', 1);
  });
});
