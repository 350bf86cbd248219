import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { main, packageRoot, parseCliArgs, USAGE } from '../../lib/cli/acsys-sim.js';
import { RawDpmClient } from '../support/raw-client.js';
import { readOnce } from '../support/sim-harness.js';
import { memoryIO, runEntry, until } from './cli-support.js';

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

  it('--list prints the catalogue as a table (or JSON lines with --json) and exits 0 without listening', async () => {
    const io = memoryIO();
    expect(await main(['--list'], io)).to.equal(0);
    const rows = io.lines();
    expect(rows[0]).to.match(/^DEVICE +INDEX +TYPE +UNITS +PROPERTIES +DESCRIPTION$/);
    expect(rows).to.have.length(11);
    expect(rows).to.include.members([
      'M:OUTTMP   27235   scalar       DegF   READING,ANALOG,LOGGER                          Outdoor temperature',
      'Z:ARRAY1K  140100  array[1024]  A      READING,SETTING,CONTROL                        Array of 1024 doubles',
    ]);
    const json = memoryIO();
    expect(await main(['--list', '--json', '--devices', '3'], json)).to.equal(0);
    const objects = json.lines().map((l) => JSON.parse(l) as { name: string });
    expect(objects).to.have.length(13);
    expect(objects[0]).to.deep.equal({
      name: 'M:OUTTMP',
      index: 27235,
      type: 'scalar',
      properties: ['READING', 'ANALOG', 'LOGGER'],
      units: 'DegF',
      description: 'Outdoor temperature',
      loggedEveryMs: 1000,
      fault: null,
    });
    expect(objects.at(-1)!.name).to.match(/^Z:GEN0000[0-2]$/);
  });

  it('errors are one line on stderr, without the usage text: 2 for usage, 1 when it cannot start', async () => {
    for (const [argv, code, text] of [
      [['--port', 'x'], 2, 'acsys-sim: --port: expected an integer 0..65535, got "x"\n'],
      [['--bogus'], 2, 'acsys-sim: unknown option --bogus (see --help)\n'],
      [['stray'], 2, 'acsys-sim: unexpected argument "stray" (see --help)\n'],
      [['--json'], 2, 'acsys-sim: --json goes with --list\n'],
    ] as const) {
      const io = memoryIO();
      expect(await main([...argv], io), argv.join(' ')).to.equal(code);
      expect(io.err()).to.equal(text);
      expect(io.out()).to.equal('');
    }
    const missing = memoryIO();
    expect(await main(['--list', '--catalogue', '/nonexistent/acsys-rx/devices.json'], missing)).to.equal(1);
    expect(missing.err().split('\n').filter(Boolean)).to.have.length(1);
    expect(missing.err()).to.match(/^acsys-sim: .*devices\.json.*cannot read file/);
  });

  it('--help names a sample authorization file that exists', async () => {
    const io = memoryIO();
    expect(await main(['--help'], io)).to.equal(0);
    const m = /example: (\S+sim-auth\.json)\)/.exec(io.out().replace(/\n\s+/g, ' '));
    expect(m, io.out()).to.not.equal(null);
    expect(existsSync(m![1]!), m![1]).to.equal(true);
    expect(existsSync(`${packageRoot()}/package.json`)).to.equal(true);
  });

  it('prints one line `listening on 127.0.0.1:<port>`, serves, and on SIGTERM prints `stopped` and exits 0', async function () {
    this.timeout(20000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/acsys-sim-bin.ts', '--port', '0', '--heartbeat-ms', '500'], {
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
    const run = runEntry('acsys-sim-bin.ts', ['--port', '0']);
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
        const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/acsys-sim-bin.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
