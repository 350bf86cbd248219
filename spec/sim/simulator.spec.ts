import { expect } from 'chai';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { RawDpmClient } from '../support/raw-client.js';

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
