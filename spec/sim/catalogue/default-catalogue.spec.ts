import { expect } from 'chai';
import { defaultCatalogue } from '../../../lib/sim/catalogue/default-catalogue.js';
import { loadCatalogue } from '../../../lib/sim/catalogue/load.js';

describe('sim/catalogue/default-catalogue', () => {
  it('holds the required devices under their exact names and validates', () => {
    const names = defaultCatalogue().devices.map((d) => d.name);
    for (const n of ['M:OUTTMP', 'G:AMANDA', 'Z:ACLTST', 'Z:ARRAY1K', 'Z:TEXTDEV', 'Z:RAWDEV', 'Z:STSDEV', 'Z:LOGDEV', 'Z:FAST']) {
      expect(names).to.include(n);
    }
    expect(() => loadCatalogue(defaultCatalogue())).to.not.throw();
  });
  it('M:OUTTMP is an outdoor temperature in DegF; Z:ACLTST is settable; Z:ARRAY1K has 1024 elements', () => {
    const by = new Map(defaultCatalogue().devices.map((d) => [d.name, d]));
    expect(by.get('M:OUTTMP')).to.include({ description: 'Outdoor temperature', units: 'DegF' });
    expect(by.get('Z:ACLTST')!.setting).to.deep.equal({ kind: 'scalar', value: 12.5 });
    expect(by.get('Z:ARRAY1K')!.reading).to.include({ kind: 'array', length: 1024 });
  });
  it('returns a fresh copy each call', () => {
    const a = defaultCatalogue();
    a.devices.pop();
    expect(defaultCatalogue().devices.length).to.equal(a.devices.length + 1);
  });
});
