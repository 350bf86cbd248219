import { expect } from 'chai';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { liveness } from '../../lib/transport/liveness.js';

describe('transport/liveness', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });
  const lost = (ms: number): ConnectionLost => new ConnectionLost('heartbeat', `no complete frame for ${ms} ms`);

  it('errors with ConnectionLost(heartbeat) once silent for the limit after the last value, and unsubscribes the source', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a-b-c------------');
      // last value at 4 ms, limit 6 ms → error at 10 ms
      expectObservable(src.pipe(liveness({ timeoutMs: 6, scheduler: ts }))).toBe('a-b-c-----#', undefined, lost(6));
      expectSubscriptions(src.subscriptions).toBe('^---------!');
    });
  });

  it('never fires while values keep coming within the limit; completion and errors pass through', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('a----b----c----|').pipe(liveness({ timeoutMs: 6, scheduler: ts }))).toBe('a----b----c----|');
      expectObservable(cold('a----#').pipe(liveness({ timeoutMs: 6, scheduler: ts }))).toBe('a----#');
    });
  });

  it('measures silence from the first value: before it, the source has its own deadline', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('----------a---').pipe(liveness({ timeoutMs: 3, scheduler: ts }))).toBe('----------a--#', undefined, lost(3));
    });
  });

  it('unsubscribing stops the timer', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a---------------');
      expectObservable(src.pipe(liveness({ timeoutMs: 10, scheduler: ts })), '^---!').toBe('a----');
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });

  it('a value that arrives at the moment of the deadline, after the timer, still counts (input is read before judging)', () => {
    ts.run(({ expectObservable }) => {
      const src = new Subject<string>();
      expectObservable(src.pipe(liveness({ timeoutMs: 6, scheduler: ts }))).toBe('a-----b-----#', undefined, lost(6));
      ts.schedule(() => src.next('a'), 0);
      // queued at 3 ms for 6 ms: runs after the timer armed at 0 ms for the same 6 ms,
      // as data read in the poll phase after a timers phase
      ts.schedule(() => ts.schedule(() => src.next('b'), 3), 3);
    });
  });

  it('reports stale, fresh and expiry in virtual time', () => {
    ts.run(({ cold, expectObservable }) => {
      const events: string[] = [];
      const src = cold('a 29ms b 59ms c 199ms |');
      const out = src.pipe(
        liveness({
          timeoutMs: 100,
          staleMs: 45,
          scheduler: ts,
          onStale: (ms) => events.push(`stale@${ts.now()}:${ms}`),
          onFresh: () => events.push(`fresh@${ts.now()}`),
        }),
      );
      // a at 0, b at 30, c at 90; silent from 90 on: stale at 135, expired at 190
      expectObservable(out).toBe('a 29ms b 59ms c 99ms #', undefined, lost(100));
      ts.flush();
      expect(events).to.deep.equal(['stale@75:45', 'fresh@90', 'stale@135:45']);
    });
  });

  it('nothing fires after unsubscribe, not even `onFresh` from a value delivered while closing', () => {
    ts.run(({ flush }) => {
      const calls: string[] = [];
      const src = new Subject<number>();
      const sub = src
        .pipe(liveness({ timeoutMs: 10, staleMs: 4, scheduler: ts, onStale: () => calls.push('stale'), onFresh: () => calls.push('fresh') }))
        .subscribe({ error: () => calls.push('error') });
      ts.schedule(() => src.next(1), 0);
      ts.schedule(() => sub.unsubscribe(), 5); // stale at 4, then the subscriber leaves
      ts.schedule(() => src.next(2), 6); // late data
      flush();
      expect(calls).to.deep.equal(['stale']);
    });
  });

  it('time spent by a synchronous consumer is not silence: the clock restarts after delivery', () => {
    // now() = virtual frame + the time consumers spent (which virtual time cannot see)
    let spent = 0;
    const vt = new TestScheduler(() => undefined);
    vt.now = () => vt.frame + spent;
    const src = new Subject<number>();
    let failedAt: number | undefined;
    src.pipe(liveness({ timeoutMs: 10, scheduler: vt })).subscribe({
      next: () => {
        spent += 50; // each value takes the consumer 50 ms
      },
      error: () => (failedAt = vt.frame),
    });
    vt.schedule(() => src.next(1), 0);
    vt.schedule(() => src.next(2), 5); // delivered at 55, done at 105
    vt.flush();
    // the check due at frame 10 (now 110) sees 5 ms of silence, not 55: alive; expiry at 15
    expect(failedAt).to.equal(15);
  });
});
