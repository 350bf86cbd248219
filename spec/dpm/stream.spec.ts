import { expect } from 'chai';
import { Observable, defer, filter, map, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Reading } from '../../lib/dpm/reading.js';
import { runStream, type StreamContext, type StreamEventsOptions } from '../../lib/dpm/stream.js';
import { resolveStreamOptions, type ResolvedStreamOptions } from '../../lib/dpm/call-options.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { DrfError } from '../../lib/drf/errors.js';
import type { Connection } from '../../lib/transport/connection.js';
import type { ConnectionState } from '../../lib/transport/connection-state.js';
import { FakeConnection } from '../support/fake-connection.js';

function streamOf(ctx: StreamContext, drfs: string[], options: StreamEventsOptions, states: ConnectionState[] = [], stale: string[] = []) {
  return itemsOf(ctx, drfs, resolveStreamOptions(options, 'streamEvents'), states, stale);
}

/** The readings of a stream; its states and staleness reports go to `states` and `stale`. */
function itemsOf(ctx: StreamContext, drfs: string[], options: ResolvedStreamOptions, states: ConnectionState[] = [], stale: string[] = []) {
  return runStream({ ...ctx, state: (st) => states.push(st) }, drfs, options).pipe(
    filter((it): it is Reading => {
      if (!('kind' in it)) return true;
      if (it.kind === 'stale') stale.push(it.drf);
      return false;
    }),
  );
}

/** A connection that answers each AddToList with data every `period` frames. */
function periodic(ts: TestScheduler, listId: number, period: number): FakeConnection {
  const c = new FakeConnection(listId);
  c.onSend = (msgs) => {
    for (const m of msgs) {
      if (m.type === 'AddToList_request') {
        const ref = Number(m.ref_id);
        let k = 0;
        ts.schedule(function (this: { schedule(s: unknown, d: number): void }) {
          if (!c.replies.observed) return;
          c.reply({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: k, status: 0, data: listId * 100 + k++ });
          this.schedule(undefined, period);
        }, period);
      }
    }
  };
  return c;
}

describe('dpm/stream', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('adds, starts, emits readings; unsubscribe sends StopList and closes (subscription window)', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const conn = periodic(ts, 1, 2);
      const src = cold<Connection>('c', { c: conn });
      const ctx: StreamContext = { open: () => src, nextLabel: () => 's', scheduler: ts };
      const values$ = streamOf(ctx, ['M:OUTTMP@p,2'], {}).pipe(map((r) => r.value));
      expectObservable(values$, '^------!').toBe('--a-b-c', { a: 100, b: 101, c: 102 });
      expectSubscriptions(src.subscriptions).toBe('^------!');
      ts.flush();
      const types = conn.sent.map((b) => b.map((m) => m.type).join('+'));
      expect(types).to.deep.equal(['AddToList_request+StartList_request', 'StopList_request']);
    });
  });

  it('without reconnect, losing the connection errors the stream with ConnectionLost', () => {
    ts.run(({ cold, expectObservable }) => {
      const lost = new ConnectionLost('heartbeat', 'silence');
      const src = cold<Connection>('c----#', { c: periodic(ts, 1, 2) }, lost);
      const ctx: StreamContext = { open: () => src, nextLabel: () => 's', scheduler: ts };
      expectObservable(streamOf(ctx, ['M:OUTTMP@p,2'], {}).pipe(map((r) => r.value))).toBe('--a-b#', { a: 100, b: 101 }, lost);
    });
  });

  it('with reconnect: error readings mark the gap, backoff, the list is replayed on a new connection', () => {
    ts.run(({ cold, expectObservable }) => {
      let n = 0;
      const states: ConnectionState[] = [];
      const lost = new ConnectionLost('closed', 'dropped');
      const ctx: StreamContext = {
        open: () =>
          defer(() =>
            ++n === 1
              ? cold<Connection>('c----#', { c: periodic(ts, 1, 2) }, lost)
              : cold<Connection>('-c', { c: periodic(ts, 2, 2) }),
          ),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const out$ = streamOf(ctx, ['M:OUTTMP@p,2'], { reconnect: { initialDelay: 100 } }, states).pipe(
        map((r) => (r.valueType === undefined ? `gap:${r.status.errorNumber}` : String(r.value))),
      );
      // lost at 5 → gap reading; backoff 100 → reconnect at 105, open at 106, data every 2 from 108
      expectObservable(out$, '^ 111ms !').toBe('--a-bg 102ms c-d-', {
        a: '100',
        b: '101',
        g: 'gap:-1',
        c: '200',
        d: '201',
      });
      ts.flush();
      expect(states.map((s) => s.kind)).to.deep.equal(['reconnecting']);
      expect(states[0]).to.include({ delayMs: 100, attempt: 2 });
    });
  });

  it('backoff grows exponentially up to maxDelay', () => {
    ts.run(({ cold, flush }) => {
      const states: ConnectionState[] = [];
      const ctx: StreamContext = {
        open: () => cold<Connection>('#', undefined, new ConnectionLost('reset', 'refused')),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const sub = streamOf(ctx, ['M:OUTTMP@p,2'], { reconnect: { initialDelay: 100, factor: 2, maxDelay: 600 } }, states).subscribe();
      ts.schedule(() => sub.unsubscribe(), 4000);
      flush();
      const delays = states.flatMap((s) => (s.kind === 'reconnecting' ? [s.delayMs] : []));
      expect(delays.slice(0, 6)).to.deep.equal([100, 200, 400, 600, 600, 600]);
    });
  });

  it('the reconnect delay never goes below the floor, whatever the caller passes (virtual time)', () => {
    ts.run(({ cold, flush }) => {
      const states: ConnectionState[] = [];
      let opened = 0;
      const ctx: StreamContext = {
        open: () => defer(() => (opened++, cold<Connection>('#', undefined, new ConnectionLost('reset', 'refused')))),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const unchecked = { reconnect: { initialDelay: 0, factor: 0, maxDelay: NaN, maxAttempts: Infinity }, model: undefined, stale: false };
      const sub = itemsOf(ctx, ['M:OUTTMP@p,2'], unchecked, states).subscribe();
      ts.schedule(() => sub.unsubscribe(), 1000);
      flush();
      const delays = states.flatMap((s) => (s.kind === 'reconnecting' ? [s.delayMs] : []));
      expect(delays.every((d) => d >= 100)).to.equal(true);
      expect(opened).to.be.at.most(11);
    });
  });

  it('a logger request emits each chunk and completes at the empty terminator', () => {
    ts.run(({ cold, expectObservable }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const add = msgs.find((m) => m.type === 'AddToList_request');
        if (add?.type !== 'AddToList_request') return;
        const ref = Number(add.ref_id);
        const chunk = (k: number, data: number[]) =>
          c.reply({ type: 'TimedScalarArray_reply', ref_id: ref, timestamp: 1, cycle: k, status: 0, data: Float64Array.from(data), micros: data.map((d) => d * 1000) });
        ts.schedule(() => chunk(0, [1, 2]), 1);
        ts.schedule(() => chunk(1, [3]), 2);
        ts.schedule(() => chunk(2, []), 3);
      };
      const ctx: StreamContext = { open: () => cold<Connection>('c', { c: conn }), nextLabel: () => 's', scheduler: ts };
      const out$ = streamOf(ctx, ['M:OUTTMP<-LOGGER:1000:2000'], {}).pipe(
        map((r) => (r.valueType === 'timedScalarArray' ? Array.from(r.value.data).join(',') : '?')),
      );
      expectObservable(out$).toBe('-ab|', { a: '1,2', b: '3' });
    });
  });

  it('per-device errors are readings and the stream goes on', () => {
    ts.run(({ cold, expectObservable }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const refs = msgs.flatMap((m) => (m.type === 'AddToList_request' ? [Number(m.ref_id)] : []));
        if (refs.length < 2) return;
        ts.schedule(() => c.reply({ type: 'Status_reply', ref_id: refs[1]!, timestamp: 0, cycle: 0, status: -3312 }), 1);
        ts.schedule(() => c.reply({ type: 'Scalar_reply', ref_id: refs[0]!, timestamp: 0, cycle: 0, status: 0, data: 1 }), 2);
      };
      const ctx: StreamContext = { open: () => cold<Connection>('c', { c: conn }), nextLabel: () => 's', scheduler: ts };
      const out$ = streamOf(ctx, ['M:OUTTMP@p,1000', 'Z:NOTFND@p,1000'], {}).pipe(
        map((r) => `${r.drf}:${r.valueType === undefined ? r.status.name : String(r.value)}`),
      );
      expectObservable(out$, '^----!').toBe('-ab', { a: 'Z:NOTFND@p,1000:DBM_NOPROP', b: 'M:OUTTMP@p,1000:1' });
    });
  });

  it('reports a device as stale when its data stops for 2 × period + 1 s', () => {
    ts.run(({ cold, flush }) => {
      const conn = new FakeConnection();
      conn.onSend = (msgs, c) => {
        const add = msgs.find((m) => m.type === 'AddToList_request');
        if (add?.type !== 'AddToList_request') return;
        for (let t = 100; t <= 500; t += 100) {
          ts.schedule(() => c.reply({ type: 'Scalar_reply', ref_id: Number(add.ref_id), timestamp: 0, cycle: 0, status: 0, data: t }), t);
        }
      };
      const stale: string[] = [];
      const ctx: StreamContext = { open: () => cold<Connection>('c', { c: conn }), nextLabel: () => 's', scheduler: ts };
      const sub = streamOf(ctx, ['M:OUTTMP@p,100'], { stale: true }, [], stale).subscribe();
      const at: number[] = [];
      ts.schedule(() => at.push(stale.length), 1600);
      ts.schedule(() => at.push(stale.length), 1800);
      ts.schedule(() => sub.unsubscribe(), 3000);
      flush();
      // last data at 500, limit 2 × 100 + 1000 = 1200 ms → stale (once) at 1700
      expect(at).to.deep.equal([0, 1]);
      expect(stale).to.deep.equal(['M:OUTTMP@p,100']);
    });
  });

  it('a bad DRF errors at once with DrfError and opens nothing', () => {
    let opened = 0;
    const ctx: StreamContext = { open: () => defer(() => { opened++; return new Observable<Connection>(); }), nextLabel: () => 's' };
    let err: unknown;
    streamOf(ctx, ['M:OUTTMP['], {}).subscribe({ error: (e) => (err = e) });
    expect(err).to.be.instanceOf(DrfError);
    expect(opened).to.equal(0);
  });

  it('the backoff keeps growing across short-lived connections and resets after 30 s healthy', () => {
    ts.run(({ cold, flush }) => {
      const states: ConnectionState[] = [];
      let n = 0;
      const lost = new ConnectionLost('closed', 'flap');
      const ctx: StreamContext = {
        // connections 1-3 drop after 2 ms; 4 lives 40 s; 5 drops at once
        open: () => defer(() => (++n === 4 ? cold<Connection>('c 40s #', { c: new FakeConnection() }, lost) : cold<Connection>('c-#', { c: new FakeConnection() }, lost))),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const sub = streamOf(ctx, ['M:OUTTMP@p,1000'], { reconnect: { initialDelay: 100 } }, states).subscribe();
      ts.schedule(() => sub.unsubscribe(), 45_000);
      flush();
      const delays = states.flatMap((s) => (s.kind === 'reconnecting' ? [s.delayMs] : []));
      expect(delays.slice(0, 5)).to.deep.equal([100, 200, 400, 100, 200]);
    });
  });

  it('gap readings are stamped with the scheduler clock (virtual time in tests)', () => {
    ts.run(({ cold, flush }) => {
      let n = 0;
      const lost = new ConnectionLost('closed', 'dropped');
      const ctx: StreamContext = {
        open: () => defer(() => (++n === 1 ? cold<Connection>('c----#', { c: periodic(ts, 1, 2) }, lost) : cold<Connection>('-'))),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const gaps: Reading[] = [];
      const sub = streamOf(ctx, ['M:OUTTMP@p,2'], { reconnect: { initialDelay: 100 } }).subscribe((r) => {
        if (r.valueType === undefined) gaps.push(r);
      });
      ts.schedule(() => sub.unsubscribe(), 30);
      flush();
      expect(gaps).to.have.length(1);
      expect(gaps[0]!.timestamp?.getTime()).to.equal(5);
    });
  });

  it('unsubscribing on the `connecting` state of a reconnect attempt closes that attempt', () => {
    ts.run(({ cold, flush }) => {
      let n = 0;
      let secondTornDown = false;
      const ctx: StreamContext = {
        open: (label, attempt, onState) =>
          defer(() => {
            if (++n === 1) return cold<Connection>('c-#', { c: new FakeConnection() }, new ConnectionLost('reset', 'boom'));
            return new Observable<Connection>(() => {
              onState({ kind: 'connecting', connection: label, attempt });
              return () => (secondTornDown = true);
            });
          }),
        nextLabel: () => 's',
        scheduler: ts,
      };
      const sub: Subscription = runStream(ctx, ['M:OUTTMP@p,1000'], resolveStreamOptions({ reconnect: { initialDelay: 100 } }, 'stream')).subscribe((it) => {
        if ('kind' in it && it.kind === 'state' && it.state.kind === 'connecting') sub.unsubscribe();
      });
      flush();
      expect(n).to.equal(2);
      expect(secondTornDown).to.equal(true);
    });
  });

  it('unsubscribing on the `reconnecting` state arms no backoff timer', () => {
    ts.run(({ cold, flush }) => {
      let unsubscribed = false;
      let scheduledAfter = 0;
      const sched: SchedulerLike = {
        now: () => ts.now(),
        schedule: ((work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay?: number, state?: unknown) => {
          if (unsubscribed) scheduledAfter++;
          return ts.schedule(work, delay, state);
        }) as SchedulerLike['schedule'],
      };
      const ctx: StreamContext = {
        open: () => cold<Connection>('c-#', { c: new FakeConnection() }, new ConnectionLost('reset', 'boom')),
        nextLabel: () => 's',
        scheduler: sched,
      };
      const sub: Subscription = runStream(ctx, ['M:OUTTMP@p,1000'], resolveStreamOptions({ reconnect: { initialDelay: 100 } }, 'stream')).subscribe((it) => {
        if ('kind' in it && it.kind === 'state' && it.state.kind === 'reconnecting') {
          unsubscribed = true;
          sub.unsubscribe();
        }
      });
      flush();
      expect(unsubscribed).to.equal(true);
      expect(scheduledAfter).to.equal(0);
    });
  });
  describe('connection states: `closed` is final', () => {
    /** A connection Observable that reports its states like `connect()`: connecting, open, then closed + error. */
    function reporting(ts: TestScheduler, listId: number, failAt: number | undefined, onState: (s: ConnectionState) => void, err: ConnectionLost) {
      return new Observable<Connection>((sub) => {
        let failed = false;
        onState({ kind: 'connecting', connection: 's', attempt: listId });
        ts.schedule(() => {
          onState({ kind: 'open', connection: 's', listId });
          sub.next(new FakeConnection(listId));
        }, 1);
        if (failAt !== undefined) {
          ts.schedule(() => {
            failed = true;
            onState({ kind: 'closed', connection: 's', reason: err });
            sub.error(err);
          }, failAt);
        }
        return () => {
          if (!failed) onState({ kind: 'closed', connection: 's', reason: undefined });
        };
      });
    }

    it('a lost connection that will be retried reports `reconnecting` (with the reason), not `closed`', () => {
      ts.run(({ flush }) => {
        const lost = new ConnectionLost('closed', 'dropped');
        let n = 0;
        const states: ConnectionState[] = [];
        const ctx: StreamContext = {
          open: (_label, _attempt, onState) => reporting(ts, ++n, n === 1 ? 5 : undefined, onState, lost),
          nextLabel: () => 's',
          scheduler: ts,
        };
        const sub = streamOf(ctx, ['M:OUTTMP@p,2'], { reconnect: { initialDelay: 100 } }, states).subscribe();
        ts.schedule(() => sub.unsubscribe(), 130);
        flush();
        expect(states.map((s) => `${s.kind}@${s.kind === 'connecting' ? s.attempt : ''}`)).to.deep.equal([
          'connecting@1',
          'open@',
          'reconnecting@',
          'connecting@2',
          'open@',
          'closed@',
        ]);
        const r = states[2];
        expect(r?.kind === 'reconnecting' ? r.reason : undefined).to.equal(lost);
        expect(states.at(-1)).to.deep.equal({ kind: 'closed', connection: 's', reason: undefined });
      });
    });

    it('when reconnecting gives up (maxAttempts), the last connection reports `closed` with the reason', () => {
      ts.run(({ flush }) => {
        const refused = new ConnectionLost('reset', 'refused');
        const states: ConnectionState[] = [];
        let error: unknown;
        const ctx: StreamContext = {
          open: (_label, _attempt, onState) => reporting(ts, 1, 3, onState, refused),
          nextLabel: () => 's',
          scheduler: ts,
        };
        streamOf(ctx, ['M:OUTTMP@p,2'], { reconnect: { initialDelay: 100, maxAttempts: 2 } }, states).subscribe({
          error: (e: unknown) => (error = e),
        });
        flush();
        expect(states.map((s) => s.kind)).to.deep.equal([
          'connecting',
          'open',
          'reconnecting',
          'connecting',
          'open',
          'reconnecting',
          'connecting',
          'open',
          'closed',
        ]);
        expect(states.at(-1)).to.deep.equal({ kind: 'closed', connection: 's', reason: refused });
        expect(error).to.equal(refused);
      });
    });

    it('without reconnect, a lost connection reports `closed` with the reason', () => {
      ts.run(({ flush }) => {
        const lost = new ConnectionLost('heartbeat', 'silence');
        const states: ConnectionState[] = [];
        const ctx: StreamContext = { open: (_l, _a, onState) => reporting(ts, 1, 4, onState, lost), nextLabel: () => 's', scheduler: ts };
        streamOf(ctx, ['M:OUTTMP@p,2'], {}, states).subscribe({ error: () => undefined });
        flush();
        expect(states.map((s) => s.kind)).to.deep.equal(['connecting', 'open', 'closed']);
      });
    });
  });
});
