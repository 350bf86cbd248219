/**
 * The simulator's built-in device catalogue.
 *
 * @example
 * ```ts
 * defaultCatalogue().devices.map((d) => d.name); // ['M:OUTTMP', 'G:AMANDA', ...]
 * ```
 *
 * @module
 */
import type { Catalogue } from './codec.js';

/**
 * The default catalogue (a fresh copy each call):
 *
 * | Device | What |
 * |---|---|
 * | `M:OUTTMP` | outdoor temperature, DegF, slowly varying scalar; logged every 1 s; analog alarm |
 * | `G:AMANDA` | a scalar test device, varying quickly |
 * | `Z:ACLTST` | settable scalar (READING follows SETTING), basic status, both alarm blocks |
 * | `Z:ARRAY1K` | an array of 1024 doubles (settable) |
 * | `Z:TEXTDEV` | a text device (settable) |
 * | `Z:TXTARR` | a text-array device |
 * | `Z:RAWDEV` | a raw device (8 bytes, settable) |
 * | `Z:STSDEV` | basic status, analog and digital alarms |
 * | `Z:LOGDEV` | a logged device (every 100 ms) |
 * | `Z:FAST` | a fast stream: repetitive requests push `Scalar_reply`s as fast as the socket drains |
 *
 * @example
 * ```ts
 * startSimulator({ catalogue: defaultCatalogue() });
 * ```
 */
export function defaultCatalogue(): Catalogue {
  return {
    devices: [
      {
        name: 'M:OUTTMP',
        index: 27235,
        description: 'Outdoor temperature',
        units: 'DegF',
        formatHint: 2,
        longName: 'Outdoor temperature (weather station)',
        alarmListName: 'WEATHER',
        reading: { kind: 'scalar', value: 55, sine: { amplitude: 4, periodS: 3600 }, noise: 0.05 },
        scaling: { scale: 0.01, offset: 0 },
        analogAlarm: {
          minimum: -20,
          maximum: 105,
          alarmEnable: true,
          alarmStatus: false,
          abort: false,
          abortInhibit: true,
          triesNeeded: 2,
          triesNow: 0,
        },
        logger: { periodMs: 1000 },
        defaultEvent: 'p,1000',
      },
      {
        name: 'G:AMANDA',
        index: 252411,
        description: 'Amanda test device',
        units: 'V',
        formatHint: 3,
        reading: { kind: 'scalar', value: 0, sine: { amplitude: 10, periodS: 10 } },
        scaling: { scale: 0.001, offset: 0 },
        status: { on: true, ready: true },
        defaultEvent: 'I',
      },
      {
        name: 'Z:ACLTST',
        index: 140013,
        description: 'ACL test device (settable)',
        units: 'mm',
        formatHint: 2,
        reading: { kind: 'scalar', value: 12.5 },
        setting: { kind: 'scalar', value: 12.5 },
        scaling: { scale: 0.001, offset: 0 },
        status: { on: true, ready: true, remote: true, positive: true, ramp: false },
        analogAlarm: {
          minimum: 0,
          maximum: 100,
          alarmEnable: true,
          alarmStatus: false,
          abort: false,
          abortInhibit: false,
          triesNeeded: 1,
          triesNow: 0,
        },
        digitalAlarm: {
          nominal: 3,
          mask: 3,
          alarmEnable: false,
          alarmStatus: false,
          abort: false,
          abortInhibit: false,
          triesNeeded: 1,
          triesNow: 0,
        },
        defaultEvent: 'I',
      },
      {
        name: 'Z:ARRAY1K',
        index: 140100,
        description: 'Array of 1024 doubles',
        units: 'A',
        reading: { kind: 'array', length: 1024, generator: 'sine', amplitude: 5 },
        setting: { kind: 'array', length: 1024, generator: 'zero' },
        scaling: { scale: 0.001, offset: 0 },
        defaultEvent: 'I',
      },
      {
        name: 'Z:TEXTDEV',
        index: 140200,
        description: 'Text device',
        reading: { kind: 'text', value: 'Hello from the DPM simulator' },
        setting: { kind: 'text', value: 'Hello from the DPM simulator' },
        defaultEvent: 'I',
      },
      {
        name: 'Z:TXTARR',
        index: 140201,
        description: 'Text array device',
        reading: { kind: 'textArray', values: ['alpha', 'beta', 'gamma', 'delta'] },
        defaultEvent: 'I',
      },
      {
        name: 'Z:RAWDEV',
        index: 140300,
        description: 'Raw device (8 bytes)',
        reading: { kind: 'raw', hex: '0102030405060708' },
        setting: { kind: 'raw', hex: '0102030405060708' },
        defaultEvent: 'I',
      },
      {
        name: 'Z:STSDEV',
        index: 140400,
        description: 'Device with basic status and alarms',
        units: 'degC',
        reading: { kind: 'scalar', value: 21.5 },
        scaling: { scale: 0.1, offset: 0 },
        status: { on: true, ready: false, remote: true, positive: false },
        analogAlarm: {
          minimum: 15,
          maximum: 30,
          alarmEnable: true,
          alarmStatus: true,
          abort: true,
          abortInhibit: false,
          triesNeeded: 3,
          triesNow: 3,
        },
        digitalAlarm: {
          nominal: 5,
          mask: 7,
          alarmEnable: true,
          alarmStatus: false,
          abort: false,
          abortInhibit: true,
          triesNeeded: 2,
          triesNow: 1,
        },
        defaultEvent: 'I',
      },
      {
        name: 'Z:LOGDEV',
        index: 140500,
        description: 'Logged device (100 ms)',
        units: 'Hz',
        reading: { kind: 'scalar', value: 100, sine: { amplitude: 1, periodS: 60 } },
        logger: { periodMs: 100 },
        defaultEvent: 'I',
      },
      {
        name: 'Z:FAST',
        index: 140600,
        description: 'Fast stream for benchmarks',
        reading: { kind: 'scalar', value: 1 },
        fastStream: true,
        defaultEvent: 'I',
      },
    ],
  };
}
