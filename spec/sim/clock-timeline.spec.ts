import { expect } from 'chai';
import { ClockTimeline, DEFAULT_CLOCK_RATES } from '../../lib/sim/clock-timeline.js';
import { realScheduler } from '../../lib/sim/scheduler.js';
import { sleep } from '../support/raw-client.js';
import { checkLeaks } from '../support/leaks.js';

describe('sim/clock-timeline', () => {
  checkLeaks();
  it('02 and 0F at 15 Hz by default; others at the default rate', () => {
    const tl = new ClockTimeline(realScheduler, DEFAULT_CLOCK_RATES, 2);
    expect(tl.rateOf(0x02)).to.equal(15);
    expect(tl.rateOf(0x0f)).to.equal(15);
    expect(tl.rateOf(0x8f)).to.equal(2);
  });
  it('shares one timer per event among listeners and stops it when the last leaves', async () => {
    const tl = new ClockTimeline(realScheduler, { 0x10: 100 }, 1);
    const a: number[] = [];
    const b: number[] = [];
    const sa = tl.subscribe(0x10, (n) => a.push(n));
    const sb = tl.subscribe(0x10, (n) => b.push(n));
    await sleep(200);
    expect(a.length).to.be.greaterThan(2);
    expect(b).to.deep.equal(a.slice(a.length - b.length));
    sa.cancel();
    sb.cancel();
    const n = a.length;
    await sleep(30);
    expect(a.length).to.equal(n);
  });
  it('close() stops everything', async () => {
    const tl = new ClockTimeline(realScheduler, {}, 100);
    let n = 0;
    tl.subscribe(1, () => n++);
    tl.close();
    await sleep(30);
    expect(n).to.equal(0);
  });
});
