import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { firstValueFrom, lastValueFrom, switchMap, take, toArray } from 'rxjs';
import { ConnectError } from '../../lib/errors/connect-error.js';
import { socketChunks, tcpSocket } from '../../lib/transport/socket.js';
import { checkLeaks } from '../support/leaks.js';

describe('transport/socket', () => {
  let server: Server | undefined;
  let peers: Socket[] = [];
  const listen = async (onPeer: (s: Socket) => void = () => undefined): Promise<number> => {
    server = createServer((s) => {
      peers.push(s);
      s.on('error', () => undefined);
      onPeer(s);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const a = server.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  };
  afterEach(async () => {
    for (const p of peers) p.destroy();
    peers = [];
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });
  checkLeaks();

  it('tcpSocket emits the socket once connected; unsubscribing flushes pending writes and ends it', async () => {
    const received: Buffer[] = [];
    let ended!: () => void;
    const peerEnded = new Promise<void>((r) => (ended = r));
    const port = await listen((s) => {
      s.on('data', (d: Buffer) => received.push(d));
      s.on('end', () => {
        ended();
        s.end();
      });
    });
    const socket = await new Promise<Socket>((resolve) => {
      const sub = tcpSocket({ host: '127.0.0.1', port, connectTimeout: 2000 }).subscribe((s) => {
        s.write('last words');
        sub.unsubscribe();
        resolve(s);
      });
    });
    await peerEnded;
    expect(Buffer.concat(received).toString()).to.equal('last words');
    await new Promise((r) => socket.once('close', r));
  });

  it('tcpSocket: a refused connection and an invalid port are ConnectErrors', async () => {
    const port = await listen();
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const refused = await firstValueFrom(tcpSocket({ host: '127.0.0.1', port, connectTimeout: 2000 })).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(ConnectError);
    expect((refused as ConnectError).message).to.match(/ECONNREFUSED/);
    const invalid = await firstValueFrom(tcpSocket({ host: '127.0.0.1', port: 0, connectTimeout: 2000 })).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(ConnectError);
    expect((invalid as ConnectError).message).to.match(/invalid port 0/);
  });

  it('socketChunks: the bytes as Uint8Array chunks, completing when the peer closes', async () => {
    const port = await listen((s) => s.end(Buffer.from([1, 2, 3])));
    const chunks = await lastValueFrom(
      tcpSocket({ host: '127.0.0.1', port, connectTimeout: 2000 }).pipe(
        switchMap((s) => socketChunks(s).pipe(toArray())), // the socket Observable itself never completes
        take(1),
      ),
    );
    expect(chunks.every((c) => Object.getPrototypeOf(c) === Uint8Array.prototype)).to.equal(true);
    expect(Buffer.concat(chunks)).to.deep.equal(Buffer.from([1, 2, 3]));
  });

  it('socketChunks: errors with the socket error on a reset', async () => {
    const port = await listen((s) => {
      s.write('x');
      setTimeout(() => s.resetAndDestroy(), 20);
    });
    const err = await lastValueFrom(
      tcpSocket({ host: '127.0.0.1', port, connectTimeout: 2000 }).pipe(
        switchMap((s) => socketChunks(s)),
        take(5),
      ),
    ).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal('ECONNRESET');
  });
});
