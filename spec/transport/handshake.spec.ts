import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { HANDSHAKE_REQUEST } from '../../lib/protocol/constants.js';
import { encodeReply } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { FrameBatch } from '../../lib/protocol/split-frames.js';
import { handshake } from '../../lib/transport/handshake.js';

const open: FrameBatch = [encodeReply({ type: 'OpenList_reply', list_id: 4096 })];
const heartbeat: FrameBatch = [encodeReply({ type: 'ListStatus_reply', list_id: 4096, status: 0 })];
const garbageFrame: FrameBatch = [Uint8Array.of(1, 2, 3)];

describe('transport/handshake', () => {
  let ts: TestScheduler;
  let sent: Uint8Array[];
  const send = (b: Uint8Array): void => {
    sent.push(b);
  };
  beforeEach(() => {
    sent = [];
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('sends the 51-byte request on subscribe and mirrors the batches once OpenList_reply came first', () => {
    ts.run(({ cold, expectObservable }) => {
      const src = cold('--o-h-|', { o: open, h: heartbeat });
      expectObservable(src.pipe(handshake({ send, timeoutMs: 10, scheduler: ts }))).toBe('--o-h-|', { o: open, h: heartbeat });
    });
    expect(sent).to.have.length(1);
    expect(Buffer.from(sent[0]!).toString('latin1')).to.equal('GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n');
    expect(sent[0]).to.equal(HANDSHAKE_REQUEST);
  });

  it('times out with HandshakeError("timeout") when no complete frame comes in time', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-------o', { o: open });
      expectObservable(src.pipe(handshake({ send, timeoutMs: 5, scheduler: ts }))).toBe(
        '-----#',
        undefined,
        new HandshakeError('timeout', 'no OpenList_reply within 5 ms'),
      );
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('refuses a first reply of another type, or one that does not decode', () => {
    ts.run(({ cold, expectObservable }) => {
      const other = cold('-h', { h: heartbeat }).pipe(handshake({ send, timeoutMs: 5, scheduler: ts }));
      expectObservable(other).toBe('-#', undefined, new HandshakeError('unexpected_first_message', 'the first frame is ListStatus_reply, not OpenList_reply'));
    });
    let got: unknown;
    new TestScheduler(() => undefined).run(({ cold }) => {
      cold('-g', { g: garbageFrame }).pipe(handshake({ send, timeoutMs: 5 })).subscribe({ error: (e) => (got = e) });
    });
    expect(got).to.be.instanceOf(HandshakeError);
    expect((got as HandshakeError).category).to.equal('unexpected_first_message');
    expect((got as HandshakeError).cause).to.be.instanceOf(ProtocolError);
  });

  it('maps failures before OpenList_reply to HandshakeError, passes later ones unchanged', () => {
    const http = new ProtocolError('http_error', 0, 'refused', 'HTTP/1.1 404 Not Found');
    const cut = new ProtocolError('truncated', 9, 'cut', undefined, true);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const cases: [unknown, HandshakeError['category']][] = [[http, 'http_error'], [cut, 'truncated'], [reset, 'truncated']];
    for (const [e, category] of cases) {
      let got: unknown;
      const vt = new TestScheduler(() => undefined);
      vt.run(({ cold }) => {
        cold<FrameBatch>('-#', undefined, e).pipe(handshake({ send, timeoutMs: 5, scheduler: vt })).subscribe({ error: (x) => (got = x) });
      });
      expect(got).to.be.instanceOf(HandshakeError);
      expect((got as HandshakeError).category).to.equal(category);
      expect((got as HandshakeError).cause).to.equal(e);
      if (category === 'http_error') expect((got as HandshakeError).statusLine).to.equal('HTTP/1.1 404 Not Found');
    }
    ts.run(({ cold, expectObservable }) => {
      const closedEarly = cold<FrameBatch>('--|').pipe(handshake({ send, timeoutMs: 5, scheduler: ts }));
      expectObservable(closedEarly).toBe('--#', undefined, new HandshakeError('truncated', 'the server closed the connection before OpenList_reply'));
      const later = cold('o-#', { o: open }, reset).pipe(handshake({ send, timeoutMs: 5, scheduler: ts }));
      expectObservable(later).toBe('o-#', { o: open }, reset);
    });
  });
});
