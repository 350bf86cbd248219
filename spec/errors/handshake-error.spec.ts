import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';

describe('errors/handshake-error', () => {
  it('is an AcsysError with code HANDSHAKE_ERROR', () => {
    const cause = new Error('root cause');
    const e = new HandshakeError('http_error', 'x', 'HTTP/1.1 404 Not Found', { cause });
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('HANDSHAKE_ERROR');
    expect(e.name).to.equal('HandshakeError');
    expect(e).to.include({ category: 'http_error', statusLine: 'HTTP/1.1 404 Not Found' });
  });
});
