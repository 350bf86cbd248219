/**
 * A connected pair of real TCP sockets on loopback, for specs of code that writes to a socket.
 *
 * @example
 * ```ts
 * const p = await socketPair();
 * p.client.on('data', (d) => console.log(d.length));
 * p.server.write(Uint8Array.of(1));
 * await p.close();
 * ```
 */
import { createServer, connect, type Socket } from 'node:net';

export interface SocketPair {
  readonly server: Socket;
  readonly client: Socket;
  close(): Promise<void>;
}

export async function socketPair(): Promise<SocketPair> {
  const srv = createServer();
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  const server = await accepted;
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
