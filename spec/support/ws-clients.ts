/**
 * WebSocket clients for gateway specs: a well-behaved one (the `ws` package) that records every
 * item the gateway sends, and a raw TCP one that can misbehave (never read, never answer pings).
 *
 * @example
 * ```ts
 * const c = await TestClient.open(gw.wsUrl);
 * c.subscribe(1, ['M:OUTTMP@p,100']);
 * await c.until(() => c.readings(1).length >= 3);
 * ```
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

/** Polls `cond` every 20 ms until it holds, or fails after `ms` with `what`. */
export async function until(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A well-behaved client: records items (with arrival time) and how the connection closed.
 *
 * @example
 * ```ts
 * const c = await TestClient.open(url, { origin: 'http://127.0.0.1:1' });
 * ```
 */
export class TestClient {
  readonly items: { at: number; item: unknown }[] = [];
  closed: { code: number; reason: string } | undefined;
  frames = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames++;
      const at = Date.now();
      for (const item of JSON.parse(data.toString()) as unknown[]) this.items.push({ at, item });
    });
    ws.on('close', (code: number, reason: Buffer) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  }

  static open(url: string, options: { origin?: string } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
      const c = new TestClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  subscribe(id: number, drfs: readonly string[]): void {
    this.send({ op: 'subscribe', id, drfs });
  }

  unsubscribe(id: number): void {
    this.send({ op: 'unsubscribe', id });
  }

  /** Reading tuples of subscription `id`. */
  readings(id: number): unknown[][] {
    return this.items.map((i) => i.item).filter((i): i is unknown[] => Array.isArray(i) && i[0] === id);
  }

  /** Arrival times of the readings of subscription `id`. */
  times(id: number): number[] {
    return this.items.filter((i) => Array.isArray(i.item) && i.item[0] === id).map((i) => i.at);
  }

  /** Control items of kind `t` (for subscription `id`, if given). */
  controls(t: string, id?: number): Record<string, unknown>[] {
    return this.items
      .map((i) => i.item)
      .filter((i): i is Record<string, unknown> => !Array.isArray(i) && typeof i === 'object' && i !== null)
      .filter((i) => i['t'] === t && (id === undefined || i['id'] === id));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
      setTimeout(() => this.ws.terminate(), 1000).unref();
    });
  }
}

/** A client WebSocket frame (masked, as clients must send). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, 0x80 | n]) : n < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff]) : Buffer.alloc(10);
  if (n >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  const body = Buffer.alloc(n);
  for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

/**
 * A hand-made WebSocket client over TCP: does the upgrade, then lets the test send frames and
 * stop reading (`socket.pause()`) — a browser tab that hangs, or a hostile peer.
 *
 * @example
 * ```ts
 * const raw = await RawWsClient.open(port);
 * raw.sendText('{"op":"subscribe","id":1,"drfs":["Z:ARRAY1K@p,20"]}');
 * raw.socket.pause();
 * ```
 */
export class RawWsClient {
  received = 0;
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received += d.length));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => undefined);
  }

  static open(port: number, path = '/ws'): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      let head = '';
      const onData = (d: Buffer): void => {
        head += d.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.off('error', reject);
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(head.split('\r\n')[0]));
          return;
        }
        resolve(new RawWsClient(socket));
      };
      socket.on('data', onData);
    });
  }

  sendText(text: string): void {
    this.socket.write(clientFrame(0x1, Buffer.from(text)));
  }

  destroy(): void {
    this.socket.destroy();
  }
}
