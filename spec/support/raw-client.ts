/**
 * A minimal promise-based raw DPM client over `net` for simulator tests: connect,
 * handshake, send requests, await replies matching a predicate with a timeout.
 * Uses the project's codec. Not the library client.
 *
 * @example
 * ```ts
 * const c = await RawDpmClient.connect(sim.port);
 * c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 1, drf_request: 'M:OUTTMP@I' },
 *        { type: 'StartList_request', list_id: c.listId });
 * const r = await c.waitFor((m) => m.type === 'Scalar_reply');
 * c.close();
 * ```
 */
import { connect, type Socket } from 'node:net';
import {
  decodeReply,
  encodeRequestFrames,
  FrameSplitter,
  HANDSHAKE_REQUEST,
  ProtocolError,
  type EncodableRequest,
  type ReplyMessage,
} from '../../lib/protocol/index.js';

type Waiter = { pred: (m: ReplyMessage) => boolean; resolve: (m: ReplyMessage) => void; from: number };

/**
 * Options of {@link RawDpmClient.connect}.
 *
 * @example
 * ```ts
 * await RawDpmClient.connect(port, { handshake: 'GET /nope HTTP/1.1\r\n\r\n', waitOpen: false });
 * ```
 */
export interface RawConnectOptions {
  host?: string;
  /** The handshake bytes to send (default: the spec's 51 bytes); `false` sends nothing. */
  handshake?: string | Uint8Array | false;
  /** Wait for the OpenList_reply (default true). */
  waitOpen?: boolean;
  timeoutMs?: number;
}

/**
 * A raw test client: every reply is decoded and kept in `replies`.
 *
 * @example
 * ```ts
 * const c = await RawDpmClient.connect(sim.port);
 * c.send({ type: 'StartList_request', list_id: c.listId });
 * await c.waitFor((m) => m.type === 'StartList_reply');
 * ```
 */
export class RawDpmClient {
  /** Every decoded reply, in arrival order. */
  readonly replies: ReplyMessage[] = [];
  /** Decode errors of complete frames. */
  readonly decodeErrors: ProtocolError[] = [];
  /** A fatal framing error (bad length, HTTP answer, truncation at close). */
  framingError: ProtocolError | undefined;
  /** Bytes received, and the number of 'data' events. */
  bytesIn = 0;
  chunksIn = 0;
  /** Frames received (decodable or not). */
  frames = 0;
  listId = -1;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  /** True once closed. */
  isClosed = false;
  private waiters: Waiter[] = [];
  private readonly barriers = new Map<number, () => void>();
  private nextBarrier = 60_000;
  private cursor = 0;
  private readonly splitter: FrameSplitter;

  private constructor(readonly socket: Socket) {
    this.splitter = new FrameSplitter(
      (body) => {
        this.frames++;
        let m: ReplyMessage;
        try {
          m = decodeReply(body);
        } catch (e) {
          if (e instanceof ProtocolError) this.decodeErrors.push(e);
          return;
        }
        const b = 'ref_id' in m ? this.barriers.get(m.ref_id) : undefined;
        if (b !== undefined) {
          // a barrier's reply is not part of what the test looks at
          this.barriers.delete((m as { ref_id: number }).ref_id);
          b();
          return;
        }
        this.replies.push(m);
        const idx = this.replies.length - 1;
        for (const w of [...this.waiters]) {
          if (idx >= w.from && w.pred(m)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      },
      { detectHttp: true },
    );
    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      this.chunksIn++;
      if (this.framingError) return;
      try {
        this.splitter.push(chunk);
      } catch (e) {
        this.framingError = e as ProtocolError;
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        if (!this.framingError) {
          try {
            this.splitter.end();
          } catch (e) {
            this.framingError = e as ProtocolError;
          }
        }
        resolve();
      }),
    );
  }

  /** Connects, sends the handshake and (by default) waits for `OpenList_reply`. */
  static async connect(port: number, options: RawConnectOptions = {}): Promise<RawDpmClient> {
    const socket = connect({ port, host: options.host ?? '127.0.0.1', noDelay: true });
    const c = new RawDpmClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const hs = options.handshake ?? HANDSHAKE_REQUEST;
    if (hs !== false) socket.write(typeof hs === 'string' ? Buffer.from(hs, 'latin1') : hs);
    if (options.waitOpen !== false) {
      const open = await c.waitFor((m) => m.type === 'OpenList_reply', options.timeoutMs ?? 3000);
      if (open.type === 'OpenList_reply') c.listId = open.list_id;
    }
    return c;
  }

  /** Sends requests as consecutive frames in one write. */
  send(...msgs: EncodableRequest[]): void {
    this.socket.write(encodeRequestFrames(msgs));
  }

  /** Sends raw bytes. */
  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Starts later `waitFor` calls after the replies received so far. */
  mark(): void {
    this.cursor = this.replies.length;
  }

  /** The first reply (at or after the mark) matching `pred`, waiting up to `timeoutMs`. */
  waitFor(pred: (m: ReplyMessage) => boolean, timeoutMs = 3000): Promise<ReplyMessage> {
    for (let i = this.cursor; i < this.replies.length; i++) if (pred(this.replies[i]!)) return Promise.resolve(this.replies[i]!);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        from: this.cursor,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timeout after ${timeoutMs} ms waiting for a reply; got: ${this.summary()}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /**
   * A round trip through the server: resolves once the reply to a request sent now has arrived.
   * The simulator writes one FIFO per connection, so every reply it produced before reading this
   * request (e.g. during a virtual-time `advance`) has arrived too: after `barrier()`, `replies`
   * is complete up to now and "no more replies" can be asserted without a fixed wait. The request
   * is an AddToList of an invalid DRF under an unused ref (it changes nothing); its reply is not
   * added to `replies`.
   */
  async barrier(timeoutMs = 3000): Promise<void> {
    const ref = this.nextBarrier++;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.barriers.set(ref, resolve);
        this.send({ type: 'AddToList_request', list_id: this.listId, ref_id: ref, drf_request: '?barrier' });
      }),
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error(`no barrier reply (ref ${ref}) after ${timeoutMs} ms; got: ${this.summary()}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(t));
  }

  /** Waits until `count` replies (at or after the mark) match `pred`; returns them. */
  async collect(pred: (m: ReplyMessage) => boolean, count: number, timeoutMs = 3000): Promise<ReplyMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.replies.slice(this.cursor).filter(pred);
      if (got.length >= count) return got.slice(0, count);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout: ${got.length}/${count} matching replies; got: ${this.summary()}`);
      await new Promise((r) => setTimeout(r, Math.min(10, left)));
    }
  }

  /** Resolves once the socket is closed, or rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(t));
  }

  /** Replies at or after the mark. */
  since(): ReplyMessage[] {
    return this.replies.slice(this.cursor);
  }

  /** Closes the socket. */
  close(): void {
    this.socket.destroy();
  }

  private summary(): string {
    return this.replies
      .slice(-12)
      .map((m) => m.type)
      .join(', ');
  }
}

/**
 * Resolves after `ms`.
 *
 * @example
 * ```ts
 * await sleep(50);
 * ```
 */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
