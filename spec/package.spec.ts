// The package works on its own, installed the two ways a user can today: the packed tarball, and
// the git form (`npm install git+file://…` of a git repository holding this working tree: npm
// clones it, installs its build tools and runs `prepare`, as for a git URL on a server). Each goes
// into an empty project (with its `install` script building the optional Kerberos addon or
// shrugging); there, the README's first sample reads from `npx acsys-sim`, `npx acget` reads from
// it too, killing `npx` stops the simulator, and `npx acget --sim` runs on its own. Nothing from
// this repository's node_modules or sources is visible to those projects.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSample, readmeBlocks } from './support/readme-blocks.js';

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

/** A clean environment for the children: no npm_* settings leaking in from `npm test`, no DPM or Kerberos pointers. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('npm_') || k.startsWith('PACSYS_')) continue;
    env[k] = v;
  }
  // the addon builds against this Node's headers without a download (as .ci/run does)
  env['npm_config_nodedir'] = process.env['npm_config_nodedir'] ?? join(process.execPath, '..', '..');
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, killAfterMs: number, env: Record<string, string> = childEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** A git repository (one commit) of this working tree: the tracked and the new, not ignored, files. */
async function gitRepoOfWorkingTree(dest: string): Promise<void> {
  const listed = ok(await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root, 30_000), 'git ls-files');
  const files = [...new Set(listed.stdout.split('\0').filter(Boolean))].filter((f) => existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(root, f), join(dest, f));
    chmodSync(join(dest, f), statSync(join(root, f)).mode & 0o777);
  }
  const git = (args: string[]): Promise<Run> =>
    run('git', ['-c', 'user.name=acsys-rx test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], dest, 60_000);
  ok(await git(['init', '-q']), 'git init');
  ok(await git(['add', '-A']), 'git add');
  ok(await git(['commit', '-q', '-m', 'working tree']), 'git commit');
}

/** `npx acsys-sim --port 0` in a project, once it printed its listening line. */
interface RunningSim {
  readonly npx: ChildProcess;
  readonly port: number;
  out(): string;
  /** Resolves when the simulator's stdout has closed: every process holding it has exited. */
  readonly closed: Promise<void>;
}

async function startNpxSim(cwd: string): Promise<RunningSim> {
  const npxProcess = spawn(npx, ['--no-install', 'acsys-sim', '--port', '0'], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npxProcess.stdout.on('data', (d: Buffer) => (out += d.toString()));
  npxProcess.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<void>((resolve) => npxProcess.stdout.on('close', () => resolve()));
  const end = Date.now() + 60_000;
  while (!/listening on [\d.]+:\d+\n/.test(out)) {
    if (Date.now() > end || npxProcess.exitCode !== null) {
      npxProcess.kill('SIGKILL');
      throw new Error(`npx acsys-sim did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/listening on [\d.]+:(\d+)/.exec(out)![1]);
  return { npx: npxProcess, port, out: () => out, closed };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

// The README's first sample (module-level read/get through PACSYS_DPM_HOST/PORT); plain
// JavaScript, so an installed project runs it with node alone.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const FIRST_SAMPLE = readmeBlocks(readme).find((b) => isSample(b) && b.example === 'read-one')!.code;

describe('package: installs from the tarball and from git into empty projects, and runs there', function () {
  // build, pack, two installs (the git one builds from source: its dev dependencies and tsc)
  this.timeout(600_000);

  let work = '';
  let tarball = '';

  before(async function () {
    work = mkdtempSync(join(tmpdir(), 'acsys-rx-pack-'));
    ok(await run(npm, ['run', 'build'], root, 180_000), 'npm run build');
    // scripts ignored: prepare would build a second time
    const packed = ok(await run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], root, 120_000), 'npm pack');
    tarball = join(work, packed.stdout.trim().split('\n').pop()!);
  });

  after(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the compiled library and its sources, the launchers, the addon sources, the README and the sample auth file', async () => {
    const r = ok(await run('tar', ['tzf', tarball], work, 30_000), 'tar');
    const files = r.stdout.split('\n').filter(Boolean);
    for (const f of [
      'package/package.json',
      'package/README.md',
      'package/LICENSE',
      'package/bin/acget.js',
      'package/bin/acsys-sim.js',
      'package/bin/launch.js',
      'package/dist/lib/index.js',
      'package/dist/lib/index.js.map',
      'package/dist/lib/index.d.ts',
      'package/dist/lib/sim/index.js',
      'package/dist/lib/status/acnet-status.json',
      'package/dist/lib/cli/acget-bin.js',
      'package/lib/index.ts',
      'package/lib/cli/acget.ts',
      'package/native/binding.gyp',
      'package/native/gssapi.cc',
      'package/native/install.js',
      'package/examples/sim-auth.json',
    ]) {
      expect(files, f).to.include(f);
    }
    // no tests, example programs, benchmarks, build products of the addon or dependencies
    expect(files.filter((f) => /^package\/(spec|bench|native\/build|node_modules|docs)\/|^package\/examples\/.*\.ts$|^package\/native\/build\.log$/.test(f))).to.deep.equal([]);
    // every source map points at a file that is shipped
    const maps = files.filter((f) => /^package\/dist\/.*\.js\.map$/.test(f));
    expect(maps.length).to.be.above(50);
    const shipped = new Set(files);
    const extract = mkdtempSync(join(work, 'x-'));
    ok(await run('tar', ['xzf', tarball, '-C', extract], work, 60_000), 'tar x');
    const missing: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(extract, m), 'utf8')) as { sources: string[] };
      for (const s of map.sources) {
        const target = join(dirname(m), s).replace(/\\/g, '/');
        if (!shipped.has(target)) missing.push(`${m} → ${target}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('the tarball holds the browser client and the gateway with its prebuilt page', async () => {
    const r = ok(await run('tar', ['tzf', tarball], work, 30_000), 'tar');
    const files = r.stdout.split('\n').filter(Boolean);
    for (const f of ['index.html', 'app.js', 'app.css', 'acsys-rx-browser.js']) expect(files).to.include(`package/dist/lib/web/assets/${f}`);
    for (const f of ['browser/index.js', 'browser/index.d.ts', 'web/index.js', 'web/index.d.ts', 'cli/acsys-web-bin.js']) expect(files).to.include(`package/dist/lib/${f}`);
    expect(files).to.include('package/bin/acsys-web.js');
  });

  for (const form of ['tarball', 'git'] as const) {
    describe(`installed from the ${form === 'tarball' ? 'packed tarball' : 'git form (git+file:// of a repository of this working tree)'}`, () => {
      let project = '';

      before(async function () {
        project = join(work, `project-${form}`);
        mkdirSync(project);
        writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `acsys-rx-consumer-${form}`, private: true, type: 'module' }, null, 2));
        let spec = tarball;
        if (form === 'git') {
          const repo = join(work, 'repo');
          await gitRepoOfWorkingTree(repo);
          spec = `git+file://${repo}`;
        }
        // as the README says: rxjs beside it
        const r = ok(await run(npm, ['install', 'rxjs', spec, '--no-audit', '--no-fund', '--prefer-offline'], project, 480_000), `npm install (${form})`);
        console.log(`      (npm install from the ${form}: ${(r.ms / 1000).toFixed(1)} s)`);
      });

      it('node_modules/acsys-rx is the built package (dist/ present, executable bins)', () => {
        const pkg = join(project, 'node_modules', 'acsys-rx');
        const installed = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
        expect(installed.name).to.equal('acsys-rx');
        expect(existsSync(join(pkg, 'dist', 'lib', 'index.js')), 'dist/lib/index.js').to.equal(true);
        expect(existsSync(join(pkg, 'spec')), 'spec/ is not shipped').to.equal(false);
        for (const name of Object.keys(installed.bin)) {
          expect(statSync(join(project, 'node_modules', '.bin', name)).mode & 0o111, name).to.not.equal(0);
        }
      });

      it("the README's first sample reads from `npx acsys-sim`; `npx acget` too; killing npx stops the simulator", async () => {
        const sim = await startNpxSim(project);
        let stopped = false;
        try {
          const env = childEnv({ PACSYS_DPM_HOST: '127.0.0.1', PACSYS_DPM_PORT: String(sim.port) });
          writeFileSync(join(project, 'read-one.mjs'), FIRST_SAMPLE);
          const sample = await run(process.execPath, ['read-one.mjs'], project, 30_000, env);
          expect(sample.stderr).to.equal('');
          expect({ code: sample.code, signal: sample.signal }).to.deep.equal({ code: 0, signal: null });
          expect(sample.stdout).to.match(/^M:OUTTMP = -?\d+(\.\d+)?(e[-+]?\d+)? DegF\nread at \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);

          const acget = await run(npx, ['--no-install', 'acget', 'M:OUTTMP', 'Z:TEXTDEV'], project, 30_000, env);
          expect(acget.stderr).to.equal('');
          expect(acget.code).to.equal(0);
          expect(acget.stdout).to.match(/^M:OUTTMP {2}-?\d+(\.\d+)? DegF {2}\d{4}-\d\d-\d\dT\S+\nZ:TEXTDEV {2}Hello from the DPM simulator {2}\S+\n$/);

          // what a script does with `npx acsys-sim &`: kill $! — that is npx, not the simulator
          sim.npx.kill('SIGTERM');
          await Promise.race([sim.closed, new Promise((r) => setTimeout(r, 5_000))]);
          stopped = !(await listening(sim.port));
          expect(stopped, `the simulator still listens on ${sim.port} after npx was killed:\n${sim.out()}`).to.equal(true);
          expect(sim.out()).to.match(/\nstopped\n$/);
        } finally {
          if (!stopped) sim.npx.kill('SIGKILL');
        }
      });

      it('the installed acsys-web serves the dashboard and the browser client without esbuild', async () => {
        // the launcher itself, not npx: a signal to npx would not reach the gateway
        const child = spawn(join(project, 'node_modules', '.bin', 'acsys-web'), ['--sim', '--port', '0', '--quiet'], { cwd: project, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        try {
          for (let i = 0; i < 1200 && !/dashboard at /.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
          const url = /dashboard at (\S+)/.exec(out)?.[1];
          expect(url, `stdout: ${out} stderr: ${err}`).to.be.a('string');
          expect(existsSync(join(project, 'node_modules', 'esbuild')), 'esbuild is not installed').to.equal(false);
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

      it('npx acget --sim M:OUTTMP runs on its own; npx acsys-sim --list lists the devices', async () => {
        const r = await run(npx, ['--no-install', 'acget', '--sim', 'M:OUTTMP'], project, 30_000);
        expect(r.stderr).to.equal('');
        expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
        expect(r.stdout).to.match(/^M:OUTTMP {2}-?\d+(\.\d+)? DegF {2}\d{4}-\d\d-\d\dT/);
        const list = ok(await run(npx, ['--no-install', 'acsys-sim', '--list'], project, 30_000), 'acsys-sim --list');
        expect(list.stdout.split('\n')[0]).to.match(/^DEVICE +INDEX +TYPE +UNITS +PROPERTIES +DESCRIPTION$/);
        expect(list.stdout).to.match(/\nM:OUTTMP +27235 +scalar +DegF /);
        // the sample authorization file named by --help is there
        const help = ok(await run(npx, ['--no-install', 'acsys-sim', '--help'], project, 30_000), 'acsys-sim --help');
        const named = /example: (\S+sim-auth\.json)\)/.exec(help.stdout.replace(/\n\s+/g, ' '));
        expect(named, help.stdout).to.not.equal(null);
        expect(existsSync(join(project, named![1]!)) || existsSync(named![1]!), named![1]).to.equal(true);
      });
    });
  }
});
