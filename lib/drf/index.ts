/**
 * DRF (data request format) device addressing: parser, canonical printer, helpers and builders.
 * See `shared/spec/drf.md`.
 *
 * @example
 * ```ts
 * import { parseDrf, toCanonical, ensureImmediate, writeTarget } from 'acsys-rx/drf';
 * toCanonical('M_OUTTMP@p,1000');  // 'M:OUTTMP.SETTING@p,1000'
 * ensureImmediate('M:OUTTMP');     // 'M:OUTTMP@I'
 * writeTarget('M:OUTTMP');         // 'M:OUTTMP.SETTING@N'
 * ```
 *
 * @module
 */
export type {
  ArrayFullRange,
  ArrayRange,
  ArraySingleRange,
  ArrayStdRange,
  ByteFullRange,
  ByteRange,
  ByteSingleRange,
  ByteStdRange,
  ClockEvent,
  DataSourceName,
  DefaultEvent,
  DrfEvent,
  DrfExtra,
  DrfField,
  DrfProperty,
  DrfRange,
  DrfRequest,
  ImmediateEvent,
  LoggerDurationSource,
  LoggerSingleSource,
  LoggerSource,
  NeverEvent,
  PeriodicEvent,
  PlainSource,
  RedirSource,
  SdaFileSource,
  SrFileSource,
  StateEvent,
  StateOperator,
} from './types.js';
export { DrfError, type DrfErrorPart } from './errors.js';
export {
  parseDrf,
  isValidDrf,
  parseEvent,
  parseRange,
  parseDataSource,
  parseTimeMs,
  isDeviceName,
} from './parse.js';
export { toCanonical, formatRange, formatEvent } from './canonical.js';
export {
  deviceName,
  deviceKey,
  sameDevice,
  requestKey,
  isHistorical,
  ensureImmediate,
  oneShot,
  writeRequest,
  writeTarget,
  withEvent,
  stripEvent,
  replaceEvent,
  withRange,
  withProperty,
  withField,
  parseListProperty,
  type ListProperty,
} from './helpers.js';
export {
  PROPERTIES,
  FIELDS,
  DATA_SOURCES,
  lookupProperty,
  lookupField,
  lookupDataSource,
  propertyWords,
  qualifierProperty,
  propertyQualifier,
  defaultField,
  isFieldValid,
  validFields,
  isHistoricalSource,
} from './tables.js';
export { serveInfo, dpmStatusFor, parseForServer, type ServeInfo, type DataWindow } from './serve.js';
