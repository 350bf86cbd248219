/**
 * The pool of authenticated write connections (bounded; default 4, `writePoolSize`).
 *
 * @module
 */
import { ClientClosedError } from '../../errors/client-closed-error.js';
import type { WriteConnection } from './write-connection.js';

/**
 * The identity a write connection carries: a connection is reused only for the same principal
 * and role; a change means a fresh, re-authenticated connection.
 *
 * @example
 * ```ts
 * const key: WriteKey = { principal: 'alice@FNAL.GOV', role: 'testing' };
 * ```
 */
export interface WriteKey {
  readonly principal: string;
  readonly role: string | undefined;
}

interface Waiter {
  readonly key: WriteKey;
  readonly open: () => Promise<WriteConnection>;
  resolve(c: WriteConnection): void;
  reject(e: unknown): void;
}

const same = (c: WriteConnection, k: WriteKey): boolean => c.principal === k.principal && c.role === k.role;

/**
 * Hands out authenticated connections exclusively. `acquire` reuses an idle connection of the
 * same principal and role; otherwise it opens one (closing an idle connection of another
 * identity when the pool is full) or waits in FIFO order. Broken connections are dropped.
 *
 * @example
 * ```ts
 * const pool = new WritePool(4);
 * const wc = await pool.acquire(key, () => openWriteConnection(open$, auth, key.role, o));
 * try { ... } finally { pool.release(wc, true); }
 * pool.close();
 * ```
 */
export class WritePool {
  private readonly idle: WriteConnection[] = [];
  private readonly lent = new Set<WriteConnection>();
  private readonly queue: Waiter[] = [];
  private total = 0;
  private isClosed = false;
  /** Number of connections opened (and authenticated or attempted) so far. */
  opened = 0;

  constructor(readonly size: number) {}

  /** Connections currently open (idle or lent). */
  get count(): number {
    return this.total;
  }

  /** Number of idle connections. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** An exclusive connection for `key`; `open` creates a fresh authenticated one. */
  acquire(key: WriteKey, open: () => Promise<WriteConnection>): Promise<WriteConnection> {
    if (this.isClosed) return Promise.reject(new ClientClosedError());
    return new Promise<WriteConnection>((resolve, reject) => {
      this.queue.push({ key, open, resolve, reject });
      this.pump();
    });
  }

  /** Gives a connection back: kept idle when `keep` and healthy, else closed. */
  release(c: WriteConnection, keep: boolean): void {
    if (!this.lent.delete(c)) return;
    if (keep && !c.broken && !this.isClosed) {
      c.connection.unref();
      this.idle.push(c);
    } else {
      c.close();
      this.total--;
    }
    this.pump();
  }

  /** Closes every connection (a write in flight fails over to `ClientClosedError`) and fails waiters. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const c of this.lent) c.close();
    for (const c of this.idle.splice(0)) {
      c.close();
      this.total--;
    }
    const err = new ClientClosedError();
    for (const w of this.queue.splice(0)) w.reject(err);
  }

  private pump(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i]!.broken) {
        this.idle[i]!.close();
        this.idle.splice(i, 1);
        this.total--;
      }
    }
    while (this.queue.length > 0 && !this.isClosed) {
      const w = this.queue[0]!;
      const match = this.idle.findIndex((c) => same(c, w.key));
      if (match >= 0) {
        this.queue.shift();
        const [c] = this.idle.splice(match, 1);
        c!.connection.ref();
        this.lent.add(c!);
        w.resolve(c!);
        continue;
      }
      if (this.total >= this.size && this.idle.length > 0) {
        // full: make room by closing the oldest idle connection of another identity
        this.idle.shift()!.close();
        this.total--;
      }
      if (this.total >= this.size) return;
      this.queue.shift();
      this.total++;
      this.opened++;
      w.open().then(
        (c) => {
          if (this.isClosed) {
            c.close();
            this.total--;
            w.reject(new ClientClosedError());
            return;
          }
          this.lent.add(c);
          w.resolve(c);
        },
        (e: unknown) => {
          this.total--;
          w.reject(e);
          this.pump();
        },
      );
    }
  }
}
