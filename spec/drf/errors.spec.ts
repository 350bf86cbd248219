import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { DrfError } from '../../lib/drf/errors.js';
import { parseDrf } from '../../lib/drf/parse.js';

describe('drf/errors', () => {
  it('DrfError is an AcsysError with code DRF_ERROR and its parts', () => {
    const e = new DrfError('M:OUTTMP.FOO', 9, 'field', 'unknown field "FOO"');
    expect(e).to.be.instanceOf(AcsysError);
    expect(e).to.be.instanceOf(Error);
    expect(e.code).to.equal('DRF_ERROR');
    expect(e.name).to.equal('DrfError');
    expect(e.message).to.equal('unknown field "FOO" at position 9 in "M:OUTTMP.FOO"');
    expect([e.input, e.position, e.part, e.detail, e.sourceFormat]).to.deep.equal(['M:OUTTMP.FOO', 9, 'field', 'unknown field "FOO"', false]);
  });

  it('shortens very long inputs in the message', () => {
    const long = `M:${'A'.repeat(500)}`;
    const e = new DrfError(long, 64, 'device', 'too long');
    expect(e.message.length).to.be.below(200);
    expect(e.input).to.equal(long);
  });

  it('keeps a cause', () => {
    const cause = new Error('x');
    expect(new DrfError('a', 0, 'syntax', 'b', { cause }).cause).to.equal(cause);
  });

  it('is what the parser throws', () => {
    expect(() => parseDrf('M:OUTTMP.SETTING.FOO')).to.throw(DrfError, 'unknown field "FOO" at position 17 in "M:OUTTMP.SETTING.FOO"');
  });
});
