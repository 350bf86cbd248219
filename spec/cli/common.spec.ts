import { expect } from 'chai';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { EXIT, UsageError, describeError, drfArguments, endpointFrom, exitCodeFor, parseCli, runTool, COMMON_OPTIONS } from '../../lib/cli/common.js';
import { readingJson, readingLine, valueJson, valueText } from '../../lib/cli/format.js';
import { fit, terminalOf } from '../../lib/cli/terminal.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { TimeoutError } from '../../lib/dpm/timeout-error.js';
import { DrfError } from '../../lib/drf/errors.js';
import { parseDrf } from '../../lib/drf/parse.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { ConnectError } from '../../lib/errors/connect-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { AcnetStatus } from '../../lib/status/acnet-status.js';
import { DeviceError } from '../../lib/status/device-error.js';
import { memoryIO } from './cli-support.js';

const meta = { di: 1, name: 'Z:X', description: 'x', units: 'V', formatHint: undefined };
const at = new Date('2026-01-02T03:04:05.678Z');
function reading<R extends Partial<Reading>>(r: R): Reading {
  return { drf: 'Z:X', timestamp: at, cycle: 7, status: AcnetStatus.OK, meta, ...r } as unknown as Reading;
}

describe('cli/common', () => {
  it('maps errors to exit codes', () => {
    const drfError = ((): unknown => {
      try {
        parseDrf('M:OUTTMP[');
      } catch (e) {
        return e;
      }
    })();
    expect(drfError).to.be.instanceOf(DrfError);
    const s = AcnetStatus.fromName('DPM_PRIV');
    expect(exitCodeFor(drfError)).to.equal(EXIT.USAGE);
    expect(exitCodeFor(new UsageError('x'))).to.equal(2);
    expect(exitCodeFor(new ConfigError('port', 'bad'))).to.equal(2);
    expect(exitCodeFor(new ConnectError('h', 1, 'refused'))).to.equal(3);
    expect(exitCodeFor(new HandshakeError('timeout', 'slow'))).to.equal(3);
    expect(exitCodeFor(new ConnectionLost('closed', 'bye'))).to.equal(3);
    expect(exitCodeFor(new ListError(s, 'x'))).to.equal(3);
    expect(exitCodeFor(new TimeoutError(10, ['Z:X'], []))).to.equal(3);
    expect(exitCodeFor(new AuthenticationError('no-credentials', 'kinit'))).to.equal(4);
    expect(exitCodeFor(new DeviceError(s, 'Z:X'))).to.equal(1);
    expect(exitCodeFor(new Error('boom'))).to.equal(1);
    expect(describeError(new Error('boom'))).to.equal('unexpected error: boom');
  });

  it('endpoint: options, then environment, then defaults; --sim excludes --host/--port', () => {
    expect(endpointFrom({}, {})).to.deep.equal({ sim: false, host: 'acsys-proxy.fnal.gov', port: 6802, timeoutMs: 5000 });
    expect(endpointFrom({}, { PACSYS_DPM_HOST: 'h', PACSYS_DPM_PORT: '9' })).to.include({ host: 'h', port: 9 });
    expect(endpointFrom({ host: 'x', port: '1', timeout: '250' }, { PACSYS_DPM_HOST: 'h' })).to.include({ host: 'x', port: 1, timeoutMs: 250 });
    expect(endpointFrom({ sim: true }, {})).to.include({ sim: true });
    expect(() => endpointFrom({ sim: true, host: 'x' }, {})).to.throw(UsageError);
    expect(() => endpointFrom({}, { PACSYS_DPM_PORT: 'abc' })).to.throw(UsageError, /PACSYS_DPM_PORT/);
  });

  it('parseCli: strict options, negative numbers as positionals', () => {
    expect(parseCli(['Z:X', '-5', '--sim'], COMMON_OPTIONS)).to.deep.include({ positionals: ['Z:X', '-5'] });
    expect(parseCli(['-1.5,2'], COMMON_OPTIONS).positionals).to.deep.equal(['-1.5,2']);
    expect(() => parseCli(['-x'], COMMON_OPTIONS)).to.throw(UsageError);
  });

  it('runTool: --help prints the usage; a thrown error is reported with its exit code; drfArguments', async () => {
    const spec = { tool: 'actest', usage: 'Usage: actest\n', options: { json: { type: 'boolean' } } } as const;
    let io = memoryIO();
    expect(await runTool(spec, ['--help'], io, () => Promise.resolve(9))).to.equal(0);
    expect(io.out()).to.equal('Usage: actest\n');
    io = memoryIO();
    expect(await runTool(spec, ['Z:X', '--json'], io, ({ values, positionals }) => Promise.resolve(values.json === true ? positionals.length : 7))).to.equal(1);
    io = memoryIO();
    expect(await runTool(spec, [], io, ({ positionals }) => Promise.resolve(drfArguments(positionals, () => undefined).length))).to.equal(2);
    expect(io.err()).to.equal("actest: no DRF given\nTry 'actest --help' for more information.\n");
    io = memoryIO();
    expect(await runTool(spec, ['--bogus'], io, () => Promise.resolve(0))).to.equal(2);
    expect(() => drfArguments(['M:OUTTMP['], (ds) => ds.forEach((d) => parseDrf(d)))).to.throw(DrfError);
  });

  it('terminal: TTY, NO_COLOR, TERM=dumb', () => {
    expect(terminalOf(memoryIO({ tty: true }))).to.include({ tty: true, colour: true });
    expect(terminalOf(memoryIO({ tty: true, env: { NO_COLOR: '1' } }))).to.include({ tty: true, colour: false });
    expect(terminalOf(memoryIO({ tty: true, env: { NO_COLOR: '' } }))).to.include({ colour: true });
    expect(terminalOf(memoryIO({ tty: true, env: { TERM: 'dumb' } }))).to.include({ tty: false, colour: false });
    expect(terminalOf(memoryIO({ tty: false }))).to.include({ tty: false, colour: false });
    expect(fit('M:OUTTMP', 6)).to.equal('M:OUT…');
    expect(fit('ab', 4)).to.equal('ab  ');
  });
});

describe('cli/format', () => {
  it('renders every value type as text and JSON', () => {
    const cases: [Partial<Reading>, string, unknown][] = [
      [{ valueType: 'scalar', value: 1.5 }, '1.5', 1.5],
      [{ valueType: 'scalar', value: Number.NaN }, 'NaN', null],
      [{ valueType: 'scalarArray', value: Float64Array.of(1, 2) }, '[1, 2]', [1, 2]],
      [{ valueType: 'timedScalarArray', value: { data: Float64Array.of(3), micros: Float64Array.of(4) } }, '[3]', { data: [3], micros: [4] }],
      [{ valueType: 'raw', value: Uint8Array.of(0, 255) }, '00ff', '00ff'],
      [{ valueType: 'text', value: 'hi' }, 'hi', 'hi'],
      [{ valueType: 'textArray', value: ['a', 'b'] }, '["a", "b"]', ['a', 'b']],
      [{ valueType: 'basicStatus', value: { on: true, ready: false } }, 'on=true ready=false', { on: true, ready: false }],
      [{ valueType: undefined, value: undefined, status: AcnetStatus.fromName('DBM_NOPROP') }, 'DBM_NOPROP', null],
    ];
    for (const [r, text, json] of cases) {
      expect(valueText(reading(r)), String(r.valueType)).to.equal(text);
      expect(valueJson(reading(r)), String(r.valueType)).to.deep.equal(json);
    }
    expect(valueText(reading({ valueType: 'scalarArray', value: Float64Array.of(1.23456789, 2, 3) }), { precision: 3, maxItems: 2 })).to.equal(
      '[1.23, 2, … (3 values)]',
    );
    expect(valueText(reading({ valueType: 'scalarArray', value: Float64Array.of(1.23456789, 2, 3) }), { decimals: 2 })).to.equal('[1.23, 2.00, 3.00]');
    expect(valueText(reading({ valueType: 'scalar', value: 51.65 }), { decimals: 0, precision: 3 })).to.equal('52');
    expect(valueText(reading({ valueType: 'scalar', value: Number.NaN }), { decimals: 2 })).to.equal('NaN');
    expect(valueText(reading({ valueType: 'textArray', value: ['a', 'b', 'c'] }), { maxItems: 1 })).to.equal('["a", … (3 values)]');
  });

  it('one line and one JSON object per reading', () => {
    const r = reading({ valueType: 'scalar', value: 2 });
    expect(readingLine(r)).to.equal('Z:X  2 V  2026-01-02T03:04:05.678Z');
    expect(readingLine(reading({ valueType: 'text', value: 't', meta: undefined, timestamp: undefined }))).to.equal('Z:X  t  -');
    expect(readingJson(r)).to.deep.equal({
      drf: 'Z:X',
      device: 'Z:X',
      ok: true,
      valueType: 'scalar',
      value: 2,
      units: 'V',
      timestamp: '2026-01-02T03:04:05.678Z',
      cycle: 7,
      status: { name: 'ACNET_OK', facility: 0, error: 0, text: 'success' },
    });
  });
});
