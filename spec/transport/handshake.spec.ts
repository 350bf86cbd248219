import { expect } from 'chai';
import { HANDSHAKE } from '../../lib/transport/handshake.js';

describe('transport/handshake', () => {
  it('is the 51-byte request of dpm-wire.md §2.2', () => {
    expect(HANDSHAKE.length).to.equal(51);
    expect(Buffer.from(HANDSHAKE).toString('latin1')).to.equal('GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n');
  });
});
