import { expect } from 'chai';
import { SimStatus } from '../../lib/sim/status-words.js';
import { statusEntryByName } from '../../lib/status/table.js';

describe('sim/status-words', () => {
  it('matches the status table (facility + 256 × error)', () => {
    for (const [name, word] of Object.entries(SimStatus)) {
      const e = statusEntryByName(name);
      if (e) expect(word, name).to.equal(e.facility + 256 * e.error);
    }
    expect(SimStatus.DPM_PRIV).to.equal(-4335);
    expect(SimStatus.DBM_NOPROP).to.equal(-3312);
    expect(SimStatus.DPM_BAD_EVENT).to.equal(-8431);
    expect(SimStatus.DAE_LJ_NO_DATA).to.equal(66 - 64 * 256);
  });
});
