import { expect } from 'chai';
import type { Subscription } from 'rxjs';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { MIN_RECONNECT_DELAY_MS } from '../../lib/dpm/call-options.js';
import type { StreamOptions } from '../../lib/dpm/stream.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A stream with `reconnect` against a server that drops every connection after its first frame:
 * the connections the server saw in a fixed window are the reconnect rate. Before per-call option
 * validation, `initialDelay: NaN` (or 0, -5, 'abc', `factor: 0`, `maxDelay: 0`) made over 1,000
 * connections in 2 s.
 */
describe('dpm: no option can make a reconnect storm (connections counted at the server)', function () {
  this.timeout(20_000);
  let sim: SimulatorHandle;
  let client: DpmClient;
  let sub: Subscription | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, faults: { dropAfterFrames: 1 } });
    client = dpm({ host: sim.host, port: sim.port });
  });
  afterEach(async () => {
    sub?.unsubscribe();
    sub = undefined;
    client.close();
    await sim.close();
  });
  checkLeaks();

  const bad: [string, unknown][] = [
    ['initialDelay NaN', { initialDelay: NaN }],
    ['initialDelay 0', { initialDelay: 0 }],
    ['initialDelay -5', { initialDelay: -5 }],
    ["initialDelay 'abc'", { initialDelay: 'abc' }],
    ['initialDelay 1', { initialDelay: 1 }],
    ['factor 0', { factor: 0 }],
    ['factor NaN', { factor: NaN }],
    ['maxDelay 0', { maxDelay: 0 }],
    ['maxDelay NaN', { maxDelay: NaN }],
    ['maxDelay -1', { maxDelay: -1 }],
  ];
  for (const [what, reconnect] of bad) {
    it(`reconnect { ${what} }: ConfigError before any connection; none in a 300 ms window`, async () => {
      let error: unknown;
      sub = client.stream('M:OUTTMP@p,100', { reconnect } as StreamOptions).subscribe({ error: (e: unknown) => (error = e) });
      await wait(300);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).option).to.match(/^reconnect\./);
      expect(sim.totalConnections).to.equal(0);
    });
  }

  it('the smallest legal delays (initialDelay = maxDelay = 100 ms, factor 1) stay bounded: ≤ 1 + window / 100 ms connections', async () => {
    const windowMs = 1500;
    const events: string[] = [];
    sub = client
      .streamEvents('M:OUTTMP@p,100', { reconnect: { initialDelay: MIN_RECONNECT_DELAY_MS, maxDelay: MIN_RECONNECT_DELAY_MS, factor: 1 } })
      .subscribe({ next: (e) => events.push(e.kind), error: (e: unknown) => events.push(`error ${String(e)}`) });
    await wait(windowMs);
    const n = sim.totalConnections;
    sub.unsubscribe();
    expect(events.filter((e) => e.startsWith('error'))).to.deep.equal([]);
    // it does reconnect (the server drops every connection) …
    expect(n).to.be.at.least(3);
    // … but never faster than the floor allows
    expect(n).to.be.at.most(1 + Math.floor(windowMs / MIN_RECONNECT_DELAY_MS));
  });
});
