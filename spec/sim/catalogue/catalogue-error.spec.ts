import { expect } from 'chai';
import { CatalogueError } from '../../../lib/sim/catalogue/catalogue-error.js';
import { AcsysError } from '../../../lib/errors/acsys-error.js';

describe('sim/catalogue/catalogue-error', () => {
  it('is an AcsysError carrying every problem', () => {
    const e = new CatalogueError(['a: bad', 'b: worse'], 'x.json');
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.name).to.equal('CatalogueError');
    expect(e.problems).to.deep.equal(['a: bad', 'b: worse']);
    expect(e.message).to.equal('invalid device catalogue x.json (2 problems):\n  a: bad\n  b: worse');
  });
});
