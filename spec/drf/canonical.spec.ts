import { expect } from 'chai';
import fc from 'fast-check';
import { formatEvent, formatRange, toCanonical } from '../../lib/drf/canonical.js';
import { parseDrf, parseEvent, parseRange } from '../../lib/drf/parse.js';
import { propertyWords, PROPERTIES, validFields } from '../../lib/drf/tables.js';
import type { DrfField, DrfProperty } from '../../lib/drf/types.js';
import { loadDrfVectors } from '../support/drf-vectors.js';

const { vectors } = loadDrfVectors();

const FIELD_SPELLINGS: Partial<Record<DrfField, string[]>> = {
  MIN: ['MINIMUM'], MAX: ['MAXIMUM'], NOM: ['NOMINAL'], TOL: ['TOLERANCE'], RAW_MIN: ['RAWMIN'], RAW_MAX: ['RAWMAX'],
  RAW_NOM: ['RAWNOM'], RAW_TOL: ['RAWTOL'], ALARM_ENABLE: ['ENABLE'], ALARM_STATUS: ['STATUS'], ALARM_FTD: ['FTD'],
};
const QUALIFIER: Record<DrfProperty, string[]> = {
  READING: [':', '?'], SETTING: ['_'], STATUS: ['|'], CONTROL: ['&'], ANALOG: ['@'], DIGITAL: ['$'],
  DESCRIPTION: ['~'], INDEX: ['^'], LONG_NAME: ['#'], ALARM_LIST_NAME: ['!'], BIT_STATUS: [],
};

const randomCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((bs) =>
    [...s].map((c, i) => (bs[i] ? c.toLowerCase() : c.toUpperCase())).join(''));

const num = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2147483647 }));
const timeArb = fc.tuple(fc.integer({ min: 0, max: 100000 }), fc.constantFrom('', 'S', 'm', 'u', 'H', 'k')).map(([n, u]) => `${n}${u}`);
const deviceArb = fc.tuple(
  fc.constantFrom(...'ABGMNZabmz0#'),
  fc.string({ unit: fc.constantFrom(...'ABCXYZabc0129_:-'), minLength: 1, maxLength: 12 }),
);
const rangeArb = fc.oneof(
  fc.constant('[]'), fc.constant('[:]'), fc.constant('{}'), fc.constant('{:}'),
  num.map((n) => `[${n}]`), num.map((n) => `{${n}}`),
  fc.tuple(num, num).map(([a, b]) => `[${Math.min(a, b)}:${Math.max(a, b)}]`),
  num.map((n) => `[${n}:]`), num.map((n) => `[:${n}]`),
  fc.tuple(fc.integer({ min: 0, max: 1 << 30 }), fc.integer({ min: 0, max: 1 << 30 })).map(([a, b]) => `{${a}:${b}}`),
  num.map((n) => `{:${n}}`), num.map((n) => `{${n}:}`),
);
const eventArb = fc.oneof(
  fc.constantFrom('U', 'u', 'I', 'i', 'N', 'n', 'P', 'q'),
  fc.tuple(fc.constantFrom('P', 'p', 'Q', 'q'), timeArb, fc.constantFrom('', ',TRUE', ',f', ',t', ',False')).map(([l, t, i]) => `${l},${t}${i}`),
  fc.tuple(fc.constantFrom('E', 'e'), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom('', ',H', ',s', ',e'), timeArb).map(
    ([l, n, ty, t]) => `${l},${n.toString(16)}${ty}${ty === '' ? '' : `,${t}`}`),
  fc.tuple(fc.constantFrom('S', 's'), fc.integer({ min: 0, max: 65535 }), timeArb, fc.constantFrom('=', '!=', '*', '>', '<', '>=', '<=')).map(
    ([l, v, t, op]) => `${l},G:AMANDA,${v},${t},${op}`),
);
const sourceArb = fc.constantFrom(
  'FTP', 'LIVEDATA', 'logger:1:2', 'LOGGER:1700000000000:1700000600000:MCRLOG', 'LOGGERDURATION:60000', 'LOGGERSINGLE:MCRLOG:1:60',
  'SRFILE:1', 'SDAFILE:1:2:3:4', 'REDIR:A->B', 'MIRROR',
);

/** Generates valid DRF texts from their parts, in every allowed spelling. */
const requestArb = fc
  .record({
    property: fc.constantFrom(...PROPERTIES),
    word: fc.boolean(),
    alias: fc.nat(),
    device: deviceArb,
    range: fc.option(rangeArb),
    field: fc.option(fc.nat()),
    spelling: fc.nat(),
    event: fc.option(eventArb),
    source: fc.option(sourceArb),
    caseSeed: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  })
  .map((g) => {
    const quals = QUALIFIER[g.property];
    const explicit = g.word || quals.length === 0;
    const qual = explicit ? ':' : quals[g.alias % quals.length]!;
    const words = propertyWords(g.property);
    const word = explicit ? words[g.alias % words.length]! : null;
    const fields = validFields(g.property);
    let fieldWord: string | null = null;
    if (g.field !== null && fields.length > 0) {
      const f = fields[g.field % fields.length]!;
      const spellings = [f, ...(FIELD_SPELLINGS[f] ?? [])].filter((s) => word !== null || s !== 'STATUS');
      fieldWord = spellings[g.spelling % spellings.length]!;
    }
    const mix = (s: string): string => [...s].map((c, i) => (g.caseSeed[i % 20] ? c.toLowerCase() : c)).join('');
    let text = `${g.device[0]}${qual}${g.device[1]}`;
    if (word !== null) text += `.${mix(word)}`;
    if (g.range !== null) text += g.range;
    if (fieldWord !== null) text += `.${mix(fieldWord)}`;
    if (g.event !== null) text += `@${g.event}`;
    if (g.source !== null) text += `<-${g.source}`;
    return text;
  });

describe('drf/canonical', () => {
  describe('canonical vectors', () => {
    for (const v of vectors.valid) {
      it(`${JSON.stringify(v.input)} → ${JSON.stringify(v.canonical)} (and is a fixed point)`, () => {
        expect(toCanonical(v.input)).to.equal(v.canonical);
        expect(toCanonical(v.canonical)).to.equal(v.canonical);
      });
    }
  });

  it('formatRange prints every form', () => {
    const cases: [string, string][] = [
      ['[]', '[:]'], ['[:]', '[:]'], ['[007]', '[7]'], ['[0:9]', '[0:9]'], ['[0:]', '[0:]'], ['[:05]', '[:5]'], ['[3:3]', '[3:3]'],
      ['{}', '{:}'], ['{4}', '{4}'], ['{2:4}', '{2:4}'], ['{2:}', '{2:}'], ['{:4}', '{:4}'],
    ];
    for (const [t, c] of cases) expect(formatRange(parseRange(t)), t).to.equal(c);
  });

  it('formatEvent prints P/Q/E/S as typed, I/N upper-case, U empty', () => {
    expect(formatEvent(parseEvent('u'))).to.equal('');
    expect(formatEvent(parseEvent('i'))).to.equal('I');
    expect(formatEvent(parseEvent('n'))).to.equal('N');
    for (const t of ['p,1000', 'P,1S', 'q', 'e,ae,e,1000', 's,G:AMANDA,1,0,=']) expect(formatEvent(parseEvent(t))).to.equal(t);
  });

  it('generated requests parse, and toCanonical(parseDrf(toCanonical(x))) is stable (property)', () => {
    fc.assert(
      fc.property(requestArb, (text) => {
        const r = parseDrf(text);
        const c = toCanonical(r);
        const back = parseDrf(c);
        expect(toCanonical(back)).to.equal(c);
        expect(back.device).to.equal(r.device);
        expect(back.property).to.equal(r.property);
        expect(back.range).to.deep.equal(r.range);
        expect(back.field).to.equal(r.field);
        expect(back.extra).to.deep.equal(r.extra);
        expect(back.event.kind).to.equal(r.event.kind);
      }),
      { numRuns: 3000 },
    );
  });

  it('random-case property words of every alias give the same canonical form (property)', () => {
    const arb = fc
      .constantFrom(...PROPERTIES)
      .chain((p) => fc.constantFrom(...propertyWords(p)).chain((w) => randomCase(w)).map((cw) => [p, cw] as const));
    fc.assert(
      fc.property(arb, ([p, cw]) => {
        expect(toCanonical(`Z:ACLTST.${cw}`)).to.equal(`Z:ACLTST.${p}`);
      }),
      { numRuns: 500 },
    );
  });
});
