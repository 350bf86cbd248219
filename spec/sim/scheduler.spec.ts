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
