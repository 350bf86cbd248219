/**
 * The embedded DPM simulator: a TCP server speaking the DPM protocol like
 * acsys-proxy + DPM, with a device catalogue, heartbeats, settings, logger data and fault
 * injection for tests.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'acsys-rx/sim';
 * const sim = await startSimulator({ port: 0, heartbeatMs: 500 });
 * // connect a client to sim.host:sim.port ...
 * await sim.close();
 * ```
 *
 * @module
 */
export { startSimulator, type SimulatorHandle, type DeviceSnapshot, type DeviceValueInput } from './simulator.js';
export { SIM_DEFAULTS, clockRates, type SimulatorOptions } from './options.js';
export { resolveFaults, needsFrameExactWrites, type FaultOptions, type FaultSetting } from './faults.js';
export {
  defaultAuthHook,
  DEFAULT_SERVICE_NAME,
  type SimAuthHook,
  type SimAuthConnection,
  type AuthenticateOutcome,
  type SettingToAuthorize,
  type MaybePromise,
} from './auth-hook.js';
export { kerberosAuthHook, type KerberosAuthHookOptions } from './kerberos-auth-hook.js';
export { checkAcceptorKeytab } from './auth/session.js';
export { realScheduler, TimerGroup, type Scheduler, type Cancellable } from './scheduler.js';
export { SimStatus } from './status-words.js';
export type { SimValue, LinearScaling } from './sim-value.js';
export type { ValueProperty } from './device-store.js';
export type { UnknownDeviceMode } from './session.js';
export { defaultCatalogue } from './catalogue/default-catalogue.js';
export { generateCatalogue } from './catalogue/generate.js';
export { loadCatalogue, loadCatalogueFile } from './catalogue/load.js';
export { CatalogueError } from './catalogue/catalogue-error.js';
export {
  CatalogueCodec,
  DeviceSpecCodec,
  ValueSpecCodec,
  type Catalogue,
  type DeviceSpec,
  type ValueSpec,
  type AnalogAlarmSpec,
  type DigitalAlarmSpec,
  type BasicStatusSpec,
} from './catalogue/codec.js';
export { ScalarFrameEncoder } from './fast-scalar-frame.js';
export { LOGGER_CHUNK_POINTS } from './logger-source.js';
export { DEFAULT_CLOCK_RATES, SUPER_CYCLE_HZ, type ClockListener } from './clock-timeline.js';
export type { SimConnectionStats } from './connection.js';
export type { SimSettingRecord } from './setting-record.js';
export type { SettingValue as SimSettingValue } from './apply-setting.js';
export { authHookFromOptions, resolveAuthConfig, type SimAuthSelection } from './auth-from-options.js';
