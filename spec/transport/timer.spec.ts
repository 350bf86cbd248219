import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { delayTimer, nowMs, scheduleOnce } from '../../lib/transport/timer.js';

describe('transport/timer', () => {
  it('delayTimer runs on the given scheduler', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ expectObservable }) => {
      expectObservable(delayTimer(3, ts)).toBe('---(a|)', { a: 0 });
    });
  });

  it('scheduleOnce can be cancelled; nowMs follows the scheduler', () => {
    const ts = new TestScheduler(() => undefined);
    ts.run(({ flush }) => {
      const fired: number[] = [];
      scheduleOnce(() => fired.push(nowMs(ts)), 5, ts);
      const cancel = scheduleOnce(() => fired.push(-1), 6, ts);
      cancel();
      flush();
      expect(fired).to.deep.equal([5]);
    });
  });

  it('without a scheduler uses an (optionally unref\'d) Node timer', async () => {
    const v = await new Promise<number>((resolve) => delayTimer(5, undefined, { unref: true }).subscribe(resolve));
    expect(v).to.equal(0);
  });
});
