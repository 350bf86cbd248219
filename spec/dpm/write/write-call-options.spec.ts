import { expect } from 'chai';
import { ConfigError } from '../../../lib/errors/config-error.js';
import { validateWriteCallOptions } from '../../../lib/dpm/write/write-call-options.js';

describe('dpm/write/write-call-options: per-call options validated like dpm() options', () => {
  it('accepts nothing, a role, verify true/false or { tolerance, delayMs }', () => {
    expect(validateWriteCallOptions(undefined)).to.deep.equal({});
    expect(validateWriteCallOptions({ role: 'testing' })).to.deep.equal({ role: 'testing' });
    expect(validateWriteCallOptions({ verify: true })).to.deep.equal({ verify: true });
    expect(validateWriteCallOptions({ verify: { tolerance: 0.5, delayMs: 100 } })).to.deep.equal({ verify: { tolerance: 0.5, delayMs: 100 } });
  });
  for (const [label, bad, pattern] of [
    ['not an object', 'testing', /expected an object/],
    ['an unknown key', { rol: 'x' }, /rol: unknown option/],
    ['a role with a colon', { role: 'a:b' }, /role: expected a role name/],
    ['a NaN tolerance', { verify: { tolerance: NaN } }, /verify\.tolerance: expected a finite number ≥ 0, got NaN/],
    ['a negative delay', { verify: { delayMs: -5 } }, /verify\.delayMs: expected an integer number of ms/],
    ['an unknown verify key', { verify: { tol: 1 } }, /verify\.tol: unknown option/],
    ['verify of the wrong type', { verify: 'yes' }, /verify: expected true, false or/],
  ] as const) {
    it(`refuses ${label} with a ConfigError`, () => {
      expect(() => validateWriteCallOptions(bad)).to.throw(ConfigError, pattern);
    });
  }
  it('lists every problem in one error', () => {
    try {
      validateWriteCallOptions({ role: '', verify: { tolerance: -1, delayMs: 0.5 }, extra: 1 });
      expect.fail('expected a ConfigError');
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError).with.property('option', 'options');
      expect((e as Error).message.split('; ')).to.have.length(4);
    }
  });
});
