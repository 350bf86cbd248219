import { expect } from 'chai';
import { main } from '../../lib/cli/acmonitor.js';
import { startSimulator } from '../../lib/sim/index.js';
import { closedPort, memoryIO, until, useCliSim } from './cli-support.js';

const ESC = '\u001b';
const LINE = /^(M:OUTTMP@p,100|G:AMANDA@p,100) {2}-?\d+(\.\d+)?(e-?\d+)? (DegF|V) {2}\d{4}-\d\d-\d\dT[\d:.]+Z$/;

describe('cli/acmonitor', () => {
  const h = useCliSim({ heartbeatMs: 200 }); // closes the simulator, then checks for leaks, after each test

  it('--count 5: prints 5 lines and exits 0 (connection closed, no interrupt handler left)', async () => {
    const io = memoryIO();
    const code = await main(['M:OUTTMP@p,100', 'G:AMANDA@p,100', '--count', '5', ...h.at], io);
    expect(code).to.equal(0);
    expect(io.lines()).to.have.length(5);
    for (const l of io.lines()) expect(l).to.match(LINE);
    expect(io.err()).to.equal('');
    expect(io.handlers()).to.equal(0);
    await until(() => h.sim.connections === 0, 2000, 'the stream connection to close');
  });

  it('--duration: stops after about that long with exit 0', async () => {
    const io = memoryIO();
    const t0 = Date.now();
    const code = await main(['M:OUTTMP@p,100', '--duration', '0.6', ...h.at], io);
    const took = Date.now() - t0;
    expect(code).to.equal(0);
    expect(took).to.be.within(550, 2000);
    expect(io.lines().length).to.be.within(3, 8);
  });

  it('Ctrl-C (interrupt): unsubscribes, closes the connection and exits 0', async () => {
    const io = memoryIO();
    const run = main(['M:OUTTMP@p,100', ...h.at], io);
    await until(() => io.lines().length >= 2, 5000, 'two readings');
    expect(h.sim.connections).to.equal(1);
    io.interrupt();
    expect(await run).to.equal(0);
    await until(() => h.sim.connections === 0, 2000, 'the stream connection to close');
    expect(io.handlers()).to.equal(0);
  });

  it('--json: one object per reading', async () => {
    const io = memoryIO();
    expect(await main(['M:OUTTMP@p,100', '--json', '--count', '3', ...h.at], io)).to.equal(0);
    const objs = io.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs).to.have.length(3);
    for (const o of objs) expect(o).to.include({ drf: 'M:OUTTMP@p,100', units: 'DegF', ok: true, valueType: 'scalar' });
  });

  it('to a non-TTY stdout: plain lines without escape codes, even with --table', async () => {
    const io = memoryIO({ tty: false });
    expect(await main(['M:OUTTMP@p,100', 'G:AMANDA@p,100', '--table', '--count', '4', ...h.at], io)).to.equal(0);
    expect(io.out()).to.not.contain(ESC);
    expect(io.lines()).to.have.length(4);
    for (const l of io.lines()) expect(l).to.match(LINE);
  });

  it('--table on a TTY: header and one row per device, redrawn in place with cursor-up', async () => {
    const io = memoryIO({ tty: true, env: { TERM: 'xterm' } });
    expect(await main(['M:OUTTMP@p,100', 'Z:NOSUCH', '--table', '--duration', '0.5', ...h.at], io)).to.equal(1);
    const out = io.out();
    expect(out).to.contain(`${ESC}[3A`); // header + 2 rows moved over
    expect(out).to.contain(`${ESC}[2K`);
    expect(out).to.contain(`${ESC}[31m`); // the failed row in red
    const last = out.slice(out.lastIndexOf(`${ESC}[3A`)).split('\n');
    expect(last[0]).to.match(/DEVICE\s+VALUE\s+UNITS\s+TIME\s+STATUS/);
    expect(last[1]).to.match(/M:OUTTMP@p,100\s+-?\d+(\.\d+)?\s+DegF\s+\d\d:\d\d:\d\d\.\d{3}\s+ACNET_OK/);
    expect(last[2]).to.match(/Z:NOSUCH\s+-\s+.*DBM_NOPROP/);
    expect(io.err()).to.equal('');
  });

  it('--table on a TTY with NO_COLOR: cursor codes but no colour', async () => {
    const io = memoryIO({ tty: true, env: { NO_COLOR: '1' } });
    expect(await main(['M:OUTTMP@p,100', 'Z:NOSUCH', '--table', '--duration', '0.4', ...h.at], io)).to.equal(1);
    expect(io.out()).to.contain(`${ESC}[3A`);
    expect(io.out()).to.not.match(/\u001b\[\d+m/);
  });

  it('a failing device: its status on stderr, exit 1 at the end', async () => {
    const io = memoryIO();
    expect(await main(['Z:NOSUCH', 'M:OUTTMP@p,100', '--count', '3', ...h.at], io)).to.equal(1);
    expect(io.err()).to.equal('acmonitor: Z:NOSUCH: DBM_NOPROP (16 -13): property not found\n');
    expect(io.lines()).to.have.length(2);
  });

  it('usage errors → 2 before connecting; unreachable port → 3', async () => {
    for (const argv of [['M:OUTTMP['], ['M:OUTTMP', '--count', '0'], ['M:OUTTMP', '--duration', 'soon'], ['M:OUTTMP', '--json', '--table'], []]) {
      const io = memoryIO();
      expect(await main([...argv, ...h.at], io), argv.join(' ')).to.equal(2);
    }
    expect(h.sim.totalConnections).to.equal(0);
    const io = memoryIO();
    expect(await main(['M:OUTTMP', '--host', '127.0.0.1', '--port', String(await closedPort())], io)).to.equal(3);
    expect(io.err()).to.match(/^acmonitor: cannot connect to DPM at 127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  });

  describe('--reconnect', () => {
    // the first connection drops after 6 frames (OpenList, device info, start, a few readings); the next ones stay up
    const r = useCliSim({ heartbeatMs: 200, faults: (i) => (i === 0 ? { dropAfterFrames: 6 } : {}) });

    it('says when the connection is lost and when it is back, and keeps streaming', async () => {
      const io = memoryIO();
      const code = await main(['M:OUTTMP@p,100', 'G:AMANDA@p,100', '--reconnect', '--count', '8', ...r.at], io);
      expect(code, io.err()).to.equal(0); // the ACNET_RETRY gap readings are not device failures
      expect(r.sim.totalConnections).to.equal(2);
      const err = io.err().split('\n').filter(Boolean);
      expect(err).to.have.length(2);
      expect(err[0]).to.match(/^acmonitor: connection lost: .*; reconnecting in \d+ ms$/);
      expect(err[1]).to.match(/^acmonitor: connection restored after \d+\.\d s$/);
      expect(io.lines()).to.have.length(8); // the gap readings are not counted
      for (const l of io.lines()) expect(l).to.match(LINE);
    });

    it('--json: the gap readings are printed (ok false, ACNET_RETRY), not counted', async () => {
      const io = memoryIO();
      expect(await main(['M:OUTTMP@p,100', '--reconnect', '--json', '--count', '6', ...r.at], io), io.err()).to.equal(0);
      const objs = io.lines().map((l) => JSON.parse(l) as { ok: boolean; status: { name: string } });
      const gaps = objs.filter((o) => !o.ok);
      expect(gaps.map((o) => o.status.name)).to.deep.equal(['ACNET_RETRY']);
      expect(objs.filter((o) => o.ok)).to.have.length(6);
      expect(io.err()).to.match(/connection lost: [^\n]*\n.*connection restored/);
    });

    it('--table on a TTY: the connection state is a note under the rows', async () => {
      const io = memoryIO({ tty: true, env: { NO_COLOR: '1' } });
      expect(await main(['M:OUTTMP@p,100', '--reconnect', '--table', '--count', '6', ...r.at], io)).to.equal(0);
      expect(io.out()).to.contain('connection lost: ').and.contain('connection restored after ');
      expect(io.err()).to.equal('');
    });

    it('without --reconnect the lost connection ends the run with exit 3', async () => {
      const io = memoryIO();
      expect(await main(['M:OUTTMP@p,100', ...r.at], io)).to.equal(3);
      expect(io.err()).to.match(/^acmonitor: .*connection lost/i);
      expect(r.sim.totalConnections).to.equal(1);
    });
  });

  it('every device failed: says nothing more will come and exits 1 at once', async () => {
    for (const drfs of [['Z:NOSUCH@p,200'], ['Z:NOSUCH@p,200', 'Z:NOPE@p,100']]) {
      const io = memoryIO();
      const t0 = Date.now();
      expect(await main([...drfs, '--count', '3', ...h.at], io), drfs.join(' ')).to.equal(1);
      expect(Date.now() - t0).to.be.below(3000);
      const err = io.err().split('\n').filter(Boolean);
      expect(err).to.have.length(drfs.length + 1);
      for (const d of drfs) expect(err).to.include(`acmonitor: ${d}: DBM_NOPROP (16 -13): property not found`);
      expect(err[err.length - 1]).to.equal('acmonitor: every device failed; nothing more will come');
      expect(io.out()).to.equal('');
    }
    const table = memoryIO({ tty: true, env: { NO_COLOR: '1' } });
    expect(await main(['Z:NOSUCH@p,200', '--table', ...h.at], table)).to.equal(1);
    expect(table.out()).to.contain('DBM_NOPROP');
    expect(table.err()).to.equal('acmonitor: every device failed; nothing more will come\n');
  });

  it('a failed periodic device next to a live one: not "stale", no early exit', async () => {
    const io = memoryIO();
    expect(await main(['Z:NOSUCH@p,100', 'M:OUTTMP@p,100', '--duration', '1.8', ...h.at], io)).to.equal(1);
    expect(io.err()).to.equal('acmonitor: Z:NOSUCH@p,100: DBM_NOPROP (16 -13): property not found\n'); // its 1.2 s stale limit passed
    expect(io.lines().length).to.be.above(10);
  });

  describe('staleness (the connection stalls after 5 frames, the socket stays open)', () => {
    const st = useCliSim({ heartbeatMs: 200, faults: { stallAfterFrames: 5 } });

    it('lines: one "stale" line on stderr per device once its data stops; still exit 0', async () => {
      const io = memoryIO();
      const code = await main(['M:OUTTMP@p,100', '--duration', '2.5', ...st.at], io);
      expect(code, io.err()).to.equal(0);
      expect(io.err()).to.match(/^acmonitor: M:OUTTMP@p,100 stale \(no data for \d+ ms\)\n$/);
      const ms = Number(/for (\d+) ms/.exec(io.err())![1]);
      expect(ms).to.be.within(1200, 2000); // 2 × period + 1 s
    });

    it('--table on a TTY: the row keeps its value, status STALE in yellow', async () => {
      const io = memoryIO({ tty: true, env: { TERM: 'xterm' } });
      expect(await main(['M:OUTTMP@p,100', '--table', '--duration', '2.5', ...st.at], io)).to.equal(0);
      const out = io.out();
      const last = out.slice(out.lastIndexOf(`${ESC}[2A`)).split('\n');
      expect(last[1]).to.match(/M:OUTTMP@p,100\s+-?\d+(\.\d+)?\s+DegF\s+\d\d:\d\d:\d\d\.\d{3}\s+STALE/);
      expect(last[1]).to.contain(`${ESC}[33m`);
      expect(io.err()).to.equal('');
    });
  });

  describe('staleness that ends (every frame delayed by 1.8 s: silent at first, then steady)', () => {
    const sl = useCliSim({ heartbeatMs: 200, faults: { replyDelayMs: 1800 } });

    it('lines: "stale", then "fresh again" when data comes', async () => {
      const io = memoryIO();
      expect(await main(['M:OUTTMP@p,100', '--duration', '2.8', ...sl.at], io), io.err()).to.equal(0);
      expect(io.err()).to.match(/^acmonitor: M:OUTTMP@p,100 stale \(no data for \d+ ms\)\nacmonitor: M:OUTTMP@p,100 fresh again\n$/);
      expect(io.lines().length).to.be.above(2);
    });
  });

  describe('--reconnect and the end of the run', () => {
    it('the simulator gone mid-run: exit 3 (no connection when the run ended)', async () => {
      const own = await startSimulator({ port: 0, heartbeatMs: 200 });
      let closed = false;
      try {
        const io = memoryIO();
        const run = main(['M:OUTTMP@p,100', '--reconnect', '--duration', '2', '--host', '127.0.0.1', '--port', String(own.port)], io);
        await until(() => io.lines().length >= 2, 5000, 'two readings');
        await own.close();
        closed = true;
        expect(await run, io.err()).to.equal(3);
        expect(io.err()).to.match(/^acmonitor: connection lost: /);
        expect(io.err()).to.match(/acmonitor: the run ended without a connection to DPM\n$/);
      } finally {
        if (!closed) await own.close();
      }
    });
  });

  it('--sim with --count', async () => {
    const io = memoryIO();
    expect(await main(['G:AMANDA@p,100', '--sim', '--count', '2'], io)).to.equal(0);
    expect(io.lines()).to.have.length(2);
  });

  it('--help', async () => {
    const io = memoryIO();
    expect(await main(['-h'], io)).to.equal(0);
    expect(io.out()).to.match(/^Usage: acmonitor /).and.contain('--reconnect').and.contain('--table').and.contain('NO_COLOR').and.contain('Exit codes:');
  });
});
