import { expect } from 'chai';
import { useSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { sleep } from '../support/raw-client.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';
import { SimStatus } from '../../lib/sim/index.js';

const scalars = (ms: readonly ReplyMessage[], ref: number): ReplyMessage[] =>
  ms.filter((m) => m.type === 'Scalar_reply' && m.ref_id === ref);

describe('sim/acquisition: events', () => {
  const h = useSim({ heartbeatMs: 5000, clockEvents: { '8F': 50, '11': 0 } });

  it('immediate (@I) → exactly one reply', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@I']]);
    await replyFor(c, 'Scalar_reply', 1);
    await sleep(100);
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
    await sleep(150);
    expect(scalars(c.since(), 1)).to.have.length(1);
    expect(scalars(c.since(), 2)).to.have.length(1); // next one only after 1 s
  });

  it('never (@N) → DeviceInfo_reply and no data', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'Z:ACLTST.SETTING@N']]);
    await replyFor(c, 'StartList_reply');
    await sleep(100);
    expect(c.since().map((m) => m.type)).to.deep.equal(['DeviceInfo_reply', 'StartList_reply']);
  });

  it('periodic @p,N at the given period, first reply at once', async () => {
    const c = await h.open();
    c.mark();
    const t0 = Date.now();
    addAndStart(c, [[1, 'G:AMANDA@p,25']]);
    await replyFor(c, 'Scalar_reply', 1);
    expect(Date.now() - t0).to.be.below(100);
    await sleep(300);
    const n = scalars(c.since(), 1).length;
    expect(n).to.be.within(3, 16);
  });

  it('periodic @p,N,false waits one period before the first reply', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@p,200,false']]);
    await replyFor(c, 'StartList_reply');
    await sleep(100);
    expect(scalars(c.since(), 1)).to.have.length(0);
    await replyFor(c, 'Scalar_reply', 1, 1000);
  });

  it('@q sends only when the value changes', async () => {
    const c = await h.open();
    h.sim.setDevice('Z:ACLTST', 1, 'setting');
    c.mark();
    addAndStart(c, [[1, 'Z:ACLTST@q,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    await sleep(120);
    expect(scalars(c.since(), 1)).to.have.length(1);
    h.sim.setDevice('Z:ACLTST', 2, 'setting');
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
    await sleep(1000);
    const n1 = scalars(c.since(), 1).length;
    const n2 = scalars(c.since(), 2).length;
    expect(n1).to.be.within(6, 17);
    expect(n2).to.be.within(20, 55);
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
    const t0 = Date.now();
    await replyFor(c, 'Scalar_reply', 1);
    expect(Date.now() - t0).to.be.at.least(95);
  });

  it('state event @S fires when the state device meets the condition', async () => {
    const c = await h.open();
    h.sim.setDevice('Z:ACLTST', 0, 'setting');
    c.mark();
    addAndStart(c, [[1, 'M:OUTTMP@S,Z:ACLTST,5,0,=']]);
    await replyFor(c, 'StartList_reply');
    h.sim.setDevice('Z:ACLTST', 4, 'setting');
    await sleep(50);
    expect(scalars(c.since(), 1)).to.have.length(0);
    h.sim.setDevice('Z:ACLTST', 5, 'setting');
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
    // frames already queued are still delivered; then the stream must stop
    let n = -1;
    for (let i = 0; i < 40 && n !== c.replies.length; i++) {
      n = c.replies.length;
      await sleep(150);
    }
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
    expect(await replyFor(c, 'Status_reply', 1)).to.include({ status: SimStatus.DIO_NOSCALE, cycle: 0 });
    h.sim.setDeviceError('G:AMANDA', undefined);
    c.mark();
    await sleep(30);
    c.mark();
    await replyFor(c, 'Scalar_reply', 1);
  });
});
