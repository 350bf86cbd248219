import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../lib/sim/index.js';

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

describe('examples (child processes)', function () {
  this.timeout(30_000);

  it('read-one: exits by itself once every subscription is gone (module-level client never closed)', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      // the simulator lives in this process: the child closes nothing at all
      const r = await run('read-one.ts', { PACSYS_DPM_HOST: sim.host, PACSYS_DPM_PORT: String(sim.port) });
      expect(r.stderr).to.equal('');
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(/^M:OUTTMP = -?\d+(\.\d+)? DegF$/m);
      // the read is done when it prints; the exit follows well before the 5 s pool
      // linger would end: idle pooled sockets and linger/watchdog timers are unref'd
      expect(r.tailMs).to.be.below(2500);
    } finally {
      await sim.close();
    }
  });

  it('read-one with the embedded simulator', async () => {
    const r = await run('read-one.ts');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/M:OUTTMP = .* DegF/);
  });

  it('stream-operators', async () => {
    const r = await run('stream-operators.ts');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('error reading: Z:NOTFND@p,100 DBM_NOPROP');
    expect(r.stdout).to.match(/M:OUTTMP@p,100=[-\d.]+ {2}G:AMANDA@p,100=[-\d.]+/);
    expect(r.stdout.trim().split('\n').at(-1)).to.equal('done');
  });

  it('derived-signal', async () => {
    const r = await run('derived-signal.ts');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n')).to.have.length(5);
    expect(r.stdout).to.match(/temp=[-\d.]+ amps=[-\d.]+ product=[-\d.]+/);
  });

  it('get-many', async () => {
    const r = await run('get-many.ts');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Z:ARRAY1K +\[1024 values\]/);
    expect(r.stdout).to.match(/Z:NOTFND +ERROR DBM_NOPROP/);
    expect(r.stdout).to.include('4/5 ok');
  });

  it('connection-state', async () => {
    const r = await run('connection-state.ts');
    expect(r.code, r.stderr).to.equal(0);
    const out = r.stdout;
    expect(out).to.include('state stream#1: open');
    expect(out).to.include('gap: M:OUTTMP@p,100 ACNET_RETRY');
    expect(out).to.match(/state stream#1: reconnecting in 200 ms/);
    expect(out.indexOf('reconnecting')).to.be.below(out.lastIndexOf('state stream#1: open'));
    // `closed` is final: not reported before `reconnecting`, only once the stream ends
    const states = out.split('\n').filter((l) => l.startsWith('state stream#1: ')).map((l) => l.split(' ')[2]);
    expect(states).to.deep.equal(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']);
    expect(out.trim().split('\n').at(-1)).to.equal('done');
  });

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
