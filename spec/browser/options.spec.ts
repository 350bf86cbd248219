import { expect } from 'chai';
import { ConfigError } from '../../lib/errors/config-error.js';
import { gatewayUrl, resolveGatewayOptions, type GatewayOptions } from '../../lib/browser/options.js';

describe('browser/options', () => {
  it('derives the WebSocket URL from the page (ws next to it) or from the url option', () => {
    expect(gatewayUrl(undefined, 'http://127.0.0.1:8080/')).to.equal('ws://127.0.0.1:8080/ws');
    expect(gatewayUrl(undefined, 'https://dash.example.org/acsys/index.html?drf=M:OUTTMP#x')).to.equal('wss://dash.example.org/acsys/ws');
    expect(gatewayUrl('http://h:1/ws', undefined)).to.equal('ws://h:1/ws');
    expect(gatewayUrl('wss://h/ws#frag', undefined)).to.equal('wss://h/ws');
    expect(gatewayUrl('/other/ws', 'http://h:2/')).to.equal('ws://h:2/other/ws');
  });

  it('without a page and without url: ConfigError naming url', () => {
    expect(() => resolveGatewayOptions({})).to.throw(ConfigError).with.property('option', 'url');
    expect(() => gatewayUrl('ftp://h/ws', undefined)).to.throw(ConfigError, /ws: or wss:/);
    expect(() => gatewayUrl('::', undefined)).to.throw(ConfigError, /not a URL/);
  });

  it('defaults the reconnect policy and validates every option', () => {
    const o = resolveGatewayOptions({ url: 'ws://h:1/ws' });
    expect(o.reconnect).to.deep.equal({ initialDelay: 500, factor: 2, maxDelay: 10_000, maxAttempts: Infinity });
    expect(o).to.include({ openTimeout: 10_000, heartbeatsMissed: 3 });
    const bad: [Record<string, unknown>, string][] = [
      [{ reconnect: { initialDelay: 0 } }, 'reconnect.initialDelay'],
      [{ reconnect: { factor: 0.5 } }, 'reconnect.factor'],
      [{ reconnect: { initialDelay: 5000, maxDelay: 1000 } }, 'reconnect.maxDelay'],
      [{ reconnect: { maxAttempts: 1.5 } }, 'reconnect.maxAttempts'],
      [{ reconnect: { typo: 1 } }, 'reconnect.typo'],
      [{ openTimeout: -1 }, 'openTimeout'],
      [{ heartbeatsMissed: 1 }, 'heartbeatsMissed'],
      [{ url: 5 }, 'url'],
      [{ WebSocketCtor: 'ws' }, 'WebSocketCtor'],
      [{ scheduler: {} }, 'scheduler'],
      [{ bogus: true }, 'bogus'],
    ];
    for (const [opts, name] of bad) {
      expect(() => resolveGatewayOptions({ url: 'ws://h:1/ws', ...opts } as GatewayOptions), name)
        .to.throw(ConfigError)
        .with.property('option', name);
    }
  });
});
