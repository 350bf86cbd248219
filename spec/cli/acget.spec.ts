import { expect } from 'chai';
import { main } from '../../lib/cli/acget.js';
import { startSimulator } from '../../lib/sim/index.js';
import { closedPort, memoryIO, useCliSim } from './cli-support.js';

describe('cli/acget', () => {
  const h = useCliSim(); // closes the simulator, then checks for leaks, after each test

  it('prints device, value, units and timestamp per line, in request order', async () => {
    const io = memoryIO();
    const code = await main(['M:OUTTMP', 'Z:TEXTDEV', 'Z:ARRAY1K', ...h.at], io);
    expect(code).to.equal(0);
    expect(io.err()).to.equal('');
    const [t, text, arr] = io.lines();
    expect(io.lines()).to.have.length(3);
    expect(t).to.match(/^M:OUTTMP {2}-?\d+(\.\d+)? DegF {2}\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(text).to.match(/^Z:TEXTDEV {2}Hello from the DPM simulator {2}\d{4}-/);
    // text mode: the first 16 elements, then the length
    const inner = /^Z:ARRAY1K {2}\[(.*), … \(1024 values\)\] A {2}\d{4}-/.exec(arr!);
    expect(inner, arr).to.not.equal(null);
    expect(inner![1]!.split(', ').map(Number).filter(Number.isFinite)).to.have.length(16);
  });

  it('--max-elements N: the first N array elements (0: all); --precision N: N digits after the point', async () => {
    const io = memoryIO();
    expect(await main(['Z:ARRAY1K', 'M:OUTTMP', '--max-elements', '3', '--precision', '2', ...h.at], io), io.err()).to.equal(0);
    const [arr, t] = io.lines();
    expect(arr).to.match(/^Z:ARRAY1K {2}\[-?\d+\.\d\d, -?\d+\.\d\d, -?\d+\.\d\d, … \(1024 values\)\] A {2}\d{4}-/);
    expect(t).to.match(/^M:OUTTMP {2}-?\d+\.\d\d DegF {2}\d{4}-/);

    const all = memoryIO();
    expect(await main(['Z:ARRAY1K', '--max-elements', '0', '--precision', '0', ...h.at], all)).to.equal(0);
    const inner = /^Z:ARRAY1K {2}\[(.*)\] A {2}\d{4}-/.exec(all.lines()[0]!);
    expect(inner).to.not.equal(null);
    const items = inner![1]!.split(', ');
    expect(items).to.have.length(1024);
    for (const x of items) expect(x).to.match(/^-?\d+$/);

    // --json: every element at full precision, whatever the options
    const json = memoryIO();
    expect(await main(['Z:ARRAY1K', '--json', '--max-elements', '2', '--precision', '1', ...h.at], json)).to.equal(0);
    const value = (JSON.parse(json.out()) as { value: number[] }).value;
    expect(value).to.have.length(1024);
    expect(value.some((x) => Math.round(x * 10) / 10 !== x)).to.equal(true);

    for (const bad of [['--precision', '-1'], ['--precision', '21'], ['--precision', 'x'], ['--max-elements', '1.5']]) {
      const e = memoryIO();
      expect(await main(['Z:ARRAY1K', ...bad, ...h.at], e), bad.join(' ')).to.equal(2);
    }
  });

  it('an unknown option: one clear line, exit 2', async () => {
    const io = memoryIO();
    expect(await main(['M:OUTTMP', '--bogus', ...h.at], io)).to.equal(2);
    expect(io.err()).to.equal('acget: unknown option --bogus (see --help)\n');
    const short = memoryIO();
    expect(await main(['M:OUTTMP', '-x', ...h.at], short)).to.equal(2);
    expect(short.err()).to.equal('acget: unknown option -x (see --help)\n');
    expect(h.sim.totalConnections).to.equal(0);
  });

  it('--json: one parseable object per DRF with arrays, text, hex and status objects', async () => {
    const io = memoryIO();
    const code = await main(['--json', 'M:OUTTMP', 'Z:ARRAY1K', 'Z:TEXTDEV', 'Z:RAWDEV', ...h.at], io);
    expect(code).to.equal(0);
    const objs = io.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => o['drf'])).to.deep.equal(['M:OUTTMP', 'Z:ARRAY1K', 'Z:TEXTDEV', 'Z:RAWDEV']);
    const [t, arr, text, raw] = objs;
    expect(t).to.include({ device: 'M:OUTTMP', units: 'DegF', valueType: 'scalar', ok: true });
    expect(t!['value']).to.be.a('number');
    expect(new Date(t!['timestamp'] as string).getTime()).to.be.closeTo(Date.now(), 60_000);
    expect(t!['status']).to.deep.equal({ name: 'ACNET_OK', facility: 0, error: 0, text: 'success' });
    expect(arr!['value']).to.be.an('array').with.length(1024);
    expect((arr!['value'] as unknown[]).every((x) => typeof x === 'number')).to.equal(true);
    expect(text).to.include({ valueType: 'text', value: 'Hello from the DPM simulator', units: null });
    expect(raw).to.include({ valueType: 'raw', value: '0102030405060708' });
  });

  it('a failing device: exit 1, a message naming it and its status on stderr, the others still print', async () => {
    const io = memoryIO();
    const code = await main(['M:OUTTMP', 'Z:NOSUCH', 'Z:TEXTDEV', ...h.at], io);
    expect(code).to.equal(1);
    expect(io.lines().map((l) => l.split('  ')[0])).to.deep.equal(['M:OUTTMP', 'Z:TEXTDEV']);
    expect(io.err()).to.equal('acget: Z:NOSUCH: DBM_NOPROP (16 -13): property not found\n');
  });

  it('a failing device with --json: its object has ok false and the status, plus the stderr message', async () => {
    const io = memoryIO();
    const code = await main(['--json', 'Z:NOSUCH', 'M:OUTTMP', ...h.at], io);
    expect(code).to.equal(1);
    const [bad, good] = io.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(bad).to.include({ drf: 'Z:NOSUCH', ok: false, value: null, valueType: null });
    expect(bad!['status']).to.deep.include({ name: 'DBM_NOPROP', facility: 16, error: -13 });
    expect(good).to.include({ drf: 'M:OUTTMP', ok: true });
    expect(io.err()).to.contain('Z:NOSUCH').and.contain('DBM_NOPROP');
  });

  it('a bad DRF: exit 2 before connecting', async () => {
    const io = memoryIO();
    const code = await main(['M:OUTTMP', 'M:OUTTMP[', ...h.at], io);
    expect(code).to.equal(2);
    expect(io.out()).to.equal('');
    expect(io.err()).to.match(/^acget: .*"M:OUTTMP\["/).and.contain("Try 'acget --help'");
    expect(h.sim.totalConnections).to.equal(0);
  });

  it('usage errors: no DRF, unknown option, bad port, --sim with --port → exit 2', async () => {
    for (const argv of [[], ['--frobnicate', 'M:OUTTMP'], ['M:OUTTMP', '--port', 'x'], ['M:OUTTMP', '--port', '70000'], ['M:OUTTMP', '--sim', '--port', '1'], ['M:OUTTMP', '--timeout', '0']]) {
      const io = memoryIO();
      expect(await main(argv, io), argv.join(' ')).to.equal(2);
      expect(io.err()).to.match(/^acget: /);
    }
    expect(h.sim.totalConnections).to.equal(0);
  });

  it('an unreachable port: exit 3 with a readable message', async () => {
    const port = await closedPort();
    const io = memoryIO();
    const code = await main(['M:OUTTMP', '--host', '127.0.0.1', '--port', String(port)], io);
    expect(code).to.equal(3);
    expect(io.out()).to.equal('');
    expect(io.err()).to.equal(`acget: cannot connect to DPM at 127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('logged data: one line per point with that point\'s own time; --max-elements N limits the points; an empty window says so', async () => {
    const io = memoryIO();
    expect(await main(['Z:LOGDEV<-LOGGERDURATION:2000', 'M:OUTTMP', ...h.at], io), io.err()).to.equal(0);
    const lines = io.lines();
    const logged = lines.filter((l) => l.startsWith('Z:LOGDEV<-'));
    expect(logged.length).to.be.within(19, 21); // every 100 ms for 2 s
    const times = logged.map((l) => {
      const m = /^Z:LOGDEV<-LOGGERDURATION:2000 {2}-?\d+(\.\d+)? Hz {2}(\d{4}-\d\d-\d\dT[\d:.]+Z)$/.exec(l);
      expect(m, l).to.not.equal(null);
      return Date.parse(m![2]!);
    });
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).to.equal(100);
    expect(lines.at(-1)).to.match(/^M:OUTTMP {2}/);

    const few = memoryIO();
    expect(await main(['Z:LOGDEV<-LOGGERDURATION:2000', '--max-elements', '3', ...h.at], few)).to.equal(0);
    expect(few.lines()).to.have.length(4);
    expect(few.lines()[3]).to.match(/^Z:LOGDEV<-LOGGERDURATION:2000 {2}… \(\d+ points\)$/);

    const future = Date.now() + 3_600_000;
    const empty = memoryIO();
    expect(await main([`Z:LOGDEV<-LOGGER:${future}:${future + 1000}`, ...h.at], empty)).to.equal(0);
    expect(empty.out()).to.equal('');
    expect(empty.err()).to.equal(`acget: Z:LOGDEV<-LOGGER:${future}:${future + 1000}: no logged points in that window\n`);

    const reversed = memoryIO();
    expect(await main([`Z:LOGDEV<-LOGGER:${future}:${future - 1000}`, ...h.at], reversed)).to.equal(2);
    expect(reversed.err()).to.contain(`start ${future} is after end ${future - 1000}`);
  });

  it('a proxy answering HTTP 503 at the handshake: exit 3, the status line once', async () => {
    const down = await startSimulator({ port: 0, faults: { httpError: 'HTTP/1.1 503 Service Unavailable' } });
    try {
      const io = memoryIO();
      expect(await main(['M:OUTTMP', '--host', down.host, '--port', String(down.port)], io)).to.equal(3);
      expect(io.err()).to.equal('acget: DPM handshake failed (http_error): the server answered HTTP/1.1 503 Service Unavailable\n');
    } finally {
      await down.close();
    }
  });

  it('--timeout: exit 3 naming the silent device; what arrived still prints', async () => {
    const slow = await startSimulator({ port: 0, unknownDevice: 'DPM_PEND', pendDelayMs: 3000 });
    try {
      const io = memoryIO();
      const code = await main(['M:OUTTMP', 'Z:SILENT', '--timeout', '300', '--host', '127.0.0.1', '--port', String(slow.port)], io);
      expect(code).to.equal(3);
      expect(io.lines().map((l) => l.split('  ')[0])).to.deep.equal(['M:OUTTMP']);
      expect(io.err()).to.equal('acget: no answer within 300 ms from 1 of 2 device(s): Z:SILENT\n');
    } finally {
      await slow.close();
    }
  });

  it('takes host and port from PACSYS_DPM_HOST / PACSYS_DPM_PORT', async () => {
    const io = memoryIO({ env: { PACSYS_DPM_HOST: '127.0.0.1', PACSYS_DPM_PORT: String(h.sim.port) } });
    expect(await main(['M:OUTTMP'], io)).to.equal(0);
    expect(io.lines()).to.have.length(1);
  });

  it('--sim: starts its own simulator and stops it', async () => {
    const io = memoryIO();
    expect(await main(['M:OUTTMP', 'Z:TXTARR', '--sim'], io)).to.equal(0);
    expect(io.lines()[1]).to.match(/^Z:TXTARR {2}\["alpha", "beta", "gamma", "delta"\] {2}/);
    expect(h.sim.totalConnections).to.equal(0);
  });

  it('--help: usage with the exit codes, exit 0, nothing sent', async () => {
    const io = memoryIO();
    expect(await main(['--help'], io)).to.equal(0);
    expect(io.out()).to.match(/^Usage: acget /).and.contain('Exit codes:').and.contain('--json').and.contain('--timeout');
    expect(io.err()).to.equal('');
  });
});
