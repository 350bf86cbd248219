import { expect } from 'chai';
import fc from 'fast-check';
import { DrfError } from '../../lib/drf/errors.js';
import {
  isDeviceName,
  isValidDrf,
  parseDataSource,
  parseDrf,
  parseEvent,
  parseRange,
  parseTimeMs,
} from '../../lib/drf/parse.js';
import { toCanonical } from '../../lib/drf/canonical.js';
import type { DrfEvent, DrfRequest } from '../../lib/drf/types.js';
import { loadDrfVectors } from '../support/drf-vectors.js';

const { vectors, sharedText, fixtureText } = loadDrfVectors();

/** The event in the vectors' snake_case shape. */
function vectorEvent(e: DrfEvent): Record<string, unknown> {
  switch (e.kind) {
    case 'periodic':
      return { mode: e.mode, raw: e.raw, continuous: e.continuous, period_ms: e.periodMs, immediate: e.immediate };
    case 'clock':
      return { mode: e.mode, raw: e.raw, event_number: e.eventNumber, clock_type: e.clockType, delay_ms: e.delayMs };
    case 'state':
      return { mode: e.mode, raw: e.raw, device: e.device, value: e.value, delay_ms: e.delayMs, expression: e.expression };
    default:
      return { mode: e.mode, raw: e.raw };
  }
}

function expectDrfError(fn: () => unknown): DrfError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DrfError);
    return e as DrfError;
  }
  expect.fail('expected a DrfError');
}

function isDeepFrozen(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return true;
  if (!Object.isFrozen(x)) return false;
  return Object.values(x).every(isDeepFrozen);
}

describe('drf/parse', () => {
  describe('vector file', () => {
    it('the fixture copy equals ../shared/vectors/drf.json when both exist', function () {
      if (sharedText === null || fixtureText === null) this.skip();
      expect(JSON.parse(fixtureText!)).to.deep.equal(JSON.parse(sharedText!));
    });
  });

  describe('valid vectors (parts and canonical form)', () => {
    for (const v of vectors.valid) {
      it(`parses ${JSON.stringify(v.input)}`, () => {
        const r = parseDrf(v.input);
        expect(r.device, 'device').to.equal(v.device);
        expect(r.property, 'property').to.equal(v.property);
        expect(r.propertyExplicit, 'property_explicit').to.equal(v.property_explicit);
        expect(r.range, 'range').to.deep.equal(v.range);
        expect(r.field, 'field').to.equal(v.field);
        expect(vectorEvent(r.event), 'event').to.deep.equal(v.event);
        expect(r.extra === null ? null : { name: r.extra.name, raw: r.extra.raw }, 'extra').to.deep.equal(v.extra);
        expect(toCanonical(r), 'canonical').to.equal(v.canonical);
        expect(toCanonical(v.input), 'canonical from text').to.equal(v.canonical);
      });
    }
  });

  describe('invalid vectors (rejected with DrfError)', () => {
    for (const v of vectors.invalid) {
      it(`rejects ${JSON.stringify(v.input)} (${v.kind}: ${v.reason})`, () => {
        const e = expectDrfError(() => parseDrf(v.input));
        expect(e.code).to.equal('DRF_ERROR');
        expect(e.input).to.equal(v.input);
        expect(e.position).to.be.within(0, Math.max(0, v.input.length));
        expect(['syntax', 'device', 'property', 'range', 'field', 'event', 'extra']).to.include(e.part);
        expect(e.message).to.contain(`at position ${e.position} in `);
        expect(isValidDrf(v.input)).to.equal(false);
      });
    }
  });

  describe('parseDrf', () => {
    it('returns a deeply frozen request', () => {
      for (const t of ['M:OUTTMP', 'B:ARRAY1[0:9].RAW@p,500,FALSE<-LOGGERDURATION:60000', 'M:OUTTMP@S,G:AMANDA,1,0,=', 'M:X<-SDAFILE:1:2:3:4']) {
        expect(isDeepFrozen(parseDrf(t)), t).to.equal(true);
      }
    });

    it('caches identical strings (same object)', () => {
      expect(parseDrf('M:OUTTMP@p,1000')).to.equal(parseDrf('M:OUTTMP@p,1000'));
    });

    it('accepts every qualifier character', () => {
      const expected: Record<string, string> = {
        ':': 'READING', '?': 'READING', _: 'SETTING', '|': 'STATUS', '&': 'CONTROL', '@': 'ANALOG',
        $: 'DIGITAL', '~': 'DESCRIPTION', '^': 'INDEX', '#': 'LONG_NAME', '!': 'ALARM_LIST_NAME',
      };
      for (const [q, p] of Object.entries(expected)) {
        const r = parseDrf(`Z${q}ACLTST`);
        expect(r.property, q).to.equal(p);
        expect(r.device).to.equal('Z:ACLTST');
        expect(r.propertyExplicit).to.equal(false);
      }
    });

    it('accepts index names, bodies with ":", "_", "-", and 64 characters', () => {
      expect(parseDrf('0:1234').device).to.equal('0:1234');
      expect(parseDrf('#:1234').device).to.equal('#:1234');
      expect(parseDrf('Z:AB:CD').device).to.equal('Z:AB:CD');
      expect(parseDrf('Z:AB-CD_9').device).to.equal('Z:AB-CD_9');
      const d = `Z:${'A'.repeat(62)}`;
      expect(parseDrf(d).device).to.equal(d);
      expectDrfError(() => parseDrf(`${d}B`));
    });

    it('reports what is wrong and where', () => {
      const e = expectDrfError(() => parseDrf('M:OUTTMP.FOO'));
      expect(e.part).to.equal('field');
      expect(e.position).to.equal(9);
      expect(e.message).to.equal('unknown property or field "FOO" at position 9 in "M:OUTTMP.FOO"');
      const p = expectDrfError(() => parseDrf('M:OUTTMP.FOO.RAW'));
      expect(p.part).to.equal('property');
      expect(p.message).to.equal('unknown property "FOO" at position 9 in "M:OUTTMP.FOO.RAW"');
      const r = expectDrfError(() => parseDrf('B:ARRAY1[5:2]'));
      expect(r.part).to.equal('range');
      expect(r.detail).to.equal('range end 2 is before start 5');
      const f = expectDrfError(() => parseDrf('M:OUTTMP.SETTING.TEXT'));
      expect(f.detail).to.equal('field TEXT is not valid for property SETTING');
      expect(f.position).to.equal(17);
      const ev = expectDrfError(() => parseDrf('M:OUTTMP@p,1.5'));
      expect(ev.part).to.equal('event');
      expect(ev.position).to.equal(11);
      const d = expectDrfError(() => parseDrf('M*OUTTMP'));
      expect(d.part).to.equal('device');
      expect(d.position).to.equal(1);
      const w = expectDrfError(() => parseDrf('M:OUTTMP @p,1000'));
      expect(w.part).to.equal('syntax');
      expect(w.position).to.equal(8);
      expect(w.message).to.contain('U+0020');
    });

    it('rejects surrounding whitespace (no trimming)', () => {
      for (const t of [' M:OUTTMP', 'M:OUTTMP ', 'M:OUTTMP\n', '\tM:OUTTMP', 'M:OUTTMP\r\n']) expectDrfError(() => parseDrf(t));
    });

    it('rejects a non-string with DrfError', () => {
      expectDrfError(() => parseDrf(undefined as unknown as string));
    });

    it('"STATUS" in the first slot is the property, in the second the ALARM_STATUS field', () => {
      expect(parseDrf('M@OUTTMP.STATUS').property).to.equal('STATUS');
      const r = parseDrf('M:OUTTMP.ANALOG.STATUS');
      expect([r.property, r.field]).to.deep.equal(['ANALOG', 'ALARM_STATUS']);
    });

    it('BIT_STATUS is valid', () => {
      const r = parseDrf('Z:ACLTST.BITSTATUS.ON');
      expect([r.property, r.field, toCanonical(r)]).to.deep.equal(['BIT_STATUS', 'ON', 'Z:ACLTST.BIT_STATUS.ON']);
      expectDrfError(() => parseDrf('Z:ACLTST.BIT_STATUS.EXTENDED_TEXT'));
    });

    it('VOLTS and COMMON print as typed', () => {
      expect(toCanonical('M:OUTTMP.volts')).to.equal('M:OUTTMP.READING.VOLTS');
      expect(toCanonical('M:OUTTMP.SETTING.common')).to.equal('M:OUTTMP.SETTING.COMMON');
      expect(toCanonical('M~OUTTMP.COMMON')).to.equal('M:OUTTMP.DESCRIPTION.COMMON');
    });

    it('zero periods parse', () => {
      expect(parseDrf('M:OUTTMP@p,0').event).to.include({ kind: 'periodic', periodMs: 0 });
      expect(parseDrf('M:OUTTMP@p,5K').event).to.include({ kind: 'periodic', periodMs: 0 });
    });

    it('checks data source parameters', () => {
      for (const t of [
        'M:OUTTMP<-FTP:1', 'M:OUTTMP<-LIVEDATA:x', 'M:OUTTMP<-LOGGER', 'M:OUTTMP<-LOGGER:1', 'M:OUTTMP<-LOGGER:a:2',
        'M:OUTTMP<-LOGGER:1:2:N:X', 'M:OUTTMP<-LOGGER:1:2:', 'M:OUTTMP<-LOGGERDURATION:x', 'M:OUTTMP<-LOGGERSINGLE:N:1',
        'M:OUTTMP<-SRFILE', 'M:OUTTMP<-SRFILE:1:2', 'M:OUTTMP<-SDAFILE:1:2:3', 'M:OUTTMP<-REDIR:A', 'M:OUTTMP<-REDIR:->B',
        'M:OUTTMP<-FTP[1]',
      ]) {
        const e = expectDrfError(() => parseDrf(t));
        expect(e.part, t).to.equal('extra');
        expect(e.sourceFormat, t).to.equal(true);
      }
      const u = expectDrfError(() => parseDrf('M:OUTTMP<-FOO:1'));
      expect(u.sourceFormat).to.equal(false);
    });

    it('a reversed logger window (start after end) is a DrfError, not a silent empty result; start = end is an empty window', () => {
      const e = expectDrfError(() => parseDrf('M:OUTTMP<-LOGGER:1700003600000:1700000000000'));
      expect(e).to.include({ part: 'extra', sourceFormat: true });
      expect(e.message).to.contain('start 1700003600000 is after end 1700000000000');
      expect(parseDrf('M:OUTTMP<-LOGGER:1700000000000:1700000000000').extra).to.include({ startMs: 1700000000000, endMs: 1700000000000 });
    });

    it('is fast: 1,000 distinct requests parse well under 100 ms', () => {
      const texts = Array.from({ length: 1000 }, (_, i) => `Z:DEV${i}.SETTING[0:${i}].RAW@p,${1000 + i}`);
      const t0 = performance.now();
      for (const t of texts) parseDrf(t);
      const ms = performance.now() - t0;
      expect(ms).to.be.below(100);
    });

    it('has no catastrophic backtracking on long inputs', () => {
      const t0 = performance.now();
      for (const t of ['M:' + 'A.'.repeat(20000), 'M:OUTTMP@' + 'p,'.repeat(20000), 'M:OUTTMP[' + '1'.repeat(50000), 'M:' + '<'.repeat(50000)]) {
        expectDrfError(() => parseDrf(t));
      }
      expect(performance.now() - t0).to.be.below(200);
    });

    it('never throws anything but DrfError on arbitrary strings (property)', () => {
      const drfChars = fc.constantFrom(...'MZB0#:?_|&@$~^!.[]{}<-,0123456789AEFHIKNPQSTUX=*><!abcpeqs ');
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: drfChars, maxLength: 30 }), fc.string({ unit: 'binary' })), (s) => {
          try {
            const r = parseDrf(s);
            const c = toCanonical(r);
            expect(toCanonical(parseDrf(c))).to.equal(c);
          } catch (e) {
            if (!(e instanceof DrfError)) throw e;
          }
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe('parseEvent', () => {
    it('parses each kind', () => {
      expect(parseEvent('u')).to.deep.equal({ kind: 'default', mode: 'U', raw: 'U' });
      expect(parseEvent('i')).to.deep.equal({ kind: 'immediate', mode: 'I', raw: 'I' });
      expect(parseEvent('n')).to.deep.equal({ kind: 'never', mode: 'N', raw: 'N' });
      expect(parseEvent('q,2s,f')).to.deep.equal({ kind: 'periodic', mode: 'Q', raw: 'q,2s,f', continuous: false, periodMs: 2000, immediate: false });
      expect(parseEvent('P')).to.deep.equal({ kind: 'periodic', mode: 'P', raw: 'P', continuous: true, periodMs: 1000, immediate: true });
      expect(parseEvent('e,ae,s,1500u')).to.deep.equal({ kind: 'clock', mode: 'E', raw: 'e,ae,s,1500u', eventNumber: 0xae, clockType: 'S', delayMs: 2 });
      expect(parseEvent('E,FFFF')).to.include({ eventNumber: 0xffff, clockType: 'E', delayMs: 0 });
      expect(parseEvent('E,0000000FF')).to.include({ eventNumber: 0xff });
      expect(parseEvent('s,g_amanda,65535,1s,<=')).to.deep.equal({
        kind: 'state', mode: 'S', raw: 's,g_amanda,65535,1s,<=', device: 'g_amanda', value: 65535, delayMs: 1000, expression: '<=',
      });
    });

    it('accepts every state operator', () => {
      for (const op of ['=', '!=', '*', '>', '<', '>=', '<=']) {
        expect(parseEvent(`S,G:AMANDA,1,0,${op}`)).to.include({ expression: op });
      }
    });

    it('rejects bad events', () => {
      for (const t of ['', 'X', 'Ix', 'U,1', 'N,', 'P,', 'P,1,', 'P,1,TRUE,1', 'p,1,yes', 'Q1', 'E,', 'E,G', 'E,1,X', 'E,1,H,', 'E,1,H,1,2', 'E,10000',
        'S', 'S,G:AMANDA', 'S,G:AMANDA,1,0,=,1', 'S,G:AMANDA,x,0,=', 'S,G:AMANDA,65536,0,=', 'S,G,1,0,=', 'S,G:AMANDA,1,0,=>', 'p,2147483648']) {
        expectDrfError(() => parseEvent(t));
      }
    });
  });

  describe('parseTimeMs', () => {
    it('converts units as drf.md §7.1 says', () => {
      const cases: [string, number][] = [
        ['0', 0], ['0S', 0], ['0H', 0], ['0K', 0], ['1000', 1000], ['7m', 7], ['2s', 2000], ['1500U', 2], ['500U', 1], ['1U', 0],
        ['60H', 17], ['100H', 10], ['2K', 1], ['3K', 0], ['5K', 0], ['1K', 1], ['2147483647', 2147483647], ['0001', 1],
      ];
      for (const [t, ms] of cases) expect(parseTimeMs(t), t).to.equal(ms);
    });
    it('rejects anything else', () => {
      for (const t of ['', 'S', '1000ms', '1.5', '-5', '10X', '2147483648', '+1', ' 1']) expectDrfError(() => parseTimeMs(t));
    });
  });

  describe('parseRange', () => {
    it('parses every form', () => {
      expect(parseRange('[]')).to.deep.equal({ kind: 'array', mode: 'full', low: null, high: null });
      expect(parseRange('[:]')).to.deep.equal({ kind: 'array', mode: 'full', low: null, high: null });
      expect(parseRange('[007]')).to.deep.equal({ kind: 'array', mode: 'single', low: 7, high: null });
      expect(parseRange('[3:3]')).to.deep.equal({ kind: 'array', mode: 'std', low: 3, high: 3 });
      expect(parseRange('[:5]')).to.deep.equal({ kind: 'array', mode: 'std', low: null, high: 5 });
      expect(parseRange('{2147483647:1}')).to.deep.equal({ kind: 'byte', mode: 'std', offset: 2147483647, length: 1 });
      expect(parseRange('{4}')).to.deep.equal({ kind: 'byte', mode: 'single', offset: 4, length: null });
      expect(parseRange('{:}')).to.deep.equal({ kind: 'byte', mode: 'full', offset: null, length: null });
      expect(parseRange('{0:}')).to.deep.equal({ kind: 'byte', mode: 'std', offset: 0, length: null });
    });
    it('rejects bad ranges', () => {
      for (const t of ['', '[', '[1', '(1)', '[1}', '[a]', '[1:2:3]', '[::]', '[5:2]', '[2147483648]', '{2147483647:2}', '[-1]']) {
        expectDrfError(() => parseRange(t));
      }
    });
  });

  describe('parseDataSource', () => {
    it('parses parameters', () => {
      expect(parseDataSource('logger:1:2:MCRLOG')).to.deep.equal({ name: 'LOGGER', raw: 'logger:1:2:MCRLOG', startMs: 1, endMs: 2, node: 'MCRLOG' });
      expect(parseDataSource('LOGGERDURATION:60000')).to.deep.equal({ name: 'LOGGERDURATION', raw: 'LOGGERDURATION:60000', durationMs: 60000, node: null });
      expect(parseDataSource('LOGGERSINGLE:MCRLOG:1700000000:60')).to.deep.equal({
        name: 'LOGGERSINGLE', raw: 'LOGGERSINGLE:MCRLOG:1700000000:60', node: 'MCRLOG', timeMs: 1700000000000, accuracyMs: 60000,
      });
      expect(parseDataSource('SRFILE:12')).to.deep.equal({ name: 'SRFILE', raw: 'SRFILE:12', fileNumber: 12 });
      expect(parseDataSource('SDAFILE:1:2:3:4')).to.deep.equal({ name: 'SDAFILE', raw: 'SDAFILE:1:2:3:4', numbers: [1, 2, 3, 4] });
      expect(parseDataSource('REDIR:NODEA->NODEB')).to.deep.equal({ name: 'REDIR', raw: 'REDIR:NODEA->NODEB', from: 'NODEA', to: 'NODEB' });
      expect(parseDataSource('mirror')).to.deep.equal({ name: 'MIRROR', raw: 'mirror' });
    });
    it('rejects empty, unknown and misplaced-event sources', () => {
      for (const t of ['', ':1', 'FOO', 'LOGGER:1:2@p,1000']) {
        const e = expectDrfError(() => parseDataSource(t));
        expect(e.sourceFormat).to.equal(false);
      }
    });
  });

  describe('isDeviceName', () => {
    it('follows drf.md §3', () => {
      for (const t of ['M:OUTTMP', 'm_outtmp', '0:12', '#:12', 'Z!A-B']) expect(isDeviceName(t), t).to.equal(true);
      for (const t of ['', 'M:', 'MOUTTMP', '1:X', 'M*X', 'M:A.B', `M:${'A'.repeat(63)}`]) expect(isDeviceName(t), t).to.equal(false);
    });
  });

  it('the request type has no extra keys', () => {
    const r: DrfRequest = parseDrf('M:OUTTMP');
    expect(Object.keys(r).sort()).to.deep.equal(['device', 'event', 'extra', 'field', 'property', 'propertyExplicit', 'range']);
  });
});
