import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ConfigError } from '../../lib/errors/config-error.js';

describe('errors/config-error', () => {
  it('is an AcsysError with code CONFIG_ERROR', () => {
    const cause = new Error('root cause');
    const e = new ConfigError('poolSize', 'x');
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('CONFIG_ERROR');
    expect(e.name).to.equal('ConfigError');
    expect(e.option).to.equal('poolSize');
    void cause;
  });
});
