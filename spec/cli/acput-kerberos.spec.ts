import { expect } from 'chai';
import { main } from '../../lib/cli/acput.js';
import { authHookFromOptions } from '../../lib/sim/index.js';
import { useRealm } from '../support/kerberos-fixture.js';
import { memoryIO, useCliSim } from './cli-support.js';

const CONFIG = {
  users: { alice: { roles: ['testing'], classes: 1 } },
  roles: { testing: ['Z:ACLTST'] },
  devices: {},
};

describe('cli/acput with a real Kerberos ticket (loopback KDC)', function () {
  this.timeout(20_000);
  const fx = useRealm();
  // closes the simulator, then checks for leaks, after each test
  const h = useCliSim(async () => ({ auth: await authHookFromOptions({ authConfig: CONFIG, keytab: `FILE:${fx.realm.keytab}`, serviceName: fx.realm.serviceName }) }));
  const args = (): string[] => [...h.at, '--realm', fx.realm.realm];

  it('writes with the role and prints the result (exit 0); the simulator has the value', async () => {
    const io = memoryIO({ env: { KRB5CCNAME: fx.realm.ccache } });
    expect(await main(['Z:ACLTST', '42.5', '--role', 'testing', ...args()], io), io.err()).to.equal(0);
    expect(io.out()).to.equal('Z:ACLTST  42.5  ACNET_OK\n');
    expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 42.5 });
  });

  it('without the role: the setting is refused with DPM_PRIV, exit 1', async () => {
    const io = memoryIO({ env: { KRB5CCNAME: fx.realm.ccache } });
    expect(await main(['Z:ACLTST', '1', ...args()], io)).to.equal(1);
    expect(io.err()).to.match(/^acput: Z:ACLTST: setting failed: DPM_PRIV \(17 -17\)/);
  });

  it('with an empty ticket cache: exit 4 before connecting', async () => {
    const io = memoryIO({ env: { KRB5CCNAME: `FILE:${fx.realm.emptyCcache()}` } });
    expect(await main(['Z:ACLTST', '1', ...args()], io)).to.equal(4);
    expect(io.err()).to.match(/^acput: refusing to write: .*kinit/);
    expect(h.sim.totalConnections).to.equal(0);
  });
});
