// Reading factories for operator tests.
import { AcnetStatus } from '../../lib/status/index.js';
import type { ErrorReading, Reading } from '../../lib/dpm/reading.js';

export function scalar(drf: string, value: number): Reading {
  return { drf, valueType: 'scalar', value, timestamp: undefined, cycle: 0, status: AcnetStatus.fromWord(0), meta: undefined };
}

export function failed(drf: string, word = -3312): ErrorReading {
  return { drf, valueType: undefined, value: undefined, timestamp: undefined, cycle: 0, status: AcnetStatus.fromWord(word), meta: undefined };
}
