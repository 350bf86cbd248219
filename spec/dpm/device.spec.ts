import { expect } from 'chai';
import { ArgumentError } from '../../lib/errors/argument-error.js';
import { firstValueFrom, lastValueFrom, of, take, toArray, type Observable } from 'rxjs';
import { dpm, type DpmClient } from '../../lib/dpm/client.js';
import { device } from '../../lib/dpm/device.js';
import { closeGlobalClient } from '../../lib/dpm/global.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { insecureSimulatorAuth } from '../../lib/dpm/write/index.js';
import type { ControlCommandName } from '../../lib/dpm/write/setting-value.js';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { DrfError } from '../../lib/drf/errors.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ValueTypeError } from '../../lib/dpm/value-type-error.js';
import { DeviceError } from '../../lib/status/device-error.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';
import { scalar } from '../support/readings.js';

const ALICE = 'alice@FNAL.GOV';

async function failure<T>(o: Observable<T>): Promise<unknown> {
  return firstValueFrom(o).then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** A client whose `get` answers every DRF with `reading(drf)`: for value-type checks the simulator cannot produce. */
function stubClient(reading: (drf: string) => Reading): DpmClient {
  const partial: Pick<DpmClient, 'get'> = { get: (drf) => of(reading(drf)) };
  return partial as DpmClient;
}

describe('dpm/device', function () {
  let sim: SimulatorHandle | undefined;
  let client: DpmClient | undefined;
  const saved = { host: process.env['PACSYS_DPM_HOST'], port: process.env['PACSYS_DPM_PORT'] };

  const start = async (): Promise<{ sim: SimulatorHandle; client: DpmClient }> => {
    sim = await startSimulator({ port: 0, insecureSettings: ALICE });
    client = dpm({ host: sim.host, port: sim.port, auth: insecureSimulatorAuth(ALICE) });
    return { sim, client };
  };

  afterEach(async () => {
    client?.close();
    client = undefined;
    closeGlobalClient();
    for (const [k, v] of [['PACSYS_DPM_HOST', saved.host], ['PACSYS_DPM_PORT', saved.port]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await sim?.close();
    sim = undefined;
  });
  // registered after the cleanup hook, so it runs after it
  checkLeaks();

  describe('names and DRFs', () => {
    it('name and drf(property?, field?)', () => {
      const d = device('M:OUTTMP', stubClient((drf) => scalar(drf, 0)));
      expect(d.name).to.equal('M:OUTTMP');
      expect(d.drf()).to.equal('M:OUTTMP.READING');
      expect(d.drf('SETTING')).to.equal('M:OUTTMP.SETTING');
      expect(d.drf('sts', 'on')).to.equal('M:OUTTMP.STATUS.ON');
      expect(d.drf(undefined, 'RAW')).to.equal('M:OUTTMP.READING.RAW');
      expect(() => d.drf('BANANA')).to.throw(DrfError, /unknown property "BANANA"/);
      expect(() => d.drf('STATUS', 'MIN')).to.throw(DrfError, /not valid for property STATUS/);
    });

    it('the ? qualifier names the same device; the case is kept', () => {
      expect(device('M?OUTTMP').name).to.equal('M:OUTTMP');
      expect(device('m:outtmp').name).to.equal('m:outtmp');
    });

    it('a request that is not a bare device name is a DrfError naming the part', () => {
      const cases: [string, string][] = [
        ['M:OUTTMP.SETTING', 'property'],
        ['M_OUTTMP', 'property'],
        ['M:OUTTMP.RAW', 'field'],
        ['M:OUTTMP[0:3]', 'range'],
        ['M:OUTTMP@p,1000', 'event'],
        ['M:OUTTMP<-LOGGER:1:2', 'extra'],
      ];
      for (const [name, part] of cases) {
        let err: unknown;
        try {
          device(name);
        } catch (e) {
          err = e;
        }
        expect(err, name).to.be.instanceOf(DrfError).with.property('part', part);
        expect((err as DrfError).message, name).to.match(/expected a bare device name such as "M:OUTTMP"/);
      }
      expect(() => device('bogus')).to.throw(DrfError);
      expect(() => device('')).to.throw(DrfError, /empty request/);
      expect(() => device(42 as unknown as string)).to.throw(DrfError, /expected a device name string/);
    });

    it('a value type other than the property’s is a ValueTypeError (an AcsysError) with a clear message', async () => {
      const d = device('Z:ODD', stubClient((drf) => scalar(drf, 1)));
      const e = await failure(d.status());
      expect(e).to.be.instanceOf(ValueTypeError).and.instanceOf(AcsysError);
      expect(e).to.deep.include({ code: 'VALUE_TYPE', drf: 'Z:ODD.STATUS', valueType: 'scalar', expected: 'basicStatus' });
      expect((e as Error).message).to.equal('Z:ODD.STATUS: expected a basicStatus reading, got scalar');
      expect(await failure(d.analogAlarm())).to.be.instanceOf(ValueTypeError).with.property('message').that.matches(/analogAlarm/);
    });
  });

  describe('against the simulator (TCP)', () => {
    it('is lazy: nothing is sent before a subscription', async () => {
      const { sim: s, client: c } = await start();
      const d = device('M:OUTTMP', c);
      d.read();
      d.write(1);
      d.stream();
      // a real read afterwards: its pooled connection is the only one the simulator saw
      await firstValueFrom(c.read('G:AMANDA'));
      expect(s.totalConnections).to.equal(1);
    });

    it('read(), get() and units()/description() from the metadata', async () => {
      const { client: c } = await start();
      const d = device('M:OUTTMP', c);
      expect(await firstValueFrom(d.read())).to.be.a('number');
      const r = await firstValueFrom(d.get());
      expect(r.drf).to.equal('M:OUTTMP.READING');
      expect(r.valueType).to.equal('scalar');
      expect(await firstValueFrom(d.units())).to.equal('DegF');
      expect(await firstValueFrom(d.description())).to.equal('Outdoor temperature');
      expect(await firstValueFrom(device('Z:ACLTST', c).units())).to.equal('mm');
      expect((await firstValueFrom(d.get('DESCRIPTION'))).value).to.equal('Outdoor temperature');
    });

    it('setting() of Z:ACLTST; a device without SETTING errors with DeviceError', async () => {
      const { client: c } = await start();
      expect(await firstValueFrom(device('Z:ACLTST', c).setting())).to.equal(12.5);
      const e = await failure(device('M:OUTTMP', c).setting());
      expect(e).to.be.instanceOf(DeviceError);
      expect((e as DeviceError).status.name).to.equal('DBM_NOPROP');
      expect((e as DeviceError).drf).to.equal('M:OUTTMP.SETTING');
    });

    it('write() then read back', async () => {
      const { sim: s, client: c } = await start();
      const d = device('Z:ACLTST', c);
      const w = await firstValueFrom(d.write(7.25));
      expect(w.success, w.status.toString()).to.equal(true);
      expect(await firstValueFrom(d.setting())).to.equal(7.25);
      expect(await firstValueFrom(d.read())).to.equal(7.25); // READING follows SETTING
      expect(s.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 7.25 });
      const v = await firstValueFrom(d.write(8, { verify: { tolerance: 0.001 } }));
      expect(v.verified?.ok).to.equal(true);
    });

    it('status(), statusField() and the alarm blocks of Z:STSDEV', async () => {
      const { client: c } = await start();
      const d = device('Z:STSDEV', c);
      expect(await firstValueFrom(d.status())).to.deep.equal({ on: true, ready: false, remote: true, positive: false });
      expect(await firstValueFrom(d.statusField('ON'))).to.equal(1);
      expect(await firstValueFrom(d.statusField('ready'))).to.equal(0);
      const a = await firstValueFrom(d.analogAlarm());
      expect(a).to.include({ minimum: 15, maximum: 30, alarmEnable: true, alarmStatus: true });
      const dg = await firstValueFrom(d.digitalAlarm());
      expect(dg).to.include({ nominal: 5, mask: 7, alarmStatus: false });
    });

    it('status() of a device without basic status errors with DeviceError', async () => {
      const { client: c } = await start();
      const e = await failure(device('M:OUTTMP', c).status());
      expect(e).to.be.instanceOf(DeviceError);
      expect((e as DeviceError).status.name).to.equal('DBM_NOPROP');
    });

    it('off() then status() shows on: false; on() then on: true; reset() sets ready', async () => {
      const { client: c } = await start();
      const d = device('Z:STSDEV', c);
      const off = await firstValueFrom(d.off());
      expect(off.success, off.status.toString()).to.equal(true);
      expect(off.drf).to.equal('Z:STSDEV.CONTROL');
      expect((await firstValueFrom(d.status())).on).to.equal(false);
      expect((await firstValueFrom(d.on())).success).to.equal(true);
      expect((await firstValueFrom(d.status())).on).to.equal(true);
      expect((await firstValueFrom(d.reset())).success).to.equal(true);
      expect((await firstValueFrom(d.status())).ready).to.equal(true);
      expect((await firstValueFrom(d.control('OFF'))).success).to.equal(true);
      expect((await firstValueFrom(d.status())).on).to.equal(false);
    });

    it('control() with an unknown command errors with ArgumentError and sends nothing', async () => {
      const { sim: s, client: c } = await start();
      const e = await failure(device('Z:STSDEV', c).control('POSITIVE' as ControlCommandName));
      expect(e).to.be.instanceOf(ArgumentError).with.property('message').that.matches(/unknown control command "POSITIVE"/);
      expect(s.totalConnections).to.equal(0);
    });

    it('write() and on() without auth: AuthenticationError before any network traffic', async () => {
      const { sim: s } = await start();
      const plain = dpm({ host: s.host, port: s.port });
      try {
        const d = device('Z:ACLTST', plain);
        expect(await failure(d.write(1))).to.be.instanceOf(AuthenticationError);
        expect(await failure(d.on())).to.be.instanceOf(AuthenticationError);
        expect(s.totalConnections).to.equal(0);
      } finally {
        plain.close();
      }
    });

    it('stream(event) with take(3): readings of the READING property on that event, then completes', async () => {
      const { client: c } = await start();
      const rs = await lastValueFrom(device('M:OUTTMP', c).stream('p,100').pipe(take(3), toArray()));
      expect(rs).to.have.length(3);
      for (const r of rs) {
        expect(r.drf).to.equal('M:OUTTMP.READING@p,100');
        expect(r.valueType).to.equal('scalar');
      }
    });

    it('stream() with a bad event errors with DrfError on subscribe', async () => {
      const { client: c } = await start();
      expect(await failure(device('M:OUTTMP', c).stream('x,1'))).to.be.instanceOf(DrfError);
    });

    it('without a client: the module-level client, looked up on subscribe', async () => {
      const s = (sim = await startSimulator({ port: 0 }));
      const d = device('M:OUTTMP'); // created before the environment is set
      process.env['PACSYS_DPM_HOST'] = s.host;
      process.env['PACSYS_DPM_PORT'] = String(s.port);
      expect(await firstValueFrom(d.read())).to.be.a('number');
      expect(await firstValueFrom(d.units())).to.equal('DegF');
      expect(s.totalConnections).to.be.at.least(1);
    });
  });
});
