import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { facilities, facilityEntry, statusEntries, statusEntry, statusEntryByName } from '../../lib/status/table.js';
import { repoRoot } from '../support/drf-vectors.js';

const shared = path.resolve(repoRoot, '../shared/data/acnet-status.json');
const local = path.resolve(repoRoot, 'lib/status/acnet-status.json');

describe('status/table', () => {
  it('lib/status/acnet-status.json equals ../shared/data/acnet-status.json when both exist', function () {
    if (!fs.existsSync(shared)) this.skip();
    expect(JSON.parse(fs.readFileSync(local, 'utf8'))).to.deep.equal(JSON.parse(fs.readFileSync(shared, 'utf8')));
  });

  it('has 215 named codes with unique names and words, counted by facility as status.md §5 says', () => {
    const all = statusEntries();
    expect(all).to.have.length(215);
    expect(new Set(all.map((e) => e.name)).size).to.equal(215);
    expect(new Set(all.map((e) => e.facility + 256 * e.error)).size).to.equal(215);
    const counts: Record<number, number> = {};
    for (const e of all) counts[e.facility] = (counts[e.facility] ?? 0) + 1;
    expect(counts).to.deep.equal({ 0: 1, 1: 38, 14: 69, 15: 49, 16: 1, 17: 48, 72: 9 });
  });

  it('looks facilities and codes up', () => {
    expect(facilityEntry(17)).to.deep.equal({ code: 17, name: 'DPM', text: 'data pool manager' });
    expect(facilityEntry(57)).to.include({ name: 'MOOC', text: null });
    expect(facilityEntry(200)).to.equal(undefined);
    expect(facilities().length).to.be.greaterThan(14);
    expect(statusEntry(1, -6)?.name).to.equal('ACNET_REQTMO');
    expect(statusEntry(17, -99)).to.equal(undefined);
    expect(statusEntryByName('ACNET_SUCCESS')?.name).to.equal('ACNET_OK');
    expect(statusEntryByName('ACNET_HARD_IO')?.note).to.be.a('string');
  });

  it('entries are frozen', () => {
    expect(Object.isFrozen(statusEntries())).to.equal(true);
    expect(Object.isFrozen(statusEntries()[0])).to.equal(true);
  });
});
