import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { closeGlobalClient, globalClient, read } from '../../lib/dpm/global.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { startSimulator } from '../../lib/sim/index.js';

describe('dpm/global', () => {
  const saved = { ...process.env };
  afterEach(() => {
    closeGlobalClient();
    for (const k of ['PACSYS_DPM_HOST', 'PACSYS_DPM_PORT', 'PACSYS_POOL_SIZE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('is configured from PACSYS_* and used by the module-level functions', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      process.env['PACSYS_DPM_HOST'] = sim.host;
      process.env['PACSYS_DPM_PORT'] = String(sim.port);
      process.env['PACSYS_POOL_SIZE'] = '2';
      expect(globalClient().options).to.include({ host: sim.host, port: sim.port, poolSize: 2 });
      expect(await firstValueFrom(read('M:OUTTMP'))).to.be.a('number');
    } finally {
      closeGlobalClient();
      await sim.close();
    }
  });

  it('a bad environment value is a ConfigError naming the variable', async () => {
    process.env['PACSYS_POOL_SIZE'] = 'many';
    const e = await firstValueFrom(read('M:OUTTMP')).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(ConfigError);
    expect((e as ConfigError).option).to.equal('PACSYS_POOL_SIZE');
  });
});
