import { expect } from 'chai';
import { LoggerAccumulator, errorReading, metaFrom, readingFromReply, statusOf } from '../../lib/dpm/readings.js';

describe('dpm/readings', () => {
  const meta = metaFrom({ type: 'DeviceInfo_reply', ref_id: 1, di: 7, name: 'M:OUTTMP', description: 'temp', units: 'DegF' });

  it('maps DeviceInfo_reply to metadata', () => {
    expect(meta).to.deep.equal({ di: 7, name: 'M:OUTTMP', description: 'temp', units: 'DegF', formatHint: undefined });
  });

  it('memoises statuses', () => {
    expect(statusOf(-3312)).to.equal(statusOf(-3312));
    expect(statusOf(0).isSuccess).to.equal(true);
  });

  it('converts each data reply (value type narrows value)', () => {
    const base = { ref_id: 1, timestamp: 1700000000000, cycle: 4 };
    const s = readingFromReply({ type: 'Scalar_reply', ...base, status: 0, data: 2.5 }, 'D', meta)!;
    expect(s).to.include({ drf: 'D', valueType: 'scalar', value: 2.5, cycle: 4, meta });
    expect(s.timestamp?.getTime()).to.equal(1700000000000);
    const t = readingFromReply({ type: 'TimedScalarArray_reply', ...base, status: 0, data: Float64Array.of(1), micros: [5] }, 'D', undefined)!;
    expect(t.valueType).to.equal('timedScalarArray');
    const bs = readingFromReply({ type: 'BasicStatus_reply', ...base, on: true, ramp: false }, 'D', undefined)!;
    expect(bs.value).to.deep.equal({ on: true, ramp: false });
    const st = readingFromReply({ type: 'Status_reply', ...base, status: -3312 }, 'D', meta)!;
    expect(st.valueType).to.equal(undefined);
    expect(st.status.name).to.equal('DBM_NOPROP');
    expect(readingFromReply({ type: 'StartList_reply', list_id: 1, status: 0 }, 'D', undefined)).to.equal(undefined);
    expect(readingFromReply({ type: 'Scalar_reply', ...base, timestamp: 0, status: 0, data: 1 }, 'D', undefined)!.timestamp).to.equal(undefined);
  });

  it('gathers logger chunks until the empty terminator', () => {
    const acc = new LoggerAccumulator('L');
    const chunk = (cycle: number, data: number[], status = 0) =>
      ({ type: 'TimedScalarArray_reply', ref_id: 1, timestamp: 10 + cycle, cycle, status, data: Float64Array.from(data), micros: data.map((d) => d * 1000) }) as const;
    expect(acc.push(chunk(0, [1, 2]), meta)).to.equal(undefined);
    expect(acc.push(chunk(1, [3]), meta)).to.equal(undefined);
    const r = acc.push(chunk(2, []), meta)!;
    expect(r.valueType).to.equal('timedScalarArray');
    if (r.valueType === 'timedScalarArray') {
      expect(Array.from(r.value.data)).to.deep.equal([1, 2, 3]);
      expect(Array.from(r.value.micros)).to.deep.equal([1000, 2000, 3000]);
    }
    expect(r.timestamp?.getTime()).to.equal(10);
  });

  it('an empty window is a valid empty reading; an error chunk or Status_reply is an error reading', () => {
    const empty = new LoggerAccumulator('L').push(
      { type: 'TimedScalarArray_reply', ref_id: 1, timestamp: 5, cycle: 0, status: 0, data: new Float64Array(0), micros: [] },
      undefined,
    )!;
    expect(empty.valueType).to.equal('timedScalarArray');
    const err = new LoggerAccumulator('L').push({ type: 'Status_reply', ref_id: 1, timestamp: 5, cycle: 0, status: -7679 }, undefined)!;
    expect(err.valueType).to.equal(undefined);
    expect(errorReading('X', statusOf(-1535), undefined).status.name).to.equal('ACNET_REQTMO');
  });
});
