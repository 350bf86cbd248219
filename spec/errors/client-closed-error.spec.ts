import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ClientClosedError } from '../../lib/errors/client-closed-error.js';

describe('errors/client-closed-error', () => {
  it('is an AcsysError with code CLIENT_CLOSED', () => {
    const cause = new Error('root cause');
    const e = new ClientClosedError();
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('CLIENT_CLOSED');
    expect(e.name).to.equal('ClientClosedError');
    expect(e.message).to.match(/closed/);
    void cause;
  });
});
