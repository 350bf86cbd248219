import { expect } from 'chai';
import { catalogueJson, catalogueTable, deviceProperties, valueKind } from '../../lib/cli/catalogue-list.js';
import type { Catalogue } from '../../lib/sim/catalogue/codec.js';

describe('cli/catalogue-list', () => {
  const cat: Catalogue = {
    devices: [
      { name: 'Z:A', index: 1, description: 'array by values', reading: { kind: 'array', values: [1, 2, 3] }, setting: { kind: 'array', values: [0, 0, 0] } },
      { name: 'Z:RAW', index: 2, description: 'raw', reading: { kind: 'raw', hex: '0a0b0c' } },
      { name: 'Z:TXT', index: 3, description: 'texts', units: 'x', reading: { kind: 'textArray', values: ['a', 'b'] }, status: { on: true } },
      { name: 'Z:BAD', index: 4, description: 'broken', reading: { kind: 'scalar', value: 0 }, errorStatus: -13 * 256 + 16 },
      { name: 'Z:NONE', index: 5, description: 'no reading' },
    ],
  };

  it('value kinds and properties', () => {
    expect(cat.devices.map((d) => (d.reading ? valueKind(d.reading) : '-'))).to.deep.equal(['array[3]', 'raw[3]', 'text[2]', 'scalar', '-']);
    expect(cat.devices.map((d) => deviceProperties(d).join(','))).to.deep.equal(['READING,SETTING,CONTROL', 'READING', 'READING,STATUS,CONTROL', 'READING', '']);
  });

  it('a table with aligned columns; a device in a fault state says so', () => {
    expect(catalogueTable(cat).split('\n')).to.deep.equal([
      'DEVICE  INDEX  TYPE      UNITS  PROPERTIES               DESCRIPTION',
      'Z:A     1      array[3]  -      READING,SETTING,CONTROL  array by values',
      'Z:RAW   2      raw[3]    -      READING                  raw',
      'Z:TXT   3      text[2]   x      READING,STATUS,CONTROL   texts',
      'Z:BAD   4      scalar    -      READING                  broken (fault state: DBM_NOPROP)',
      'Z:NONE  5      -         -      -                        no reading',
      '',
    ]);
  });

  it('JSON objects', () => {
    expect(catalogueJson(cat)[3]).to.deep.equal({
      name: 'Z:BAD',
      index: 4,
      type: 'scalar',
      properties: ['READING'],
      units: null,
      description: 'broken',
      loggedEveryMs: null,
      fault: 'DBM_NOPROP',
    });
  });
});
