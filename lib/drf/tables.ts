/**
 * Property, field and data-source tables of drf.md §4, §5 and §8.
 *
 * @module
 */
import type { DataSourceName, DrfField, DrfProperty } from './types.js';

/**
 * Every property in the order of drf.md §4.1.
 *
 * @example
 * ```ts
 * PROPERTIES.includes('BIT_STATUS'); // true
 * ```
 */
export const PROPERTIES: readonly DrfProperty[] = Object.freeze([
  'READING', 'SETTING', 'STATUS', 'CONTROL', 'ANALOG', 'DIGITAL',
  'DESCRIPTION', 'INDEX', 'LONG_NAME', 'ALARM_LIST_NAME', 'BIT_STATUS',
] as const);

const PROPERTY_WORDS: Readonly<Record<DrfProperty, readonly string[]>> = {
  READING: ['READING', 'READ', 'PRREAD'],
  SETTING: ['SETTING', 'SET', 'PRSET'],
  STATUS: ['STATUS', 'BASIC_STATUS', 'STS', 'PRBSTS'],
  CONTROL: ['CONTROL', 'BASIC_CONTROL', 'CTRL', 'PRBCTL'],
  ANALOG: ['ANALOG', 'ANALOG_ALARM', 'AA', 'PRANAB'],
  DIGITAL: ['DIGITAL', 'DIGITAL_ALARM', 'DA', 'PRDABL'],
  DESCRIPTION: ['DESCRIPTION', 'DESC', 'PRDESC'],
  INDEX: ['INDEX', 'IDX', 'PRIDX'],
  LONG_NAME: ['LONG_NAME', 'LNGNAM', 'PRLNAM'],
  ALARM_LIST_NAME: ['ALARM_LIST_NAME', 'LSTNAM', 'PRALNM'],
  BIT_STATUS: ['BIT_STATUS', 'BITSTATUS'],
};

/**
 * Every accepted property word (upper-case) for each property; the first is the canonical name.
 *
 * @example
 * ```ts
 * propertyWords('STATUS'); // ['STATUS', 'BASIC_STATUS', 'STS', 'PRBSTS']
 * ```
 */
export function propertyWords(property: DrfProperty): readonly string[] {
  return PROPERTY_WORDS[property];
}

const PROPERTY_BY_WORD = new Map<string, DrfProperty>();
for (const p of PROPERTIES) for (const w of PROPERTY_WORDS[p]) PROPERTY_BY_WORD.set(w, p);

/**
 * The property a word names (any case, any alias), or undefined.
 *
 * @example
 * ```ts
 * lookupProperty('prread'); // 'READING'
 * lookupProperty('RAW');    // undefined
 * ```
 */
export function lookupProperty(word: string): DrfProperty | undefined {
  return PROPERTY_BY_WORD.get(word.toUpperCase());
}

const QUALIFIERS: Readonly<Record<string, DrfProperty>> = {
  ':': 'READING',
  '?': 'READING',
  _: 'SETTING',
  '|': 'STATUS',
  '&': 'CONTROL',
  '@': 'ANALOG',
  $: 'DIGITAL',
  '~': 'DESCRIPTION',
  '^': 'INDEX',
  '#': 'LONG_NAME',
  '!': 'ALARM_LIST_NAME',
};

/**
 * The property a device-name qualifier character selects (drf.md §4.1), or undefined if the
 * character is not a qualifier.
 *
 * @example
 * ```ts
 * qualifierProperty('_'); // 'SETTING'
 * ```
 */
export function qualifierProperty(ch: string): DrfProperty | undefined {
  return Object.prototype.hasOwnProperty.call(QUALIFIERS, ch) ? QUALIFIERS[ch] : undefined;
}

/**
 * The qualifier character of a property (`':'` for READING), or undefined for BIT_STATUS.
 *
 * @example
 * ```ts
 * propertyQualifier('STATUS'); // '|'
 * ```
 */
export function propertyQualifier(property: DrfProperty): string | undefined {
  for (const [ch, p] of Object.entries(QUALIFIERS)) if (p === property && ch !== '?') return ch;
  return undefined;
}

const DEFAULT_FIELD: Readonly<Record<DrfProperty, DrfField | null>> = {
  READING: 'SCALED',
  SETTING: 'SCALED',
  STATUS: null,
  CONTROL: null,
  ANALOG: 'ALL',
  DIGITAL: 'ALL',
  DESCRIPTION: null,
  INDEX: null,
  LONG_NAME: null,
  ALARM_LIST_NAME: null,
  BIT_STATUS: null,
};

/**
 * The default field of a property (drf.md §4.1), null for "none".
 *
 * @example
 * ```ts
 * defaultField('ANALOG'); // 'ALL'
 * defaultField('STATUS'); // null
 * ```
 */
export function defaultField(property: DrfProperty): DrfField | null {
  return DEFAULT_FIELD[property];
}

/**
 * Every field name in the order of drf.md §5.1.
 *
 * @example
 * ```ts
 * FIELDS.length; // 34
 * ```
 */
export const FIELDS: readonly DrfField[] = Object.freeze([
  'RAW', 'PRIMARY', 'VOLTS', 'SCALED', 'COMMON', 'ALL', 'TEXT', 'EXTENDED_TEXT',
  'ON', 'READY', 'REMOTE', 'POSITIVE', 'RAMP', 'BIT_VALUE', 'BIT_NAMES', 'BIT_VALUES',
  'MIN', 'MAX', 'NOM', 'TOL', 'RAW_MIN', 'RAW_MAX', 'RAW_NOM', 'RAW_TOL',
  'ALARM_ENABLE', 'ALARM_STATUS', 'TRIES_NEEDED', 'TRIES_NOW', 'ALARM_FTD',
  'ABORT', 'ABORT_INHIBIT', 'FLAGS', 'MASK', 'UNITS',
] as const);

const FIELD_ALIASES: Readonly<Record<string, DrfField>> = {
  MINIMUM: 'MIN',
  MAXIMUM: 'MAX',
  NOMINAL: 'NOM',
  TOLERANCE: 'TOL',
  RAWMIN: 'RAW_MIN',
  RAWMAX: 'RAW_MAX',
  RAWNOM: 'RAW_NOM',
  RAWTOL: 'RAW_TOL',
  ENABLE: 'ALARM_ENABLE',
  STATUS: 'ALARM_STATUS',
  FTD: 'ALARM_FTD',
};

const FIELD_BY_WORD = new Map<string, DrfField>();
for (const f of FIELDS) FIELD_BY_WORD.set(f, f);
for (const [w, f] of Object.entries(FIELD_ALIASES)) FIELD_BY_WORD.set(w, f);

/**
 * The field a word names (any case, any alias), or undefined. `STATUS` names ALARM_STATUS (it is
 * only read as a field in the second word slot, drf.md §4.3).
 *
 * @example
 * ```ts
 * lookupField('enable'); // 'ALARM_ENABLE'
 * ```
 */
export function lookupField(word: string): DrfField | undefined {
  return FIELD_BY_WORD.get(word.toUpperCase());
}

const READ_SET: readonly DrfField[] = ['RAW', 'PRIMARY', 'VOLTS', 'SCALED', 'COMMON', 'MIN', 'MAX', 'UNITS'];
const STATUS_FIELDS: readonly DrfField[] = [
  'RAW', 'ALL', 'TEXT', 'EXTENDED_TEXT', 'ON', 'READY', 'REMOTE', 'POSITIVE', 'RAMP',
  'BIT_VALUE', 'BIT_NAMES', 'BIT_VALUES',
];
const BIT_STATUS_FIELDS: readonly DrfField[] = STATUS_FIELDS.filter((f) => f !== 'EXTENDED_TEXT');
const ANALOG_FIELDS: readonly DrfField[] = [
  'RAW', 'ALL', 'TEXT', 'MIN', 'MAX', 'NOM', 'TOL', 'RAW_MIN', 'RAW_MAX', 'RAW_NOM', 'RAW_TOL',
  'ALARM_ENABLE', 'ALARM_STATUS', 'TRIES_NEEDED', 'TRIES_NOW', 'ALARM_FTD', 'ABORT', 'ABORT_INHIBIT', 'FLAGS',
];
const DIGITAL_FIELDS: readonly DrfField[] = [
  'RAW', 'ALL', 'TEXT', 'NOM', 'MASK', 'ALARM_ENABLE', 'ALARM_STATUS', 'TRIES_NEEDED', 'TRIES_NOW',
  'ALARM_FTD', 'ABORT', 'ABORT_INHIBIT', 'FLAGS',
];
const TEXT_LIKE: readonly DrfField[] = ['SCALED', 'COMMON'];

const VALID_FIELDS: Readonly<Record<DrfProperty, ReadonlySet<DrfField>>> = {
  READING: new Set(READ_SET),
  SETTING: new Set(READ_SET),
  STATUS: new Set(STATUS_FIELDS),
  BIT_STATUS: new Set(BIT_STATUS_FIELDS),
  CONTROL: new Set<DrfField>(['RAW', 'SCALED', 'COMMON']),
  ANALOG: new Set(ANALOG_FIELDS),
  DIGITAL: new Set(DIGITAL_FIELDS),
  DESCRIPTION: new Set(TEXT_LIKE),
  INDEX: new Set(TEXT_LIKE),
  LONG_NAME: new Set(TEXT_LIKE),
  ALARM_LIST_NAME: new Set(TEXT_LIKE),
};

/**
 * Whether a field is valid for a property (drf.md §5.2).
 *
 * @example
 * ```ts
 * isFieldValid('READING', 'ON'); // false
 * isFieldValid('STATUS', 'ON');  // true
 * ```
 */
export function isFieldValid(property: DrfProperty, field: DrfField): boolean {
  return VALID_FIELDS[property].has(field);
}

/**
 * The fields valid for a property (drf.md §5.2), in table order.
 *
 * @example
 * ```ts
 * validFields('CONTROL'); // ['RAW', 'SCALED', 'COMMON']
 * ```
 */
export function validFields(property: DrfProperty): readonly DrfField[] {
  return [...VALID_FIELDS[property]];
}

/**
 * Every data source name (drf.md §8).
 *
 * @example
 * ```ts
 * DATA_SOURCES.includes('LOGGER'); // true
 * ```
 */
export const DATA_SOURCES: readonly DataSourceName[] = Object.freeze([
  'LIVEDATA', 'FTP', 'LOGGER', 'LOGGERDURATION', 'LOGGERSINGLE', 'SRFILE', 'SDAFILE', 'REDIR', 'MIRROR',
] as const);

const SOURCE_SET: ReadonlySet<string> = new Set(DATA_SOURCES);

/**
 * The data source a name denotes (any case), or undefined.
 *
 * @example
 * ```ts
 * lookupDataSource('logger'); // 'LOGGER'
 * ```
 */
export function lookupDataSource(name: string): DataSourceName | undefined {
  const u = name.toUpperCase();
  return SOURCE_SET.has(u) ? (u as DataSourceName) : undefined;
}

/**
 * Whether a data source is historical (logger) data: `LOGGER`, `LOGGERDURATION`, `LOGGERSINGLE`.
 *
 * @example
 * ```ts
 * isHistoricalSource('LOGGERDURATION'); // true
 * ```
 */
export function isHistoricalSource(name: DataSourceName): boolean {
  return name === 'LOGGER' || name === 'LOGGERDURATION' || name === 'LOGGERSINGLE';
}
