import { expect } from 'chai';
import { connect } from 'node:net';
import { useSim, useVirtualSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { RawDpmClient } from '../support/raw-client.js';
import { until } from '../support/until.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';
import { startSimulator, SimStatus, type SimulatorHandle } from '../../lib/sim/index.js';
import { encodeRequestFrame, HANDSHAKE_REQUEST } from '../../lib/protocol/index.js';

const heartbeats = (ms: readonly ReplyMessage[]): number => ms.filter((m) => m.type === 'ListStatus_reply').length;

describe('sim/connection: heartbeats', () => {
  // virtual time; AddToList acknowledgements (addToListReplies) do not count as activity, so the
  // c.barrier() round trips (an AddToList) do not hold back a heartbeat
  const h = useVirtualSim({ heartbeatMs: 120, addToListReplies: true });

  it('sends ListStatus_reply {list_id, 0} every period on an idle list, first after one period', async () => {
    const c = await h.open();
    h.vs.advance(119);
    await c.barrier();
    expect(heartbeats(c.replies)).to.equal(0);
    h.vs.advance(1);
    const first = await replyFor(c, 'ListStatus_reply');
    expect(first).to.deep.equal({ type: 'ListStatus_reply', list_id: c.listId, status: 0 });
    h.vs.advance(3 * 120);
    await c.barrier();
    expect(heartbeats(c.replies)).to.equal(4);
  });

  it('sends no heartbeat while data flows (only when silent)', async () => {
    const c = await h.open();
    addAndStart(c, [[1, 'G:AMANDA@p,10']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.vs.advance(130); // past a tick that may have counted the pre-start silence
    await c.barrier();
    c.mark();
    h.vs.advance(400);
    await c.barrier();
    expect(heartbeats(c.since())).to.equal(0);
    expect(c.since().filter((m) => m.type === 'Scalar_reply')).to.have.length(40);
    c.send({ type: 'StopList_request', list_id: c.listId });
    await c.barrier();
    c.mark();
    h.vs.advance(240); // one tick sees the last data, the next one silence
    await replyFor(c, 'ListStatus_reply');
  });

  it('StartList_reply alone does not count as activity (heartbeat still sent)', async () => {
    const c = await h.open();
    for (let i = 0; i < 12; i++) {
      c.mark();
      c.send({ type: 'StartList_request', list_id: c.listId });
      await replyFor(c, 'StartList_reply');
      h.vs.advance(20);
    }
    await c.barrier();
    expect(heartbeats(c.replies)).to.equal(2); // at 120 and 240 ms
  });
});

describe('sim/connection: heartbeatAlways', () => {
  const h = useVirtualSim({ heartbeatMs: 50, heartbeatAlways: true });
  it('sends heartbeats even while data flows', async () => {
    const c = await h.open();
    addAndStart(c, [[1, 'G:AMANDA@p,10']]);
    await replyFor(c, 'Scalar_reply', 1);
    c.mark();
    h.vs.advance(150);
    await c.collect((m) => m.type === 'ListStatus_reply', 3);
    expect(c.since().filter((m) => m.type === 'Scalar_reply')).to.have.length(15);
  });
});

describe('sim/connection: bad request frames close the connection without a reply (fidelity)', () => {
  const h = useSim();

  it('an undecodable frame', async () => {
    const c = await h.open();
    c.sendRaw(Buffer.from([0, 0, 0, 4, 1, 2, 3, 4]));
    await c.waitClosed();
    expect(c.replies.map((m) => m.type)).to.deep.equal(['OpenList_reply']);
  });

  it('a reply message sent as a request (unknown request id)', async () => {
    const c = await h.open();
    const body = encodeRequestFrame({ type: 'ClearList_request', list_id: 1 });
    // patch the message id to OpenList_reply's (12 34 9E)
    const buf = Buffer.from(body);
    buf.set([0x12, 0x34, 0x9e], 4 + 11);
    c.sendRaw(buf);
    await c.waitClosed();
  });

  it('a zero-length frame and a frame over 128 KiB', async () => {
    const a = await h.open();
    a.sendRaw(Buffer.from([0, 0, 0, 0]));
    await a.waitClosed();
    const b = await h.open();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(128 * 1024 + 1);
    b.sendRaw(len);
    await b.waitClosed();
  });

  it('requests split into 1-byte writes are reassembled', async () => {
    const c = await h.open();
    const bytes = encodeRequestFrame({ type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP@I' });
    for (const b of bytes) {
      c.sendRaw(Uint8Array.of(b));
    }
    c.send({ type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'Scalar_reply', 1);
  });

  it('handshake followed by requests in the same write', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: false, waitOpen: false });
    const add = encodeRequestFrame({ type: 'AddToList_request', list_id: 0, ref_id: 1, drf_request: 'M:OUTTMP@I' });
    const start = encodeRequestFrame({ type: 'StartList_request', list_id: 0 });
    c.sendRaw(Buffer.concat([HANDSHAKE_REQUEST, add, start]));
    await replyFor(c, 'Scalar_reply', 1);
    expect(c.replies[0]!.type).to.equal('OpenList_reply');
    c.close();
  });
});

describe('sim/connection: reply size limit', () => {
  const h = useSim();
  it('never emits a reply over 128 KiB: an oversized data reply becomes Status_reply DPM_REPLY_OVERFLOW', async () => {
    h.sim.setDevice('Z:ARRAY1K', new Float64Array(20_000).fill(1.5));
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'Z:ARRAY1K@I'],
      [2, 'Z:ARRAY1K[0:9999]@I'],
    ]);
    expect(await replyFor(c, 'Status_reply', 1)).to.include({ status: SimStatus.DPM_REPLY_OVERFLOW });
    const ok = await replyFor(c, 'ScalarArray_reply', 2);
    expect(ok.data.length).to.equal(10_000);
  });
});

describe('sim/connection: handshake timeout', () => {
  const h = useSim({ handshakeTimeoutMs: 100 });
  it('closes a connection that never sends the handshake, silently', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: false, waitOpen: false });
    await c.waitClosed(1000);
    expect(c.bytesIn).to.equal(0);
  });
});

describe('sim/connection: scale', () => {
  let sim: SimulatorHandle;
  before(async () => {
    sim = await startSimulator({ heartbeatMs: 2000 });
  });
  after(async () => {
    await sim.close();
  });

  it('serves 1,000 concurrent connections, each with its own list id and answer', async function () {
    this.timeout(30000);
    const N = 1000;
    const t0 = Date.now();
    const clients = await Promise.all(Array.from({ length: N }, () => RawDpmClient.connect(sim.port, { timeoutMs: 10000 })));
    try {
      const ids = new Set(clients.map((c) => c.listId));
      expect(ids.size).to.equal(N);
      for (const id of ids) expect(id).to.be.within(4096, 6143);
      expect(sim.connections).to.equal(N);
      clients.forEach((c, i) => addAndStart(c, [[i + 1, 'M:OUTTMP@I']]));
      const answers = await Promise.all(clients.map((c, i) => replyFor(c, 'Scalar_reply', i + 1, 10000)));
      expect(answers).to.have.length(N);
      expect(Date.now() - t0).to.be.below(15000);
    } finally {
      for (const c of clients) c.close();
      await Promise.all(clients.map((c) => c.closed));
    }
    await until(() => sim.connections === 0, { what: `the simulator to see all ${N} closes (${sim.connections} open)` });
  });

  it('recycles list ids of closed connections', async () => {
    const a = await RawDpmClient.connect(sim.port);
    const id = a.listId;
    a.close();
    await a.closed;
    await until(() => sim.connections === 0, { what: 'the simulator to see the close' });
    const seen = new Set<number>();
    const more: RawDpmClient[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await RawDpmClient.connect(sim.port);
      seen.add(c.listId);
      more.push(c);
    }
    for (const c of more) c.close();
    expect(id).to.be.within(4096, 6143);
    expect([...seen].every((x) => x >= 4096 && x <= 6143)).to.equal(true);
  });

  it('a plain net socket gets the OpenList_reply right after the handshake', async () => {
    const s = connect({ port: sim.port, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    s.write(HANDSHAKE_REQUEST);
    let bytes = 0;
    s.on('data', (d: Buffer) => (bytes += d.length));
    await until(() => bytes > 0, { what: 'the OpenList_reply bytes' });
    s.destroy();
  });
});
