import { expect } from 'chai';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { closeGlobalClient, device, write, writeMany } from '../../lib/dpm/index.js';
import { startSimulator, type SimSettingRecord, type SimulatorHandle } from '../../lib/sim/index.js';
import { useRealm } from '../support/kerberos-fixture.js';

const CONFIG = {
  users: { alice: { roles: ['testing'], classes: 1 } },
  roles: { testing: ['Z:ACLTST'] },
  devices: { 'Z:TEXTDEV': 1 },
};

describe('dpm/global: module-level write / writeMany / device().write from the environment, Kerberos by default (FNAL.GOV realm on loopback)', function () {
  this.timeout(20_000);
  // the production realm name, so that kerberos()'s defaults (realm and required realm FNAL.GOV) hold
  const fx = useRealm({ realm: 'FNAL.GOV' });
  let sim: SimulatorHandle | undefined;
  const records: SimSettingRecord[] = [];
  const saved = { host: process.env['PACSYS_DPM_HOST'], port: process.env['PACSYS_DPM_PORT'] };

  beforeEach(async () => {
    sim = await startSimulator({ authConfig: CONFIG, keytab: `FILE:${fx.realm.keytab}`, serviceName: fx.realm.serviceName });
    sim.settings$.subscribe((r) => records.push(r));
    process.env['PACSYS_DPM_HOST'] = sim.host;
    process.env['PACSYS_DPM_PORT'] = String(sim.port);
    closeGlobalClient();
  });
  afterEach(async () => {
    closeGlobalClient();
    await sim?.close();
    sim = undefined;
    records.length = 0;
    for (const [k, v] of [['PACSYS_DPM_HOST', saved.host], ['PACSYS_DPM_PORT', saved.port]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('write() and writeMany() reach the simulator named by PACSYS_DPM_HOST/PORT with the user ticket', async () => {
    const r = await firstValueFrom(write('Z:ACLTST', 33.25, { role: 'testing' }));
    expect(r).to.include({ outcome: 'applied', success: true });
    const rs = await firstValueFrom(writeMany({ 'Z:ACLTST': 34.5, 'Z:TEXTDEV': 'from the module-level client' }, { role: 'testing' }));
    expect(rs.map((x) => x.outcome)).to.deep.equal(['applied', 'applied']);
    expect(records.map((x) => [x.device, x.principal, x.status])).to.deep.equal([
      ['Z:ACLTST', fx.realm.userPrincipal, 0],
      ['Z:ACLTST', fx.realm.userPrincipal, 0],
      ['Z:TEXTDEV', fx.realm.userPrincipal, 0],
    ]);
    expect(sim!.getDevice('Z:TEXTDEV')?.setting).to.deep.equal({ kind: 'text', value: 'from the module-level client' });
  });

  it("device('Z:ACLTST').write(v) goes through the module-level client", async () => {
    const r = await firstValueFrom(device('Z:ACLTST').write(35, { role: 'testing' }));
    expect(r.outcome).to.equal('applied');
    expect(sim!.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 35 });
  });

  it('no ticket: AuthenticationError at the first write, nothing sent, no connection', async () => {
    const empty = join(fx.realm.dir, 'empty.ccache');
    writeFileSync(empty, '');
    const before = process.env['KRB5CCNAME'];
    process.env['KRB5CCNAME'] = `FILE:${empty}`;
    try {
      const e = await firstValueFrom(write('Z:ACLTST', 1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(AuthenticationError);
      expect(sim!.totalConnections).to.equal(0);
      expect(records).to.deep.equal([]);
    } finally {
      process.env['KRB5CCNAME'] = before;
    }
  });
});
