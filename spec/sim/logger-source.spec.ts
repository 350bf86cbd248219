import { expect } from 'chai';
import { useSim, addAndStart, replyFor, readOnce } from '../support/sim-harness.js';
import { SimStatus, defaultCatalogue, LOGGER_CHUNK_POINTS } from '../../lib/sim/index.js';
import { DeviceStore } from '../../lib/sim/device-store.js';
import { loggerReplies, loggerSingleReply, LOGGER_MAX_POINTS } from '../../lib/sim/logger-source.js';
import type { ReplyMessage, TimedScalarArrayReply } from '../../lib/protocol/index.js';

const chunks = (ms: readonly ReplyMessage[], ref: number): TimedScalarArrayReply[] =>
  ms.filter((m): m is TimedScalarArrayReply => m.type === 'TimedScalarArray_reply' && m.ref_id === ref);

describe('sim/logger-source: logger requests over a socket (§7)', () => {
  const h = useSim();

  it('LOGGER:start:end → DeviceInfo, chunks of ≤ 487 points (cycle 0,1,…, micros in µs), then an empty terminator', async () => {
    const c = await h.open();
    const end = Math.floor(Date.now() / 1000) * 1000 - 10_000;
    const start = end - 1199 * 1000; // 1200 points at 1 s
    c.mark();
    addAndStart(c, [[1, `M:OUTTMP<-LOGGER:${start}:${end}`]]);
    await c.waitFor((m) => m.type === 'TimedScalarArray_reply' && m.data.length === 0);
    const got = chunks(c.since(), 1);
    expect(got.map((m) => m.data.length)).to.deep.equal([487, 487, 226, 0]);
    expect(got.map((m) => m.cycle)).to.deep.equal([0, 1, 2, 3]);
    got.forEach((m) => {
      expect(m.status).to.equal(0);
      expect(m.micros.length).to.equal(m.data.length);
    });
    expect(got[0]!.micros[0]).to.equal(start * 1000);
    expect(got[2]!.micros.at(-1)).to.equal(end * 1000);
    const types = c.since().map((m) => m.type);
    expect(types.indexOf('DeviceInfo_reply')).to.be.lessThan(types.indexOf('TimedScalarArray_reply'));
  });

  it('LOGGERDURATION:ms → the last ms of data', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'Z:LOGDEV<-LOGGERDURATION:2000']]);
    await c.waitFor((m) => m.type === 'TimedScalarArray_reply' && m.data.length === 0);
    const n = chunks(c.since(), 1).reduce((a, m) => a + m.data.length, 0);
    expect(n).to.be.within(19, 21);
  });

  it('an empty window → just the terminator', async () => {
    const c = await h.open();
    c.mark();
    const t = Date.now() + 60_000;
    addAndStart(c, [[1, `M:OUTTMP<-LOGGER:${t}:${t + 1000}`]]);
    const r = await replyFor(c, 'TimedScalarArray_reply', 1);
    expect(r.data.length).to.equal(0);
    expect(r.cycle).to.equal(0);
  });

  it('a device that is not logged → Status_reply ACNET_NO_NODE', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'G:AMANDA<-LOGGERDURATION:1000')).to.include({ type: 'Status_reply', status: SimStatus.ACNET_NO_NODE });
  });

  it('@I with a logger source → DPM_BAD_EVENT', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'M:OUTTMP@I<-LOGGERDURATION:1000')).to.include({ type: 'Status_reply', status: SimStatus.DPM_BAD_EVENT });
  });

  it('LOGGERSINGLE → one Scalar_reply at the closest point, or DAE_LJ_NO_DATA', async () => {
    const c = await h.open();
    const sec = Math.floor(Date.now() / 1000) - 100;
    const r = await readOnce(c, 1, `M:OUTTMP<-LOGGERSINGLE:MCRLOG:${sec}:5`);
    expect(r).to.include({ type: 'Scalar_reply', timestamp: sec * 1000 });
    const far = await readOnce(c, 2, `M:OUTTMP<-LOGGERSINGLE:MCRLOG:${sec + 10_000}:5`);
    expect(far).to.include({ type: 'Status_reply', status: SimStatus.DAE_LJ_NO_DATA });
  });
});

describe('sim/logger-source: units', () => {
  const store = new DeviceStore(defaultCatalogue());
  it('caps the points of a huge window', () => {
    const now = 1_700_000_000_000;
    const rs = loggerReplies(store, store.find('Z:LOGDEV')!, { startMs: now - 365 * 86400_000, endMs: now }, 1, now);
    const n = rs.reduce((a, r) => a + (r.type === 'TimedScalarArray_reply' ? r.data.length : 0), 0);
    expect(n).to.be.at.most(LOGGER_MAX_POINTS);
    expect(LOGGER_CHUNK_POINTS).to.equal(487);
  });
  it('loggerSingleReply refuses non-logged devices', () => {
    expect(loggerSingleReply(store, store.find('G:AMANDA')!, 1, 1, 1, 2)).to.include({ status: SimStatus.ACNET_NO_NODE });
  });
});
