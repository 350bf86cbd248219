import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { main, openWriter, parseSettingValue } from '../../lib/cli/acput.js';
import { UsageError } from '../../lib/cli/common.js';
import { dpm } from '../../lib/dpm/client.js';
import { insecureSimulatorAuth } from '../../lib/dpm/write/insecure-simulator-auth.js';
import { startSimulator } from '../../lib/sim/index.js';
import { memoryIO, useCliSim } from './cli-support.js';

describe('cli/acput', () => {
  describe('parseSettingValue', () => {
    it('numbers, comma lists, text, raw hex', () => {
      expect(parseSettingValue('42', {})).to.equal(42);
      expect(parseSettingValue('-1.5e3', {})).to.equal(-1500);
      expect(parseSettingValue('1, 2,3.5', {})).to.deep.equal([1, 2, 3.5]);
      expect(parseSettingValue('42', { text: true })).to.equal('42');
      expect(parseSettingValue('hello world', { text: true })).to.equal('hello world');
      expect(parseSettingValue(undefined, { raw: '0x01ff' })).to.deep.equal(Uint8Array.of(1, 255));
    });

    it('CONTROL: ON / OFF / RESET (any case) are commands; other words are refused', () => {
      expect(parseSettingValue('off', { control: true })).to.equal('OFF');
      expect(parseSettingValue('On', { control: true })).to.equal('ON');
      expect(parseSettingValue('RESET', { control: true })).to.equal('RESET');
      expect(parseSettingValue('2', { control: true })).to.equal(2);
      expect(() => parseSettingValue('BANANA', { control: true })).to.throw(UsageError, /not a control command: expected RESET, ON, OFF or a number/);
      expect(() => parseSettingValue('ON', {})).to.throw(UsageError, /not a number/);
    });

    it('refuses what is ambiguous or malformed', () => {
      for (const [v, o] of [
        ['abc', {}],
        ['1,,2', {}],
        ['7,', {}],
        ['1.2.3', {}],
        [undefined, {}],
        [undefined, { raw: 'abc' }],
        [undefined, { raw: 'zz' }],
        ['1', { raw: '01' }],
        [undefined, { raw: '01', text: true }],
      ] as const) {
        expect(() => parseSettingValue(v, o), String(v)).to.throw(UsageError);
      }
    });
  });

  describe('main', () => {
    const h = useCliSim(); // closes the simulator, then checks for leaks, after each test

    it('without a Kerberos ticket: refuses with a clear message, exit 4, nothing sent', async () => {
      const io = memoryIO({ env: { KRB5CCNAME: 'FILE:/nonexistent/acsys-rx-cli-test/krb5cc' } });
      expect(await main(['Z:ACLTST', '42', ...h.at], io)).to.equal(4);
      expect(io.out()).to.equal('');
      expect(io.err()).to.match(/^acput: refusing to write: /);
      expect(io.err()).to.match(/kinit|GSSAPI|binding/i);
      expect(h.sim.totalConnections).to.equal(0);
    });

    it('usage errors → exit 2 before anything else', async () => {
      for (const argv of [
        [],
        ['Z:ACLTST'],
        ['Z:ACLTST', 'abc'],
        ['Z:ACLTST[', '1'],
        ['Z:ACLTST', '1', '2'],
        ['Z:ACLTST', '--raw', '0'],
        ['Z:ACLTST', '1', '--role', 'a b'],
        ['Z:ACLTST', '1', '--insecure-sim', '--port', '1'],
        ['Z:ACLTST', '1', '--insecure-sim', '--principal', 'alice', '--port', '1'],
        ['Z:ACLTST', '1', '--insecure-sim=nobody', '--port', '1'],
        ['Z:ACLTST', '1', '--principal', 'alice@FNAL.GOV'],
        ['Z:ACLTST', '1', '--insecure', '--realm', 'FNAL.GOV'],
      ]) {
        const io = memoryIO({ env: { KRB5CCNAME: 'FILE:/nonexistent/x' } });
        expect(await main([...argv, ...(argv.includes('--port') ? [] : h.at)], io), argv.join(' ')).to.equal(2);
        expect(io.err()).to.contain("Try 'acput --help'");
      }
      expect(h.sim.totalConnections).to.equal(0);
    });

    it('a negative number is a value, not an option', async () => {
      const io = memoryIO({ env: { KRB5CCNAME: 'FILE:/nonexistent/x' } });
      expect(await main(['Z:ACLTST', '-5', ...h.at], io)).to.equal(4); // got past parsing to the ticket check
    });

    it('--help', async () => {
      const io = memoryIO();
      expect(await main(['--help'], io)).to.equal(0);
      expect(io.out()).to.match(/^Usage: acput /).and.contain('--role').and.contain('--insecure-sim').and.contain('Exit codes:');
    });

    it('--insecure-sim: writes to an embedded insecure simulator and prints the result', async () => {
      const io = memoryIO();
      expect(await main(['Z:ACLTST', '42', '--insecure-sim'], io)).to.equal(0);
      expect(io.out()).to.match(/^Z:ACLTST {2}42 {2}ACNET_OK\n$/);
    });

    it('--insecure-sim PRINCIPAL, --insecure-sim=PRINCIPAL, --insecure-sim --principal PRINCIPAL: the principal of the insecure simulator', async () => {
      for (const argv of [
        ['--insecure-sim', 'alice@FNAL.GOV', 'Z:ACLTST', '7'],
        ['Z:ACLTST', '7', '--insecure-sim', 'alice@FNAL.GOV'],
        ['Z:ACLTST', '7', '--insecure-sim=alice@FNAL.GOV'],
        ['Z:ACLTST', '7', '--insecure-sim', '--principal', 'alice@FNAL.GOV'],
      ]) {
        const io = memoryIO();
        expect(await main(argv, io), `${argv.join(' ')}: ${io.err()}`).to.equal(0);
        expect(io.out()).to.equal('Z:ACLTST  7  ACNET_OK\n');
      }
    });

    it('--insecure-sim followed by a DRF with an event: the DRF, not a principal', async () => {
      const io = memoryIO();
      expect(await main(['--insecure-sim', 'Z_ACLTST@N', '8'], io), io.err()).to.equal(0);
      expect(io.out()).to.match(/^Z_ACLTST@N {2}8 {2}ACNET_OK\n$/);
    });

    it('--insecure-sim --json, arrays, text and raw values', async () => {
      for (const [argv, value] of [
        [['Z:ARRAY1K', '1,2,3'], [1, 2, 3]],
        [['Z:TEXTDEV', '--text', 'hi there'], 'hi there'],
        [['Z:RAWDEV', '--raw', '0a0b0c0d0e0f1011'], '0a0b0c0d0e0f1011'],
      ] as const) {
        const io = memoryIO();
        expect(await main([...argv, '--insecure-sim', '--json'], io), argv.join(' ')).to.equal(0);
        const o = JSON.parse(io.out()) as Record<string, unknown>;
        expect(o).to.deep.include({ drf: argv[0], success: true, value });
        expect(o['status']).to.deep.include({ name: 'ACNET_OK' });
      }
    });

    it('--insecure-sim Z:ACLTST.CONTROL ON|OFF|RESET: the command is applied; an unknown word is a usage error', async () => {
      for (const [cmd, shown] of [['OFF', 'OFF'], ['on', 'ON'], ['Reset', 'RESET']] as const) {
        const io = memoryIO();
        expect(await main(['Z:ACLTST.CONTROL', cmd, '--insecure-sim'], io), io.err()).to.equal(0);
        expect(io.out()).to.equal(`Z:ACLTST.CONTROL  ${shown}  ACNET_OK\n`);
      }
      const json = memoryIO();
      expect(await main(['Z:ACLTST.STATUS', 'off', '--insecure-sim', '--json'], json), json.err()).to.equal(0);
      expect(JSON.parse(json.out())).to.deep.include({ drf: 'Z:ACLTST.STATUS', success: true, value: 'OFF' });
      const bad = memoryIO();
      expect(await main(['Z:ACLTST.CONTROL', 'BANANA', '--insecure-sim'], bad)).to.equal(2);
      expect(bad.err()).to.match(/^acput: VALUE "BANANA" is not a control command/);
      const unknown = memoryIO();
      expect(await main(['Z:ACLTST.CONTROL', '99', '--insecure-sim'], unknown)).to.equal(1);
      expect(unknown.err()).to.match(/^acput: Z:ACLTST.CONTROL: setting failed: DIO_INVDATA/);
    });

    it('an unknown option: one clear line, exit 2', async () => {
      const io = memoryIO();
      expect(await main(['Z:ACLTST', '1', '--bogus'], io)).to.equal(2);
      expect(io.err()).to.equal('acput: unknown option --bogus (see --help)\n');
    });

    it('a failed setting: exit 1 and a message naming the device and status', async () => {
      const io = memoryIO();
      expect(await main(['Z:NOSUCH', '1', '--insecure-sim'], io)).to.equal(1);
      expect(io.out()).to.equal('');
      expect(io.err()).to.match(/^acput: Z:NOSUCH: setting failed: [A-Z_]+ \(\d+ -\d+\)/);
    });

    it('--insecure: writes to a RUNNING simulator in its insecure mode (--host/--port, or the environment)', async () => {
      const running = await startSimulator({ port: 0, insecureSettings: 'alice@FNAL.GOV' });
      try {
        const at = ['--host', running.host, '--port', String(running.port)];
        const io = memoryIO({ env: { KRB5CCNAME: 'FILE:/nonexistent/x' } }); // no ticket needed
        expect(await main(['Z:ACLTST', '42.5', '--insecure', ...at], io), io.err()).to.equal(0);
        expect(io.out()).to.equal('Z:ACLTST  42.5  ACNET_OK\n');
        expect(running.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 42.5 });
        // only PACSYS_DPM_HOST/PORT, as the README says; --insecure=PRINCIPAL and --insecure PRINCIPAL too
        const env = { PACSYS_DPM_HOST: running.host, PACSYS_DPM_PORT: String(running.port) };
        for (const argv of [['--insecure'], ['--insecure=bob@FNAL.GOV'], ['--insecure', 'bob@FNAL.GOV']]) {
          const e = memoryIO({ env });
          expect(await main(['Z:TEXTDEV', 'hi', '--text', ...argv], e), `${argv.join(' ')}: ${e.err()}`).to.equal(0);
        }
        expect(running.getDevice('Z:TEXTDEV')?.setting).to.deep.include({ value: 'hi' });
        // --insecure --sim: an embedded insecure simulator, like --insecure-sim
        const sim = memoryIO();
        expect(await main(['Z:ACLTST', '3', '--insecure', '--sim'], sim), sim.err()).to.equal(0);
      } finally {
        await running.close();
      }
    });

    it('a setting whose answer is lost: exit 5, "outcome unknown" on stderr, applied once, not re-sent', async () => {
      const running = await startSimulator({ port: 0, insecureSettings: 'alice@FNAL.GOV', faults: { dropInsteadOfReply: 'ApplySettings_reply' } });
      try {
        let applied = 0;
        const sub = running.settings$.subscribe((x) => (applied += x.status === 0 ? 1 : 0));
        const io = memoryIO({ env: { PACSYS_DPM_HOST: running.host, PACSYS_DPM_PORT: String(running.port) } });
        expect(await main(['Z:ACLTST', '8.5', '--insecure', '--json'], io)).to.equal(5);
        expect(JSON.parse(io.out())).to.deep.include({ drf: 'Z:ACLTST', success: false, outcome: 'unknown' });
        expect(io.err()).to.match(/^acput: Z:ACLTST: outcome unknown, the setting may have been applied \(ACNET_DISCONNECTED/);
        expect(applied).to.equal(1);
        expect(running.totalConnections).to.equal(1);
        sub.unsubscribe();
      } finally {
        await running.close();
      }
    });

    it('--insecure against a server that is not an insecure simulator: exit 4, a message saying so', async () => {
      const io = memoryIO();
      expect(await main(['Z:ACLTST', '1', '--insecure', ...h.at], io)).to.equal(4);
      expect(io.err()).to.match(/^acput: --insecure: 127\.0\.0\.1:\d+ refused the fake token: it is not a simulator started with --insecure-settings/);
      expect(io.err().split('\n').filter(Boolean)).to.have.length(1);
      expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 12.5 });
    });

    it('openWriter + insecureSimulatorAuth against an insecure simulator: the setting is applied', async () => {
      const insecure = await startSimulator({ port: 0, insecureSettings: 'alice@FNAL.GOV' });
      try {
        const w = openWriter({ host: insecure.host, port: insecure.port }, insecureSimulatorAuth('alice@FNAL.GOV'), undefined);
        try {
          const r = await firstValueFrom(w.write('Z:ACLTST', 33.5));
          expect(r.success, r.status.toString()).to.equal(true);
        } finally {
          w.close();
        }
        const c = dpm({ host: insecure.host, port: insecure.port });
        try {
          expect(await firstValueFrom(c.read('Z:ACLTST.SETTING'))).to.equal(33.5);
        } finally {
          c.close();
        }
      } finally {
        await insecure.close();
      }
    });
  });
});
