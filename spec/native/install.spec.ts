// native/install.js, the package's `install` step: node-gyp's output goes to native/build.log and
// one line is printed; a failed build is tolerated (reading needs no addon) unless --required.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processOutput, type ProcessOutput } from '../support/process-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(args: string[], cwd: string): Promise<ProcessOutput> {
  const env = { ...process.env, npm_config_nodedir: process.env['npm_config_nodedir'] ?? join(process.execPath, '..', '..') };
  return processOutput(spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('native/install.js: the quiet addon build', function () {
  this.timeout(120_000);
  let dir = '';

  beforeEach(() => {
    // a package whose addon cannot build: its source is missing
    dir = mkdtempSync(join(tmpdir(), 'acsys-rx-native-'));
    mkdirSync(join(dir, 'native'));
    copyFileSync(join(root, 'native', 'install.js'), join(dir, 'native', 'install.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }));
    writeFileSync(join(dir, 'native', 'binding.gyp'), JSON.stringify({ targets: [{ target_name: 'acsys_gssapi', sources: ['missing.cc'] }] }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a failed build: one line saying what failed and how to enable writes, exit 0, the log kept', async () => {
    const r = await run(['native/install.js'], dir);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^acsys-rx: optional Kerberos addon not built \(.+\); reading works, writes need it: apt-get install libkrb5-dev g\+\+ make python3, then npm run build:native in this package \(log: native\/build\.log\)$/);
    expect(readFileSync(join(dir, 'native', 'build.log'), 'utf8')).to.contain('gyp');
  });

  it('--required (npm run build:native): the log on stderr and exit 1', async () => {
    const r = await run(['native/install.js', '--required'], dir);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('gyp').and.match(/acsys-rx: the Kerberos addon did not build: .+ \(log: native\/build\.log\)\n$/);
  });

  it('with MIT Kerberos headers: builds the addon in one line, then finds it up to date', async function () {
    if (!existsSync('/usr/include/gssapi/gssapi.h')) {
      if (process.env['ACSYS_REQUIRE_KERBEROS'] === '1') throw new Error('Kerberos headers required but /usr/include/gssapi/gssapi.h is missing');
      console.log('      [skip] no MIT Kerberos headers (libkrb5-dev)');
      this.skip();
    }
    // a copy of the addon sources (the repository's own build is not touched), with the
    // node-addon-api headers binding.gyp asks for
    for (const f of ['gssapi.cc', 'binding.gyp']) copyFileSync(join(root, 'native', f), join(dir, 'native', f));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(root, 'node_modules', 'node-addon-api'), join(dir, 'node_modules', 'node-addon-api'), 'dir');
    const first = await run(['native/install.js'], dir);
    expect(first.stderr).to.equal('');
    expect(first.stdout).to.equal('acsys-rx: Kerberos addon built (native/build/Release/acsys_gssapi.node); writes can authenticate\n');
    expect(existsSync(join(dir, 'native', 'build', 'Release', 'acsys_gssapi.node'))).to.equal(true);
    const second = await run(['native/install.js'], dir);
    expect(second.stdout).to.equal('acsys-rx: Kerberos addon up to date (native/build/Release/acsys_gssapi.node)\n');
  });
});
