// The published package works on its own: build, `npm pack`, install the tarball into an
// empty project (the way a user would, with its `install` script building the optional
// Kerberos addon or shrugging), then run a small ESM program against the embedded
// simulator and one of the installed command-line tools. Nothing from this repository's
// node_modules or sources is visible to that project.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    // a clean environment for the child: no npm_* settings leaking in from `npm test`
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
    const child = spawn(cmd, args, { cwd, env: { ...env, NO_COLOR: '1', PACSYS_DPM_HOST: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

function ok(r: Run, what: string): Run {
  expect(r.code, `${what} failed (signal ${String(r.signal)}):\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r;
}

// What a user writes: both entry points, the simulator on a free port, one read, close,
// and the process ends by itself (no process.exit).
const PROGRAM = `import { firstValueFrom } from 'rxjs';
import { dpm, isOk } from 'acsys-rx';
import { startSimulator } from 'acsys-rx/sim';

const sim = await startSimulator({ port: 0 });
const client = dpm({ host: sim.host, port: sim.port });
const value = await firstValueFrom(client.read('M:OUTTMP'));
const reading = await firstValueFrom(client.get('M:OUTTMP'));
console.log('M:OUTTMP=' + value + ' ' + reading.meta?.units + ' ok=' + isOk(reading));
client.close();
await sim.close();
`;

describe('package: npm pack installs into an empty project and runs there', function () {
  // build (~30 s on 2 cores) + pack + install (+ the addon build when Kerberos headers exist)
  this.timeout(240_000);

  let work = '';
  let tarball = '';
  let project = '';

  before(async function () {
    work = mkdtempSync(join(tmpdir(), 'acsys-rx-pack-'));
    project = join(work, 'project');
    ok(await run(npm, ['run', 'build'], root, 120_000), 'npm run build');
    // scripts ignored: prepack would build a second time
    const packed = ok(await run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], root, 60_000), 'npm pack');
    tarball = join(work, packed.stdout.trim().split('\n').pop()!);
  });

  after(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the compiled library, the status table, the addon sources and the README', async () => {
    const r = ok(await run('tar', ['tzf', tarball], work, 30_000), 'tar');
    const files = r.stdout.split('\n').filter(Boolean);
    for (const f of [
      'package/package.json',
      'package/README.md',
      'package/dist/lib/index.js',
      'package/dist/lib/index.d.ts',
      'package/dist/lib/sim/index.js',
      'package/dist/lib/status/acnet-status.json',
      'package/dist/lib/cli/acget-bin.js',
      'package/native/binding.gyp',
      'package/native/gssapi.cc',
    ]) {
      expect(files, f).to.include(f);
    }
    // no tests, examples, sources or build products of the addon
    expect(files.filter((f) => /^package\/(spec|examples|bench|lib|native\/build|node_modules)\//.test(f))).to.deep.equal([]);
  });

  it('installs in an empty folder, imports acsys-rx and acsys-rx/sim, reads M:OUTTMP from the simulator and exits by itself', async () => {
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'acsys-rx-consumer', private: true, type: 'module' }, null, 2));
    const t0 = Date.now();
    ok(await run(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], project, 180_000), 'npm install');
    const installMs = Date.now() - t0;
    expect(readdirSync(join(project, 'node_modules'))).to.include.members(['acsys-rx', 'rxjs']);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'acsys-rx', 'package.json'), 'utf8')) as { name: string };
    expect(installed.name).to.equal('acsys-rx');

    writeFileSync(join(project, 'main.mjs'), PROGRAM);
    const r = await run(process.execPath, ['main.mjs'], project, 20_000);
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    expect(r.stdout).to.match(/^M:OUTTMP=-?\d+(\.\d+)?(e[-+]?\d+)? DegF ok=true\n$/);
    console.log(`      (install ${installMs} ms, program ${r.ms} ms)`);
  });

  it('the installed acget binary reads from an embedded simulator: npx acget --sim M:OUTTMP', async () => {
    const r = await run(npx, ['--no-install', 'acget', '--sim', 'M:OUTTMP'], project, 30_000);
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    expect(r.stdout).to.match(/^M:OUTTMP {2}-?\d+(\.\d+)? DegF {2}\d{4}-\d\d-\d\dT/);
  });

  it('the tarball holds the browser client and the gateway with its prebuilt page', async () => {
    const r = ok(await run('tar', ['tzf', tarball], work, 30_000), 'tar');
    const files = r.stdout.split('\n').filter(Boolean);
    for (const f of ['index.html', 'app.js', 'app.css', 'acsys-rx-browser.js']) expect(files).to.include(`package/dist/lib/web/assets/${f}`);
    for (const f of ['browser/index.js', 'browser/index.d.ts', 'web/index.js', 'web/index.d.ts', 'cli/acsys-web.js']) expect(files).to.include(`package/dist/lib/${f}`);
  });

  it('the installed acsys-web serves the page without esbuild (node_modules/.bin/acsys-web --sim)', async () => {
    // the bin itself, not npx: a signal to npx would not reach it
    const bin = join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'acsys-web.cmd' : 'acsys-web');
    const child = spawn(bin, ['--sim', '--port', '0', '--quiet'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      for (let i = 0; i < 600 && !/dashboard at /.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const url = /dashboard at (\S+)/.exec(out)?.[1];
      expect(url, `stdout: ${out} stderr: ${err}`).to.be.a('string');
      expect(readdirSync(join(project, 'node_modules'))).to.not.include('esbuild');
      for (const path of ['', 'app.js', 'app.css', 'acsys-rx-browser.js']) {
        const res = await fetch(`${url!}${path}`);
        expect(res.status, path).to.equal(200);
        await res.arrayBuffer();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });
});
