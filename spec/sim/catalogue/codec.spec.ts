import { expect } from 'chai';
import { isRight } from 'fp-ts/lib/Either.js';
import { CatalogueCodec, ValueSpecCodec } from '../../../lib/sim/catalogue/codec.js';
import { defaultCatalogue } from '../../../lib/sim/catalogue/default-catalogue.js';

describe('sim/catalogue/codec', () => {
  it('decodes the default catalogue', () => {
    expect(isRight(CatalogueCodec.decode(defaultCatalogue()))).to.equal(true);
  });
  it('ValueSpec dispatches on kind', () => {
    expect(isRight(ValueSpecCodec.decode({ kind: 'textArray', values: ['a'] }))).to.equal(true);
    expect(isRight(ValueSpecCodec.decode({ kind: 'array', length: 4, generator: 'ramp' }))).to.equal(true);
    expect(isRight(ValueSpecCodec.decode({ kind: 'nope' }))).to.equal(false);
    expect(isRight(ValueSpecCodec.decode(null))).to.equal(false);
    expect(ValueSpecCodec.is({ kind: 'text', value: 'x' })).to.equal(true);
  });
  it('refines numbers: finite values, int16 format hints, positive logger periods', () => {
    const dev = (extra: object): unknown => ({ devices: [{ name: 'Z:X', index: 1, description: 'd', ...extra }] });
    expect(isRight(CatalogueCodec.decode(dev({ formatHint: 70000 })))).to.equal(false);
    expect(isRight(CatalogueCodec.decode(dev({ logger: { periodMs: 0 } })))).to.equal(false);
    expect(isRight(CatalogueCodec.decode(dev({ reading: { kind: 'scalar', value: Infinity } })))).to.equal(false);
    expect(isRight(CatalogueCodec.decode(dev({ scaling: { scale: 0, offset: 0 } })))).to.equal(false);
  });
});
