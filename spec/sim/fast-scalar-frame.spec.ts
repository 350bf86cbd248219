import { expect } from 'chai';
import fc from 'fast-check';
import { ScalarFrameEncoder } from '../../lib/sim/fast-scalar-frame.js';
import { encodeReplyFrame } from '../../lib/protocol/index.js';

describe('sim/fast-scalar-frame', () => {
  it('produces exactly the bytes of the codec (spec §9.6 example)', () => {
    const enc = new ScalarFrameEncoder(1);
    const buf = Buffer.alloc(enc.maxFrameBytes);
    const end = enc.write(buf, 0, 1700000000123, 3, 72.5);
    expect(buf.subarray(0, end).toString('hex')).to.equal(
      Buffer.from(encodeReplyFrame({ type: 'Scalar_reply', ref_id: 1, timestamp: 1700000000123, cycle: 3, status: 0, data: 72.5 })).toString('hex'),
    );
    expect(end).to.equal(4 + 53);
  });

  it('matches the codec for any safe integers and doubles (property)', () => {
    const safe = fc.maxSafeInteger().map((n) => (n % 2 === 0 ? n : -n));
    fc.assert(
      fc.property(safe, safe, safe, fc.integer({ min: -32768, max: 32767 }), fc.double(), (ref, ts, cycle, status, data) => {
        const enc = new ScalarFrameEncoder(ref);
        const buf = Buffer.alloc(enc.maxFrameBytes + 10);
        const end = enc.write(buf, 3, ts, cycle, data, status);
        const expected = Buffer.from(encodeReplyFrame({ type: 'Scalar_reply', ref_id: ref, timestamp: ts, cycle, status, data }));
        expect(buf.subarray(3, end).equals(expected)).to.equal(true);
        expect(end - 3).to.be.at.most(enc.maxFrameBytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the canonical quiet NaN', () => {
    const enc = new ScalarFrameEncoder(1);
    const buf = Buffer.alloc(enc.maxFrameBytes);
    const end = enc.write(buf, 0, 0, 0, 0 / 0);
    expect(buf.subarray(end - 8, end).toString('hex')).to.equal('7ff8000000000000');
  });

  it('refuses a ref_id that is not a safe integer', () => {
    expect(() => new ScalarFrameEncoder(2 ** 60)).to.throw(RangeError);
  });
});
