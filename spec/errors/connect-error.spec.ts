import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ConnectError } from '../../lib/errors/connect-error.js';

describe('errors/connect-error', () => {
  it('is an AcsysError with code CONNECT_ERROR', () => {
    const cause = new Error('root cause');
    const e = new ConnectError('h', 1, 'refused', { cause });
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('CONNECT_ERROR');
    expect(e.name).to.equal('ConnectError');
    expect(e.cause).to.equal(cause);
    expect(e).to.include({ host: 'h', port: 1 });
  });
});
