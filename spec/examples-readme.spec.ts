// The examples behind the README's write, simulator and error samples run as programs
// (against an embedded simulator) and exit by themselves with the output the README shows.
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
}

function run(file: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', file)], {
      cwd: root,
      env: { ...process.env, PACSYS_DPM_HOST: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('examples behind the README samples (child processes)', function () {
  this.timeout(30_000);

  it('write-setting: writes, verifies and writes many through an insecure simulator', async () => {
    const r = await run('write-setting.ts');
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    expect(r.stdout.trim().split('\n')).to.deep.equal(['Z:ACLTST: ok ACNET_OK verified=true', 'Z:ACLTST: ok ACNET_OK', 'Z:TEXTDEV: ok ACNET_OK']);
  });

  it('simulator-faults: a custom catalogue, an HTTP 503 handshake and a stalled server', async () => {
    const r = await run('simulator-faults.ts');
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^Z:MYDEV = \d\.\d V$/);
    expect(lines.slice(1)).to.deep.equal([
      'Z:BROKEN: DBM_NOPROP',
      'HandshakeError http_error: HTTP/1.1 503 Service Unavailable',
      'TimeoutError: missing M:OUTTMP',
    ]);
  });

  it('handle-errors: a value, a DeviceError and a DrfError told apart', async () => {
    const r = await run('handle-errors.ts');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    expect(r.stdout).to.match(/^M:OUTTMP: -?\d+(\.\d+)?\n$/);
    expect(r.stderr.trim().split('\n')).to.deep.equal(['Z:NOTFND: DBM_NOPROP', 'DRF_ERROR: unterminated range "[" at position 8 in "M:OUTTMP["']);
  });
  it('logger-read: an hour of logger data in one read, and a stream of chunks', async () => {
    const r = await run('logger-read.ts');
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    const lines = r.stdout.trim().split('\n');
    // Z:LOGDEV logs every 100 ms: an hour is 36,000 points (±1 at the window edges).
    const m = /^Z:LOGDEV: (\d+) points from (\S+) to (\S+)$/.exec(lines[0] ?? '');
    expect(m, lines[0]).to.not.equal(null);
    expect(Number(m![1])).to.be.within(35_999, 36_001);
    expect(Date.parse(m![3]!) - Date.parse(m![2]!)).to.be.within(3_599_000, 3_600_000);
    const c = /^last 5 minutes: (\d+) points in (\d+) chunks$/.exec(lines[1] ?? '');
    expect(c, lines[1]).to.not.equal(null);
    expect(Number(c![1])).to.be.within(2_999, 3_001);
    // chunks of at most 487 points: 3,000 points need at least 7
    expect(Number(c![2])).to.be.at.least(7);
  });
  it('device-object: pacsys-style device objects read, stream, write and switch', async () => {
    const r = await run('device-object.ts');
    expect(r.stderr).to.equal('');
    expect({ code: r.code, signal: r.signal }).to.deep.equal({ code: 0, signal: null });
    expect(r.stdout).to.match(/^M:OUTTMP \(Outdoor temperature\) = -?\d+\.\d DegF$/m);
    const lines = r.stdout.trim().split('\n').slice(1);
    expect(lines).to.deep.equal([
      'streamed 3 readings of M:OUTTMP.READING@p,200',
      'Z:ACLTST: write 42 ok, setting now 42',
      'Z:STSDEV: after off() on=false',
      'Z:STSDEV: after on() on=true',
      'Z:STSDEV: analog alarm 15…30, in alarm: true',
    ]);
  });
});
