import { expect } from 'chai';
import { main } from '../../lib/cli/acinfo.js';
import { closedPort, memoryIO, useCliSim } from './cli-support.js';

describe('cli/acinfo', () => {
  const h = useCliSim(); // closes the simulator, then checks for leaks, after each test

  it('prints name, index, description, units and format hint per DRF', async () => {
    const io = memoryIO();
    expect(await main(['M:OUTTMP', 'Z:TEXTDEV', ...h.at], io)).to.equal(0);
    expect(io.out()).to.equal(
      [
        'M:OUTTMP',
        '  name:        M:OUTTMP',
        '  index:       27235',
        '  description: Outdoor temperature',
        '  units:       DegF',
        '  format hint: 2',
        'Z:TEXTDEV',
        '  name:        Z:TEXTDEV',
        '  index:       140200',
        '  description: Text device',
        '  units:       -',
        '  format hint: -',
        '',
      ].join('\n'),
    );
  });

  it('--json: one object per DRF', async () => {
    const io = memoryIO();
    expect(await main(['--json', 'Z:ARRAY1K', 'M:OUTTMP.ANALOG', ...h.at], io)).to.equal(0);
    const [a, t] = io.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).to.deep.include({ drf: 'Z:ARRAY1K', ok: true, name: 'Z:ARRAY1K', index: 140100, description: 'Array of 1024 doubles', units: 'A', formatHint: null });
    expect(t).to.deep.include({ drf: 'M:OUTTMP.ANALOG', name: 'M:OUTTMP', index: 27235, units: null, formatHint: 2 }); // alarm block: no units
  });

  it('an unknown device: exit 1 and a message naming it; the others still print', async () => {
    const io = memoryIO();
    expect(await main(['Z:NOSUCH', 'M:OUTTMP', ...h.at], io)).to.equal(1);
    expect(io.err()).to.equal('acinfo: Z:NOSUCH: no device information (DBM_NOPROP (16 -13): property not found)\n');
    expect(io.lines()[0]).to.equal('M:OUTTMP');
  });

  it('--json with a failed device: it gets an object too (ok: false, null fields), in request order; exit 1', async () => {
    const io = memoryIO();
    expect(await main(['--json', 'M:OUTTMP', 'Z:NOTFND', ...h.at], io)).to.equal(1);
    const [t, n] = io.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(t).to.deep.include({ drf: 'M:OUTTMP', ok: true, name: 'M:OUTTMP' });
    expect(n).to.deep.equal({
      drf: 'Z:NOTFND',
      ok: false,
      name: null,
      index: null,
      description: null,
      units: null,
      formatHint: null,
      status: { name: 'DBM_NOPROP', facility: 16, error: -13, text: 'property not found' },
    });
    expect(io.err()).to.equal('acinfo: Z:NOTFND: no device information (DBM_NOPROP (16 -13): property not found)\n');
  });

  it('no DRF: a usage error that says where the device list is', async () => {
    const io = memoryIO();
    expect(await main([...h.at], io)).to.equal(2);
    expect(io.err()).to.match(/^acinfo: no DRF given \(DPM cannot list devices; the simulator's: acsys-sim --list\)\n/);
  });

  it('usage → 2 before connecting, unreachable → 3, --sim, --help', async () => {
    let io = memoryIO();
    expect(await main(['M:OUTTMP@@', ...h.at], io)).to.equal(2);
    expect(h.sim.totalConnections).to.equal(0);
    io = memoryIO();
    expect(await main(['M:OUTTMP', '--host', '127.0.0.1', '--port', String(await closedPort())], io)).to.equal(3);
    io = memoryIO();
    expect(await main(['G:AMANDA', '--sim'], io)).to.equal(0);
    expect(io.out()).to.contain('  index:       252411\n');
    io = memoryIO();
    expect(await main(['--help'], io)).to.equal(0);
    expect(io.out()).to.match(/^Usage: acinfo /).and.contain('Exit codes:');
  });
});
