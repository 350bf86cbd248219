/**
 * The DPM client: `dpm()` and the module-level `read`/`get`/`getMany`/`stream`,
 * readings, operators and errors.
 *
 * **Backpressure policy.** A stream pushes readings as fast as DPM sends them and
 * never buffers on its own: a synchronous subscriber is always up to date. A
 * consumer that does asynchronous work per reading must pick a policy explicitly,
 * because RxJS's `concatMap`/`mergeMap` would queue without bound:
 * - {@link consumeLatest}: keep only the newest pending reading per device
 *   (memory bounded by the number of devices; replaced readings are counted as dropped);
 * - {@link consumeBuffered}: a FIFO of at most `size` readings, overflow dropped
 *   (newest or oldest) and counted.
 * Both report `dropped`, `queued`, `maxQueued`, `processed` through a
 * {@link BackpressureStats} object. For display-only consumers,
 * `latestPerDevice()` plus `auditTime()` gives a bounded, periodically redrawn table.
 *
 * @example
 * ```ts
 * import { dpm, values } from 'acsys-rx';
 * const client = dpm({ host: 'localhost', port: 6802 });
 * client.stream('M:OUTTMP@p,1000').pipe(values()).subscribe(console.log);
 * ```
 *
 * @module
 */
import './read-failure.js'; // adds `readings` to the connection errors' types
export { dpm, type DpmClient, type ReadingValue } from './client.js';
export { read, get, getMany, stream, write, writeMany, globalClient, closeGlobalClient } from './global.js';
export { device, type Device } from './device.js';
export {
  resolveOptions,
  optionsFromEnv,
  DEFAULTS,
  MIN_HEARTBEAT_MS,
  type CoalesceOptions,
  type DpmOptions,
  type DpmTimeouts,
  type ReconnectOptions,
  type ResolvedOptions,
} from './options.js';
export {
  isOk,
  type Reading,
  type ValueReading,
  type ErrorReading,
  type ReadingCommon,
  type ValueType,
  type ValueTypes,
  type DeviceMeta,
  type TimedArray,
  type BasicStatus,
  type AlarmCommon,
  type AnalogAlarm,
  type DigitalAlarm,
} from './reading.js';
export type { StreamOptions, StreamEventsOptions, StreamEvent } from './stream.js';
// the checks and rewriting a one-shot read applies, usable before connecting (the CLI validates its arguments with it)
export { prepareReads, type PreparedRead } from './batch-read.js';
export { MIN_RECONNECT_DELAY_MS, type ReadOptions } from './call-options.js';
export { ArgumentError } from '../errors/argument-error.js';
export { TimeoutError } from './timeout-error.js';
export { ValueTypeError } from './value-type-error.js';
export { ListError } from './list-error.js';
export { values } from './operators/values.js';
export { okOnly } from './operators/ok-only.js';
export { latestPerDevice } from './operators/latest-per-device.js';
export { combineDevices, type CombineDevicesOptions } from './operators/combine-devices.js';
export { consumeLatest } from './operators/consume-latest.js';
export { consumeBuffered, type BufferedOptions } from './operators/consume-buffered.js';
export { newBackpressureStats, type BackpressureStats } from './operators/backpressure-stats.js';
export type { ConnectionState } from '../transport/connection-state.js';
export {
  insecureSimulatorAuth,
  expandAlarmBlock,
  ControlCommand,
  controlCommand,
  type ControlCommandName,
  type SettingValue,
  type WriteValue,
  type SettingsInput,
  type WriteCallOptions,
  type WriteResult,
  type WriteOutcome,
  type WriteVerification,
  type VerifyOptions,
  InvalidSettingError,
  type InvalidSettingReason,
  type AnalogAlarmSetting,
  type DigitalAlarmSetting,
  type AlarmBlockSetting,
  type DpmWriteOptions,
} from './write/index.js';
