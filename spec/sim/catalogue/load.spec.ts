import { expect } from 'chai';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue, loadCatalogueFile } from '../../../lib/sim/catalogue/load.js';
import { CatalogueError } from '../../../lib/sim/catalogue/catalogue-error.js';
import { startSimulator } from '../../../lib/sim/index.js';
import { RawDpmClient } from '../../support/raw-client.js';
import { readOnce } from '../../support/sim-harness.js';

const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof CatalogueError) return [...e.problems];
    throw e;
  }
  throw new Error('no error');
};

describe('sim/catalogue/load', () => {
  it('accepts a valid catalogue', () => {
    const cat = loadCatalogue({ devices: [{ name: 'Z:MYDEV', index: 1, description: 'mine', reading: { kind: 'scalar', value: 3 } }] });
    expect(cat.devices).to.have.length(1);
  });

  it('lists every structural problem with its path', () => {
    const p = problemsOf(() =>
      loadCatalogue({
        devices: [
          { name: 'Z:A', index: -1, description: 'x' },
          { index: 2, description: 5, reading: { kind: 'scalar', value: 'hot' } },
          { name: 'Z:C', index: 3, description: 'c', setting: { kind: 'wave' } },
          { name: 'Z:D', index: 4, description: 'd', reading: { kind: 'raw', hex: 'abc' } },
        ],
      }),
    );
    expect(p.some((s) => s.startsWith('devices[0].index:'))).to.equal(true);
    expect(p.some((s) => s.startsWith('devices[1].name:') && s.includes('missing'))).to.equal(true);
    expect(p.some((s) => s.startsWith('devices[1].description:'))).to.equal(true);
    expect(p.some((s) => s.startsWith('devices[1].reading.value:') && s.includes('"hot"'))).to.equal(true);
    expect(p.some((s) => s.startsWith('devices[2].setting:') && s.includes('kind one of'))).to.equal(true);
    expect(p.some((s) => s.startsWith('devices[3].reading.hex:'))).to.equal(true);
  });

  it('reports semantic problems: names, duplicates, arrays, events, fast streams', () => {
    const p = problemsOf(() =>
      loadCatalogue({
        devices: [
          { name: 'BADNAME', index: 1, description: 'x' },
          { name: 'Z:DUP', index: 2, description: 'x' },
          { name: 'z:dup', index: 2, description: 'x' },
          { name: 'Z:ARR', index: 3, description: 'x', reading: { kind: 'array' } },
          { name: 'Z:EV', index: 4, description: 'x', defaultEvent: 'X,1' },
          { name: 'Z:FST', index: 5, description: 'x', fastStream: true, reading: { kind: 'text', value: 't' } },
        ],
      }),
    );
    expect(p).to.have.length(6);
    expect(p[0]).to.match(/devices\[0\]\.name: "BADNAME" is not a device name/);
    expect(p[1]).to.match(/devices\[2\]\.name: duplicate device name z:dup \(also devices\[1\]\)/);
    expect(p[2]).to.match(/devices\[2\]\.index: duplicate device index 2/);
    expect(p[3]).to.match(/devices\[3\]\.reading: an array value needs exactly one of/);
    expect(p[4]).to.match(/devices\[4\]\.defaultEvent/);
    expect(p[5]).to.match(/devices\[5\]\.fastStream/);
  });

  it('the error message lists the problems and says where the catalogue came from', () => {
    try {
      loadCatalogue({ devices: 3 }, 'my.json');
      expect.fail('no error');
    } catch (e) {
      expect(e).to.be.instanceOf(CatalogueError);
      expect((e as CatalogueError).code).to.equal('CATALOGUE_ERROR');
      expect((e as Error).message).to.match(/invalid device catalogue my\.json \(1 problem\):\n {2}devices: /);
    }
  });

  describe('files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'acsys-sim-cat-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a JSON file, and startSimulator uses it', async () => {
      const file = join(dir, 'ok.json');
      writeFileSync(file, JSON.stringify({ devices: [{ name: 'Z:FILEDEV', index: 77, description: 'from file', reading: { kind: 'scalar', value: 1.5 } }] }));
      expect(loadCatalogueFile(file).devices[0]!.name).to.equal('Z:FILEDEV');
      const sim = await startSimulator({ catalogue: file });
      try {
        const c = await RawDpmClient.connect(sim.port);
        expect(await readOnce(c, 1, 'Z:FILEDEV@I')).to.include({ type: 'Scalar_reply', data: 1.5 });
        expect(await readOnce(c, 2, 'M:OUTTMP@I')).to.include({ type: 'Status_reply' });
        c.close();
      } finally {
        await sim.close();
      }
    });

    it('bad JSON and a missing file are CatalogueErrors', () => {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{ devices: ');
      expect(problemsOf(() => loadCatalogueFile(bad))[0]).to.match(/^not valid JSON/);
      expect(problemsOf(() => loadCatalogueFile(join(dir, 'none.json')))[0]).to.match(/^cannot read file/);
    });

    it('startSimulator rejects an invalid catalogue object', async () => {
      let err: unknown;
      try {
        await startSimulator({ catalogue: { devices: [{ name: 'x' }] } as never });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(CatalogueError);
    });
  });
});
