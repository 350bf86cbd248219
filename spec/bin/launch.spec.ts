// The commands' launchers (bin/*.js): committed executable, so no build can take the run bit away;
// they run the compiled tool, or say in one line that the package is not built.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processOutput, type ProcessOutput } from '../support/process-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Run = ProcessOutput;

async function run(cmd: string, args: string[], cwd = root): Promise<Run> {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    return await processOutput(child);
  } finally {
    clearTimeout(kill);
  }
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };

describe('bin/: the command launchers', function () {
  this.timeout(90_000);

  it('every bin entry is a launcher in bin/, executable in git and on disk', async () => {
    expect(Object.keys(pkg.bin).sort()).to.deep.equal(['acget', 'acinfo', 'acmonitor', 'acput', 'acsys-sim', 'acsys-web']);
    const staged = await run('git', ['ls-files', '-s', 'bin']);
    for (const [name, file] of Object.entries(pkg.bin)) {
      expect(file, name).to.equal(`bin/${name}.js`);
      expect(statSync(join(root, file)).mode & 0o111, `${file} on disk`).to.not.equal(0);
      expect(readFileSync(join(root, file), 'utf8')).to.match(/^#!\/usr\/bin\/env node\n/);
      // a fresh clone gets the mode git recorded
      if (staged.code === 0 && staged.stdout !== '') expect(staged.stdout, file).to.match(new RegExp(`^100755 \\S+ 0\\t${file.replace('.', '\\.')}$`, 'm'));
    }
  });

  it('run directly, as npm links them, they run the compiled tool in dist/', async () => {
    if (!existsSync(join(root, 'dist', 'lib', 'cli', 'acget-bin.js'))) await run('npm', ['run', '--silent', 'build']);
    const r = await run(join(root, 'bin', 'acsys-sim.js'), ['--list']);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^DEVICE +INDEX/);
    const g = await run(join(root, 'bin', 'acget.js'), ['--sim', 'Z:TEXTDEV']);
    expect({ code: g.code, err: g.stderr }).to.deep.equal({ code: 0, err: '' });
    expect(g.stdout).to.match(/^Z:TEXTDEV {2}Hello from the DPM simulator {2}\S+\n$/);
  });

  it('npx in this checkout (a fresh npm cache): the commands run, and still do after dist/ was deleted and recompiled by tsc alone', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'acsys-rx-npx-cache-'));
    const npx = (args: string[]): Promise<Run> => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_')) env[k] = v;
      env['npm_config_cache'] = cache; // npx links this checkout into its own cache, not the user's
      return processOutput(spawn('npx', ['--yes', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    };
    try {
      const list = await npx(['acsys-sim', '--list']);
      expect(list.code, list.stderr).to.equal(0);
      expect(list.stdout).to.match(/^DEVICE +INDEX/);
      // a rebuild that knows nothing of run bits: every file of dist/ new, none executable
      rmSync(join(root, 'dist'), { recursive: true, force: true });
      const tsc = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
      expect(tsc.code, tsc.stdout).to.equal(0);
      expect(statSync(join(root, 'dist', 'lib', 'cli', 'acget-bin.js')).mode & 0o111).to.equal(0);
      const get = await npx(['acget', '--sim', 'Z:TEXTDEV']);
      expect({ code: get.code, err: get.stderr }).to.deep.equal({ code: 0, err: '' });
      expect(get.stdout).to.match(/^Z:TEXTDEV {2}Hello from the DPM simulator {2}\S+\n$/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      await run('npm', ['run', '--silent', 'postbuild']); // the run bits `npm run build` gives dist/'s entries
    }
  });

  it('without a build: one line saying to run `npm run build`, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acsys-rx-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      for (const f of ['launch.js', 'acget.js']) copyFileSync(join(root, 'bin', f), join(dir, 'bin', f));
      copyFileSync(join(root, 'package.json'), join(dir, 'package.json')); // "type": "module"
      const r = await run(process.execPath, [join(dir, 'bin', 'acget.js'), 'M:OUTTMP'], dir);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(`acget: acsys-rx is not built (${join(dir, 'dist', 'lib', 'cli', 'acget-bin.js')} is missing): run "npm run build" in ${dir}/\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
