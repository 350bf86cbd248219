import { expect } from 'chai';
import { realScheduler, TimerGroup } from '../../lib/sim/scheduler.js';
import { until } from '../support/until.js';
import { VirtualScheduler } from '../support/virtual-scheduler.js';
import { checkLeaks } from '../support/leaks.js';

describe('sim/scheduler', () => {
  checkLeaks();
  it('realScheduler.now is wall-clock ms', () => {
    expect(Math.abs(realScheduler.now() - Date.now())).to.be.below(5);
  });
  it('realScheduler runs a timeout once and an interval until cancelled', async () => {
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const i = realScheduler.setInterval(() => {
        if (++ticks === 3) {
          i.cancel();
          resolve();
        }
      }, 2);
    });
    const fired: string[] = [];
    const cancelled = realScheduler.setTimeout(() => fired.push('cancelled'), 1);
    cancelled.cancel();
    // Node runs due timers in expiry order: when the later one fires, the cancelled one (and
    // any further interval tick) would have run already
    await new Promise<void>((resolve) =>
      realScheduler.setTimeout(() => {
        fired.push('later');
        resolve();
      }, 10),
    );
    expect(fired).to.deep.equal(['later']);
    expect(ticks).to.equal(3);
  });
  it('TimerGroup runs timeouts and intervals and cancels everything at once', () => {
    const vs = new VirtualScheduler(0);
    const g = new TimerGroup(vs);
    let once = 0;
    let ticks = 0;
    g.timeout(() => once++, 5);
    g.interval(() => ticks++, 5);
    vs.advance(40);
    expect(once).to.equal(1);
    expect(ticks).to.equal(8);
    expect(g.size).to.equal(1); // the fired timeout removed itself
    g.cancelAll();
    vs.advance(20);
    expect(ticks).to.equal(8);
    expect(g.size).to.equal(0);
    expect(vs.pending).to.equal(0);
    g.timeout(() => once++, 1); // ignored after cancelAll
    g.interval(() => ticks++, 1);
    vs.advance(10);
    expect(once).to.equal(1);
    expect(ticks).to.equal(8);
    expect(vs.pending).to.equal(0);
  });
  it('a single timer can be cancelled', () => {
    const vs = new VirtualScheduler(0);
    const g = new TimerGroup(vs);
    let n = 0;
    const t = g.timeout(() => n++, 5);
    t.cancel();
    t.cancel();
    expect(g.size).to.equal(0);
    vs.advance(15);
    expect(n).to.equal(0);
    expect(vs.pending).to.equal(0);
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
    await until(() => intervals.every((e) => !e.live), { what: 'every simulator interval to be cancelled after close' });
  });
});
