import { expect } from 'chai';
import { httpErrorResponse, MAX_HANDSHAKE_BYTES, parseHandshake } from '../../lib/sim/handshake.js';
import { useSim } from '../support/sim-harness.js';
import { RawDpmClient } from '../support/raw-client.js';

const hs = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('sim/handshake: parseHandshake', () => {
  it('accepts the spec handshake and returns the bytes after it', () => {
    const r = parseHandshake(hs('GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n\r\nXYZ'));
    expect(r.kind).to.equal('ok');
    if (r.kind === 'ok') {
      expect(r.rest.toString()).to.equal('XYZ');
      expect(r.headers.get('content-type')).to.equal('application/pc');
    }
  });
  it('accepts an absent Content-Type (as DPM does)', () => {
    expect(parseHandshake(hs('GET /dpm HTTP/1.1\r\n\r\n')).kind).to.equal('ok');
  });
  it('waits for the empty line', () => {
    expect(parseHandshake(hs('GET /dpm HTTP/1.1\r\nContent-Type: appl')).kind).to.equal('incomplete');
  });
  it('another path → 404; another method, a bad line, a bad header or content type → 400', () => {
    const line = (s: string): string | undefined => {
      const r = parseHandshake(hs(s));
      return r.kind === 'error' ? r.statusLine : undefined;
    };
    expect(line('GET /other HTTP/1.1\r\n\r\n')).to.equal('HTTP/1.1 404 Not Found');
    expect(line('POST /dpm HTTP/1.1\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
    expect(line('GET /dpm\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
    expect(line('GET  /dpm HTTP/1.1\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
    expect(line('GET /dpm HTTP/1.1\r\nBroken\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
    expect(line('GET /dpm HTTP/1.1\r\nContent-Type: application/json\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
    expect(line('GET /dpm FTP/1.0\r\n\r\n')).to.equal('HTTP/1.1 400 Bad Request');
  });
  it('refuses an endless handshake', () => {
    expect(parseHandshake(Buffer.alloc(9000, 0x41)).kind).to.equal('error');
  });
  it('refuses a handshake over MAX_HANDSHAKE_BYTES even when it arrives whole (found by sim-fuzz)', () => {
    const long = hs(`GET /dpm HTTP/1.1\r\nX-Junk: ${'b'.repeat(MAX_HANDSHAKE_BYTES)}\r\n\r\n`);
    const r = parseHandshake(long);
    expect(r.kind === 'error' ? r.statusLine : r.kind).to.equal('HTTP/1.1 400 Bad Request');
    const atLimit = hs(`GET /dpm HTTP/1.1\r\nX: ${'b'.repeat(MAX_HANDSHAKE_BYTES - 26)}\r\n\r\n`);
    expect(atLimit.length).to.equal(MAX_HANDSHAKE_BYTES);
    expect(parseHandshake(atLimit).kind).to.equal('ok');
  });
  it('httpErrorResponse has a status line, Content-Length: 0 and an empty line', () => {
    expect(httpErrorResponse('HTTP/1.1 404 Not Found').toString()).to.equal(
      'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
  });
});

describe('sim/handshake: over a socket', () => {
  const h = useSim();
  it('answers a wrong path with HTTP 404 and closes', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: 'GET /nope HTTP/1.1\r\n\r\n', waitOpen: false });
    await c.waitClosed();
    expect(c.framingError?.category).to.equal('http_error');
    expect(c.framingError?.statusLine).to.equal('HTTP/1.1 404 Not Found');
    expect(c.replies).to.have.length(0);
  });
  it('answers a malformed request with HTTP 400 and closes', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: 'HELLO\r\n\r\n', waitOpen: false });
    await c.waitClosed();
    expect(c.framingError?.statusLine).to.equal('HTTP/1.1 400 Bad Request');
  });
  it('answers an oversized handshake sent in one write with HTTP 400 and closes (found by sim-fuzz)', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: `GET /dpm HTTP/1.1\r\nX-Junk: ${'b'.repeat(20_000)}\r\n\r\n`, waitOpen: false });
    await c.waitClosed();
    expect(c.framingError?.statusLine).to.equal('HTTP/1.1 400 Bad Request');
    expect(c.replies).to.have.length(0);
  });
});

describe('sim/handshake: bare DPM mode', () => {
  const h = useSim({ bareDpm: true });
  it('closes a bad handshake silently', async () => {
    const c = await RawDpmClient.connect(h.sim.port, { handshake: 'GET /nope HTTP/1.1\r\n\r\n', waitOpen: false });
    await c.waitClosed();
    expect(c.bytesIn).to.equal(0);
  });
});
