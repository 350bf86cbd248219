import { expect } from 'chai';
import { runEntry, until } from './cli-support.js';

// One run per tool as a real program (node --import tsx lib/cli/<tool>-bin.ts ... --sim):
// it starts, does its work against its own embedded simulator and exits by itself.
describe('cli: the entry files run as programs', function () {
  this.timeout(30_000);

  it('acget-bin: reads and exits 1 when one device failed', async () => {
    const run = runEntry('acget-bin.ts', ['M:OUTTMP', 'Z:NOSUCH', 'Z:TEXTDEV', '--sim']);
    const { code, signal } = await run.exited;
    expect({ code, signal }).to.deep.equal({ code: 1, signal: null });
    expect(run.stdout().split('\n').filter(Boolean).map((l) => l.split('  ')[0])).to.deep.equal(['M:OUTTMP', 'Z:TEXTDEV']);
    expect(run.stderr()).to.equal('acget: Z:NOSUCH: DBM_NOPROP (16 -13): property not found\n');
  });

  it('acinfo-bin: prints metadata and exits 0', async () => {
    const run = runEntry('acinfo-bin.ts', ['M:OUTTMP', '--sim', '--json']);
    expect((await run.exited).code).to.equal(0);
    expect(JSON.parse(run.stdout())).to.deep.include({ name: 'M:OUTTMP', index: 27235, units: 'DegF' });
  });

  it('acput-bin: without a ticket refuses and exits 4', async () => {
    const run = runEntry('acput-bin.ts', ['Z:ACLTST', '42', '--sim'], { KRB5CCNAME: 'FILE:/nonexistent/acsys-rx-cli-test/krb5cc' });
    expect((await run.exited).code).to.equal(4);
    expect(run.stdout()).to.equal('');
    expect(run.stderr()).to.match(/^acput: refusing to write: /);
  });

  it('acmonitor-bin: --count 3 prints 3 lines (no escape codes to a pipe) and exits 0 by itself', async () => {
    const run = runEntry('acmonitor-bin.ts', ['M:OUTTMP@p,100', '--count', '3', '--table', '--sim']);
    expect((await run.exited).code).to.equal(0);
    expect(run.stdout().split('\n').filter(Boolean)).to.have.length(3);
    expect(run.stdout()).to.not.contain('\u001b');
  });

  it('acmonitor-bin: SIGINT stops the stream and exits 0', async () => {
    const run = runEntry('acmonitor-bin.ts', ['M:OUTTMP@p,100', 'G:AMANDA@p,100', '--sim']);
    await until(() => run.stdout().split('\n').filter(Boolean).length >= 3, 15_000, 'readings from acmonitor');
    const t0 = Date.now();
    run.child.kill('SIGINT');
    const { code, signal } = await run.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    expect(Date.now() - t0).to.be.below(3000);
    expect(run.stderr()).to.equal('');
  });
});
