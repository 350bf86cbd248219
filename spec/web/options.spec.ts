import { expect } from 'chai';
import { dpm } from '../../lib/dpm/client.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { DEFAULT_LIMITS, resolveGatewayServerOptions, type GatewayServerOptions } from '../../lib/web/options.js';

describe('web/options', () => {
  const client = dpm({ host: '127.0.0.1', port: 1 });
  after(() => client.close());

  it('defaults: loopback, any free port, the page, the default limits', () => {
    const o = resolveGatewayServerOptions({ client });
    expect(o).to.include({ host: '127.0.0.1', port: 0, page: true, heartbeatMs: 5000, pingMs: 20_000, pagesDir: undefined });
    expect(o.limits).to.deep.equal(DEFAULT_LIMITS);
    expect(o.origins).to.deep.equal([]);
    expect(o.reconnect).to.deep.equal({ initialDelay: 1000, maxDelay: 10_000 });
  });

  it('merges limits and normalises origins', () => {
    const o = resolveGatewayServerOptions({ client, limits: { maxSubscriptions: 5 }, origins: ['https://dash.example.org/', '*'] });
    expect(o.limits.maxSubscriptions).to.equal(5);
    expect(o.limits.maxDrfs).to.equal(DEFAULT_LIMITS.maxDrfs);
    expect(o.origins).to.deep.equal(['https://dash.example.org', '*']);
  });

  it('throws ConfigError naming each bad option', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{}, 'client'],
      [{ client: {} }, 'client'],
      [{ client, port: 70000 }, 'port'],
      [{ client, port: 1.5 }, 'port'],
      [{ client, host: '' }, 'host'],
      [{ client, limits: { maxSubscriptions: 0 } }, 'limits.maxSubscriptions'],
      [{ client, limits: { nope: 1 } }, 'limits.nope'],
      [{ client, origins: ['https://x.example/path'] }, 'origins'],
      [{ client, origins: ['not an origin'] }, 'origins'],
      [{ client, origins: 'https://x.example' }, 'origins'],
      [{ client, heartbeatMs: 0 }, 'heartbeatMs'],
      [{ client, page: 'yes' }, 'page'],
      [{ client, pagesDir: '' }, 'pagesDir'],
      [{ client, bogus: 1 }, 'bogus'],
    ];
    for (const [opts, name] of bad) {
      expect(() => resolveGatewayServerOptions(opts as unknown as GatewayServerOptions), name)
        .to.throw(ConfigError)
        .with.property('option', name);
    }
  });
});
