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
 * The result of one setting: the DRF as given, the server's (or a synthetic) status and whether
 * it succeeded (error byte 0: a warning is **not** a successful write, `status.md` §3).
 *
 * Synthetic statuses: `ACNET_REQTMO` (no reply in time), `ACNET_RETRY` (the connection failed
 * twice).
 *
 * @example
 * ```ts
 * const r: WriteResult = await firstValueFrom(client.write('Z:ACLTST', 42));
 * if (!r.success) console.error(r.drf, r.status.toString());
 * ```
 */
export interface WriteResult {
  readonly drf: string;
  readonly status: AcnetStatus;
  readonly success: boolean;
  /** Present when verification was requested and the write succeeded. */
  readonly verified?: WriteVerification;
  /** Extra explanation for synthetic statuses (e.g. `Connection error: …`). */
  readonly message?: string;
  /** For an alarm block: the field writes, in the order sent (stops at the first failure). */
  readonly fields?: readonly WriteResult[];
}

/**
 * Builds a {@link WriteResult} from a status word.
 *
 * @example
 * ```ts
 * writeResult('Z:ACLTST', 0).success;     // true
 * writeResult('Z:ACLTST', -4335).success; // false (DPM_PRIV)
 * ```
 */
export function writeResult(drf: string, word: number | AcnetStatus, message?: string): WriteResult {
  const status = typeof word === 'number' ? AcnetStatus.fromWord(word) : word;
  const r: WriteResult = { drf, status, success: status.errorNumber === 0 };
  return message === undefined ? r : { ...r, message };
}
