import { expect } from 'chai';
import fc from 'fast-check';
import { CLOSE, decodeReading, encodeControl, encodeReading, frameOf, isRetryableClose, wireError } from '../../lib/browser/wire.js';
import type { DeviceMeta, Reading } from '../../lib/dpm/reading.js';
import { DrfError } from '../../lib/drf/errors.js';
import { parseDrf } from '../../lib/drf/parse.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { AcnetStatus } from '../../lib/status/acnet-status.js';

const OK = AcnetStatus.OK;
const meta: DeviceMeta = { di: 27235, name: 'M:OUTTMP', description: 'Outdoor temperature', units: 'DegF', formatHint: 2 };
const at = new Date(1_700_000_000_123);

function roundTrip(r: Reading): Reading {
  const text = encodeReading(3, 1, r);
  const tuple = JSON.parse(text) as unknown[];
  expect(tuple.slice(0, 2)).to.deep.equal([3, 1]);
  return decodeReading(tuple, r.drf, r.meta);
}

const samples: Reading[] = [
  { drf: 'M:OUTTMP@p,100', valueType: 'scalar', value: 55.25, timestamp: at, cycle: 42, status: OK, meta },
  { drf: 'Z:ARRAY1K', valueType: 'scalarArray', value: Float64Array.of(1, -2.5, 3e-9, 1e300), timestamp: at, cycle: 1, status: OK, meta: undefined },
  { drf: 'Z:LOGDEV<-LOGGERDURATION:1000', valueType: 'timedScalarArray', value: { data: Float64Array.of(1, 2), micros: Float64Array.of(1.7e15, 1.7e15 + 100) }, timestamp: at, cycle: 0, status: OK, meta: undefined },
  { drf: 'Z:RAWDEV', valueType: 'raw', value: Uint8Array.of(0, 1, 255), timestamp: at, cycle: 2, status: OK, meta: undefined },
  { drf: 'Z:TEXTDEV', valueType: 'text', value: 'Hello "DPM" \u2028 \\ ✓', timestamp: at, cycle: 3, status: OK, meta: undefined },
  { drf: 'Z:TXTARR', valueType: 'textArray', value: ['alpha', '', 'γ'], timestamp: at, cycle: 3, status: OK, meta: undefined },
  { drf: 'Z:STSDEV.STATUS', valueType: 'basicStatus', value: { on: true, ready: false, ramp: true }, timestamp: at, cycle: 4, status: OK, meta: undefined },
  { drf: 'Z:STSDEV.STATUS', valueType: 'basicStatus', value: {}, timestamp: at, cycle: 4, status: OK, meta: undefined },
  {
    drf: 'Z:STSDEV.ANALOG',
    valueType: 'analogAlarm',
    value: { minimum: 15, maximum: 30, alarmEnable: true, alarmStatus: true, abort: true, abortInhibit: false, triesNeeded: 3, triesNow: 3 },
    timestamp: at,
    cycle: 5,
    status: OK,
    meta: undefined,
  },
  {
    drf: 'Z:STSDEV.DIGITAL',
    valueType: 'digitalAlarm',
    value: { nominal: 5, mask: 7, alarmEnable: true, alarmStatus: false, abort: false, abortInhibit: true, triesNeeded: 2, triesNow: 1 },
    timestamp: at,
    cycle: 6,
    status: OK,
    meta: undefined,
  },
  { drf: 'Z:NOTFND', valueType: undefined, value: undefined, timestamp: undefined, cycle: 0, status: AcnetStatus.fromWord(-3312), meta: undefined },
  { drf: 'M:OUTTMP', valueType: 'scalar', value: 1, timestamp: undefined, cycle: 0, status: AcnetStatus.fromWord(0x0155), meta },
];

describe('browser/wire', () => {
  it('round-trips a reading of every value type to the same object (Date, AcnetStatus, typed arrays)', () => {
    for (const r of samples) {
      const back = roundTrip(r);
      expect(back, r.drf).to.deep.equal(r);
      expect(back.status).to.equal(r.status); // interned
      expect(Object.keys(back)).to.deep.equal(Object.keys(r));
    }
  });

  it('writes a compact tuple: timestamp in ms (0 = none), status word, one-letter type', () => {
    expect(encodeReading(1, 0, samples[0]!)).to.equal('[1,0,1700000000123,42,0,"s",55.25]');
    expect(encodeReading(7, 2, samples[10]!)).to.equal('[7,2,0,0,-3312]');
    expect(encodeReading(1, 0, samples[3]!)).to.equal('[1,0,1700000000123,2,0,"r",[0,1,255]]');
  });

  it('keeps NaN and ±Infinity (as strings on the wire)', () => {
    const r: Reading = { drf: 'X:Y', valueType: 'scalarArray', value: Float64Array.of(NaN, Infinity, -Infinity, -0, 5), timestamp: at, cycle: 0, status: OK, meta: undefined };
    expect(encodeReading(1, 0, r)).to.contain('["NaN","Infinity","-Infinity",0,5]');
    const back = roundTrip(r);
    expect(Array.from(back.value as Float64Array)).to.deep.equal([NaN, Infinity, -Infinity, 0, 5]);
    const s = roundTrip({ drf: 'X:Y', valueType: 'scalar', value: NaN, timestamp: at, cycle: 0, status: OK, meta: undefined });
    expect(Number.isNaN(s.value)).to.equal(true);
  });

  it('property: any scalar or array reading survives the trip exactly', () => {
    const num = fc.double({ noNaN: false });
    fc.assert(
      fc.property(num, fc.array(num, { maxLength: 50 }), fc.integer({ min: 1, max: 4e12 }), fc.integer({ min: -32768, max: 32767 }), (v, arr, ms, word) => {
        const s: Reading = { drf: 'A:B', valueType: 'scalar', value: v, timestamp: new Date(ms), cycle: 9, status: AcnetStatus.fromWord(word), meta: undefined };
        expect(Object.is(roundTrip(s).value, Object.is(v, -0) ? 0 : v)).to.equal(true);
        const a: Reading = { drf: 'A:B', valueType: 'scalarArray', value: Float64Array.from(arr), timestamp: new Date(ms), cycle: 9, status: OK, meta: undefined };
        const back = roundTrip(a).value as Float64Array;
        expect(back.length).to.equal(arr.length);
        arr.forEach((x, i) => expect(Object.is(back[i], Object.is(x, -0) ? 0 : x)).to.equal(true));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses malformed tuples with TypeError', () => {
    const bad: unknown[][] = [
      [1, 0, 'x', 0, 0],
      [1, 0, 0, 0, 0, 's'],
      [1, 0, 0, 0, 0, '?', 1],
      [1, 0, 0, 0, 0, 'a', 5],
      [1, 0, 0, 0, 0, 't', 5],
      [1, 0, 0, 0, 0, 'T', [1]],
      [1, 0, 0, 0, 0, 'l', [[1]]],
      [1, 0, 0, 0, 0, 'A', { minimum: 1 }],
      [1, 0, 0, 0, 0, 'b', null],
    ];
    for (const t of bad) expect(() => decodeReading(t, 'X:Y', undefined), JSON.stringify(t)).to.throw(TypeError);
  });

  it('frames items as one JSON array; control items are plain JSON', () => {
    const f = frameOf([encodeControl({ t: 'end', id: 3 }), encodeReading(3, 0, samples[0]!)]);
    expect(JSON.parse(f)).to.deep.equal([{ t: 'end', id: 3 }, [3, 0, 1700000000123, 42, 0, 's', 55.25]]);
  });

  it('carries a DrfError and a ListError with what is needed to rebuild them', () => {
    let drfError: unknown;
    try {
      parseDrf('M:OUTTMP[');
    } catch (e) {
      drfError = e;
    }
    expect(drfError).to.be.instanceOf(DrfError);
    const w = wireError(drfError);
    expect(w).to.include({ code: 'DRF_ERROR', input: 'M:OUTTMP[', part: 'range' });
    expect(w.position).to.be.a('number');
    expect(wireError(new ListError(AcnetStatus.fromWord(-4335), 'refused'))).to.include({ code: 'LIST_ERROR', status: -4335 });
    expect(wireError('odd')).to.deep.equal({ code: 'INTERNAL', message: 'odd' });
  });

  it('tells close codes worth a reconnect from refusals', () => {
    expect([CLOSE.GOING_AWAY, CLOSE.INTERNAL, CLOSE.TRY_AGAIN, 1006].map(isRetryableClose)).to.deep.equal([true, true, true, true]);
    expect([CLOSE.UNSUPPORTED, CLOSE.INVALID, CLOSE.POLICY, CLOSE.TOO_BIG].map(isRetryableClose)).to.deep.equal([false, false, false, false]);
  });
});
