import { expect } from 'chai';
import { generateCatalogue } from '../../../lib/sim/catalogue/generate.js';
import { loadCatalogue } from '../../../lib/sim/catalogue/load.js';
import { startSimulator } from '../../../lib/sim/index.js';
import { RawDpmClient } from '../../support/raw-client.js';
import { readOnce } from '../../support/sim-harness.js';

describe('sim/catalogue/generate', () => {
  it('generates n valid devices plus the defaults', () => {
    const cat = generateCatalogue(10_000);
    expect(cat.devices.filter((d) => d.name.startsWith('Z:GEN'))).to.have.length(10_000);
    expect(cat.devices.some((d) => d.name === 'M:OUTTMP')).to.equal(true);
    expect(() => loadCatalogue(cat)).to.not.throw();
    expect(generateCatalogue(3, { includeDefaults: false }).devices.map((d) => d.name)).to.deep.equal(['Z:GEN00000', 'Z:GEN00001', 'Z:GEN00002']);
    expect(() => generateCatalogue(-1)).to.throw(RangeError);
  });
  it('a simulator serves a generated 10,000-device catalogue', async () => {
    const sim = await startSimulator({ catalogue: generateCatalogue(10_000) });
    try {
      const c = await RawDpmClient.connect(sim.port);
      expect(await readOnce(c, 1, 'Z:GEN09999@I')).to.include({ type: 'Scalar_reply' });
      c.close();
    } finally {
      await sim.close();
    }
  });
});
