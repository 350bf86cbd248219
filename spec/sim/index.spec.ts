import { expect } from 'chai';
import * as sim from '../../lib/sim/index.js';

describe('sim/index', () => {
  it('exports the public API', () => {
    for (const name of [
      'startSimulator',
      'defaultCatalogue',
      'generateCatalogue',
      'loadCatalogue',
      'loadCatalogueFile',
      'CatalogueError',
      'defaultAuthHook',
      'kerberosAuthHook',
      'SimStatus',
      'realScheduler',
      'TimerGroup',
      'ScalarFrameEncoder',
      'resolveFaults',
    ]) {
      expect(sim, name).to.have.property(name);
    }
  });
});
