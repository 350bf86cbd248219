import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { DBM_NOPROP } from '../../lib/status/constants.js';
import { DeviceError } from '../../lib/status/device-error.js';

describe('status/device-error', () => {
  it('carries the status and the DRF', () => {
    const e = new DeviceError(DBM_NOPROP, 'M:NOSUCH');
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('DEVICE_ERROR');
    expect(e.name).to.equal('DeviceError');
    expect(e.status).to.equal(DBM_NOPROP);
    expect(e.drf).to.equal('M:NOSUCH');
    expect(e.message).to.equal(`M:NOSUCH: DBM_NOPROP (16 -13): ${DBM_NOPROP.text}`);
  });
  it('keeps a cause', () => {
    const cause = new Error('x');
    expect(new DeviceError(DBM_NOPROP, 'M:X', { cause }).cause).to.equal(cause);
  });
});
