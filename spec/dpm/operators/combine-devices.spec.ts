import { expect } from 'chai';
import { lastValueFrom, map, take, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DpmClient } from '../../../lib/dpm/client.js';
import { combineDevices } from '../../../lib/dpm/operators/combine-devices.js';
import type { Reading } from '../../../lib/dpm/reading.js';
import { dpm } from '../../../lib/dpm/client.js';
import { startSimulator, type SimulatorHandle } from '../../../lib/sim/index.js';
import { DBM_NOPROP } from '../../../lib/status/constants.js';
import { DeviceError } from '../../../lib/status/device-error.js';
import { ValueTypeError } from '../../../lib/dpm/value-type-error.js';
import { failed, scalar } from '../../support/readings.js';
import { RawDpmClient } from '../../support/raw-client.js';
import { addAndStart } from '../../support/sim-harness.js';
import { until } from '../../support/until.js';

describe('dpm/operators/combine-devices', () => {
  it('emits named latest values once every device has one, on one stream', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const T = 'M:OUTTMP@p,1000';
      const A = 'G:AMANDA@p,1000';
      const src = cold<Reading>('t-x-a-t-a', { t: scalar(T, 10), x: failed(A), a: scalar(A, 2) });
      let asked: readonly string[] = [];
      const client = {
        stream: (drfs: readonly string[]) => {
          asked = drfs;
          return src as Observable<Reading>;
        },
      } as unknown as DpmClient;
      const power = combineDevices({ temp: T, amps: A }, client).pipe(map(({ temp, amps }) => temp * amps));
      expectObservable(power, '^-------!').toBe('----a-b-', { a: 20, b: 20 });
      expectSubscriptions(src.subscriptions).toBe('^-------!');
      ts.flush();
      expect(asked).to.deep.equal([T, A]);
    });
  });
  describe('failures and coalescing', () => {
    const T = 'M:OUTTMP@p,200';
    const A = 'G:AMANDA@p,200';
    let ts: TestScheduler;
    beforeEach(() => {
      ts = new TestScheduler((a, b) => {
        expect(a).to.deep.equal(b);
      });
    });

    function clientOf(src: Observable<Reading>, seen?: { options?: unknown }): DpmClient {
      return {
        stream: (_drfs: readonly string[], options?: unknown) => {
          if (seen) seen.options = options;
          return src;
        },
      } as unknown as DpmClient;
    }

    it('readings arriving together produce one emission, not one per device', () => {
      ts.run(({ cold, expectObservable }) => {
        const src = cold<Reading>('(ta) 6ms (TA)', { t: scalar(T, 1), a: scalar(A, 2), T: scalar(T, 3), A: scalar(A, 4) });
        const out = combineDevices({ temp: T, amps: A }, clientOf(src), { scheduler: ts });
        expectObservable(out).toBe('a 9ms b', { a: { temp: 1, amps: 2 }, b: { temp: 3, amps: 4 } });
      });
    });

    it('suppresses the combination while a device fails (never its stale value), resumes when it reads again', () => {
      ts.run(({ cold, expectObservable }) => {
        // t,a good → emit; A fails (DBM_NOPROP); T keeps ticking → nothing; A recovers → emit with both fresh
        const src = cold<Reading>('(ta)-x-T-T-A-', {
          t: scalar(T, 1),
          a: scalar(A, 2),
          x: failed(A, DBM_NOPROP.code),
          T: scalar(T, 5),
          A: scalar(A, 6),
        });
        const out = combineDevices({ temp: T, amps: A }, clientOf(src), { scheduler: ts });
        expectObservable(out).toBe('a----------b-', { a: { temp: 1, amps: 2 }, b: { temp: 5, amps: 6 } });
      });
    });

    it('a failure arriving with good readings of the same batch suppresses that batch', () => {
      ts.run(({ cold, expectObservable }) => {
        const src = cold<Reading>('(ta)-(Tx)', { t: scalar(T, 1), a: scalar(A, 2), T: scalar(T, 5), x: failed(A) });
        expectObservable(combineDevices({ temp: T, amps: A }, clientOf(src), { scheduler: ts })).toBe('a', {
          a: { temp: 1, amps: 2 },
        });
      });
    });

    it('ACNET_RETRY gap readings of a reconnect suppress it until every device has read again', () => {
      ts.run(({ cold, expectObservable }) => {
        const src = cold<Reading>('(ta)-(gh)-T-A-', {
          t: scalar(T, 1),
          a: scalar(A, 2),
          g: failed(T, -255),
          h: failed(A, -255),
          T: scalar(T, 5),
          A: scalar(A, 6),
        });
        expectObservable(combineDevices({ temp: T, amps: A }, clientOf(src), { scheduler: ts })).toBe('a-----------b-', {
          a: { temp: 1, amps: 2 },
          b: { temp: 5, amps: 6 },
        });
      });
    });

    it("onDeviceError: 'error' errors with DeviceError at the first failure; stream options pass through", () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold<Reading>('(ta)-x-T', { t: scalar(T, 1), a: scalar(A, 2), x: failed(A, DBM_NOPROP.code), T: scalar(T, 5) });
        const seen: { options?: unknown } = {};
        const out = combineDevices({ temp: T, amps: A }, clientOf(src, seen), { onDeviceError: 'error', reconnect: true, scheduler: ts });
        expectObservable(out).toBe('a----#', { a: { temp: 1, amps: 2 } }, new DeviceError(DBM_NOPROP, A));
        expectSubscriptions(src.subscriptions).toBe('^----!');
        ts.flush();
        expect(seen.options).to.deep.equal({ reconnect: true });
      });
    });

    it('a device with non-scalar values errors with ValueTypeError at its first value (it could never combine)', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const X = 'Z:TEXTDEV@p,200';
        const text = { drf: X, valueType: 'text', value: 'hello', timestamp: new Date(0), cycle: 0, status: scalar(X, 0).status } as unknown as Reading;
        const src = cold<Reading>('t-x-t', { t: scalar(T, 1), x: text });
        const out = combineDevices({ temp: T, txt: X }, clientOf(src), { scheduler: ts });
        const e = new ValueTypeError(X, 'text', 'scalar', 'combineDevices: "txt" (Z:TEXTDEV@p,200) sends text, not numbers: only scalar devices can be combined');
        expectObservable(out).toBe('--#', undefined, e);
        expectSubscriptions(src.subscriptions).toBe('^-!');
      });
    });

    it('a pending flush is emitted before completion', () => {
      ts.run(({ cold, expectObservable }) => {
        const src = cold<Reading>('(ta|)', { t: scalar(T, 1), a: scalar(A, 2) });
        expectObservable(combineDevices({ temp: T, amps: A }, clientOf(src), { scheduler: ts })).toBe('(a|)', {
          a: { temp: 1, amps: 2 },
        });
      });
    });

    describe('with the simulator', () => {
      let sim: SimulatorHandle | undefined;
      let client: DpmClient | undefined;
      afterEach(async () => {
        client?.close();
        client = undefined;
        await sim?.close();
        sim = undefined;
      });

      it('combining a text device with a scalar one errors at once (the trap: it used to wait forever)', async () => {
        sim = await startSimulator({ port: 0 });
        client = dpm({ host: sim.host, port: sim.port });
        const e = await lastValueFrom(combineDevices({ temp: 'M:OUTTMP@p,100', txt: 'Z:TEXTDEV@p,100' }, client)).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e).to.be.instanceOf(ValueTypeError).and.include({ drf: 'Z:TEXTDEV@p,100', valueType: 'text', expected: 'scalar' });
        expect((e as Error).message).to.equal('combineDevices: "txt" (Z:TEXTDEV@p,100) sends text, not numbers: only scalar devices can be combined');
      });

      it('emits nothing while G:AMANDA is in a fault state, one object per tick otherwise', async () => {
        sim = await startSimulator({ port: 0 });
        client = dpm({ host: sim.host, port: sim.port });
        const s = sim;
        // both on the same clock event: the simulator answers one occurrence in one batch
        const drfs = { temp: 'M:OUTTMP@e,0F', amps: 'G:AMANDA@e,0F' };
        const stamps: number[] = [];
        const got = lastValueFrom(
          combineDevices(drfs, client).pipe(
            map((v) => {
              stamps.push(Date.now());
              return v;
            }),
            take(6),
            toArray(),
          ),
        );
        await until(() => stamps.length >= 2, { what: 'two combined ticks' });
        // a witness on the same simulator sees the ticks that happen while G:AMANDA is faulted
        const witness = await RawDpmClient.connect(s.port);
        try {
          addAndStart(witness, [[1, 'G:AMANDA@e,0F']]);
          await witness.waitFor((m) => m.type === 'StartList_reply');
          s.setDeviceError('G:AMANDA', DBM_NOPROP.code);
          const before = stamps.length;
          witness.mark();
          await witness.collect((m) => m.type === 'Status_reply', 4); // four faulted ticks
          // at most one tick already in flight when the fault was set
          expect(stamps.length - before).to.be.at.most(1);
        } finally {
          witness.close();
        }
        const during = stamps.length;
        s.setDeviceError('G:AMANDA', undefined);
        const all = await got;
        expect(all).to.have.length(6);
        expect(during).to.be.below(6);
        // one emission per tick, not two half-updated ones: a half update would show as a pair
        // of consecutive objects where one device's value repeats while the other's changes
        // (the simulator's values carry noise, so a real new tick changes both).
        for (let i = 1; i < all.length; i++) {
          const a = all[i - 1]!;
          const b = all[i]!;
          expect(a.temp === b.temp && a.amps !== b.amps, `half update at ${i}`).to.equal(false);
          expect(a.amps === b.amps && a.temp !== b.temp, `half update at ${i}`).to.equal(false);
        }
      });
    });
  });
});
