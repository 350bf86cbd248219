import { expect } from 'chai';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { RawDpmClient } from '../support/raw-client.js';
import { addAndStart, replyFor } from '../support/sim-harness.js';
import { activeResources, waitForNoLeaks } from '../support/leaks.js';

describe('sim/simulator', () => {
  let sim: SimulatorHandle;
  const clients: RawDpmClient[] = [];
  const open = async (): Promise<RawDpmClient> => {
    const c = await RawDpmClient.connect(sim.port);
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    sim = await startSimulator({ heartbeatMs: 150 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('listens on 127.0.0.1 with a free port and a url', () => {
    expect(sim.host).to.equal('127.0.0.1');
    expect(sim.port).to.be.greaterThan(0);
    expect(sim.url).to.equal(`tcp://127.0.0.1:${sim.port}`);
  });

  it('vertical slice: handshake → OpenList_reply → AddToList/StartList → Scalar_reply for M:OUTTMP', async () => {
    const c = await open();
    expect(c.replies[0]).to.deep.equal({ type: 'OpenList_reply', list_id: c.listId });
    expect(c.listId).to.be.within(4096, 6143);
    c.send(
      { type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP@I' },
      { type: 'StartList_request', list_id: c.listId },
    );
    const r = await c.waitFor((m) => m.type === 'Scalar_reply');
    if (r.type !== 'Scalar_reply') throw new Error('unreachable');
    expect(r.ref_id).to.equal(1);
    expect(r.status).to.equal(0);
    expect(r.data).to.be.within(40, 70);
    expect(Math.abs(r.timestamp - Date.now())).to.be.below(2000);
    expect(c.replies.map((m) => m.type)).to.deep.equal(['OpenList_reply', 'DeviceInfo_reply', 'StartList_reply', 'Scalar_reply']);
  });

  it('counts open connections and closes them all on close()', async () => {
    const a = await open();
    await open();
    expect(sim.connections).to.equal(2);
    expect(sim.totalConnections).to.equal(2);
    await sim.close();
    await a.waitClosed();
    expect(sim.connections).to.equal(0);
  });

  it('setDevice/getDevice change what later reads see', async () => {
    sim.setDevice('M:OUTTMP', 72.5);
    expect(sim.getDevice('m:outtmp')?.reading).to.deep.equal({ kind: 'scalar', value: 72.5 });
    const c = await open();
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 3, drf_request: 'M:OUTTMP@I' }, { type: 'StartList_request', list_id: c.listId });
    const r = await c.waitFor((m) => m.type === 'Scalar_reply');
    expect(r).to.include({ data: 72.5 });
    expect(() => sim.setDevice('Z:NOTFND', 1)).to.throw(RangeError);
    expect(sim.getDevice('Z:NOTFND')).to.equal(undefined);
  });
});

describe('sim/simulator: clean shutdown', () => {
  it('close() ends every connection and timer: no handle left (getActiveResourcesInfo before/after)', async function () {
    this.timeout(10000);
    // (a short settle before taking the baseline: handles of the previous test may still be
    // closing, and no event says when they are gone; a longer settle only makes the check stricter)
    await new Promise((r) => setTimeout(r, 20));
    const before = activeResources();
    const sim = await startSimulator({ heartbeatMs: 30, unknownDevice: 'DPM_PEND', pendDelayMs: 5000, faults: (i) => (i === 3 ? { replyDelayMs: 5000 } : {}) });
    const cs = await Promise.all([0, 1, 2, 3].map(() => RawDpmClient.connect(sim.port)));
    addAndStart(cs[0]!, [
      [1, 'G:AMANDA@p,10'],
      [2, 'M:OUTTMP@e,02'],
      [3, 'Z:NOTFND@I'],
    ]);
    addAndStart(cs[1]!, [[1, 'Z:FAST@p,1000']]);
    addAndStart(cs[2]!, [[1, 'M:OUTTMP@E,0F,E,1000']]);
    addAndStart(cs[3]!, [[1, 'M:OUTTMP@I']]);
    await replyFor(cs[0]!, 'Scalar_reply', 1);
    await replyFor(cs[1]!, 'Scalar_reply', 1);
    // two 15 Hz occurrences of 02: a 0F occurrence (15 Hz too) lies between them, so cs[2]'s
    // delayed job is pending when the simulator closes
    await cs[0]!.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 2, 2);
    await sim.close();
    await Promise.all(cs.map((c) => c.waitClosed()));
    expect(sim.connections).to.equal(0);
    const left = await waitForNoLeaks(before, 2000);
    expect(left, `left: ${left.join(', ')}`).to.deep.equal([]);
  });

  it('close() is idempotent and refuses new connections', async () => {
    const sim = await startSimulator();
    const p = sim.close();
    expect(sim.close()).to.equal(p);
    await p;
    let err: unknown;
    try {
      await RawDpmClient.connect(sim.port, { timeoutMs: 500 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(Error);
  });

  it('refuses a non-positive heartbeat period', async () => {
    let err: unknown;
    try {
      await startSimulator({ heartbeatMs: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RangeError);
  });
});
