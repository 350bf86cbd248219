import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { parseCliArgs, USAGE } from '../../lib/cli/acsys-sim.js';
import { RawDpmClient } from '../support/raw-client.js';
import { readOnce } from '../support/sim-harness.js';
import { runEntry, until } from './cli-support.js';

describe('cli/acsys-sim', () => {
  it('parses options', () => {
    expect(parseCliArgs([])).to.deep.equal({ host: '127.0.0.1', port: 6802 });
    expect(parseCliArgs(['--port', '0', '--host', '0.0.0.0', '--heartbeat-ms', '500'])).to.deep.equal({ host: '0.0.0.0', port: 0, heartbeatMs: 500 });
    expect(parseCliArgs(['--help'])).to.equal('help');
    expect(parseCliArgs(['-h'])).to.equal('help');
    const gen = parseCliArgs(['--devices', '10']);
    expect(gen !== 'help' && typeof gen.catalogue === 'object' && gen.catalogue.devices.length).to.be.greaterThan(10);
    expect(() => parseCliArgs(['--port', 'x'])).to.throw(/--port/);
    expect(() => parseCliArgs(['--port', '70000'])).to.throw(/--port/);
    expect(() => parseCliArgs(['--bogus'])).to.throw(/^unknown option --bogus \(see --help\)$/);
    expect(() => parseCliArgs(['--catalogue', 'a.json', '--devices', '3'])).to.throw(/cannot be combined/);
    expect(USAGE).to.match(/--catalogue FILE/);
  });

  it('prints one line `listening on 127.0.0.1:<port>`, serves, and on SIGTERM prints `stopped` and exits 0', async function () {
    this.timeout(20000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/acsys-sim.ts', '--port', '0', '--heartbeat-ms', '500'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 150 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    const m = /^listening on 127\.0\.0\.1:(\d+)\n$/.exec(out);
    expect(m, `stdout: ${out} stderr: ${err}`).to.not.equal(null);
    const c = await RawDpmClient.connect(Number(m![1]));
    expect(await readOnce(c, 1, 'M:OUTTMP@I')).to.include({ type: 'Scalar_reply' });
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    await c.waitClosed();
    expect(out.split('\n').filter((l) => l.length > 0)).to.deep.equal([`listening on 127.0.0.1:${m![1]!}`, 'stopped']);
  });

  it('on SIGINT: prints `stopped` and exits 0', async function () {
    this.timeout(20000);
    const run = runEntry('acsys-sim.ts', ['--port', '0']);
    await until(() => run.stdout().includes('\n'), 15_000, 'the listening line');
    run.child.kill('SIGINT');
    const { code, signal } = await run.exited;
    expect({ code, signal }, `stdout: ${run.stdout()} stderr: ${run.stderr()}`).to.deep.equal({ code: 0, signal: null });
    expect(run.stdout()).to.match(/^listening on 127\.0\.0\.1:\d+\nstopped\n$/);
  });

  it('--help prints usage and exits 0; a bad option exits 2', async function () {
    this.timeout(20000);
    const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/acsys-sim.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const help = await run(['--help']);
    expect(help.code).to.equal(0);
    expect(help.out).to.match(/^Usage: acsys-sim/);
    const bad = await run(['--port', 'nope']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/--port/);
    const unknown = await run(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.match(/^acsys-sim: unknown option --bogus \(see --help\)\n/);
  });
});
