import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthConfigError, canonicalDeviceName, loadAuthConfig, parseAuthConfig } from '../../../lib/sim/auth/config.js';

function problems(input: unknown): readonly string[] {
  try {
    parseAuthConfig(input);
  } catch (e) {
    expect(e).to.be.instanceOf(AuthConfigError);
    return (e as AuthConfigError).problems;
  }
  expect.fail('expected AuthConfigError');
}

describe('sim/auth/config', function () {
  it('parses and normalizes a valid configuration', function () {
    const cfg = parseAuthConfig({
      users: { alice: { roles: ['tester'], classes: 1 }, 'bob@FNAL.GOV': { classes: 6 }, carol: {} },
      roles: { tester: ['z_acltst', 'G:AMANDA'] },
      devices: { 'm:outtmp': 4, 'Z:ACLTST': 0xffffffff },
    });
    expect(cfg.users.get('alice')).to.deep.equal({ name: 'alice', roles: ['tester'], classes: 1 });
    expect(cfg.users.get('carol')).to.deep.equal({ name: 'carol', roles: [], classes: 0 });
    expect([...(cfg.roles.get('tester') ?? [])]).to.deep.equal(['Z:ACLTST', 'G:AMANDA']);
    expect(cfg.deviceMasks.get('M:OUTTMP')).to.equal(4);
  });

  it('accepts an empty object', function () {
    expect(parseAuthConfig({}).users.size).to.equal(0);
  });

  it('lists every problem, each with its path', function () {
    const p = problems({
      users: { alice: { roles: ['nope', 3], classes: -1 }, bob: 'x' },
      roles: { tester: 'Z:ACLTST' },
      devices: { 'M:OUTTMP': 1.5 },
    });
    expect(p.length).to.be.at.least(5);
    const text = p.join('\n');
    expect(text).to.contain('users.alice.roles[1]');
    expect(text).to.contain('users.alice.classes');
    expect(text).to.contain('users.bob');
    expect(text).to.contain('roles.tester');
    expect(text).to.contain('devices.M:OUTTMP');
  });

  it('reports semantic problems: unknown roles, duplicate devices', function () {
    const p = problems({
      users: { alice: { roles: ['tester', 'ghost'] } },
      roles: { tester: [] },
      devices: { 'Z:ACLTST': 1, z_acltst: 2 },
    });
    expect(p).to.have.length(2);
    expect(p[0]).to.contain('unknown role "ghost"');
    expect(p[1]).to.contain('same device as "Z:ACLTST"');
  });

  it('reports unknown sections and fields (typos) instead of dropping them', function () {
    const p = problems({ user: {}, users: { alice: { role: ['tester'] } } });
    expect(p).to.deep.equal([
      'user: unknown section (expected users, roles, devices)',
      'users.alice.role: unknown field (expected roles, classes)',
    ]);
  });

  it('rejects a non-object and gives a readable message', function () {
    try {
      parseAuthConfig([1, 2], 'x.json');
      expect.fail('should throw');
    } catch (e) {
      const err = e as AuthConfigError;
      expect(err.code).to.equal('AUTH_CONFIG_ERROR');
      expect(err.message).to.contain('x.json').and.to.contain('problem');
    }
  });

  it('canonicalDeviceName', function () {
    expect(canonicalDeviceName('z_acltst')).to.equal('Z:ACLTST');
    expect(canonicalDeviceName('Z|ACLTST')).to.equal('Z:ACLTST');
    expect(canonicalDeviceName('M:OUTTMP')).to.equal('M:OUTTMP');
  });

  describe('loadAuthConfig', function () {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'acsys-authcfg-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a JSON file', async function () {
      const f = join(dir, 'ok.json');
      writeFileSync(f, JSON.stringify({ users: { alice: { classes: 1 } } }));
      expect((await loadAuthConfig(f)).users.get('alice')?.classes).to.equal(1);
    });
    it('reports bad JSON and missing files as AuthConfigError', async function () {
      const f = join(dir, 'bad.json');
      writeFileSync(f, '{ users: ');
      for (const path of [f, join(dir, 'missing.json')]) {
        try {
          await loadAuthConfig(path);
          expect.fail('should throw');
        } catch (e) {
          expect(e).to.be.instanceOf(AuthConfigError);
          expect((e as AuthConfigError).source).to.equal(path);
        }
      }
    });
  });
});
