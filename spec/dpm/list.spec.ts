import { expect } from 'chai';
import { toArray } from 'rxjs';
import { ACNET_RETRY, dpmList, isTransient, type ListEvent, type ListRequest } from '../../lib/dpm/list.js';
import { ConnectError } from '../../lib/errors/connect-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { ClientClosedError } from '../../lib/errors/client-closed-error.js';
import type { OutgoingRequest } from '../../lib/transport/connection.js';
import { FakeConnection } from '../support/fake-connection.js';

const req = (drf: string, over: Partial<ListRequest> = {}): ListRequest => ({ drf, wire: drf, historical: false, oneShot: false, ...over });
const scalar = (ref: number, data: number, status = 0) => ({ type: 'Scalar_reply' as const, ref_id: ref, timestamp: 0, cycle: 0, status, data });
const show = (e: ListEvent) => {
  if (e.kind === 'meta') return `meta${e.index}`;
  const r = e.reading!;
  const v = r.valueType === undefined ? r.status.name : typeof r.value === 'object' ? r.valueType : String(r.value);
  return `${e.index}:${v}${e.final ? '!' : ''}`;
};

/** A connection whose ref ids jump (not sequential): the list must route through a map. */
class SparseRefs extends FakeConnection {
  private r = 0;
  override nextRefId(): number {
    return (this.r += 7);
  }
}

describe('dpm/list', () => {
  it('one write: prefix, AddToList per request, StartList (with model); refs new on the connection', () => {
    const c = new FakeConnection(9);
    c.nextRefId();
    const prefix: OutgoingRequest[] = [{ type: 'StopList_request', list_id: 9 }];
    const sub = dpmList(c, [req('A:ONE@p,1000'), req('B:TWO@p,1000')], { gather: false, prefix, model: 'LOGGER:1:2' }).subscribe();
    expect(c.sent).to.have.length(1);
    expect(c.sent[0]).to.deep.equal([
      { type: 'StopList_request', list_id: 9 },
      { type: 'AddToList_request', list_id: 9, ref_id: 2, drf_request: 'A:ONE@p,1000' },
      { type: 'AddToList_request', list_id: 9, ref_id: 3, drf_request: 'B:TWO@p,1000' },
      { type: 'StartList_request', list_id: 9, model: 'LOGGER:1:2' },
    ]);
    sub.unsubscribe();
    expect(c.sent).to.have.length(1); // no stopOnEnd: nothing more
  });

  it('refIds: the caller names the requests; reportStart: a started event, and no completion before the StartList_reply', () => {
    const c = new FakeConnection(9);
    const got: string[] = [];
    let completed = false;
    dpmList(c, [req('A:ONE@N'), req('B:TWO@N')], { gather: true, refIds: [40, 41], reportStart: true }).subscribe({
      next: (e) => got.push(e.kind === 'started' ? 'started' : show(e)),
      complete: () => (completed = true),
    });
    expect(c.addedRefs()).to.deep.equal([40, 41]);
    c.reply({ type: 'AddToList_reply', list_id: 9, ref_id: 40, status: -3312 });
    c.reply({ type: 'Status_reply', ref_id: 41, timestamp: 0, cycle: 0, status: -3312 });
    // every request finished, but the StartList_reply is still due: not complete
    expect(completed).to.equal(false);
    c.reply({ type: 'StartList_reply', list_id: 9, status: 0 });
    expect(got).to.deep.equal(['0:DBM_NOPROP!', '1:DBM_NOPROP!', 'started']);
    expect(completed).to.equal(true);
  });

  it('a list-level Status_reply (ref 0) ends the list with ListError only when it is a failure', () => {
    const c = new FakeConnection(9);
    const got: unknown[] = [];
    dpmList(c, [req('A:ONE@p,1000')], { gather: false }).subscribe({ next: (e) => got.push(e.kind), error: (e: unknown) => got.push(e) });
    c.reply({ type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: -1, status: 0 }); // EnableSettings' success answer
    expect(got).to.deep.equal([]);
    c.reply({ type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: 0, status: -4335 });
    expect(got[0]).to.be.instanceOf(ListError);
  });

  it('stream mode: every reply is a reading; metadata rides on later readings; StopList when it ends', () => {
    const c = new FakeConnection();
    const got: string[] = [];
    const sub = dpmList(c, [req('A:ONE@p,1000'), req('B:TWO@p,1000')], { gather: false, stopOnEnd: true }).subscribe((e) => got.push(show(e)));
    c.reply({ type: 'DeviceInfo_reply', ref_id: 2, di: 1, name: 'B:TWO', description: 'two', units: 'V' });
    c.reply(scalar(1, 10));
    c.reply(scalar(2, 20));
    c.reply(scalar(1, 11));
    c.reply(scalar(99, 0)); // not ours: dropped
    c.reply({ type: 'ListStatus_reply', list_id: 4096, status: 0 });
    expect(got).to.deep.equal(['meta1', '0:10', '1:20', '0:11']);
    sub.unsubscribe();
    expect(c.sent.at(-1)).to.deep.equal([{ type: 'StopList_request', list_id: 4096 }]);
  });

  it('stream mode: one-shot answered, logger terminated, refused: each request final once; completes when all are', () => {
    const c = new FakeConnection();
    const events: string[] = [];
    let completed = false;
    dpmList(c, [req('A:ONE', { oneShot: true }), req('L:OG<-LOGGER:1:2', { historical: true }), req('Z:BAD@p,1000')], { gather: false }).subscribe({
      next: (e) => events.push(show(e)),
      complete: () => (completed = true),
    });
    c.reply(scalar(1, 5));
    c.reply(scalar(1, 6)); // after final: dropped
    c.reply({ type: 'AddToList_reply', list_id: 4096, ref_id: 3, status: -3312 });
    c.reply({ type: 'TimedScalarArray_reply', ref_id: 2, timestamp: 1, cycle: 0, status: 0, data: Float64Array.of(1, 2), micros: [1, 2] });
    expect(completed).to.equal(false);
    c.reply({ type: 'TimedScalarArray_reply', ref_id: 2, timestamp: 1, cycle: 0, status: 0, data: new Float64Array(0), micros: [] });
    expect(events).to.deep.equal(['0:5!', '2:DBM_NOPROP!', '1:timedScalarArray']);
    expect(completed).to.equal(true);
  });

  it('gather mode (reads): first reply is final; logger chunks gathered into one reading at the terminator', () => {
    const c = new SparseRefs();
    const out: ListEvent[] = [];
    let done = false;
    dpmList(c, [req('A:ONE@p,1000'), req('L:OG<-LOGGER:1:2', { historical: true })], { gather: true })
      .pipe(toArray())
      .subscribe((es) => {
        out.push(...es);
        done = true;
      });
    expect(c.addedRefs()).to.deep.equal([7, 14]);
    c.reply({ type: 'TimedScalarArray_reply', ref_id: 14, timestamp: 5, cycle: 0, status: 0, data: Float64Array.of(1, 2), micros: [10, 20] });
    c.reply(scalar(7, 3));
    c.reply({ type: 'TimedScalarArray_reply', ref_id: 14, timestamp: 6, cycle: 0, status: 0, data: Float64Array.of(3), micros: [30] });
    c.reply({ type: 'TimedScalarArray_reply', ref_id: 14, timestamp: 7, cycle: 0, status: 0, data: new Float64Array(0), micros: [] });
    expect(done).to.equal(true);
    expect(out.map((e) => [e.index, e.final])).to.deep.equal([
      [0, true],
      [1, true],
    ]);
    const logger = out[1]!.reading!;
    expect(logger.valueType).to.equal('timedScalarArray');
    expect(logger.valueType === 'timedScalarArray' ? Array.from(logger.value.data) : []).to.deep.equal([1, 2, 3]);
  });

  it('a refused StartList or a list-level status errors with ListError', () => {
    for (const m of [
      { type: 'StartList_reply' as const, list_id: 4096, status: -6127 },
      { type: 'Status_reply' as const, ref_id: 0, timestamp: 0, cycle: 0, status: -6127 },
    ]) {
      const c = new FakeConnection();
      let err: unknown;
      dpmList(c, [req('A:ONE@p,1000')], { gather: false, stopOnEnd: true }).subscribe({ error: (e: unknown) => (err = e) });
      c.reply(m);
      expect(err).to.be.instanceOf(ListError);
      expect(c.sent.at(-1)).to.deep.equal([{ type: 'StopList_request', list_id: 4096 }]);
    }
  });

  it('an unencodable request errors the list (nothing thrown out of subscribe)', () => {
    const c = new FakeConnection();
    c.onSend = () => {
      throw new RangeError('unencodable');
    };
    let err: unknown;
    dpmList(c, [req('A:ONE')], { gather: true }).subscribe({ error: (e: unknown) => (err = e) });
    expect(err).to.be.instanceOf(RangeError);
    expect(c.replies.observed).to.equal(false);
  });

  it('`only` adds a subset (a reconnecting stream replays its unfinished requests); indices stay the caller’s', () => {
    const c = new FakeConnection();
    const got: string[] = [];
    dpmList(c, [req('A:ONE'), req('B:TWO@p,1000'), req('C:THREE@p,1000')], { gather: false, only: [2] }).subscribe((e) => got.push(show(e)));
    expect(c.sent[0]!.filter((m) => m.type === 'AddToList_request').map((m) => (m.type === 'AddToList_request' ? m.drf_request : ''))).to.deep.equal(['C:THREE@p,1000']);
    c.reply(scalar(1, 7));
    expect(got).to.deep.equal(['2:7']);
  });

  it('isTransient: connection failures only', () => {
    expect(isTransient(new ConnectionLost('reset', 'x'))).to.equal(true);
    expect(isTransient(new ConnectError('h', 1, 'refused'))).to.equal(true);
    expect(isTransient(new HandshakeError('truncated', 'x'))).to.equal(true);
    expect(isTransient(new ClientClosedError())).to.equal(false);
    expect(isTransient(new Error('x'))).to.equal(false);
    expect(ACNET_RETRY).to.equal(-255);
  });
});
