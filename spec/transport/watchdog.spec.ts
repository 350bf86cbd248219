import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { Watchdog, watchdog } from '../../lib/transport/watchdog.js';

describe('transport/watchdog', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('errors with ConnectionLost(heartbeat) after the silence limit and tears down the source', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a-b-c------------');
      const sub = '     ^---------!';
      // last value at 4 ms, limit 6 ms → error at 10 ms
      expectObservable(src.pipe(watchdog(6, ts))).toBe(
        'a-b-c-----#',
        undefined,
        new ConnectionLost('heartbeat', 'nothing received for 6 ms'),
      );
      expectSubscriptions(src.subscriptions).toBe(sub);
    });
  });

  it('never fires while values keep arriving within the limit', () => {
    ts.run(({ cold, expectObservable }) => {
      const src = cold('a----b----c----|');
      expectObservable(src.pipe(watchdog(6, ts))).toBe('a----b----c----|');
    });
  });

  it('unsubscribing stops the timer (no error after teardown)', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a---------------');
      expectObservable(src.pipe(watchdog(10, ts)), '^---!').toBe('a----');
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });

  it('reports stale, fresh and expiry in virtual time', () => {
    ts.run(({ flush }) => {
      const events: string[] = [];
      const dog = new Watchdog(
        100,
        45,
        {
          expired: () => events.push(`expired@${ts.now()}`),
          stale: () => events.push(`stale@${ts.now()}`),
          fresh: () => events.push(`fresh@${ts.now()}`),
        },
        ts,
      );
      ts.schedule(() => dog.kick(), 30);
      ts.schedule(() => dog.kick(), 90);
      flush();
      expect(events).to.deep.equal(['stale@75', 'fresh@90', 'stale@135', 'expired@190']);
    });
  });

  it('rejects nothing by itself: the 6 s floor is enforced by resolveOptions', () => {
    expect(() => new Watchdog(1, undefined, { expired: () => undefined }, ts).stop()).not.to.throw();
  });

  it('a kick after stop() fires nothing, not even `fresh` (no `open` state for a closed connection)', () => {
    ts.run(({ flush }) => {
      const calls: string[] = [];
      const dog = new Watchdog(10, 4, { expired: () => calls.push('expired'), stale: () => calls.push('stale'), fresh: () => calls.push('fresh') }, ts);
      ts.schedule(() => dog.stop(), 5); // stale at 4, then the connection closes
      ts.schedule(() => dog.kick(), 6); // late data on the closing socket
      flush();
      expect(calls).to.deep.equal(['stale']);
    });
  });
});
