import { expect } from 'chai';
import { dpm } from '../../../lib/dpm/client.js';
import { ConfigError } from '../../../lib/errors/config-error.js';
import {
  applySettingsRequest,
  expandAlarmBlock,
  insecureSimulatorAuth,
  ControlCommand,
  controlCommand,
  matches,
  readbackDrf,
  settingPayload,
  writeResult,
} from '../../../lib/dpm/write/index.js';

describe('dpm/write: values, alarm blocks, results, options', () => {
  it('maps values to Raw / Scaled / Text settings (§9.4 step 4)', () => {
    expect(settingPayload(Uint8Array.of(1, 2))).to.deep.equal({ kind: 'raw', data: Uint8Array.of(1, 2) });
    expect(settingPayload(42)).to.deep.equal({ kind: 'scaled', data: [42] });
    expect(settingPayload([1, 2.5])).to.deep.equal({ kind: 'scaled', data: [1, 2.5] });
    expect(settingPayload(Float64Array.of(3, 4))).to.deep.equal({ kind: 'scaled', data: [3, 4] });
    expect(settingPayload('on')).to.deep.equal({ kind: 'text', data: ['on'] });
    expect(settingPayload(['a', 'b'])).to.deep.equal({ kind: 'text', data: ['a', 'b'] });
    expect(() => settingPayload([1, 'a'] as unknown as number[])).to.throw(TypeError);
  });

  it('CONTROL: ON / OFF / RESET (any case) become their numbers; other text is refused', () => {
    expect(ControlCommand).to.deep.equal({ RESET: 0, ON: 1, OFF: 2 });
    expect(controlCommand(' off ')).to.equal(2);
    expect(controlCommand('toString')).to.equal(undefined);
    expect(settingPayload('OFF', 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [2] });
    expect(settingPayload('on', 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [1] });
    expect(settingPayload('Reset', 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [0] });
    expect(settingPayload(['on', 'OFF'], 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [1, 2] });
    expect(settingPayload(ControlCommand.ON, 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [1] });
    expect(settingPayload(99, 'CONTROL')).to.deep.equal({ kind: 'scaled', data: [99] }); // numbers pass: the server judges them
    expect(() => settingPayload('BANANA', 'CONTROL')).to.throw(TypeError, /unknown control command "BANANA": expected RESET, ON, OFF/);
    expect(() => settingPayload(['ON', 'x'], 'CONTROL')).to.throw(TypeError, /unknown control command "x"/);
    expect(settingPayload('OFF', 'SETTING')).to.deep.equal({ kind: 'text', data: ['OFF'] }); // text elsewhere
  });

  it('builds ApplySettings with one struct per setting and omits empty arrays', () => {
    const m = applySettingsRequest('alice@FNAL.GOV', 4096, [
      [3, settingPayload('x')],
      [1, settingPayload(1)],
      [2, settingPayload(Uint8Array.of(9))],
    ]);
    expect(m).to.deep.equal({
      type: 'ApplySettings_request',
      user_name: 'alice@FNAL.GOV',
      list_id: 4096,
      raw_array: [{ ref_id: 2, data: Uint8Array.of(9) }],
      scaled_array: [{ ref_id: 1, data: [1] }],
      text_array: [{ ref_id: 3, data: ['x'] }],
    });
    expect(applySettingsRequest('u@R', 1, [[1, settingPayload(5)]])).to.not.have.any.keys('raw_array', 'text_array');
  });

  it('expands alarm blocks in the fixed field order, booleans as 1/0, camelCase accepted, read-only fields ignored', () => {
    expect(expandAlarmBlock('Z:ACLTST.ANALOG', { tries_needed: 3, abort_inhibit: false, alarm_enable: true, maximum: 10, minimum: -1 })).to.deep.equal([
      { drf: 'Z:ACLTST.ANALOG.MIN', value: -1 },
      { drf: 'Z:ACLTST.ANALOG.MAX', value: 10 },
      { drf: 'Z:ACLTST.ANALOG.ALARM_ENABLE', value: 1 },
      { drf: 'Z:ACLTST.ANALOG.ABORT_INHIBIT', value: 0 },
      { drf: 'Z:ACLTST.ANALOG.TRIES_NEEDED', value: 3 },
    ]);
    const read = { nominal: 1, mask: 3, alarmEnable: false, alarmStatus: true, abort: false, abortInhibit: true, triesNeeded: 2, triesNow: 0 };
    expect(expandAlarmBlock('Z$ACLTST', read).map((f) => f.drf)).to.deep.equal([
      'Z:ACLTST.DIGITAL.NOM',
      'Z:ACLTST.DIGITAL.MASK',
      'Z:ACLTST.DIGITAL.ALARM_ENABLE',
      'Z:ACLTST.DIGITAL.ABORT_INHIBIT',
      'Z:ACLTST.DIGITAL.TRIES_NEEDED',
    ]);
    expect(() => expandAlarmBlock('Z:ACLTST', { minimum: 1 })).to.throw(TypeError, /ANALOG or .DIGITAL/);
    expect(() => expandAlarmBlock('Z:ACLTST.ANALOG', { minimun: 1 } as never)).to.throw(TypeError, /unknown alarm field/);
    expect(() => expandAlarmBlock('Z:ACLTST.ANALOG', {})).to.throw(TypeError, /no field/);
  });

  it('results: success means error byte 0 (a warning is not a success)', () => {
    expect(writeResult('Z:ACLTST', 0).success).to.equal(true);
    expect(writeResult('Z:ACLTST', -4335).success).to.equal(false);
    expect(writeResult('Z:ACLTST', 1 + 256).success).to.equal(false);
  });

  it('read-back DRFs and comparisons', () => {
    expect(readbackDrf('Z:ACLTST')).to.equal('Z:ACLTST.SETTING');
    expect(readbackDrf('Z:ACLTST.STATUS.ON')).to.equal(undefined);
    expect(matches(1.5, 1.50001, 1e-3)).to.equal(true);
    expect(matches(1.5, 1.6, 1e-3)).to.equal(false);
    expect(matches([1, 2], Float64Array.of(1, 2), 0)).to.equal(true);
    expect(matches('a', 'a', 0)).to.equal(true);
    expect(matches(Uint8Array.of(1), Uint8Array.of(2), 0)).to.equal(false);
  });

  it('validates auth / role / writePoolSize like the other options', () => {
    const bad = (o: object, name: string): void => {
      expect(() => dpm(o)).to.throw(ConfigError).with.property('option', name);
    };
    bad({ auth: { kind: 'password' } }, 'auth');
    bad({ role: 'a:b' }, 'role');
    bad({ role: '' }, 'role');
    bad({ writePoolSize: 0 }, 'writePoolSize');
    const c = dpm({ auth: insecureSimulatorAuth('alice@FNAL.GOV'), role: 'testing', writePoolSize: 2 });
    expect(c.options.role).to.equal('testing');
    expect(c.options.writePoolSize).to.equal(2);
    expect(dpm().options.writePoolSize).to.equal(4);
    c.close();
  });

  it('insecureSimulatorAuth needs a principal', () => {
    expect(() => insecureSimulatorAuth('nobody')).to.throw(TypeError);
    expect(insecureSimulatorAuth('alice@FNAL.GOV').insecure).to.equal(true);
  });
});
