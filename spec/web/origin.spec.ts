import { expect } from 'chai';
import { isLoopback, originAllowed } from '../../lib/web/origin.js';

describe('web/origin', () => {
  it('knows loopback names', () => {
    for (const h of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopback(h), h).to.equal(true);
    for (const h of ['example.org', '10.0.0.1', '0.0.0.0', '128.0.0.1', 'localhost.example.org']) expect(isLoopback(h), h).to.equal(false);
  });

  it('allows non-browser clients (no Origin) and the gateway’s own origin', () => {
    const loop = { allowed: [], loopbackOnly: true };
    expect(originAllowed(undefined, '127.0.0.1:8080', loop)).to.equal(true);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', loop)).to.equal(true);
    expect(originAllowed('http://localhost:8080', 'localhost:8080', loop)).to.equal(true);
    expect(originAllowed('http://LOCALHOST:8080', 'localhost:8080', loop)).to.equal(true);
  });

  it('refuses other sites, other ports, odd schemes, and DNS rebinding on a loopback gateway', () => {
    const loop = { allowed: [], loopbackOnly: true };
    expect(originAllowed('https://evil.example', '127.0.0.1:8080', loop)).to.equal(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', loop)).to.equal(false);
    expect(originAllowed('null', '127.0.0.1:8080', loop)).to.equal(false);
    expect(originAllowed('file://', '127.0.0.1:8080', loop)).to.equal(false);
    expect(originAllowed('http://127.0.0.1:8080', undefined, loop)).to.equal(false);
    // evil.example resolving to 127.0.0.1: the browser sends Host evil.example:8080
    expect(originAllowed('http://evil.example:8080', 'evil.example:8080', loop)).to.equal(false);
    // a gateway serving the network accepts its own name
    expect(originAllowed('http://dash.fnal.gov:8080', 'dash.fnal.gov:8080', { allowed: [], loopbackOnly: false })).to.equal(true);
  });

  it('allows configured origins, and every origin with *', () => {
    expect(originAllowed('https://dash.example.org', '127.0.0.1:8080', { allowed: ['https://dash.example.org'], loopbackOnly: true })).to.equal(true);
    expect(originAllowed('https://other.example.org', '127.0.0.1:8080', { allowed: ['https://dash.example.org'], loopbackOnly: true })).to.equal(false);
    expect(originAllowed('null', '127.0.0.1:8080', { allowed: ['*'], loopbackOnly: true })).to.equal(true);
  });
});
