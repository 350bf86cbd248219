import { expect } from 'chai';
import fc from 'fast-check';
import { asyncScheduler } from 'rxjs';
import { DEFAULTS, optionsFromEnv, resolveOptions } from '../../lib/dpm/options.js';
import { ConfigError } from '../../lib/errors/config-error.js';

describe('dpm/options', () => {
  it('defaults', () => {
    const o = resolveOptions();
    expect(o).to.include({ host: 'acsys-proxy.fnal.gov', port: 6802, poolSize: 4, heartbeat: 10_000, linger: 5000 });
    expect(o.connectTimeout).to.equal(DEFAULTS.connectTimeout);
    expect(o.scheduler).to.equal(undefined);
  });

  it('coalescing: on by default (same tick, 1000 DRFs), configurable, or off', () => {
    expect(resolveOptions().coalesce).to.deep.equal({ window: 0, maxBatch: 1000 });
    expect(resolveOptions({ coalesce: { window: 5 } }).coalesce).to.deep.equal({ window: 5, maxBatch: 1000 });
    expect(resolveOptions({ coalesce: { maxBatch: 10 } }).coalesce).to.deep.equal({ window: 0, maxBatch: 10 });
    expect(resolveOptions({ coalesce: false }).coalesce).to.equal(undefined);
  });

  it('accepts a scheduler and nested timeouts', () => {
    const o = resolveOptions({ scheduler: asyncScheduler, timeouts: { operation: 100 } });
    expect(o.scheduler).to.equal(asyncScheduler);
    expect(o.operationTimeout).to.equal(100);
  });

  it('names the bad option', () => {
    const cases: [object, string][] = [
      [{ host: '' }, 'host'],
      [{ host: 'a b' }, 'host'],
      [{ port: 0 }, 'port'],
      [{ port: 1.5 }, 'port'],
      [{ poolSize: '4' }, 'poolSize'],
      [{ timeouts: { connect: 0 } }, 'timeouts.connect'],
      [{ heartbeat: 5999 }, 'heartbeat'],
      [{ scheduler: {} }, 'scheduler'],
      [{ coalesce: true }, 'coalesce'],
      [{ coalesce: { window: -1 } }, 'coalesce'],
      [{ coalesce: { window: 1001 } }, 'coalesce'],
      [{ coalesce: { maxBatch: 0 } }, 'coalesce'],
      [{ coalesce: { windw: 2 } }, 'coalesce'],
      [{ pool: 3 }, 'pool'],
    ];
    for (const [opts, name] of cases) {
      try {
        resolveOptions(opts as never);
        expect.fail(`accepted ${JSON.stringify(opts)}`);
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        expect((e as ConfigError).option).to.equal(name);
      }
    }
  });

  it('the 6 s heartbeat floor can only be lowered through testOnly', () => {
    expect(() => resolveOptions({ heartbeat: 1000 })).to.throw(ConfigError);
    expect(resolveOptions({ heartbeat: 1000, testOnly: { heartbeatFloor: 500 } }).heartbeat).to.equal(1000);
  });

  it('any valid poolSize / port is accepted (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 65535 }), (poolSize, port) => {
        const o = resolveOptions({ poolSize, port });
        return o.poolSize === poolSize && o.port === port;
      }),
    );
  });

  it('reads and validates the environment', () => {
    expect(optionsFromEnv({ PACSYS_DPM_HOST: 'h', PACSYS_DPM_PORT: '7000', PACSYS_POOL_SIZE: '2' })).to.deep.equal({
      host: 'h',
      port: 7000,
      poolSize: 2,
    });
    expect(optionsFromEnv({})).to.deep.equal({});
    expect(() => optionsFromEnv({ PACSYS_DPM_PORT: 'x' })).to.throw(ConfigError, /PACSYS_DPM_PORT/);
    expect(() => optionsFromEnv({ PACSYS_POOL_SIZE: '0' })).to.throw(ConfigError, /PACSYS_POOL_SIZE/);
    expect(() => optionsFromEnv({ PACSYS_DPM_HOST: 'a b' })).to.throw(ConfigError, /PACSYS_DPM_HOST/);
  });
});
