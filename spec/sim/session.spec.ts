import { expect } from 'chai';
import { useSim, useVirtualSim, addAndStart, replyFor, readOnce } from '../support/sim-harness.js';
import { SimStatus } from '../../lib/sim/index.js';

const types = (ms: readonly { type: string }[]): string[] => ms.map((m) => m.type);

describe('sim/session: list management', () => {
  // virtual time: periods run only on h.vs.advance; c.barrier() (a round trip) delivers every
  // reply produced so far, so "nothing else came" needs no fixed wait
  const h = useVirtualSim({ heartbeatMs: 5000 });

  it('one-shot read of a known and an unknown device: DeviceInfo, Status DBM_NOPROP, StartList_reply, data (§3.6)', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'M:OUTTMP@I'],
      [2, 'Z:NOTFND@I'],
    ]);
    await replyFor(c, 'Scalar_reply', 1);
    expect(types(c.since())).to.deep.equal(['DeviceInfo_reply', 'Status_reply', 'StartList_reply', 'Scalar_reply']);
    const [info, status, start] = c.since();
    expect(info).to.deep.equal({ type: 'DeviceInfo_reply', ref_id: 1, di: 27235, name: 'M:OUTTMP', description: 'Outdoor temperature', units: 'DegF', format_hint: 2 });
    expect(status).to.include({ type: 'Status_reply', ref_id: 2, status: SimStatus.DBM_NOPROP, cycle: 0 });
    expect(start).to.deep.equal({ type: 'StartList_reply', list_id: c.listId, status: 0 });
  });

  it('DeviceInfo omits units for RAW and for devices without units', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [
      [1, 'M:OUTTMP.RAW@I'],
      [2, 'Z:TEXTDEV@I'],
    ]);
    const a = await replyFor(c, 'DeviceInfo_reply', 1);
    const b = await replyFor(c, 'DeviceInfo_reply', 2);
    expect(a).to.not.have.property('units');
    expect(b).to.not.have.property('units');
  });

  it('devices are found by index (0:NNN, #:NNN) and in any case', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, '0:27235@I')).to.include({ type: 'Scalar_reply' });
    expect(await readOnce(c, 2, '#:140013@I')).to.include({ type: 'Scalar_reply', data: 12.5 });
    expect(await readOnce(c, 3, 'z:acltst@i')).to.include({ type: 'Scalar_reply', data: 12.5 });
  });

  it('bad DRF syntax → Status_reply DPM_BAD_REQUEST at AddToList; bad event → DPM_BAD_EVENT; nothing stored', async () => {
    const c = await h.open();
    c.mark();
    c.send(
      { type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP[' },
      { type: 'AddToList_request', list_id: c.listId, ref_id: 2, drf_request: 'M:OUTTMP@X' },
      { type: 'AddToList_request', list_id: c.listId, ref_id: 3, drf_request: 'M:OUTTMP.ON' },
      { type: 'AddToList_request', list_id: c.listId, ref_id: 4, drf_request: 'M:OUTTMP<-FOO' },
      { type: 'AddToList_request', list_id: c.listId, ref_id: 5, drf_request: 'M:OUTTMP<-LOGGER:x:y' },
    );
    const st = await c.collect((m) => m.type === 'Status_reply', 5);
    expect(st.map((m) => (m.type === 'Status_reply' ? [m.ref_id, m.status] : []))).to.deep.equal([
      [1, SimStatus.DPM_BAD_REQUEST],
      [2, SimStatus.DPM_BAD_EVENT],
      [3, SimStatus.DPM_BAD_REQUEST],
      [4, SimStatus.DPM_INVALID_DATASOURCE],
      [5, SimStatus.DPM_BAD_DATASOURCE_FORMAT],
    ]);
    c.mark();
    c.send({ type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'StartList_reply');
    h.vs.advance(1000);
    await c.barrier();
    expect(types(c.since())).to.deep.equal(['StartList_reply']);
  });

  it('list properties (#ROLE:x) get no reply and are not DRFs; #:1234 is a DRF', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 0, drf_request: '#ROLE:testing' });
    addAndStart(c, [[1, '#:27235@I']]);
    await replyFor(c, 'Scalar_reply', 1);
    expect(types(c.since())).to.deep.equal(['DeviceInfo_reply', 'StartList_reply', 'Scalar_reply']);
  });

  it('the list-property rule is the server\'s (parseListProperty): #ROLE:a:b is a property, #ROLE: a bad DRF', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 0, drf_request: '#ROLE:a:b' });
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 2, drf_request: '#ROLE:' });
    const bad = await replyFor(c, 'Status_reply', 2);
    expect(bad).to.include({ status: SimStatus.DPM_BAD_REQUEST });
    await c.barrier();
    expect(types(c.since())).to.deep.equal(['Status_reply']); // nothing for the property
  });

  it('a one-shot request is consumed; an unchanged list restarts nothing; a changed one runs again', async () => {
    const c = await h.open();
    await readOnce(c, 1, 'M:OUTTMP@I');
    c.mark();
    c.send({ type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'StartList_reply');
    h.vs.advance(1000);
    await c.barrier();
    expect(types(c.since())).to.deep.equal(['StartList_reply']);
    expect(await readOnce(c, 1, 'M:OUTTMP@I')).to.include({ type: 'Scalar_reply' });
  });

  it('StopList stops a periodic stream; StartList of the unchanged list does not resume it (fidelity)', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'G:AMANDA@p,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.vs.advance(40);
    await c.collect((m) => m.type === 'Scalar_reply', 3);
    c.send({ type: 'StopList_request', list_id: c.listId });
    await c.barrier(); // replies sent before the stop have arrived
    c.mark();
    h.vs.advance(1000);
    await c.barrier();
    expect(c.since().filter((m) => m.type === 'Scalar_reply')).to.have.length(0);
    c.send({ type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'StartList_reply');
    h.vs.advance(1000);
    await c.barrier();
    expect(types(c.since())).to.deep.equal(['StartList_reply']);
    // ClearList + re-add (pacsys style) → runs again
    c.mark();
    c.send({ type: 'ClearList_request', list_id: c.listId });
    addAndStart(c, [[1, 'G:AMANDA@p,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    h.vs.advance(20);
    await c.collect((m) => m.type === 'Scalar_reply', 2);
  });

  it('RemoveFromList deletes one request (data keeps flowing until the next start)', async () => {
    const c = await h.open();
    addAndStart(c, [
      [1, 'G:AMANDA@p,20'],
      [2, 'M:OUTTMP@p,20'],
    ]);
    await replyFor(c, 'Scalar_reply', 2);
    c.send({ type: 'RemoveFromList_request', list_id: c.listId, ref_id: 2 });
    await c.barrier();
    c.mark();
    h.vs.advance(20);
    await replyFor(c, 'Scalar_reply', 2); // still flowing: not restarted yet
    c.send({ type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'StartList_reply');
    await c.barrier();
    c.mark();
    h.vs.advance(40);
    await c.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 1, 2);
    expect(c.since().some((m) => m.type === 'Scalar_reply' && m.ref_id === 2)).to.equal(false);
  });

  it('AddToList replaces an earlier request with the same ref_id', async () => {
    const c = await h.open();
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'Z:TEXTDEV@I' });
    expect(await readOnce(c, 1, 'M:OUTTMP.INDEX@I')).to.include({ type: 'Scalar_reply', data: 27235 });
  });

  it('a second StartList with a changed list stops the first run', async () => {
    const c = await h.open();
    addAndStart(c, [[1, 'G:AMANDA@p,20']]);
    await replyFor(c, 'Scalar_reply', 1);
    c.send({ type: 'ClearList_request', list_id: c.listId });
    addAndStart(c, [[2, 'M:OUTTMP@p,20']]);
    await replyFor(c, 'Scalar_reply', 2);
    await c.barrier();
    c.mark();
    h.vs.advance(40);
    await c.collect((m) => m.type === 'Scalar_reply' && m.ref_id === 2, 2);
    expect(c.since().some((m) => m.type === 'Scalar_reply' && m.ref_id === 1)).to.equal(false);
  });

  it('StartList model selects the data source of requests without one', async () => {
    const c = await h.open();
    c.mark();
    addAndStart(c, [[1, 'Z:LOGDEV']], 'LOGGERDURATION:1000');
    const chunk = await replyFor(c, 'TimedScalarArray_reply', 1);
    expect(chunk.data.length).to.be.within(9, 11);
  });

  it('unsupported data sources (SRFILE) → DPM_INVALID_DATASOURCE at StartList', async () => {
    const c = await h.open();
    expect(await readOnce(c, 1, 'M:OUTTMP<-SRFILE:12')).to.include({ type: 'Status_reply', status: SimStatus.DPM_INVALID_DATASOURCE });
    expect(await readOnce(c, 2, 'M:OUTTMP@I<-FTP')).to.include({ type: 'Scalar_reply' });
  });

  it('ignores OpenList_request and ServiceDiscovery_request silently', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'OpenList_request' }, { type: 'ServiceDiscovery_request' }, { type: 'StartList_request', list_id: c.listId });
    await replyFor(c, 'StartList_reply');
    await c.barrier();
    expect(types(c.since())).to.deep.equal(['StartList_reply']);
    expect(c.isClosed).to.equal(false);
  });
});

describe('sim/session: options', () => {
  describe('unknownDevice: DPM_PEND', () => {
    const h = useVirtualSim({ unknownDevice: 'DPM_PEND', pendDelayMs: 80 });
    it('answers DPM_PEND after the delay', async () => {
      const c = await h.open();
      c.mark();
      addAndStart(c, [[1, 'Z:NOTFND@I']]);
      await replyFor(c, 'StartList_reply');
      h.vs.advance(79);
      await c.barrier();
      expect(c.since().filter((m) => m.type === 'Status_reply')).to.have.length(0);
      h.vs.advance(1);
      expect(await replyFor(c, 'Status_reply', 1)).to.include({ status: SimStatus.DPM_PEND });
    });
  });

  describe('addToListReplies', () => {
    const h = useSim({ addToListReplies: true });
    it('acknowledges each AddToList (ACNET style), errors included', async () => {
      const c = await h.open();
      c.mark();
      c.send(
        { type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP' },
        { type: 'AddToList_request', list_id: c.listId, ref_id: 2, drf_request: 'M:OUTTMP[' },
      );
      const acks = await c.collect((m) => m.type === 'AddToList_reply', 2);
      expect(acks).to.deep.equal([
        { type: 'AddToList_reply', list_id: c.listId, ref_id: 1, status: 0 },
        { type: 'AddToList_reply', list_id: c.listId, ref_id: 2, status: SimStatus.DPM_BAD_REQUEST },
      ]);
    });
  });
});
