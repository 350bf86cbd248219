import { expect } from 'chai';
import { filter, firstValueFrom } from 'rxjs';
import { dpm } from '../../../lib/dpm/client.js';
import { ControlCommand, InvalidSettingError, insecureSimulatorAuth } from '../../../lib/dpm/write/index.js';
import { AuthenticationError } from '../../../lib/auth/authentication-error.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../../lib/sim/index.js';
import { parseCliArgs } from '../../../lib/cli/acsys-sim.js';

const ALICE = 'alice@FNAL.GOV';

describe('dpm/write: against the simulator in its insecure mode (no KDC)', function () {
  let sim: SimulatorHandle | undefined;
  const start = async (o: SimulatorOptions = {}): Promise<SimulatorHandle> => (sim = await startSimulator({ insecureSettings: ALICE, ...o }));
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('write without auth: AuthenticationError and no socket opened', async () => {
    const s = await start();
    const client = dpm({ host: s.host, port: s.port });
    try {
      const e = await firstValueFrom(client.write('Z:ACLTST', 1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(AuthenticationError).with.property('reason', 'no-credentials');
      expect(s.totalConnections).to.equal(0);
    } finally {
      client.close();
    }
  });

  it('a transport failure is retried once on a fresh connection', async () => {
    // connection 0 drops after OpenList, 2×Authenticate, EnableSettings, DeviceInfo (5 frames)
    const s = await start({ faults: (i) => (i === 0 ? { dropAfterFrames: 5 } : {}) });
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE) });
    try {
      const r = await firstValueFrom(client.write('Z:ACLTST', 7));
      expect(r.success).to.equal(true);
      expect(s.totalConnections).to.equal(2);
      expect(await firstValueFrom(client.read('Z:ACLTST.SETTING'))).to.equal(7);
    } finally {
      client.close();
    }
  });

  it('two transport failures → ACNET_RETRY "Connection error: …" for every setting', async () => {
    const s = await start({ faults: { dropAfterFrames: 5 } });
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE) });
    try {
      const rs = await firstValueFrom(client.writeMany({ 'Z:ACLTST': 1, 'Z:TEXTDEV': 'x' }));
      expect(rs.map((r) => r.status.name)).to.deep.equal(['ACNET_RETRY', 'ACNET_RETRY']);
      expect(rs[0]!.message).to.match(/^Connection error: /);
      expect(s.totalConnections).to.equal(2);
    } finally {
      client.close();
    }
  });

  it('reuses the authenticated connection; a role change opens a fresh one', async () => {
    const s = await start();
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE), role: 'testing' });
    try {
      expect((await firstValueFrom(client.write('Z:ACLTST', 1))).success).to.equal(true);
      expect((await firstValueFrom(client.write('Z:ACLTST', 2))).success).to.equal(true);
      expect(s.totalConnections).to.equal(1);
      expect((await firstValueFrom(client.write('Z:ACLTST', 3, { role: 'other' }))).success).to.equal(true);
      expect(s.totalConnections).to.equal(2);
      expect((await firstValueFrom(client.write('Z:ACLTST', 4))).success).to.equal(true);
      expect(s.totalConnections).to.equal(2); // the 'testing' connection is still pooled
    } finally {
      client.close();
    }
  });

  it('an idle connection that broke is discarded and replaced', async () => {
    const s = await start({ faults: (i) => (i === 0 ? { dropAfterMs: 300 } : {}) });
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE) });
    try {
      const broke = firstValueFrom(client.state$.pipe(filter((st) => st.kind === 'closed')));
      expect((await firstValueFrom(client.write('Z:ACLTST', 1))).success).to.equal(true);
      await broke; // the client saw the idle connection break (the drop after 300 ms)
      expect((await firstValueFrom(client.write('Z:ACLTST', 2))).success).to.equal(true);
      expect(s.totalConnections).to.equal(2);
    } finally {
      client.close();
    }
  });

  it('the write pool is bounded (writePoolSize): concurrent writes share it', async () => {
    const s = await start();
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE), writePoolSize: 2 });
    try {
      const rs = await Promise.all([1, 2, 3, 4, 5].map((v) => firstValueFrom(client.write('Z:ACLTST', v))));
      expect(rs.every((r) => r.success)).to.equal(true);
      expect(s.totalConnections).to.equal(2);
    } finally {
      client.close();
    }
  });

  it('alarm block: fields written one after the other, stopping at the first failure', async () => {
    const s = await start();
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE) });
    try {
      const r = await firstValueFrom(client.write('Z:ACLTST.ANALOG', { minimum: -5, maximum: 50, alarm_enable: false }));
      expect(r.success).to.equal(true);
      expect(r.fields!.map((f) => f.drf)).to.deep.equal(['Z:ACLTST.ANALOG.MIN', 'Z:ACLTST.ANALOG.MAX', 'Z:ACLTST.ANALOG.ALARM_ENABLE']);
      const a = await firstValueFrom(client.read('Z:ACLTST.ANALOG'));
      expect(a).to.deep.include({ minimum: -5, maximum: 50, alarmEnable: false });
      // G:AMANDA has no analog alarm block: the first field fails and nothing else is sent
      const bad = await firstValueFrom(client.write('G:AMANDA.ANALOG', { minimum: 1, maximum: 2 }));
      expect(bad.success).to.equal(false);
      expect(bad.fields).to.have.length(1);
    } finally {
      client.close();
    }
  });

  it('CONTROL: OFF / ON / RESET by name or ControlCommand change the basic status; 99 fails; "BANANA" is refused before sending', async () => {
    const s = await start();
    const client = dpm({ host: s.host, port: s.port, auth: insecureSimulatorAuth(ALICE) });
    try {
      const off = await firstValueFrom(client.write('Z:ACLTST.CONTROL', 'OFF'));
      expect(off.success, off.status.toString()).to.equal(true);
      expect(await firstValueFrom(client.read('Z:ACLTST.STATUS.ON'))).to.equal(0);
      expect((await firstValueFrom(client.write('Z:ACLTST.STATUS', 'on'))).success).to.equal(true); // STATUS is written as CONTROL
      expect(await firstValueFrom(client.read('Z:ACLTST.STATUS.ON'))).to.equal(1);
      expect((await firstValueFrom(client.write('Z:ACLTST.CONTROL', ControlCommand.OFF))).success).to.equal(true);
      expect(await firstValueFrom(client.read('Z:ACLTST.STATUS.ON'))).to.equal(0);
      expect((await firstValueFrom(client.write('Z:ACLTST.CONTROL', 'reset'))).success).to.equal(true);

      const unknown = await firstValueFrom(client.write('Z:ACLTST.CONTROL', 99));
      expect(unknown.success).to.equal(false);
      expect(unknown.status.name).to.equal('DIO_INVDATA');
      expect(await firstValueFrom(client.read('Z:ACLTST.STATUS.ON'))).to.equal(0); // unchanged

      const connections = s.totalConnections;
      const e = await firstValueFrom(client.write('Z:ACLTST.CONTROL', 'BANANA')).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(InvalidSettingError).with.property('reason', 'control-command');
      expect((e as Error).message).to.match(/unknown control command "BANANA"/);
      expect(s.totalConnections).to.equal(connections);
    } finally {
      client.close();
    }
  });

  it('acsys-sim parses --auth-config, --keytab, --service-name and --insecure-settings PRINCIPAL', () => {
    expect(parseCliArgs(['--auth-config', 'examples/sim-auth.json', '--service-name', 'daeset/bd@localhost', '--keytab', 'FILE:/k'])).to.deep.include({
      authConfig: 'examples/sim-auth.json',
      serviceName: 'daeset/bd@localhost',
      keytab: 'FILE:/k',
    });
    expect(parseCliArgs(['--insecure-settings', ALICE])).to.deep.include({ insecureSettings: ALICE });
    expect(() => parseCliArgs(['--insecure-settings', 'alice'])).to.throw(/principal/);
  });

  it('examples/sim-auth.json is a valid configuration', async () => {
    const s = await start({ insecureSettings: false, authConfig: 'examples/sim-auth.json' });
    expect(s.port).to.be.above(0);
  });
});
