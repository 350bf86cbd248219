import { expect } from 'chai';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DpmClient } from '../../../lib/dpm/client.js';
import { combineDevices } from '../../../lib/dpm/operators/combine-devices.js';
import type { Reading } from '../../../lib/dpm/reading.js';
import { failed, scalar } from '../../support/readings.js';

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
});
