import { expect } from 'chai';
import { isOk } from '../../lib/dpm/reading.js';
import { failed, scalar } from '../support/readings.js';

describe('dpm/reading', () => {
  it('isOk: a value and a non-failure status', () => {
    expect(isOk(scalar('X', 1))).to.equal(true);
    expect(isOk(failed('X'))).to.equal(false);
    expect(isOk(failed('X', 273))).to.equal(false); // DPM_PEND warning, no value
  });
});
