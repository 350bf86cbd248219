import { expect } from 'chai';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { failed, scalar } from '../support/readings.js';

describe('dpm/timeout-error', () => {
  it('names the missing devices and carries every reading', () => {
    const rs = [scalar('A', 1), failed('B', -1535)];
    const e = new TimeoutError(5000, ['B'], rs);
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('TIMEOUT');
    expect(e.missing).to.deep.equal(['B']);
    expect(e.readings).to.equal(rs);
    expect(e.message).to.include('5000 ms').and.include('B');
  });
});
