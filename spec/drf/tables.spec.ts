import { expect } from 'chai';
import { parseDrf } from '../../lib/drf/parse.js';
import {
  DATA_SOURCES,
  defaultField,
  FIELDS,
  isFieldValid,
  isHistoricalSource,
  lookupDataSource,
  lookupField,
  lookupProperty,
  PROPERTIES,
  propertyQualifier,
  propertyWords,
  qualifierProperty,
  validFields,
} from '../../lib/drf/tables.js';

describe('drf/tables', () => {
  it('every property word (any case) names its property, in a request too', () => {
    for (const p of PROPERTIES) {
      for (const w of propertyWords(p)) {
        expect(lookupProperty(w), w).to.equal(p);
        expect(lookupProperty(w.toLowerCase()), w).to.equal(p);
        const r = parseDrf(`Z:ACLTST.${w.toLowerCase()}`);
        expect([r.property, r.propertyExplicit], w).to.deep.equal([p, true]);
      }
      expect(propertyWords(p)[0]).to.equal(p);
    }
    expect(lookupProperty('RAW')).to.equal(undefined);
  });

  it('every field name and alias', () => {
    for (const f of FIELDS) expect(lookupField(f.toLowerCase())).to.equal(f);
    const aliases: [string, string][] = [
      ['MINIMUM', 'MIN'], ['MAXIMUM', 'MAX'], ['NOMINAL', 'NOM'], ['TOLERANCE', 'TOL'], ['RAWMIN', 'RAW_MIN'], ['RAWMAX', 'RAW_MAX'],
      ['RAWNOM', 'RAW_NOM'], ['RAWTOL', 'RAW_TOL'], ['ENABLE', 'ALARM_ENABLE'], ['STATUS', 'ALARM_STATUS'], ['FTD', 'ALARM_FTD'],
    ];
    for (const [a, f] of aliases) {
      expect(lookupField(a)).to.equal(f);
      expect(parseDrf(`M:OUTTMP.ANALOG.${a.toLowerCase()}`).field, a).to.equal(f);
    }
    expect(FIELDS).to.have.length(34);
  });

  it('qualifiers and default fields', () => {
    expect(qualifierProperty('?')).to.equal('READING');
    expect(qualifierProperty('*')).to.equal(undefined);
    expect(qualifierProperty('toString')).to.equal(undefined);
    expect(propertyQualifier('READING')).to.equal(':');
    expect(propertyQualifier('BIT_STATUS')).to.equal(undefined);
    for (const p of PROPERTIES) {
      const q = propertyQualifier(p);
      if (q !== undefined) expect(qualifierProperty(q)).to.equal(p);
      const d = defaultField(p);
      if (d !== null) expect(isFieldValid(p, d)).to.equal(true);
    }
  });

  it('valid fields per property follow drf.md §5.2', () => {
    expect(validFields('CONTROL')).to.deep.equal(['RAW', 'SCALED', 'COMMON']);
    expect(validFields('READING')).to.deep.equal(validFields('SETTING'));
    expect(isFieldValid('STATUS', 'EXTENDED_TEXT')).to.equal(true);
    expect(isFieldValid('BIT_STATUS', 'EXTENDED_TEXT')).to.equal(false);
    expect(isFieldValid('DIGITAL', 'MASK')).to.equal(true);
    expect(isFieldValid('ANALOG', 'MASK')).to.equal(false);
    for (const p of ['DESCRIPTION', 'INDEX', 'LONG_NAME', 'ALARM_LIST_NAME'] as const) expect(validFields(p)).to.deep.equal(['SCALED', 'COMMON']);
  });

  it('data sources', () => {
    expect(DATA_SOURCES).to.have.length(9);
    expect(lookupDataSource('loggerDuration')).to.equal('LOGGERDURATION');
    expect(lookupDataSource('FOO')).to.equal(undefined);
    expect(DATA_SOURCES.filter(isHistoricalSource)).to.deep.equal(['LOGGER', 'LOGGERDURATION', 'LOGGERSINGLE']);
  });
});
