import { expect } from 'chai';
import fc from 'fast-check';
import { toCanonical } from '../../lib/drf/canonical.js';
import { DrfError } from '../../lib/drf/errors.js';
import {
  deviceKey,
  deviceName,
  ensureImmediate,
  isHistorical,
  oneShot,
  parseListProperty,
  replaceEvent,
  requestKey,
  sameDevice,
  stripEvent,
  withEvent,
  withField,
  withProperty,
  withRange,
  writeRequest,
  writeTarget,
} from '../../lib/drf/helpers.js';
import { parseDrf, parseEvent, parseRange } from '../../lib/drf/parse.js';
import { loadDrfVectors } from '../support/drf-vectors.js';

const { vectors } = loadDrfVectors();

function expectDrfError(fn: () => unknown): DrfError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DrfError);
    return e as DrfError;
  }
  expect.fail('expected a DrfError');
}

describe('drf/helpers', () => {
  describe('ensureImmediate (ensure_immediate_event vectors)', () => {
    for (const v of vectors.ensure_immediate_event) {
      const never = parseDrf(v.input).event.mode === 'N';
      if (never) {
        it(`refuses ${JSON.stringify(v.input)} (@N: a one-shot read would never complete; project decision)`, () => {
          const e = expectDrfError(() => ensureImmediate(v.input));
          expect(e.part).to.equal('event');
          expect(e.message).to.contain('never');
          expect(e.position).to.equal(v.input.lastIndexOf('@'));
        });
      } else {
        it(`${JSON.stringify(v.input)} → ${JSON.stringify(v.output)}`, () => {
          expect(ensureImmediate(v.input)).to.equal(v.output);
        });
      }
    }
    it('rejects invalid text', () => {
      expectDrfError(() => ensureImmediate('M:OUTTMP@'));
    });
    it('never damages a device whose body starts with U after the @ qualifier', () => {
      expect(ensureImmediate('M@UUUU')).to.equal('M@UUUU@I');
      expect(ensureImmediate('M@UUUU@u')).to.equal('M@UUUU@I');
      expect(ensureImmediate('M@U[1]@U<-FTP')).to.equal('M@U[1]@I<-FTP');
    });
  });

  describe('oneShot', () => {
    it('makes the default event immediate and keeps others', () => {
      expect(toCanonical(oneShot('M_OUTTMP'))).to.equal('M:OUTTMP.SETTING@I');
      expect(toCanonical(oneShot('M:OUTTMP@u<-FTP'))).to.equal('M:OUTTMP.READING@I<-FTP');
      expect(toCanonical(oneShot('M:OUTTMP@p,1000'))).to.equal('M:OUTTMP.READING@p,1000');
      expect(toCanonical(oneShot('M:OUTTMP<-LOGGERDURATION:6'))).to.equal('M:OUTTMP.READING<-LOGGERDURATION:6');
    });
    it('refuses @N', () => {
      const e = expectDrfError(() => oneShot(parseDrf('M:OUTTMP@N')));
      expect(e.input).to.equal('M:OUTTMP.READING@N');
    });
    it('agrees with ensureImmediate on generated inputs (property)', () => {
      const arb = fc.tuple(
        fc.constantFrom('M:OUTTMP', 'M@UTTMP', 'z_acl', 'B:ARR[0:3].RAW', 'Z|X.ON'),
        fc.constantFrom('', '@U', '@u', '@I', '@p,10', '@E,2', '@N'),
        fc.constantFrom('', '<-FTP', '<-LOGGER:1:2', '<-SRFILE:3'),
      );
      fc.assert(fc.property(arb, ([d, e, s]) => {
        const t = d + e + s;
        let a: string | DrfError;
        let b: string | DrfError;
        try { a = toCanonical(ensureImmediate(t)); } catch (x) { a = x as DrfError; }
        try { b = toCanonical(oneShot(t)); } catch (x) { b = x as DrfError; }
        if (typeof a === 'string') expect(b).to.equal(a);
        else expect(b).to.be.instanceOf(DrfError);
      }));
    });
  });

  describe('writeTarget (prepare_for_write vectors)', () => {
    for (const v of vectors.prepare_for_write) {
      it(`${JSON.stringify(v.input)} → ${JSON.stringify(v.output)}`, () => {
        expect(writeTarget(v.input)).to.equal(v.output);
        expect(toCanonical(writeRequest(parseDrf(v.input)))).to.equal(v.output);
        expect(writeRequest(v.input).event.mode).to.equal('N');
      });
    }
  });

  describe('deviceName (get_device_name vectors)', () => {
    for (const v of vectors.get_device_name) {
      it(`${JSON.stringify(v.input)} → ${JSON.stringify(v.output)}`, () => {
        expect(deviceName(v.input)).to.equal(v.output);
        expect(deviceName(parseDrf(v.input))).to.equal(v.output);
      });
    }
  });

  describe('replaceEvent (replace_event vectors)', () => {
    for (const v of vectors.replace_event) {
      it(`${JSON.stringify(v.input)} + ${JSON.stringify(v.event)} → ${JSON.stringify(v.output)}`, () => {
        expect(replaceEvent(v.input, v.event)).to.equal(v.output);
        expect(toCanonical(withEvent(parseDrf(v.input), parseEvent(v.event)))).to.equal(v.output);
      });
    }
  });

  describe('stripEvent (strip_event vectors)', () => {
    for (const v of vectors.strip_event) {
      it(`${JSON.stringify(v.input)} → ${JSON.stringify(v.output)}`, () => {
        expect(toCanonical(stripEvent(v.input))).to.equal(v.output);
      });
    }
  });

  describe('builders (builders vectors)', () => {
    for (const v of vectors.builders) {
      it(`${JSON.stringify(v.input)} with ${JSON.stringify(v.set)} → ${JSON.stringify(v.output)}`, () => {
        let r = parseDrf(v.input);
        if (v.set.property !== undefined) r = withProperty(r, v.set.property, v.set.field);
        else if (v.set.field !== undefined) r = withField(r, v.set.field);
        if ('range' in v.set) r = withRange(r, v.set.range ?? null);
        if (v.set.event !== undefined) r = withEvent(r, v.set.event);
        expect(toCanonical(r)).to.equal(v.output);
        expect(Object.isFrozen(r)).to.equal(true);
      });
    }
  });

  describe('builders', () => {
    it('return new requests and leave the input alone', () => {
      const r = parseDrf('M:OUTTMP.STATUS.ON@p,1000');
      const s = withField(r, 'ready');
      expect(s).to.not.equal(r);
      expect(r.field).to.equal('ON');
      expect(s.field).to.equal('READY');
    });
    it('accept range objects and refuse bad ones', () => {
      expect(toCanonical(withRange('B:A1', parseRange('[2:4]')))).to.equal('B:A1.READING[2:4]');
      expect(toCanonical(withRange('B:A1', { kind: 'byte', mode: 'std', offset: null, length: 4 }))).to.equal('B:A1.READING{:4}');
      expectDrfError(() => withRange('B:A1', { kind: 'array', mode: 'std', low: 5, high: 2 }));
      expectDrfError(() => withRange('B:A1', { kind: 'array', mode: 'single', low: -1, high: null }));
      expectDrfError(() => withRange('B:A1', '[1:2:3]'));
    });
    it('refuse fields not valid for the property, unknown fields and properties', () => {
      expectDrfError(() => withField('M:OUTTMP', 'ON'));
      expectDrfError(() => withField('M:OUTTMP', 'NOPE'));
      expectDrfError(() => withProperty('M:OUTTMP', 'NOPE'));
      expectDrfError(() => withProperty('M:OUTTMP', 'STATUS', 'SCALED'));
      expectDrfError(() => withEvent('M:OUTTMP', 'X'));
    });
    it('withField(null) and withProperty(p, null) restore the default field', () => {
      expect(toCanonical(withField('M:OUTTMP.RAW', null))).to.equal('M:OUTTMP.READING');
      expect(toCanonical(withProperty('M:OUTTMP.RAW', 'READING', null))).to.equal('M:OUTTMP.READING');
      expect(toCanonical(withProperty('M:OUTTMP.RAW', 'read'))).to.equal('M:OUTTMP.READING.RAW');
    });
    it('withEvent accepts a parsed event', () => {
      expect(toCanonical(withEvent('M:OUTTMP', parseEvent('e,02,h,10')))).to.equal('M:OUTTMP.READING@e,02,h,10');
    });
  });

  describe('device keys', () => {
    it('compare device names case-insensitively', () => {
      expect(sameDevice('M:OUTTMP', 'm_outtmp.raw@p,1000')).to.equal(true);
      expect(sameDevice('M:OUTTMP', 'M:OUTTMP2')).to.equal(false);
      expect(deviceKey('m|outtmp')).to.equal('M:OUTTMP');
      expect(deviceKey('#:1234')).to.equal('0:1234');
      expect(sameDevice('#:1234', '0:1234')).to.equal(true);
    });
    it('requestKey merges spellings of the same request but keeps the source as typed', () => {
      expect(requestKey('m:outtmp@p,1000')).to.equal(requestKey('M:OUTTMP.READING@P,1000'));
      expect(requestKey('M_OUTTMP.SET')).to.equal(requestKey('m:outtmp.setting.scaled'));
      expect(requestKey('M:OUTTMP')).to.not.equal(requestKey('M:OUTTMP@I'));
      expect(requestKey('M:OUTTMP<-FTP')).to.not.equal(requestKey('M:OUTTMP<-ftp'));
      expect(requestKey('M:OUTTMP@s,g:amanda,1,0,=')).to.equal('M:OUTTMP.READING@S,G:AMANDA,1,0,=');
    });
  });

  it('isHistorical', () => {
    expect(isHistorical('M:OUTTMP<-LOGGER:1:2')).to.equal(true);
    expect(isHistorical('M:OUTTMP<-LOGGERSINGLE:N:1:2')).to.equal(true);
    expect(isHistorical('M:OUTTMP<-FTP')).to.equal(false);
    expect(isHistorical('M:OUTTMP')).to.equal(false);
  });

  it('parseListProperty follows the DPM server rule (dpm-behaviour.md §3.1)', () => {
    expect(parseListProperty('#ROLE:testing')).to.deep.equal({ name: 'ROLE', value: 'testing' });
    expect(parseListProperty('#ROLE:a:b')).to.deep.equal({ name: 'ROLE', value: 'a' }); // the value ends at the next `:`
    expect(parseListProperty('#role:x')).to.deep.equal({ name: 'role', value: 'x' });
    expect(parseListProperty('#R:xy')).to.deep.equal({ name: 'R', value: 'xy' });
    // not properties (DPM parses them as DRFs): too short, empty name, empty value, no `:`
    for (const t of ['#R:x', '#:1234', '#ROLE:', '#ROLE::b', '#ROLE', 'M:OUTTMP', 'ROLE:x', '']) expect(parseListProperty(t), t).to.equal(null);
    // the rule as the spec words it: split on `:`, parts 1 and 2 non-empty, longer than 4, leading `#`
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'#:_|AZaz09.@') }), (t) => {
        const parts = t.slice(1).split(':');
        const isProperty = t.startsWith('#') && t.length > 4 && parts.length > 1 && parts[0] !== '' && parts[1] !== '';
        expect(parseListProperty(t), t).to.deep.equal(isProperty ? { name: parts[0], value: parts[1] } : null);
      }),
    );
  });

  it('#:1234 stays a DRF (device index), as DPM reads it', () => {
    expect(parseListProperty('#:1234')).to.equal(null);
    expect(deviceKey(parseDrf('#:1234'))).to.equal('0:1234');
  });
});
