import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_USAGE, parseWebArgs, type WebCliOptions } from '../../lib/cli/acsys-web.js';
import { DEFAULTS } from '../../lib/dpm/options.js';
import { TestClient, until } from '../support/ws-clients.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Run {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env: { ...process.env, PACSYS_DPM_HOST: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    }),
  );
  return { child, out: () => out, err: () => err, exited };
}

describe('cli/acsys-web', function () {
  this.timeout(60_000);

  it('parses options; the DPM endpoint from options, else the environment, else the default', () => {
    const o = parseWebArgs([], {}) as WebCliOptions;
    expect(o).to.deep.include({ host: '127.0.0.1', port: undefined, sim: false, page: true, quiet: false, pagesDir: undefined });
    expect(o.dpm).to.deep.equal({ host: DEFAULTS.host, port: DEFAULTS.port });
    expect((parseWebArgs([], { PACSYS_DPM_HOST: 'dpm.example', PACSYS_DPM_PORT: '7000' }) as WebCliOptions).dpm).to.deep.equal({ host: 'dpm.example', port: 7000 });
    expect((parseWebArgs(['--dpm-host', 'h', '--dpm-port', '1'], { PACSYS_DPM_HOST: 'x' }) as WebCliOptions).dpm).to.deep.equal({ host: 'h', port: 1 });
    const s = parseWebArgs(['--sim', '--devices', '5', '--port', '0', '--host', '0.0.0.0', '--allow-origin', 'https://a.example', '--allow-origin', 'https://b.example', '--max-clients', '3', '--max-subscriptions', '4', '--no-page', '--pages', 'x', '--quiet'], {}) as WebCliOptions;
    expect(s).to.deep.include({ host: '0.0.0.0', port: 0, sim: true, devices: 5, dpm: undefined, page: false, pagesDir: 'x', quiet: true });
    expect(s.origins).to.deep.equal(['https://a.example', 'https://b.example']);
    expect(s.limits).to.deep.equal({ maxClients: 3, maxSubscriptions: 4 });
    expect(parseWebArgs(['-h'], {})).to.equal('help');
    expect(() => parseWebArgs(['--bogus'], {})).to.throw(/^unknown option --bogus \(see --help\)$/);
    expect(() => parseWebArgs(['--port', '70000'], {})).to.throw(/--port/);
    expect(() => parseWebArgs(['--sim', '--dpm-host', 'h'], {})).to.throw(/cannot be combined/);
    expect(() => parseWebArgs(['--devices', '3'], {})).to.throw(/needs --sim/);
    expect(() => parseWebArgs([], { PACSYS_DPM_PORT: 'x' })).to.throw(/PACSYS_DPM_PORT/);
    expect(WEB_USAGE).to.match(/--dpm-host HOST/);
  });

  it('--sim: prints the URL, serves the page and live readings, and on SIGTERM prints `stopped` and exits 0', async () => {
    const r = run('lib/cli/acsys-web-bin.ts', ['--sim', '--port', '0']);
    await until(() => /dashboard at /.test(r.out()), 45_000, `the URL (stderr: ${r.err()})`);
    const url = /^dashboard at (http:\/\/127\.0\.0\.1:\d+\/)\n$/.exec(r.out())![1]!;
    const page = await fetch(url);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('acsys-rx');
    const c = await TestClient.open(url.replace('http:', 'ws:') + 'ws');
    c.subscribe(1, ['M:OUTTMP@p,100']);
    await until(() => c.readings(1).length >= 2, 10_000, 'readings');
    r.child.kill('SIGTERM');
    expect(await r.exited).to.deep.equal({ code: 0, signal: null });
    await until(() => c.closed !== undefined, 5000, 'the close');
    expect(c.closed!.code).to.equal(1001);
    expect(r.out()).to.match(/\nstopped\n$/);
    expect(r.err()).to.match(/acsys-web: DPM at 127\.0\.0\.1:\d+ \(embedded simulator\)/);
    expect(r.err()).to.match(/acsys-web: #1 127\.0\.0\.1:\d+ connected \(origin none\)/);
  });

  it('--help exits 0; a usage error exits 2; a pages folder that does not exist exits 1', async () => {
    const help = run('lib/cli/acsys-web-bin.ts', ['--help']);
    expect(await help.exited).to.deep.equal({ code: 0, signal: null });
    expect(help.out()).to.contain('Usage: acsys-web');
    const bad = run('lib/cli/acsys-web-bin.ts', ['--port', 'x']);
    expect((await bad.exited).code).to.equal(2);
    expect(bad.err()).to.match(/^acsys-web: --port: expected an integer/);
    const missing = run('lib/cli/acsys-web-bin.ts', ['--sim', '--port', '0', '--no-page', '--pages', '/nonexistent/acsys-pages']);
    expect((await missing.exited).code).to.equal(1);
    expect(missing.err()).to.contain('invalid option pagesDir: no such folder: /nonexistent/acsys-pages');
  });

  it('examples/web/gateway.ts: a gateway in a program of your own, stopped by SIGINT', async () => {
    const r = run('examples/web/gateway.ts', []);
    await until(() => /dashboard at /.test(r.out()), 45_000, `the URL (stderr: ${r.err()})`);
    const url = /dashboard at (\S+)/.exec(r.out())![1]!;
    const c = await TestClient.open(url.replace('http:', 'ws:') + 'ws');
    c.subscribe(1, ['G:AMANDA@p,100']);
    await until(() => c.readings(1).length >= 2, 10_000, 'readings');
    r.child.kill('SIGINT');
    expect(await r.exited).to.deep.equal({ code: 0, signal: null });
    expect(r.out()).to.contain('1 browser(s) connected; stopping');
    expect(r.err()).to.equal('');
    await until(() => c.closed !== undefined, 5000, 'the close');
  });
});
