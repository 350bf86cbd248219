/**
 * The outcome of one setting.
 *
 * @module
 */
import { AcnetStatus } from '../../status/acnet-status.js';
import type { ReadingValue } from '../reading.js';

/**
 * The read-back check of a setting written with `{ verify }`.
 *
 * @example
 * ```ts
 * const v: WriteVerification = { ok: true, readback: 42 };
 * ```
 */
export interface WriteVerification {
  /** The read-back value matches the written value (within the tolerance for numbers). */
  readonly ok: boolean;
  /** The value read back, when the read succeeded. */
  readonly readback?: ReadingValue;
  /** The status of the read-back when it failed. */
  readonly status?: AcnetStatus;
  /** Why the check failed or was not possible. */
  readonly reason?: string;
}

/**
 * What is known about a setting after the write:
 * - `applied`: the server answered that it applied it (`success` is true);
 * - `not-applied`: it was not applied — the server refused it (`DPM_PRIV`, a device error, …), or
 *   it never left the client (a connection that failed before `ApplySettings` was sent, a
 *   validation timeout, a list error);
 * - `unknown`: `ApplySettings` was sent but no answer came (the connection was lost, or the
 *   deadline passed): the server may or may not have applied it. It is never sent again; read
 *   the device back to find out.
 *
 * @example
 * ```ts
 * if (r.outcome === 'unknown') console.warn(`${r.drf}: may have been applied; reading it back`);
 * ```
 */
export type WriteOutcome = 'applied' | 'not-applied' | 'unknown';

/**
 * The result of one setting: the DRF as given, the server's (or a synthetic) status, what is known
 * about it ({@link WriteOutcome}) and whether it succeeded (error byte 0: a warning is **not** a
 * successful write, `status.md` §3).
 *
 * Synthetic statuses: `ACNET_REQTMO` (no reply in time), `ACNET_RETRY` (the connection failed
 * before the setting was sent, twice), `ACNET_DISCONNECTED` (the connection was lost after the
 * setting was sent: outcome `unknown`).
 *
 * @example
 * ```ts
 * const r: WriteResult = await firstValueFrom(client.write('Z:ACLTST', 42));
 * if (r.outcome === 'unknown') console.error(r.drf, 'may have been applied:', r.message);
 * else if (!r.success) console.error(r.drf, r.status.toString());
 * ```
 */
export interface WriteResult {
  readonly drf: string;
  readonly status: AcnetStatus;
  /** `outcome === 'applied'`. */
  readonly success: boolean;
  /** Applied, not applied, or unknown (sent, but the answer was lost). */
  readonly outcome: WriteOutcome;
  /**
   * Present when verification was requested and the outcome is `applied` or `unknown`. For an
   * `unknown` outcome a matching read-back means the device now holds the value (it does not
   * prove that this write put it there).
   */
  readonly verified?: WriteVerification;
  /** Extra explanation for synthetic statuses (e.g. `Connection error: …`). */
  readonly message?: string;
  /** For an alarm block: the field writes, in the order sent (stops at the first failure). */
  readonly fields?: readonly WriteResult[];
}

/**
 * Builds a {@link WriteResult} from a status word. The outcome is `applied` for a success
 * (error byte 0), else `not-applied`, unless `outcome` says otherwise.
 *
 * @example
 * ```ts
 * writeResult('Z:ACLTST', 0).success;     // true
 * writeResult('Z:ACLTST', -4335).success; // false (DPM_PRIV)
 * writeResult('Z:ACLTST', -8703, 'connection lost after sending', 'unknown').outcome; // 'unknown'
 * ```
 */
export function writeResult(drf: string, word: number | AcnetStatus, message?: string, outcome?: WriteOutcome): WriteResult {
  const status = typeof word === 'number' ? AcnetStatus.fromWord(word) : word;
  const o: WriteOutcome = outcome ?? (status.errorNumber === 0 ? 'applied' : 'not-applied');
  const r: WriteResult = { drf, status, success: o === 'applied', outcome: o };
  return message === undefined ? r : { ...r, message };
}
