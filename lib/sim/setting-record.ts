/**
 * What the simulator records of every setting it processes (`SimulatorHandle.settings$`).
 *
 * @module
 */
import type { SettingValue } from './apply-setting.js';

/**
 * One setting of an `ApplySettings_request`, as the simulator processed it: which connection and
 * list, the request it was added with, the value, who asked and the status it answered. A status
 * of 0 means the device took the value.
 *
 * @example
 * ```ts
 * sim.settings$.subscribe((s) => console.log(s.drf, s.status === 0 ? 'applied' : s.status));
 * ```
 */
export interface SimSettingRecord {
  /** Index of the connection (0 for the first accepted). */
  readonly connection: number;
  readonly listId: number;
  readonly refId: number;
  /** The device name from the catalogue (`undefined` when the ref or device is unknown). */
  readonly device: string | undefined;
  /** The request text it was added with (e.g. `Z:ACLTST.SETTING@N`), if the ref was known. */
  readonly drf: string | undefined;
  readonly value: SettingValue;
  /** The list's authenticated principal, if any. */
  readonly principal: string | undefined;
  /** The status word answered for it (0: applied). */
  readonly status: number;
}
