import { expect } from 'chai';
import type { Subscription } from 'rxjs';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { MIN_RECONNECT_DELAY_MS } from '../../lib/dpm/call-options.js';
import type { StreamOptions } from '../../lib/dpm/stream.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';
import { RawDpmClient } from '../support/raw-client.js';
import { until } from '../support/until.js';

/**
 * A stream with `reconnect` against a server that drops every connection after its first frame:
 * the time the server takes to see N connections bounds the reconnect rate. Before per-call option
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
    it(`reconnect { ${what} }: ConfigError on subscribe, before any connection; none after`, async () => {
      let error: unknown;
      sub = client.stream('M:OUTTMP@p,100', { reconnect } as StreamOptions).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).to.be.instanceOf(ConfigError); // at once: the stream is over
      expect((error as ConfigError).option).to.match(/^reconnect\./);
      // the server accepts connections in order: once a later one is accepted, any the stream
      // had started would have been counted
      const witness = await RawDpmClient.connect(sim.port);
      witness.close();
      expect(sim.totalConnections).to.equal(1); // the witness alone
    });
  }

  it('the smallest legal delays (initialDelay = maxDelay = 100 ms, factor 1) stay bounded: N connections take ≥ (N − 1) × 100 ms', async () => {
    const N = 8;
    const events: string[] = [];
    const t0 = Date.now();
    sub = client
      .streamEvents('M:OUTTMP@p,100', { reconnect: { initialDelay: MIN_RECONNECT_DELAY_MS, maxDelay: MIN_RECONNECT_DELAY_MS, factor: 1 } })
      .subscribe({ next: (e) => events.push(e.kind), error: (e: unknown) => events.push(`error ${String(e)}`) });
    // it does reconnect (the server drops every connection) …
    await until(() => sim.totalConnections >= N || events.some((e) => e.startsWith('error')), { timeout: 15_000, what: `${N} connections` });
    const elapsed = Date.now() - t0;
    sub.unsubscribe();
    expect(events.filter((e) => e.startsWith('error'))).to.deep.equal([]);
    // … but never faster than the floor allows (a slow machine only makes it slower); 1 ms of
    // timer rounding per delay
    expect(elapsed).to.be.at.least((N - 1) * (MIN_RECONNECT_DELAY_MS - 1));
  });
});
