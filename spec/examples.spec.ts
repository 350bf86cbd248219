import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** ms from the last stdout output to the exit. */
  tailMs: number;
}

function run(file: string, env: Record<string, string> = {}, opts: { args?: string[]; sigintAfter?: RegExp; killAfterMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', file), ...(opts.args ?? [])], {
      cwd: root,
      env: { ...process.env, PACSYS_DPM_HOST: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    let lastOut = Date.now();
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      lastOut = Date.now();
      // signal once the child shows it is running (its handlers are installed by then)
      if (opts.sigintAfter && !signalled && opts.sigintAfter.test(stdout)) {
        signalled = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, tailMs: Date.now() - lastOut });
    });
  });
}

// The README's samples, which are the other files of examples/, run in spec/readme.spec.ts.
describe('examples: the demo (npm start) as a child process', function () {
  this.timeout(30_000);

  it('demo (npm start) with --count prints plain lines when stdout is not a TTY and exits 0', async () => {
    const r = await run('demo.ts', {}, { args: ['--count', '6'] });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).not.to.include('\x1b[');
    expect(r.stdout).to.match(/M:OUTTMP +-?[\d.]+ +DegF +\d{4}-\d\d-\d\dT/);
    expect(r.stdout).to.include('stopped after 6 readings');
  });

  it('demo stops cleanly on Ctrl-C (SIGINT) with exit code 0', async () => {
    const r = await run('demo.ts', {}, { sigintAfter: /M:OUTTMP .*DegF/ });
    expect(r.signal).to.equal(null);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/stopped after \d+ readings/);
  });
});
