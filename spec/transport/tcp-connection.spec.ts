import { expect } from 'chai';
import type { Socket } from 'node:net';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { decodeRequest } from '../../lib/protocol/decode.js';
import { encodeReply } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { EncodableReply } from '../../lib/protocol/messages.js';
import type { FrameBatch } from '../../lib/protocol/split-frames.js';
import type { Connection } from '../../lib/transport/connection.js';
import type { ConnectionState } from '../../lib/transport/connection-state.js';
import { openConnection } from '../../lib/transport/tcp-connection.js';

/** What openConnection uses of a socket, recorded. */
class FakeSocket {
  written: Uint8Array[] = [];
  destroyed = false;
  refs: string[] = [];
  write(b: Uint8Array): boolean {
    this.written.push(b);
    return true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  ref(): void {
    this.refs.push('ref');
  }
  unref(): void {
    this.refs.push('unref');
  }
}

const frame = (m: EncodableReply): Uint8Array => encodeReply(m);
const OPEN = frame({ type: 'OpenList_reply', list_id: 4100 });
const HEARTBEAT = frame({ type: 'ListStatus_reply', list_id: 4100, status: 0 });

describe('transport/tcp-connection (openConnection)', () => {
  let ts: TestScheduler;
  let socket: FakeSocket;
  let states: ConnectionState[];
  let batches: Subject<FrameBatch>;
  let conn: Connection | undefined;
  let error: unknown;
  const start = (heartbeat = 100, staleAfter = 45): void => {
    const op = openConnection(socket as unknown as Socket, {
      host: 'h',
      port: 1,
      label: 'pool#1',
      heartbeat,
      staleAfter,
      scheduler: ts,
      onState: (s) => states.push(s),
    });
    batches.pipe(op).subscribe({ next: (c) => (conn = c), error: (e) => (error = e) });
  };
  beforeEach(() => {
    ts = new TestScheduler(() => undefined);
    socket = new FakeSocket();
    states = [];
    batches = new Subject<FrameBatch>();
    conn = undefined;
    error = undefined;
  });

  it('emits the connection for the OpenList_reply; replies in the same batch reach a consumer subscribed on the emission', () => {
    const seen: string[] = [];
    const op = openConnection(socket as unknown as Socket, { host: 'h', port: 1, label: 'pool#1', heartbeat: 100, staleAfter: 45, scheduler: ts });
    batches.pipe(op).subscribe((c) => {
      conn = c;
      c.replies$.subscribe((m) => seen.push(m.type));
      c.protocolErrors$.subscribe((e) => seen.push(`error:${e.category}`));
    });
    batches.next([OPEN, HEARTBEAT, Uint8Array.of(1, 2, 3), HEARTBEAT]);
    expect(conn!.listId).to.equal(4100);
    expect(conn!.label).to.equal('pool#1');
    expect(seen).to.deep.equal(['ListStatus_reply', 'error:bad_header', 'ListStatus_reply']);
  });

  it('send encodes into one write; ref/unref reach the socket; nextRefId counts from 1', () => {
    start();
    batches.next([OPEN]);
    const c = conn!;
    expect([c.nextRefId(), c.nextRefId()]).to.deep.equal([1, 2]);
    c.send([
      { type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP' },
      { type: 'StartList_request', list_id: c.listId },
    ]);
    expect(socket.written).to.have.length(1);
    const w = socket.written[0]!;
    const first = w.subarray(4, 4 + new DataView(w.buffer, w.byteOffset).getUint32(0));
    expect(decodeRequest(first)).to.include({ type: 'AddToList_request', drf_request: 'M:OUTTMP' });
    c.unref();
    c.ref();
    expect(socket.refs).to.deep.equal(['unref', 'ref']);
  });

  it('reports open, a heartbeat warning, stale and fresh; expires with ConnectionLost(heartbeat)', () => {
    start(100, 45);
    ts.schedule(() => batches.next([OPEN]), 0);
    ts.schedule(() => batches.next([frame({ type: 'ListStatus_reply', list_id: 4100, status: -6127 })]), 10);
    ts.schedule(() => batches.next([HEARTBEAT]), 70); // after stale at 55
    ts.flush();
    expect(states.map((s) => `${s.kind}@${'warning' in s && s.warning !== undefined ? s.warning : ''}`)).to.deep.equal([
      'open@',
      'open@-6127',
      'stale@',
      'open@',
      'stale@',
    ]);
    expect(error).to.be.instanceOf(ConnectionLost);
    expect((error as ConnectionLost).reason).to.equal('heartbeat');
    expect(ts.now()).to.equal(170);
    expect(conn!.closed).to.equal(true);
    expect(socket.destroyed).to.equal(true);
  });

  it('types the end of the source: close, framing error, socket error; typed errors pass', () => {
    const cases: [unknown, string][] = [
      [undefined, 'closed'],
      [new ProtocolError('bad_frame_length', 9, 'x'), 'protocol'],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'reset'],
    ];
    for (const [e, reason] of cases) {
      socket = new FakeSocket();
      batches = new Subject<FrameBatch>();
      error = undefined;
      start();
      batches.next([OPEN]);
      let completed = false;
      conn!.replies$.subscribe({ complete: () => (completed = true) });
      if (e === undefined) batches.complete();
      else batches.error(e);
      expect(completed, 'replies$ completes first').to.equal(true);
      expect((error as ConnectionLost).reason).to.equal(reason);
      expect(conn!.closed).to.equal(true);
      expect(socket.destroyed).to.equal(true);
    }
    socket = new FakeSocket();
    batches = new Subject<FrameBatch>();
    start();
    const hs = new HandshakeError('timeout', 'x');
    batches.error(hs);
    expect(error).to.equal(hs);
  });

  it('unsubscribing completes replies$ and marks the connection closed; send is then a no-op', () => {
    const op = openConnection(socket as unknown as Socket, { host: 'h', port: 1, label: 'x', heartbeat: 100, staleAfter: 45, scheduler: ts });
    const sub = batches.pipe(op).subscribe((c) => (conn = c));
    batches.next([OPEN]);
    let completed = false;
    conn!.replies$.subscribe({ complete: () => (completed = true) });
    sub.unsubscribe();
    expect(completed).to.equal(true);
    expect(conn!.closed).to.equal(true);
    conn!.send([{ type: 'StopList_request', list_id: 4100 }]);
    expect(socket.written).to.have.length(0);
    expect(batches.observed).to.equal(false);
  });
});
