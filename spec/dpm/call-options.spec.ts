import { expect } from 'chai';
import {
  MIN_RECONNECT_DELAY_MS,
  checkDrfArgument,
  checkDrfList,
  resolveReadOptions,
  resolveStreamOptions,
} from '../../lib/dpm/call-options.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ArgumentError } from '../../lib/errors/argument-error.js';
import { ConfigError } from '../../lib/errors/config-error.js';

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('dpm/call-options', () => {
  describe('resolveStreamOptions', () => {
    it('defaults: no reconnect, no model, no staleness; `true` gives the documented policy', () => {
      expect(resolveStreamOptions(undefined, 'stream')).to.deep.equal({ reconnect: undefined, model: undefined, stale: false });
      expect(resolveStreamOptions({ reconnect: true }, 'stream').reconnect).to.deep.equal({
        initialDelay: 1000,
        factor: 2,
        maxDelay: 30_000,
        maxAttempts: Infinity,
      });
      expect(resolveStreamOptions({ reconnect: false, model: 'LOGGER:1:2' }, 'stream')).to.deep.equal({
        reconnect: undefined,
        model: 'LOGGER:1:2',
        stale: false,
      });
    });

    it('keeps legal values, including the smallest delay and factor 1', () => {
      const o = resolveStreamOptions({ reconnect: { initialDelay: MIN_RECONNECT_DELAY_MS, maxDelay: MIN_RECONNECT_DELAY_MS, factor: 1, maxAttempts: 0 } }, 'stream');
      expect(o.reconnect).to.deep.equal({ initialDelay: 100, maxDelay: 100, factor: 1, maxAttempts: 0 });
      expect(resolveStreamOptions({ stale: { afterMs: 500 } }, 'streamEvents').stale).to.deep.equal({ afterMs: 500 });
      expect(resolveStreamOptions({ stale: true }, 'streamEvents').stale).to.equal(true);
    });

    for (const [what, reconnect, path] of [
      ['initialDelay NaN', { initialDelay: NaN }, 'reconnect.initialDelay'],
      ['initialDelay 0', { initialDelay: 0 }, 'reconnect.initialDelay'],
      ['initialDelay -5', { initialDelay: -5 }, 'reconnect.initialDelay'],
      ['initialDelay "abc"', { initialDelay: 'abc' }, 'reconnect.initialDelay'],
      ['initialDelay 99 (below the floor)', { initialDelay: 99 }, 'reconnect.initialDelay'],
      ['initialDelay Infinity', { initialDelay: Infinity }, 'reconnect.initialDelay'],
      ['factor 0', { factor: 0 }, 'reconnect.factor'],
      ['factor NaN', { factor: NaN }, 'reconnect.factor'],
      ['factor 0.5 (shrinking)', { factor: 0.5 }, 'reconnect.factor'],
      ['maxDelay 0', { maxDelay: 0 }, 'reconnect.maxDelay'],
      ['maxDelay below initialDelay', { initialDelay: 500, maxDelay: 200 }, 'reconnect.maxDelay'],
      ['maxAttempts -1', { maxAttempts: -1 }, 'reconnect.maxAttempts'],
      ['maxAttempts 1.5', { maxAttempts: 1.5 }, 'reconnect.maxAttempts'],
      ['an unknown key', { initalDelay: 500 }, 'reconnect.initalDelay'],
    ] as const) {
      it(`refuses reconnect ${what} with a ConfigError naming ${path}`, () => {
        const e = configError(() => resolveStreamOptions({ reconnect }, 'stream'));
        expect(e.option).to.equal(path);
        expect(e).to.be.instanceOf(AcsysError);
      });
    }

    it('lists every problem in one ConfigError', () => {
      const e = configError(() =>
        resolveStreamOptions({ reconnect: { initialDelay: 0, factor: 0, maxDelay: 'x', bogus: 1 }, model: 42, extra: true }, 'streamEvents'),
      );
      expect(e.option).to.equal('options');
      for (const p of ['reconnect.initialDelay', 'reconnect.factor', 'reconnect.maxDelay', 'reconnect.bogus', 'model', 'extra']) {
        expect(e.message).to.contain(`${p}:`);
      }
    });

    it('refuses bad shapes: non-object options, reconnect of a wrong type, `stale` on stream(), bad `stale`', () => {
      expect(configError(() => resolveStreamOptions(5, 'stream')).option).to.equal('options');
      expect(configError(() => resolveStreamOptions(null, 'stream')).option).to.equal('options');
      expect(configError(() => resolveStreamOptions([], 'stream')).option).to.equal('options');
      expect(configError(() => resolveStreamOptions({ reconnect: 'yes' }, 'stream')).option).to.equal('reconnect');
      expect(configError(() => resolveStreamOptions({ stale: true }, 'stream')).option).to.equal('stale');
      expect(configError(() => resolveStreamOptions({ stale: { afterMs: 0 } }, 'streamEvents')).option).to.equal('stale.afterMs');
      expect(configError(() => resolveStreamOptions({ stale: 'x' }, 'streamEvents')).option).to.equal('stale');
      expect(configError(() => resolveStreamOptions({ model: '' }, 'stream')).option).to.equal('model');
    });
  });

  describe('resolveReadOptions', () => {
    it('gives the per-call timeout or the default', () => {
      expect(resolveReadOptions(undefined, 5000)).to.equal(5000);
      expect(resolveReadOptions({}, 5000)).to.equal(5000);
      expect(resolveReadOptions({ timeout: 250 }, 5000)).to.equal(250);
    });

    it('refuses bad timeouts, unknown keys and non-objects', () => {
      for (const timeout of [0, -1, NaN, 1.5, 'x', Infinity]) expect(configError(() => resolveReadOptions({ timeout }, 5000)).option).to.equal('timeout');
      expect(configError(() => resolveReadOptions({ timeOut: 5 }, 5000)).option).to.equal('timeOut');
      expect(configError(() => resolveReadOptions(42, 5000)).option).to.equal('options');
    });
  });

  describe('argument checks', () => {
    it('checkDrfList accepts arrays of strings (and, where allowed, one string)', () => {
      const a = ['M:OUTTMP'];
      expect(checkDrfList('getMany', a, false)).to.equal(a);
      expect(checkDrfList('stream', 'M:OUTTMP', true)).to.deep.equal(['M:OUTTMP']);
    });

    it('checkDrfList refuses non-arrays, holes and non-strings with an ArgumentError naming the element', () => {
      const bad: [unknown, boolean, string][] = [
        ['M:OUTTMP', false, 'drfs'],
        [null, true, 'drfs'],
        [{ length: 1, 0: 'M:OUTTMP' }, true, 'drfs'],
        [['M:OUTTMP', , 'G:AMANDA'], false, 'drfs[1]'],
        [['M:OUTTMP', 42], true, 'drfs[1]'],
        [[undefined], false, 'drfs[0]'],
      ];
      for (const [drfs, one, arg] of bad) {
        expect(() => checkDrfList('f', drfs, one)).to.throw(ArgumentError).with.property('argument', arg);
      }
    });

    it('checkDrfArgument refuses non-strings', () => {
      expect(checkDrfArgument('read', 'M:OUTTMP')).to.equal('M:OUTTMP');
      for (const v of [42, null, undefined, {}, ['M:OUTTMP'], Symbol('x')]) {
        expect(() => checkDrfArgument('read', v)).to.throw(ArgumentError, /read: bad argument drf/);
      }
    });
  });
});
