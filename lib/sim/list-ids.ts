/**
 * Allocation of DPM list ids: a pool of 2048 ids starting at 4096 (4096…6143), freed
 * ids are reused, as the real server does (`dpm-behaviour.md` §1).
 *
 * @example
 * ```ts
 * const pool = new ListIdPool();
 * const id = pool.allocate(); // 4096
 * pool.release(id!);
 * ```
 *
 * @module
 */

/**
 * First list id handed out.
 *
 * @example
 * ```ts
 * new ListIdPool().allocate() === FIRST_LIST_ID; // true
 * ```
 */
export const FIRST_LIST_ID = 4096;
/**
 * Number of list ids in the pool.
 *
 * @example
 * ```ts
 * FIRST_LIST_ID + LIST_ID_COUNT - 1; // 6143, the last list id
 * ```
 */
export const LIST_ID_COUNT = 2048;

/**
 * A pool of list ids. `allocate` returns the lowest free id (or `undefined` when all
 * 2048 are in use — the server then closes the connection, `DPM_OUTOMEM`).
 *
 * @example
 * ```ts
 * const pool = new ListIdPool();
 * pool.allocate(); // 4096
 * pool.allocate(); // 4097
 * ```
 */
export class ListIdPool {
  private readonly free: number[] = [];
  private next: number;
  private readonly end: number;

  constructor(first = FIRST_LIST_ID, count = LIST_ID_COUNT) {
    this.next = first;
    this.end = first + count;
  }

  /** A fresh list id, or `undefined` when the pool is exhausted. */
  allocate(): number | undefined {
    if (this.free.length > 0) return this.free.shift();
    if (this.next >= this.end) return undefined;
    return this.next++;
  }

  /** Returns an id to the pool (it will be handed out again later). */
  release(id: number): void {
    this.free.push(id);
  }
}
