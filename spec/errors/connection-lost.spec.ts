import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';

describe('errors/connection-lost', () => {
  it('is an AcsysError with code CONNECTION_LOST', () => {
    const cause = new Error('root cause');
    const e = new ConnectionLost('heartbeat', 'x', { cause });
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('CONNECTION_LOST');
    expect(e.name).to.equal('ConnectionLost');
    expect(e.reason).to.equal('heartbeat');
  });
});
