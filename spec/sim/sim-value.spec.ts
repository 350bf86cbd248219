import { expect } from 'chai';
import { fromRawCounts, toPrimary, toRaw } from '../../lib/sim/sim-value.js';

describe('sim/sim-value', () => {
  const s = { scale: 0.5, offset: 1 };
  it('scalars and arrays → int32 LE counts; back again', () => {
    expect(Array.from(toRaw({ kind: 'scalar', value: 2.5 }, s))).to.deep.equal([3, 0, 0, 0]);
    const raw = toRaw({ kind: 'array', values: Float64Array.of(1, 0, -1e12) }, s);
    expect(raw.length).to.equal(12);
    expect(fromRawCounts(raw, s)).to.deep.equal([1, 0, -2147483648 * 0.5 + 1]);
    expect(fromRawCounts(Uint8Array.of(1, 2, 3), s)).to.equal(undefined);
  });
  it('text, text arrays and raw', () => {
    expect(Buffer.from(toRaw({ kind: 'text', value: 'hé' })).toString('utf8')).to.equal('hé');
    expect(Buffer.from(toRaw({ kind: 'textArray', values: ['a', 'b'] })).toString()).to.equal('a\0b');
    const b = Uint8Array.of(1, 2);
    expect(toRaw({ kind: 'raw', bytes: b })).to.equal(b);
  });
  it('toPrimary inverts the scaling', () => {
    expect(toPrimary(2.5, s)).to.equal(3);
    expect(toPrimary(7)).to.equal(7);
  });
});
