import { expect } from 'chai';
import { VirtualTimeScheduler, firstValueFrom, take, toArray } from 'rxjs';
import { connect } from '../../lib/transport/connect.js';
import type { Connection } from '../../lib/transport/connection.js';
import type { ConnectionState } from '../../lib/transport/connection-state.js';
import { ConnectError } from '../../lib/errors/connect-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { encodeReplyFrame } from '../../lib/protocol/encode.js';
import { fakeDpm, type FakeDpm } from '../support/fake-dpm.js';
import { until } from '../support/until.js';
import { startFeederThread, type FeederThread } from '../support/feeder-thread.js';
import { startHostileServer, type HostileServer } from '../support/hostile-server.js';
import { checkLeaks } from '../support/leaks.js';

/** Keeps the event loop busy for `ms` (a consumer that blocks it). */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => e,
  );
}

describe('transport/connect', () => {
  let server: FakeDpm | undefined;
  let hostile: HostileServer | undefined;
  let feeder: FeederThread | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await hostile?.close();
    hostile = undefined;
    await feeder?.close();
    feeder = undefined;
  });
  checkLeaks();

  it('sends the handshake, emits the connection with its list id, closes on unsubscribe', async () => {
    server = await fakeDpm();
    const states: ConnectionState[] = [];
    const conn = await new Promise<Connection>((resolve, reject) => {
      const sub = connect({ host: '127.0.0.1', port: server!.port, onState: (s) => states.push(s) }).subscribe({
        next: (c) => {
          resolve(c);
          sub.unsubscribe();
        },
        error: reject,
      });
    });
    expect(conn.listId).to.equal(server.conns[0]!.listId);
    expect(conn.closed).to.equal(true);
    expect(states.map((s) => s.kind)).to.deep.equal(['connecting', 'open', 'closed']);
    await new Promise((r) => server!.conns[0]!.socket.once('close', r));
  });

  it('batches requests in one write and delivers decoded replies', async () => {
    server = await fakeDpm();
    const replies = await new Promise<string[]>((resolve, reject) => {
      const sub = connect({ host: '127.0.0.1', port: server!.port }).subscribe({
        next: (c) => {
          c.replies$.pipe(take(3), toArray()).subscribe((ms) => {
            resolve(ms.map((m) => m.type));
            sub.unsubscribe();
          });
          const ref = c.nextRefId();
          expect(ref).to.equal(1);
          expect(c.nextRefId()).to.equal(2);
          c.send([
            { type: 'AddToList_request', list_id: c.listId, ref_id: ref, drf_request: 'M:OUTTMP@I' },
            { type: 'StartList_request', list_id: c.listId },
          ]);
        },
        error: reject,
      });
    });
    expect(replies).to.deep.equal(['DeviceInfo_reply', 'Scalar_reply', 'StartList_reply']);
  });

  it('reports an HTTP answer as HandshakeError with the status line', async () => {
    server = await fakeDpm({ handshakeAnswer: 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' });
    const e = await errorOf(firstValueFrom(connect({ host: '127.0.0.1', port: server.port })));
    expect(e).to.be.instanceOf(HandshakeError);
    expect((e as HandshakeError).category).to.equal('http_error');
    expect((e as HandshakeError).statusLine).to.equal('HTTP/1.1 404 Not Found');
  });

  it('fails when the first frame is not OpenList_reply', async () => {
    server = await fakeDpm({
      handshakeAnswer: encodeReplyFrame({ type: 'ListStatus_reply', list_id: 1, status: 0 }),
    });
    const e = await errorOf(firstValueFrom(connect({ host: '127.0.0.1', port: server.port })));
    expect(e).to.be.instanceOf(HandshakeError);
    expect((e as HandshakeError).category).to.equal('unexpected_first_message');
  });

  it('bounds the handshake by its timeout', async () => {
    server = await fakeDpm({ silentHandshake: true });
    const e = await errorOf(firstValueFrom(connect({ host: '127.0.0.1', port: server.port, handshakeTimeout: 150 })));
    expect(e).to.be.instanceOf(HandshakeError);
    expect((e as HandshakeError).category).to.equal('timeout');
  });

  it('reports a refused connection as ConnectError with the cause', async () => {
    server = await fakeDpm();
    const port = server.port;
    await server.close();
    server = undefined;
    const e = await errorOf(firstValueFrom(connect({ host: '127.0.0.1', port })));
    expect(e).to.be.instanceOf(ConnectError);
    expect((e as ConnectError).cause).to.be.instanceOf(Error);
  });

  it('a synchronous socket failure (port out of range) is a ConnectError and the state ends `closed`', async () => {
    const states: ConnectionState[] = [];
    const e = await errorOf(firstValueFrom(connect({ host: '127.0.0.1', port: 70_000, onState: (st) => states.push(st) })));
    expect(e).to.be.instanceOf(ConnectError);
    expect(states.map((st) => st.kind)).to.deep.equal(['connecting', 'closed']);
  });

  it('errors with ConnectionLost(closed) when the server drops the connection', async () => {
    server = await fakeDpm();
    const lost = await new Promise<unknown>((resolve) => {
      connect({ host: '127.0.0.1', port: server!.port }).subscribe({
        next: () => server!.conns.at(-1)!.socket.destroy(),
        error: resolve,
      });
    });
    expect(lost).to.be.instanceOf(ConnectionLost);
    expect((lost as ConnectionLost).reason).to.equal('closed');
  });

  it('errors with ConnectionLost(heartbeat) when nothing arrives for the watchdog time', async () => {
    server = await fakeDpm();
    const t0 = Date.now();
    const lost = await new Promise<unknown>((resolve) => {
      connect({ host: '127.0.0.1', port: server!.port, heartbeat: 300 }).subscribe({ error: resolve });
    });
    expect(lost).to.be.instanceOf(ConnectionLost);
    expect((lost as ConnectionLost).reason).to.equal('heartbeat');
    expect(Date.now() - t0).to.be.within(250, 2000);
  });

  it('treats a bad frame length as fatal (ConnectionLost with ProtocolError cause)', async () => {
    server = await fakeDpm();
    const lost = await new Promise<unknown>((resolve) => {
      connect({ host: '127.0.0.1', port: server!.port }).subscribe({
        next: () => server!.conns.at(-1)!.socket.write(Buffer.from([0, 0, 0, 0])),
        error: resolve,
      });
    });
    expect(lost).to.be.instanceOf(ConnectionLost);
    expect((lost as ConnectionLost).reason).to.equal('protocol');
  });

  it('reports an undecodable complete frame and keeps the connection', async () => {
    server = await fakeDpm();
    const got = await new Promise<string[]>((resolve, reject) => {
      const sub = connect({ host: '127.0.0.1', port: server!.port }).subscribe({
        next: (c) => {
          const seen: string[] = [];
          c.protocolErrors$.subscribe((e) => seen.push(`error:${e.category}`));
          c.replies$.subscribe((m) => {
            seen.push(m.type);
            resolve(seen);
            sub.unsubscribe();
          });
          const s = server!.conns.at(-1)!;
          s.socket.write(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
          s.send([{ type: 'ListStatus_reply', list_id: s.listId, status: 0 }]);
        },
        error: reject,
      });
    });
    expect(got).to.deep.equal(['error:bad_header', 'ListStatus_reply']);
  });

  it('runs its timers on an injected scheduler (handshake timeout in virtual time)', async () => {
    server = await fakeDpm({ silentHandshake: true });
    const vts = new VirtualTimeScheduler();
    const states: string[] = [];
    let err: unknown;
    connect({ host: '127.0.0.1', port: server.port, handshakeTimeout: 60_000, scheduler: vts, onState: (s) => states.push(s.kind) }).subscribe({
      error: (e) => (err = e),
    });
    // the TCP connection and the handshake happen for real; 60 s pass in virtual time
    const srv = server;
    await until(() => srv.handshakes === 1, { what: 'the handshake request at the server' });
    expect(err).to.equal(undefined);
    vts.flush();
    expect(err).to.be.instanceOf(HandshakeError);
    expect((err as HandshakeError).category).to.equal('timeout');
  });

  it('surfaces a heartbeat with a non-zero status as a warning and keeps the connection', async () => {
    server = await fakeDpm();
    const states: ConnectionState[] = [];
    await new Promise<void>((resolve, reject) => {
      const sub = connect({ host: '127.0.0.1', port: server!.port, onState: (s) => states.push(s) }).subscribe({
        next: (c) => {
          c.replies$.subscribe(() => {
            sub.unsubscribe();
            resolve();
          });
          server!.conns.at(-1)!.send([{ type: 'ListStatus_reply', list_id: c.listId, status: -6127 }]);
        },
        error: reject,
      });
    });
    expect(states.map((s) => s.kind)).to.deep.equal(['connecting', 'open', 'open', 'closed']);
    expect(states[2]).to.include({ warning: -6127 });
  });

  describe('liveness: alive while complete frames arrive', () => {
    it('a server trickling the bytes of a frame that never completes is dead after the heartbeat timeout', async () => {
      let trickled = 0;
      hostile = await startHostileServer(async (c) => {
        await c.write(Uint8Array.of(0, 0, 0x10, 0)); // a 4096-byte frame begins ...
        while (!c.closed) {
          await new Promise((r) => setTimeout(r, 40));
          await c.write(Uint8Array.of(0x55)); // ... and grows by one byte every 40 ms
          trickled++;
        }
      });
      const t0 = Date.now();
      const states: string[] = [];
      const lost = await errorOf(
        new Promise((_resolve, reject) => {
          connect({ host: '127.0.0.1', port: hostile!.port, heartbeat: 400, onState: (st) => states.push(st.kind) }).subscribe({ error: reject });
        }),
      );
      expect(lost).to.be.instanceOf(ConnectionLost);
      expect((lost as ConnectionLost).reason).to.equal('heartbeat');
      expect(Date.now() - t0).to.be.within(350, 2000);
      expect(trickled, 'bytes kept arriving meanwhile').to.be.greaterThan(5);
      expect(states).to.deep.equal(['connecting', 'open', 'stale', 'closed']);
    });

    it('a consumer blocking the event loop longer than the timeout does not kill a healthy connection', async () => {
      feeder = await startFeederThread({ type: 'ListStatus_reply', list_id: 4096, status: 0 }, 50); // a healthy remote DPM
      let lost: unknown;
      let afterBlock = 0;
      let blocked = false;
      const sub = connect({ host: '127.0.0.1', port: feeder.port, heartbeat: 300 }).subscribe({
        next: (c) => {
          c.replies$.subscribe(() => {
            if (blocked) afterBlock++;
          });
          // a callback outside the reply path blocks for 2.5 × the timeout (here in the check
          // phase); the next loop iteration starts with the timers phase: the liveness timer
          // fires before the poll phase has read the heartbeats waiting in the socket
          setTimeout(() => {
            setImmediate(() => {
              blockEventLoop(750);
              blocked = true;
            });
          }, 100);
        },
        error: (e) => (lost = e),
      });
      // a false loss would be judged at the first timers phase after the block; four heartbeats
      // delivered after it (50 ms apart) are past that moment
      await until(() => afterBlock > 3 || lost !== undefined, { what: 'heartbeats after the block' });
      sub.unsubscribe();
      expect(lost).to.equal(undefined);
      expect(afterBlock, 'heartbeats delivered after the block').to.be.greaterThan(3);
    });

    it('a slow consumer of a fast stream (longer per chunk than the timeout) is not a heartbeat loss', async () => {
      // 200 Hz from a remote server; 20 ms per reading here: each chunk holds 4× more readings
      // than the last, until one takes the consumer longer than the timeout
      feeder = await startFeederThread({ type: 'Scalar_reply', ref_id: 1, timestamp: 1, cycle: 0, status: 0, data: 1.5 }, 5);
      let lost: unknown;
      let handled = 0;
      const sub = connect({ host: '127.0.0.1', port: feeder.port, heartbeat: 300 }).subscribe({
        next: (c) => {
          c.replies$.subscribe(() => {
            // slow for the first 60 readings (1.2 s): chunks of 1, 4, 16, then 64 readings
            if (++handled <= 60) blockEventLoop(20);
          });
        },
        error: (e) => (lost = e),
      });
      // the slow phase (the first 60 readings) is long over once 200 are handled
      await until(() => handled > 200 || lost !== undefined, { timeout: 10_000, what: '200 readings handled' });
      sub.unsubscribe();
      expect(lost).to.equal(undefined);
      expect(handled, 'the backlog was worked off').to.be.greaterThan(200);
    });
  });
});
