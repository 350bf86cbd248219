import { expect } from 'chai';
import { clockRates, SIM_DEFAULTS } from '../../lib/sim/options.js';

describe('sim/options', () => {
  it('defaults', () => {
    expect(SIM_DEFAULTS).to.include({ host: '127.0.0.1', port: 0, heartbeatMs: 2000 });
  });
  it('clockRates parses hex keys on top of the 15 Hz defaults and refuses bad input', () => {
    expect(clockRates(undefined)).to.deep.equal({ 2: 15, 15: 15 });
    expect(clockRates({ '8F': 0.5, '0x02': 30 })).to.deep.equal({ 2: 30, 15: 15, 143: 0.5 });
    expect(() => clockRates({ G1: 1 })).to.throw(RangeError);
    expect(() => clockRates({ '10000': 1 })).to.throw(RangeError);
    expect(() => clockRates({ '01': -1 })).to.throw(RangeError);
  });
});
