import { expect } from 'chai';
import { DeviceStore } from '../../lib/sim/device-store.js';
import { defaultCatalogue } from '../../lib/sim/catalogue/default-catalogue.js';

describe('sim/device-store', () => {
  it('finds devices by name in any case and qualifier, and by index', () => {
    const st = new DeviceStore(defaultCatalogue());
    expect(st.size).to.equal(defaultCatalogue().devices.length);
    expect(st.find('m:outtmp')?.name).to.equal('M:OUTTMP');
    expect(st.find('M_OUTTMP')?.name).to.equal('M:OUTTMP');
    expect(st.find('0:27235')?.name).to.equal('M:OUTTMP');
    expect(st.find('#:27235')?.name).to.equal('M:OUTTMP');
    expect(st.find('Z:NOPE')).to.equal(undefined);
  });
  it('M:OUTTMP varies slowly around its base value', () => {
    const st = new DeviceStore(defaultCatalogue());
    const d = st.find('M:OUTTMP')!;
    const a = st.valueAt(d, 'reading', 1_700_000_000_000);
    const b = st.valueAt(d, 'reading', 1_700_000_001_000);
    if (a?.kind !== 'scalar' || b?.kind !== 'scalar') throw new Error('not scalar');
    expect(a.value).to.be.within(50, 60);
    expect(Math.abs(a.value - b.value)).to.be.below(0.2);
  });
  it('writing a SETTING mirrors into a READING of the same kind and notifies listeners', () => {
    const st = new DeviceStore(defaultCatalogue());
    const seen: string[] = [];
    const off = st.onChange((n, p) => seen.push(`${n}.${p}`));
    st.write('Z:ACLTST', 'setting', { kind: 'scalar', value: 9 });
    expect(st.valueAt(st.find('Z:ACLTST')!, 'reading', 0)).to.deep.equal({ kind: 'scalar', value: 9 });
    expect(seen).to.deep.equal(['Z:ACLTST.setting', 'Z:ACLTST.reading']);
    off();
    st.write('Z:ACLTST', 'setting', { kind: 'scalar', value: 10 });
    expect(seen).to.have.length(2);
    expect(() => st.write('Z:NOPE', 'reading', { kind: 'scalar', value: 1 })).to.throw(RangeError);
  });
  it('does not mutate the catalogue it was given', () => {
    const cat = defaultCatalogue();
    const st = new DeviceStore(cat);
    (st.find('Z:TEXTDEV')!.spec as { description: string }).description = 'changed';
    expect(cat.devices.find((d) => d.name === 'Z:TEXTDEV')!.description).to.equal('Text device');
  });
  it('array generators: ramp and explicit values', () => {
    const st = new DeviceStore({
      devices: [
        { name: 'Z:R', index: 1, description: 'r', reading: { kind: 'array', length: 4, generator: 'ramp' } },
        { name: 'Z:V', index: 2, description: 'v', reading: { kind: 'array', values: [5, 6] } },
      ],
    });
    expect(st.valueAt(st.find('Z:R')!, 'reading', 0)).to.deep.equal({ kind: 'array', values: Float64Array.of(0, 1, 2, 3) });
    expect(st.valueAt(st.find('Z:V')!, 'reading', 0)).to.deep.equal({ kind: 'array', values: Float64Array.of(5, 6) });
    expect(st.kindOf(st.find('Z:V')!, 'setting')).to.equal(undefined);
  });
});
