// A lean DPM load client for simulator benchmarks: raw sockets, no decoding. Each
// connection sends the handshake, waits for the first frame (OpenList_reply), records how
// long that took, then optionally adds one request and starts the list. After that it
// only counts: whole frames (a 4-byte length-prefix scanner), or just bytes for
// connections that would otherwise cost this process more than the simulator.
import { connect, type Socket } from 'node:net';
import { encodeRequestFrames, HANDSHAKE_REQUEST } from '../../lib/protocol/index.js';

export interface RawConnOptions {
  readonly host: string;
  readonly port: number;
  /** DRF to add and start once the list is open (none: a quiet list). */
  readonly drf?: string;
  /** After the handshake, count only bytes (no frame scanning). */
  readonly bytesOnly?: boolean;
}

export class RawConn {
  /** ms from connect() to the OpenList_reply, or undefined while waiting. */
  handshakeMs: number | undefined;
  frames = 0;
  bytes = 0;
  /** Time (performance.now()) of the latest frame, and the longest gap between two frames since `resetGaps`. */
  lastFrameAt = 0;
  maxGapMs = 0;
  closed = false;
  private readonly socket: Socket;
  private readonly t0 = performance.now();
  private need = 0;
  private readonly prefix = Buffer.alloc(4);
  private prefixHave = 0;

  constructor(private readonly o: RawConnOptions) {
    this.socket = connect({ host: o.host, port: o.port, noDelay: true });
    this.socket.on('connect', () => this.socket.write(HANDSHAKE_REQUEST));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  resetGaps(): void {
    this.maxGapMs = 0;
    this.lastFrameAt = performance.now();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.o.bytesOnly === true && this.handshakeMs !== undefined) return;
    let i = 0;
    const n = chunk.length;
    let got = 0;
    while (i < n) {
      if (this.need > 0) {
        const take = Math.min(this.need, n - i);
        this.need -= take;
        i += take;
        if (this.need === 0) got++;
      } else if (this.prefixHave === 0 && n - i >= 4) {
        this.need = chunk.readUInt32BE(i);
        i += 4;
      } else {
        this.prefix[this.prefixHave++] = chunk[i++]!;
        if (this.prefixHave === 4) {
          this.prefixHave = 0;
          this.need = this.prefix.readUInt32BE(0);
        }
      }
    }
    if (got === 0) return;
    this.frames += got;
    const now = performance.now();
    if (this.lastFrameAt > 0) this.maxGapMs = Math.max(this.maxGapMs, now - this.lastFrameAt);
    this.lastFrameAt = now;
    if (this.handshakeMs === undefined) {
      this.handshakeMs = now - this.t0;
      if (this.o.drf !== undefined) {
        this.socket.write(
          encodeRequestFrames([
            { type: 'AddToList_request', list_id: 0, ref_id: 1, drf_request: this.o.drf },
            { type: 'StartList_request', list_id: 0 },
          ]),
        );
      }
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until every connection has its OpenList_reply (or closed), at most `ms`. */
export async function waitHandshakes(conns: readonly RawConn[], ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end && conns.some((c) => c.handshakeMs === undefined && !c.closed)) await sleep(20);
}

export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
