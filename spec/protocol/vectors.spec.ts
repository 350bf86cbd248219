import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixtureDir, sharedDir } from './vectors.js';

describe('protocol test vectors (fixtures)', () => {
  for (const file of ['dpm-messages.json', 'dpm-invalid.json', 'dpm-decode-only.json']) {
    const shared = resolve(sharedDir, file);
    const fixture = resolve(fixtureDir, file);
    it(`spec/fixtures/${file} exists`, () => {
      expect(existsSync(fixture)).to.equal(true);
    });
    it(`spec/fixtures/${file} equals ../shared/vectors/${file} when both exist`, function () {
      if (!existsSync(shared)) this.skip();
      expect(readFileSync(fixture, 'utf8')).to.equal(readFileSync(shared, 'utf8'));
    });
  }
});
