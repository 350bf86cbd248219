// A scriptable, minimal DPM stand-in for transport/client unit tests (the full
// simulator lives in lib/sim). Each connection: read the handshake, send
// OpenList_reply, then hand every decoded request to `onRequest`.
import { createServer, type Server, type Socket } from 'node:net';
import { decodeRequest } from '../../lib/protocol/decode.js';
import { encodeReplyFrames } from '../../lib/protocol/encode.js';
import { FrameSplitter } from '../../lib/protocol/frame-splitter.js';
import type { EncodableReply, RequestMessage } from '../../lib/protocol/messages.js';

export interface FakeConn {
  readonly socket: Socket;
  readonly listId: number;
  readonly requests: RequestMessage[];
  /** AddToList requests stored by ref_id. */
  readonly list: Map<number, string>;
  send(replies: EncodableReply[]): void;
}

export interface FakeDpmOptions {
  /** Called for each request; default: {@link defaultHandler}. */
  onRequest?: (req: RequestMessage, conn: FakeConn) => void;
  /** Raw answer instead of OpenList_reply (e.g. an HTTP error), then close. */
  handshakeAnswer?: Uint8Array | string;
  /** Do not answer the handshake at all. */
  silentHandshake?: boolean;
}

export interface FakeDpm {
  readonly port: number;
  readonly conns: FakeConn[];
  /** Complete handshake requests received (answered or not). */
  readonly handshakes: number;
  close(): Promise<void>;
}

let nextList = 4096;

/** Answers StartList with DeviceInfo + Scalar_reply (ref_id * 1.5) per request, then StartList_reply. */
export function defaultHandler(req: RequestMessage, c: FakeConn): void {
  if (req.type === 'AddToList_request') c.list.set(req.ref_id, req.drf_request);
  else if (req.type === 'ClearList_request') c.list.clear();
  else if (req.type === 'StartList_request') {
    const out: EncodableReply[] = [];
    for (const [ref, drf] of c.list) {
      const name = drf.split(/[.@[<]/)[0]!;
      out.push({ type: 'DeviceInfo_reply', ref_id: ref, di: 1000 + ref, name, description: `fake ${name}`, units: 'U' });
      if (name === 'Z:NOTFND') out.push({ type: 'Status_reply', ref_id: ref, timestamp: Date.now(), cycle: 0, status: -3312 });
      else out.push({ type: 'Scalar_reply', ref_id: ref, timestamp: Date.now(), cycle: 1, status: 0, data: ref * 1.5 });
    }
    out.push({ type: 'StartList_reply', list_id: c.listId, status: 0 });
    c.send(out);
  }
}

export async function fakeDpm(options: FakeDpmOptions = {}): Promise<FakeDpm> {
  const conns: FakeConn[] = [];
  let handshakes = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    let open = false;
    const conn: FakeConn = {
      socket,
      listId: nextList++,
      requests: [],
      list: new Map(),
      send: (replies) => {
        if (!socket.destroyed) socket.write(encodeReplyFrames(replies));
      },
    };
    const splitter = new FrameSplitter((body) => {
      const req = decodeRequest(body);
      conn.requests.push(req);
      (options.onRequest ?? defaultHandler)(req, conn);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!open) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        open = true;
        handshakes++;
        const rest = Buffer.from(head.slice(end + 4), 'latin1');
        if (options.silentHandshake) return;
        if (options.handshakeAnswer !== undefined) {
          socket.end(options.handshakeAnswer);
          return;
        }
        conns.push(conn);
        conn.send([{ type: 'OpenList_reply', list_id: conn.listId }]);
        if (rest.length > 0) splitter.push(rest);
        return;
      }
      splitter.push(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    conns,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
