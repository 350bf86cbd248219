/**
 * A hostile DPM server for fuzzing the client: it accepts a connection, reads the
 * 51-byte handshake, answers a valid `OpenList_reply` and then hands the socket
 * to a feeder that writes whatever it likes (random and mutated frames). Also the
 * fuzz corpus: valid reply encodings of every reply type and a seeded mutator.
 *
 * @example
 * ```ts
 * const srv = await startHostileServer(async (c) => { await c.write(frame(randomBody(rng))); c.end(); });
 * // connect a client to 127.0.0.1:srv.port ...
 * await srv.close();
 * ```
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeReply, encodeReplyFrame } from '../../lib/protocol/encode.js';
import type { EncodableReply } from '../../lib/protocol/messages.js';

/** One accepted, handshaken connection, as the feeder sees it. */
export interface HostileConnection {
  /** 0 for the first accepted connection, 1 for the next, … */
  readonly index: number;
  readonly listId: number;
  /** Writes `bytes`; resolves once the socket can take more (`drain`), or at once. Never rejects. */
  write(bytes: Uint8Array): Promise<void>;
  /** Half-closes (FIN) after pending writes. */
  end(): void;
  /** Closes at once. */
  destroy(): void;
  /** True once the peer closed or the socket was destroyed. */
  readonly closed: boolean;
  /** Bytes the client sent after the handshake (requests), concatenated. */
  requestBytes(): number;
}

/** A running hostile server. */
export interface HostileServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Exceptions thrown by the feeder (a broken fuzz generator, not a client failure). */
  readonly feederErrors: readonly unknown[];
  /** Stops listening and destroys every socket. */
  close(): Promise<void>;
}

const END_OF_HANDSHAKE = Buffer.from('\r\n\r\n');

/**
 * Starts the server on 127.0.0.1 (free port). `feeder` runs for each connection
 * once the handshake was answered; a rejection of its promise is recorded in
 * `feederErrors` (writes to a socket the client closed do not reject).
 */
export async function startHostileServer(feeder: (c: HostileConnection) => Promise<void> | void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const feederErrors: unknown[] = [];
  let accepted = 0;
  let nextListId = 4096;
  const server: Server = createServer({ noDelay: true }, (socket) => {
    const index = accepted++;
    sockets.add(socket);
    let closed = false;
    let requestBytes = 0;
    let hs: Buffer | undefined = Buffer.alloc(0);
    const drainWaiters: (() => void)[] = [];
    const release = (): void => {
      for (const w of drainWaiters.splice(0)) w();
    };
    socket.on('error', () => undefined);
    socket.on('drain', release);
    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
      release();
    });
    socket.on('data', (chunk: Buffer) => {
      if (hs === undefined) {
        requestBytes += chunk.length;
        return;
      }
      hs = Buffer.concat([hs, chunk]);
      const at = hs.indexOf(END_OF_HANDSHAKE);
      if (at < 0) return;
      requestBytes += hs.length - at - 4;
      hs = undefined;
      const listId = nextListId++;
      socket.write(encodeReplyFrame({ type: 'OpenList_reply', list_id: listId }));
      const conn: HostileConnection = {
        index,
        listId,
        write: (bytes) => {
          if (closed || socket.destroyed) return Promise.resolve();
          if (socket.write(bytes)) return Promise.resolve();
          return new Promise<void>((r) => drainWaiters.push(r));
        },
        end: () => {
          if (!socket.destroyed) socket.end();
        },
        destroy: () => socket.destroy(),
        get closed() {
          return closed || socket.destroyed;
        },
        requestBytes: () => requestBytes,
      };
      void Promise.resolve()
        .then(() => feeder(conn))
        .catch((e: unknown) => {
          feederErrors.push(e);
          socket.destroy();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    get accepted() {
      return accepted;
    },
    feederErrors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        sockets.clear();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------
// Corpus and mutator
// ---------------------------------------------------------------------------

/** A small, fast, seeded PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Valid replies of every type, with ref_ids 1–3 so that a stream maps them. */
export function validReplies(listId: number): EncodableReply[] {
  const t = Date.now();
  const common = (ref: number) => ({ ref_id: ref, timestamp: t + ref, cycle: 100 + ref });
  return [
    { type: 'ServiceDiscovery_reply', load: 3, serviceLocation: 'DPM01' },
    { type: 'OpenList_reply', list_id: listId },
    { type: 'AddToList_reply', list_id: listId, ref_id: 1, status: 0 },
    { type: 'AddToList_reply', list_id: listId, ref_id: 2, status: -3311 },
    { type: 'RemoveFromList_reply', list_id: listId, ref_id: 3, status: 0 },
    { type: 'StartList_reply', list_id: listId, status: 0 },
    { type: 'ListStatus_reply', list_id: listId, status: 0 },
    { type: 'Status_reply', ...common(2), status: -3311 },
    { type: 'DeviceInfo_reply', ref_id: 1, di: 27235, name: 'M:OUTTMP', description: 'Outdoor temperature', units: 'DegF', format_hint: 2 },
    { type: 'Scalar_reply', ...common(1), status: 0, data: 72.25 },
    { type: 'ScalarArray_reply', ...common(2), status: 0, data: [1.5, -2.25, 3e300, 0] },
    { type: 'Raw_reply', ...common(3), status: 0, data: new Uint8Array([1, 2, 3, 4, 255]) },
    { type: 'Text_reply', ...common(1), status: 0, data: 'héllo wörld' },
    { type: 'TextArray_reply', ...common(2), status: 0, data: ['a', 'bé', ''] },
    {
      type: 'AnalogAlarm_reply',
      ...common(3),
      minimum: -1,
      maximum: 1,
      alarm_enable: true,
      alarm_status: false,
      abort: false,
      abort_inhibit: true,
      tries_needed: 2,
      tries_now: 1,
    },
    {
      type: 'DigitalAlarm_reply',
      ...common(1),
      nominal: 5,
      mask: 7,
      alarm_enable: false,
      alarm_status: true,
      abort: true,
      abort_inhibit: false,
      tries_needed: 1,
      tries_now: 0,
    },
    { type: 'BasicStatus_reply', ...common(2), on: true, ready: false, remote: true },
    { type: 'TimedScalarArray_reply', ...common(3), status: 0, data: [1, 2], micros: [t * 1000, t * 1000 + 1] },
    { type: 'TimedScalarArray_reply', ...common(1), status: 0, data: [], micros: [] },
    { type: 'ApplySettings_reply', status: [{ ref_id: 1, status: 0 }, { ref_id: 2, status: -4335 }] },
    { type: 'Authenticate_reply', serviceName: 'daeset/bd@FNAL.GOV', token: new Uint8Array([9, 8, 7]) },
  ];
}

/** The valid reply bodies (encoded once). */
export function validBodies(listId: number): Uint8Array[] {
  return validReplies(listId).map((m) => encodeReply(m));
}

/** A 4-byte big-endian length prefix followed by `body`. */
export function frame(body: Uint8Array, length = body.length): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, length >>> 0);
  out.set(body, 4);
  return out;
}

/** The PC message header every reply starts with (magic, version, count 3, protocol id; the message id follows at byte 11). */
const HEADER = Uint8Array.from([0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70, 0x3a]);

/** Names of the mutations, for counting. */
export type MutationKind =
  | 'valid'
  | 'bitflip'
  | 'byteset'
  | 'truncate'
  | 'extend'
  | 'swap-message-id'
  | 'splice'
  | 'insert-delete'
  | 'random-tag'
  | 'random-with-header'
  | 'random';

/**
 * One fuzz frame body, never empty (the frame length stays valid: the body is
 * what the length says). `kind` tells which mutation produced it.
 */
export function mutatedBody(rng: Rng, corpus: readonly Uint8Array[]): { body: Uint8Array; kind: MutationKind } {
  const r = rng.int(100);
  const base = rng.pick(corpus);
  if (r < 8) return { body: base, kind: 'valid' };
  if (r < 28) {
    const b = Uint8Array.from(base);
    const n = 1 + rng.int(4);
    for (let i = 0; i < n; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
    return { body: b, kind: 'bitflip' };
  }
  if (r < 38) {
    const b = Uint8Array.from(base);
    const n = 1 + rng.int(3);
    for (let i = 0; i < n; i++) b[rng.int(b.length)] = rng.int(256);
    return { body: b, kind: 'byteset' };
  }
  if (r < 50) return { body: base.slice(0, 1 + rng.int(base.length - 1)), kind: 'truncate' };
  if (r < 56) {
    const tail = rng.bytes(1 + rng.int(16));
    const b = new Uint8Array(base.length + tail.length);
    b.set(base);
    b.set(tail, base.length);
    return { body: b, kind: 'extend' };
  }
  if (r < 66) {
    // the fields of one message under the id of another (message id = bytes after the header)
    const other = rng.pick(corpus);
    const b = Uint8Array.from(base);
    if (b.length > 14 && other.length > 14) {
      b[12] = other[12]!;
      b[13] = other[13]!;
    }
    return { body: b, kind: 'swap-message-id' };
  }
  if (r < 74) {
    const other = rng.pick(corpus);
    const cut = Math.min(base.length, 11 + rng.int(Math.max(1, base.length - 11)));
    const from = Math.min(other.length - 1, 11 + rng.int(Math.max(1, other.length - 11)));
    const b = new Uint8Array(cut + other.length - from);
    b.set(base.subarray(0, cut));
    b.set(other.subarray(from), cut);
    return { body: b, kind: 'splice' };
  }
  if (r < 80) {
    const at = rng.int(base.length);
    if (rng.int(2) === 0 && base.length > 1) {
      const n = 1 + rng.int(Math.min(4, base.length - 1));
      const cut = rng.int(base.length - n + 1);
      const b = new Uint8Array(base.length - n);
      b.set(base.subarray(0, cut));
      b.set(base.subarray(cut + n), cut);
      return { body: b, kind: 'insert-delete' };
    }
    const ins = rng.bytes(1 + rng.int(4));
    const b = new Uint8Array(base.length + ins.length);
    b.set(base.subarray(0, at));
    b.set(ins, at);
    b.set(base.subarray(at), at + ins.length);
    return { body: b, kind: 'insert-delete' };
  }
  if (r < 88) {
    // random tag bytes: replace a byte after the header with a byte of a plausible tag kind
    const b = Uint8Array.from(base);
    const TAGS = [0x10, 0x11, 0x12, 0x14, 0x18, 0x19, 0x28, 0x30, 0x40, 0x41, 0x44, 0x50, 0x51, 0x52, 0x70, 0x71, 0x7f, 0x00, 0xff];
    const n = 1 + rng.int(3);
    for (let i = 0; i < n; i++) b[HEADER.length + rng.int(Math.max(1, b.length - HEADER.length))] = rng.pick(TAGS);
    return { body: b, kind: 'random-tag' };
  }
  if (r < 95) {
    const rest = rng.bytes(1 + rng.int(120));
    const b = new Uint8Array(HEADER.length + rest.length);
    b.set(HEADER);
    b.set(rest, HEADER.length);
    return { body: b, kind: 'random-with-header' };
  }
  return { body: rng.bytes(1 + rng.int(300)), kind: 'random' };
}
