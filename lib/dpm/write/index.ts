/**
 * Settings (writes): values, alarm blocks, results, verification, the authenticated write pool,
 * and the insecure simulator stand-in for demos.
 *
 * @example
 * ```ts
 * import { dpm, kerberos } from 'acsys-rx';
 * const client = dpm({ auth: kerberos(), role: 'testing' });
 * client.write('Z:ACLTST', 42).subscribe((r) => console.log(r.success));
 * ```
 *
 * @module
 */
export { type SettingValue, type SettingPayload, type ControlCommandName, ControlCommand, controlCommand, settingPayload, isSettingValue, applySettingsRequest } from './setting-value.js';
export {
  type AnalogAlarmSetting,
  type DigitalAlarmSetting,
  type AlarmBlockSetting,
  type AlarmFieldWrite,
  expandAlarmBlock,
  isAlarmBlock,
} from './alarm.js';
export { type WriteResult, type WriteOutcome, type WriteVerification, writeResult } from './result.js';
export { type VerifyOptions, type VerifyCheck, readbackDrf, matches, verifySettings } from './verify.js';
export { type WriteValue, type SettingsInput, type WriteCallOptions, type WriterDeps, Writer } from './writer.js';
export { type DpmWriteOptions, type ResolvedWriteOptions, WRITE_POOL_SIZE, isValidRole } from './write-options.js';
export { insecureSimulatorAuth } from './insecure-simulator-auth.js';
export { type BatchReport, type ApplyOptions, applyBatch } from './apply.js';
export { type PreparedSetting, type WriteEntry, prepareSetting, prepareSettings, splitIntoFrames } from './prepare.js';
export { InvalidSettingError, type InvalidSettingReason } from './invalid-setting-error.js';
export { validateWriteCallOptions } from './write-call-options.js';
export { type WriteKey, WritePool } from './write-pool.js';
export { type WriteConnection, type OpenWriteOptions, authenticatedConnection } from './write-connection.js';
