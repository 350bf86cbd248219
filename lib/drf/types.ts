/**
 * Types of a parsed DRF (data request format) request. See `parseDrf`.
 *
 * @module
 */

/**
 * Canonical property names (drf.md §4.1).
 *
 * @example
 * ```ts
 * const p: DrfProperty = parseDrf('M_OUTTMP').property; // 'SETTING'
 * ```
 */
export type DrfProperty =
  | 'READING'
  | 'SETTING'
  | 'STATUS'
  | 'CONTROL'
  | 'ANALOG'
  | 'DIGITAL'
  | 'DESCRIPTION'
  | 'INDEX'
  | 'LONG_NAME'
  | 'ALARM_LIST_NAME'
  | 'BIT_STATUS';

/**
 * Canonical field names (drf.md §5.1).
 *
 * @example
 * ```ts
 * const f: DrfField | null = parseDrf('M@OUTTMP.ENABLE').field; // 'ALARM_ENABLE'
 * ```
 */
export type DrfField =
  | 'RAW'
  | 'PRIMARY'
  | 'VOLTS'
  | 'SCALED'
  | 'COMMON'
  | 'ALL'
  | 'TEXT'
  | 'EXTENDED_TEXT'
  | 'ON'
  | 'READY'
  | 'REMOTE'
  | 'POSITIVE'
  | 'RAMP'
  | 'BIT_VALUE'
  | 'BIT_NAMES'
  | 'BIT_VALUES'
  | 'MIN'
  | 'MAX'
  | 'NOM'
  | 'TOL'
  | 'RAW_MIN'
  | 'RAW_MAX'
  | 'RAW_NOM'
  | 'RAW_TOL'
  | 'ALARM_ENABLE'
  | 'ALARM_STATUS'
  | 'TRIES_NEEDED'
  | 'TRIES_NOW'
  | 'ALARM_FTD'
  | 'ABORT'
  | 'ABORT_INHIBIT'
  | 'FLAGS'
  | 'MASK'
  | 'UNITS';

/**
 * The whole array: `[]` or `[:]` (prints `[:]`).
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1[]').range; // { kind: 'array', mode: 'full', low: null, high: null }
 * ```
 */
export interface ArrayFullRange {
  /** `array`: element indices. */
  readonly kind: 'array';
  /** `full`: `[]` / `[:]`. */
  readonly mode: 'full';
  /** Always `null` (whole array). */
  readonly low: null;
  /** Always `null` (whole array). */
  readonly high: null;
}

/**
 * One element: `[n]`.
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1[7]').range; // { kind: 'array', mode: 'single', low: 7, high: null }
 * ```
 */
export interface ArraySingleRange {
  /** `array`: element indices. */
  readonly kind: 'array';
  /** `single`: `[n]`. */
  readonly mode: 'single';
  /** The element index. */
  readonly low: number;
  /** Always `null` (one element). */
  readonly high: null;
}

/**
 * Elements `low` to `high`, both included; a missing end is `null` (`[a:]`, `[:b]`, `[a:b]`).
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1[0:9]').range; // { kind: 'array', mode: 'std', low: 0, high: 9 }
 * ```
 */
export interface ArrayStdRange {
  /** `array`: element indices. */
  readonly kind: 'array';
  /** `std`: `[a:b]`. */
  readonly mode: 'std';
  /** First element index, or `null` for 0. */
  readonly low: number | null;
  /** Last element index (included), or `null` for the end. */
  readonly high: number | null;
}

/**
 * All bytes: `{}` or `{:}` (prints `{:}`).
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1{}').range; // { kind: 'byte', mode: 'full', offset: null, length: null }
 * ```
 */
export interface ByteFullRange {
  /** `byte`: byte offsets. */
  readonly kind: 'byte';
  /** `full`: `{}` / `{:}`. */
  readonly mode: 'full';
  /** Always `null` (all bytes). */
  readonly offset: null;
  /** Always `null` (all bytes). */
  readonly length: null;
}

/**
 * One byte at `offset`: `{n}`.
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1{4}').range; // { kind: 'byte', mode: 'single', offset: 4, length: null }
 * ```
 */
export interface ByteSingleRange {
  /** `byte`: byte offsets. */
  readonly kind: 'byte';
  /** `single`: `{n}`. */
  readonly mode: 'single';
  /** The byte offset. */
  readonly offset: number;
  /** Always `null` (one byte). */
  readonly length: null;
}

/**
 * `length` bytes from byte `offset` (`{o:l}`, `{o:}`, `{:l}`); the second number is a length.
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1{2:4}').range; // { kind: 'byte', mode: 'std', offset: 2, length: 4 }
 * ```
 */
export interface ByteStdRange {
  /** `byte`: byte offsets. */
  readonly kind: 'byte';
  /** `std`: `{offset:length}`. */
  readonly mode: 'std';
  /** First byte offset, or `null` for 0. */
  readonly offset: number | null;
  /** Number of bytes, or `null` for the rest. */
  readonly length: number | null;
}

/**
 * An array range `[...]` (element indices).
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1[2:]').range as ArrayRange;
 * ```
 */
export type ArrayRange = ArrayFullRange | ArraySingleRange | ArrayStdRange;

/**
 * A byte range `{...}` (offset and length in bytes).
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1{0:4}').range as ByteRange;
 * ```
 */
export type ByteRange = ByteFullRange | ByteSingleRange | ByteStdRange;

/**
 * A range, discriminated by `kind` (`'array'` | `'byte'`) and then by `mode`.
 *
 * @example
 * ```ts
 * const r = parseDrf('B:ARRAY1[0:9]').range;
 * if (r?.kind === 'array' && r.mode === 'std') console.log(r.low, r.high);
 * ```
 */
export type DrfRange = ArrayRange | ByteRange;

/**
 * No event given (or `@U`): DPM uses the device's database default event.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP').event; // { kind: 'default', mode: 'U', raw: 'U' }
 * ```
 */
export interface DefaultEvent {
  /** `default`. */
  readonly kind: 'default';
  /** The event letter, `U`. */
  readonly mode: 'U';
  /** The event text after `@`, as typed. */
  readonly raw: 'U';
}

/**
 * `@I`: one reading, once.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP@i').event; // { kind: 'immediate', mode: 'I', raw: 'I' }
 * ```
 */
export interface ImmediateEvent {
  /** `immediate`. */
  readonly kind: 'immediate';
  /** The event letter, `I`. */
  readonly mode: 'I';
  /** The event text after `@`, as typed. */
  readonly raw: 'I';
}

/**
 * `@N`: no data at all (used for settings).
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP@N').event; // { kind: 'never', mode: 'N', raw: 'N' }
 * ```
 */
export interface NeverEvent {
  /** `never`. */
  readonly kind: 'never';
  /** The event letter, `N`. */
  readonly mode: 'N';
  /** The event text after `@`, as typed. */
  readonly raw: 'N';
}

/**
 * `@P[,time[,imm]]` (continuous) or `@Q[,time[,imm]]` (not continuous).
 *
 * @example
 * ```ts
 * const e = parseDrf('M:OUTTMP@p,1S,false').event;
 * // { kind: 'periodic', mode: 'P', raw: 'p,1S,false', continuous: true, periodMs: 1000, immediate: false }
 * ```
 */
export interface PeriodicEvent {
  /** `periodic`. */
  readonly kind: 'periodic';
  /** The event letter: `P` continuous, `Q` not continuous. */
  readonly mode: 'P' | 'Q';
  /** The event text after `@`, as typed. */
  readonly raw: string;
  /** true for `P`, false for `Q`. */
  readonly continuous: boolean;
  /** The period in milliseconds (default 1000; may be 0). */
  readonly periodMs: number;
  /** Whether the first reading is sent at once (default true). */
  readonly immediate: boolean;
}

/**
 * `@E,hex[,type[,delay]]`: on a clock event.
 *
 * @example
 * ```ts
 * const e = parseDrf('M:OUTTMP@E,0F,H,10').event;
 * // { kind: 'clock', mode: 'E', raw: 'E,0F,H,10', eventNumber: 15, clockType: 'H', delayMs: 10 }
 * ```
 */
export interface ClockEvent {
  /** `clock`. */
  readonly kind: 'clock';
  /** The event letter, `E`. */
  readonly mode: 'E';
  /** The event text after `@`, as typed. */
  readonly raw: string;
  /** The clock event number, 0–0xFFFF. */
  readonly eventNumber: number;
  /** `H` hardware clock only, `S` software only, `E` either (default). */
  readonly clockType: 'H' | 'S' | 'E';
  /** Delay after the event in milliseconds (default 0). */
  readonly delayMs: number;
}

/**
 * A state event comparison operator (`*` = any change).
 *
 * @example
 * ```ts
 * const op: StateOperator = '>=';
 * ```
 */
export type StateOperator = '=' | '!=' | '*' | '>' | '<' | '>=' | '<=';

/**
 * `@S,device,value,delay,op`: when a state device reaches a value.
 *
 * @example
 * ```ts
 * const e = parseDrf('M:OUTTMP@S,G:AMANDA,1,0,=').event;
 * // { kind: 'state', mode: 'S', raw: 'S,G:AMANDA,1,0,=', device: 'G:AMANDA', value: 1, delayMs: 0, expression: '=' }
 * ```
 */
export interface StateEvent {
  /** `state`. */
  readonly kind: 'state';
  /** The event letter, `S`. */
  readonly mode: 'S';
  /** The event text after `@`, as typed. */
  readonly raw: string;
  /** The state device's name as typed. */
  readonly device: string;
  /** The state value, 0–65535. */
  readonly value: number;
  /** Delay after the state change, milliseconds. */
  readonly delayMs: number;
  /** The comparison with `value` (`*`: any change). */
  readonly expression: StateOperator;
}

/**
 * An event, discriminated by `kind` (or equivalently by the letter `mode`).
 *
 * @example
 * ```ts
 * const e = parseDrf('M:OUTTMP@p,500').event;
 * if (e.kind === 'periodic') console.log(e.periodMs); // 500
 * ```
 */
export type DrfEvent = DefaultEvent | ImmediateEvent | NeverEvent | PeriodicEvent | ClockEvent | StateEvent;

/**
 * Names of data sources (`<-NAME...`), drf.md §8.
 *
 * @example
 * ```ts
 * const n: DataSourceName = parseDrf('M:OUTTMP<-FTP').extra!.name; // 'FTP'
 * ```
 */
export type DataSourceName =
  | 'LIVEDATA'
  | 'FTP'
  | 'LOGGER'
  | 'LOGGERDURATION'
  | 'LOGGERSINGLE'
  | 'SRFILE'
  | 'SDAFILE'
  | 'REDIR'
  | 'MIRROR';

/**
 * `<-LIVEDATA`, `<-FTP`, `<-MIRROR`: no parameters.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-FTP').extra; // { name: 'FTP', raw: 'FTP' }
 * ```
 */
export interface PlainSource {
  /** The source name. */
  readonly name: 'LIVEDATA' | 'FTP' | 'MIRROR';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
}

/**
 * `<-LOGGER:start:end[:logger]`: logged data in a time window (ms since 1970).
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-LOGGER:1000:2000:MCRLOG').extra;
 * // { name: 'LOGGER', raw: 'LOGGER:1000:2000:MCRLOG', startMs: 1000, endMs: 2000, node: 'MCRLOG' }
 * ```
 */
export interface LoggerSource {
  /** `LOGGER`. */
  readonly name: 'LOGGER';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** Window start, milliseconds since 1970. */
  readonly startMs: number;
  /** Window end, milliseconds since 1970. */
  readonly endMs: number;
  /** The logger node, or null to let DPM choose. */
  readonly node: string | null;
}

/**
 * `<-LOGGERDURATION:ms[:logger]`: logged data of the last `durationMs`.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-LOGGERDURATION:3600000').extra;
 * // { name: 'LOGGERDURATION', raw: 'LOGGERDURATION:3600000', durationMs: 3600000, node: null }
 * ```
 */
export interface LoggerDurationSource {
  /** `LOGGERDURATION`. */
  readonly name: 'LOGGERDURATION';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** How far back from now, milliseconds. */
  readonly durationMs: number;
  /** The logger node, or null to let DPM choose. */
  readonly node: string | null;
}

/**
 * `<-LOGGERSINGLE:logger:seconds:accuracy_seconds`: one logged point near a time.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-LOGGERSINGLE:MCRLOG:1700000000:60').extra;
 * // { name: 'LOGGERSINGLE', ..., node: 'MCRLOG', timeMs: 1700000000000, accuracyMs: 60000 }
 * ```
 */
export interface LoggerSingleSource {
  /** `LOGGERSINGLE`. */
  readonly name: 'LOGGERSINGLE';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** The logger node. */
  readonly node: string;
  /** The time asked for, ms since 1970 (the text gives seconds). */
  readonly timeMs: number;
  /** Accepted distance from that time, ms (the text gives seconds). */
  readonly accuracyMs: number;
}

/**
 * `<-SRFILE:file_number`: a save/restore file.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-SRFILE:1234').extra; // { name: 'SRFILE', raw: 'SRFILE:1234', fileNumber: 1234 }
 * ```
 */
export interface SrFileSource {
  /** `SRFILE`. */
  readonly name: 'SRFILE';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** The save/restore file number. */
  readonly fileNumber: number;
}

/**
 * `<-SDAFILE:n1:n2:n3:n4`: an SDA file.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-SDAFILE:1:2:3:4').extra; // { name: 'SDAFILE', raw: ..., numbers: [1, 2, 3, 4] }
 * ```
 */
export interface SdaFileSource {
  /** `SDAFILE`. */
  readonly name: 'SDAFILE';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** The four SDA file numbers, as given. */
  readonly numbers: readonly [number, number, number, number];
}

/**
 * `<-REDIR:from->to`: redirect between nodes.
 *
 * @example
 * ```ts
 * parseDrf('M:OUTTMP<-REDIR:NODEA->NODEB').extra; // { name: 'REDIR', raw: ..., from: 'NODEA', to: 'NODEB' }
 * ```
 */
export interface RedirSource {
  /** `REDIR`. */
  readonly name: 'REDIR';
  /** The source text after `<-`, as typed. */
  readonly raw: string;
  /** The node redirected from. */
  readonly from: string;
  /** The node redirected to. */
  readonly to: string;
}

/**
 * A data source (`<-...` extra), discriminated by `name` (upper-case).
 *
 * @example
 * ```ts
 * const x = parseDrf('M:OUTTMP<-LOGGER:1:2').extra;
 * if (x?.name === 'LOGGER') console.log(x.startMs, x.endMs);
 * ```
 */
export type DrfExtra =
  | PlainSource
  | LoggerSource
  | LoggerDurationSource
  | LoggerSingleSource
  | SrFileSource
  | SdaFileSource
  | RedirSource;

/**
 * A parsed DRF request. Deeply frozen; builders (`withEvent`, ...) return new ones.
 *
 * @example
 * ```ts
 * const r = parseDrf('z_acltst.set[2:3].raw@q,1k,true');
 * r.device;   // 'z:acltst'
 * r.property; // 'SETTING'
 * r.range;    // { kind: 'array', mode: 'std', low: 2, high: 3 }
 * r.field;    // 'RAW'
 * r.event;    // { kind: 'periodic', mode: 'Q', raw: 'q,1k,true', continuous: false, periodMs: 1, immediate: true }
 * ```
 */
export interface DrfRequest {
  /** The device name as typed, with its qualifier character replaced by `:` (`M_OUTTMP` → `M:OUTTMP`). */
  readonly device: string;
  /** The property (canonical name), explicit or implied by the qualifier. */
  readonly property: DrfProperty;
  /** True when the property was written as a word (not only implied by the qualifier). */
  readonly propertyExplicit: boolean;
  /** The array or byte range, or null for none. */
  readonly range: DrfRange | null;
  /** The field; the property's default field when none was given; null if the property has no default. */
  readonly field: DrfField | null;
  /** The event; `DefaultEvent` when none was given. */
  readonly event: DrfEvent;
  /** The data source (`<-…`), or null for live data. */
  readonly extra: DrfExtra | null;
}
