/**
 * A connected pair of in-memory byte streams with the parts of a TCP socket that the client
 * and the simulator use, for a simulator in the same process without a TCP port.
 *
 * @module
 */
import { Duplex } from 'node:stream';

/**
 * One end of a {@link memoryPipe}: what one end writes, the other reads, with backpressure (a
 * write returns `false` while the reader's buffer is full, `'drain'` follows when it was read).
 * `end()` ends the other side's input; `destroy()` closes both ends. The socket-only methods
 * (`ref`, `unref`, `setNoDelay`, `setKeepAlive`) do nothing: a pipe holds no OS handle.
 *
 * @example
 * ```ts
 * const [a, b] = memoryPipe();
 * b.on('data', (d: Buffer) => console.log(d.length));
 * a.write(new Uint8Array([1, 2, 3]));
 * ```
 */
export class MemorySocket extends Duplex {
  /** For messages: where the peer is. */
  readonly remoteAddress = 'in-process';
  peer: MemorySocket | undefined;
  /** The write callback waiting until the peer reads (backpressure). */
  private pendingWrite: ((error?: Error | null) => void) | undefined;

  constructor() {
    super({ allowHalfOpen: false });
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed) {
      callback(new Error('the other end of the in-process connection is closed'));
      return;
    }
    if (peer.push(chunk)) callback();
    else peer.waitRead(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer !== undefined && !peer.destroyed) peer.push(null);
    callback();
  }

  override _read(): void {
    const cb = this.peerWrite();
    if (cb !== undefined) cb();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    const cb = this.pendingWrite;
    this.pendingWrite = undefined;
    cb?.(new Error('the in-process connection was closed'));
    if (peer !== undefined && !peer.destroyed) {
      peer.push(null);
      peer.destroy();
    }
    callback(error);
  }

  /** @internal The peer's write that waits until this end is read. */
  waitRead(callback: (error?: Error | null) => void): void {
    this.pendingWrite = callback;
  }

  private peerWrite(): ((error?: Error | null) => void) | undefined {
    const cb = this.pendingWrite;
    this.pendingWrite = undefined;
    return cb;
  }
}

/**
 * Two connected {@link MemorySocket}s.
 *
 * @example
 * ```ts
 * const [client, server] = memoryPipe();
 * ```
 */
export function memoryPipe(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
