import { expect } from 'chai';
import { realScheduler, TimerGroup } from '../../lib/sim/scheduler.js';
import { sleep } from '../support/raw-client.js';
import { checkLeaks } from '../support/leaks.js';

describe('sim/scheduler', () => {
  checkLeaks();
  it('realScheduler.now is wall-clock ms', () => {
    expect(Math.abs(realScheduler.now() - Date.now())).to.be.below(5);
  });
  it('TimerGroup runs timeouts and intervals and cancels everything at once', async () => {
    const g = new TimerGroup(realScheduler);
    let once = 0;
    let ticks = 0;
    g.timeout(() => once++, 5);
    g.interval(() => ticks++, 5);
    await sleep(40);
    expect(once).to.equal(1);
    expect(ticks).to.be.greaterThan(2);
    expect(g.size).to.equal(1); // the fired timeout removed itself
    g.cancelAll();
    const t = ticks;
    await sleep(20);
    expect(ticks).to.equal(t);
    expect(g.size).to.equal(0);
    g.timeout(() => once++, 1); // ignored after cancelAll
    await sleep(10);
    expect(once).to.equal(1);
  });
  it('a single timer can be cancelled', async () => {
    const g = new TimerGroup(realScheduler);
    let n = 0;
    const t = g.timeout(() => n++, 5);
    t.cancel();
    t.cancel();
    await sleep(15);
    expect(n).to.equal(0);
    g.cancelAll();
  });
});

describe('sim/scheduler: an injected scheduler drives the simulator', () => {
  it('timestamps come from scheduler.now() and heartbeats from its intervals', async () => {
    const { startSimulator } = await import('../../lib/sim/index.js');
    const { RawDpmClient } = await import('../support/raw-client.js');
    const { readOnce } = await import('../support/sim-harness.js');
    const intervals: { fn: () => void; ms: number; live: boolean }[] = [];
    const fake = {
      now: () => 1_700_000_000_123,
      setTimeout: (fn: () => void, ms: number) => realScheduler.setTimeout(fn, ms),
      setInterval: (fn: () => void, ms: number) => {
        const e = { fn, ms, live: true };
        intervals.push(e);
        return { cancel: () => (e.live = false) };
      },
    };
    const sim = await startSimulator({ scheduler: fake, heartbeatMs: 60_000 });
    try {
      const c = await RawDpmClient.connect(sim.port);
      const r = await readOnce(c, 1, 'M:OUTTMP@I');
      expect(r).to.include({ type: 'Scalar_reply', timestamp: 1_700_000_000_123 });
      const hb = intervals.find((e) => e.ms === 60_000 && e.live)!;
      hb.fn(); // the list was active since the last tick: no heartbeat
      hb.fn(); // silent since the last tick: heartbeat
      const m = await c.waitFor((x) => x.type === 'ListStatus_reply', 1000);
      expect(m).to.deep.equal({ type: 'ListStatus_reply', list_id: c.listId, status: 0 });
      expect(c.replies.filter((x) => x.type === 'ListStatus_reply')).to.have.length(1);
      c.close();
      await c.closed;
    } finally {
      await sim.close();
    }
    await sleep(20);
    expect(intervals.filter((e) => e.live)).to.have.length(0);
  });
});
