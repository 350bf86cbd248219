// Message catalogue of dpm-wire.md §6 as data tables (internal module).

/** Kind of a field's value. */
export const enum Kind {
  I16 = 0,
  I32 = 1,
  I64 = 2,
  Bool = 3,
  F64 = 4,
  Str = 5,
  Bin = 6,
  /** array of double decoded to Float64Array */
  F64Typed = 7,
  /** array of double decoded to number[] */
  F64Arr = 8,
  I64Arr = 9,
  StrArr = 10,
  RawSettingArr = 11,
  ScaledSettingArr = 12,
  TextSettingArr = 13,
  SettingStatusArr = 14,
}

export interface FieldDef {
  readonly name: string;
  readonly id: number;
  readonly kind: Kind;
  readonly required: boolean;
  /** Canonical encoding of the field id (tag + bytes). */
  readonly idBytes: Uint8Array;
}

export interface MessageDef {
  readonly type: string;
  readonly id: number;
  readonly fields: readonly FieldDef[];
  readonly fieldIds: Int32Array;
  readonly minCount: number;
  readonly maxCount: number;
  readonly requiredMask: number;
  /** Canonical encoding of the 11-byte header + message id. */
  readonly head: Uint8Array;
}

export { PROTOCOL_ID } from './constants.js';
export const HEADER = Uint8Array.of(0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70, 0x3a);

export const F = {
  list_id: -6112,
  ref_id: 7851,
  drf_request: 25380,
  location: -25120,
  token: -29279,
  MIC: 8141,
  message: 12546,
  model: 24163,
  user_name: 22088,
  raw_array: 769,
  scaled_array: 25550,
  text_array: -12657,
  load: 7859,
  serviceLocation: 4527,
  status: 17492,
  timestamp: -10917,
  cycle: 1856,
  di: -32035,
  name: -27876,
  description: -1748,
  units: 15867,
  format_hint: 32450,
  data: 32568,
  minimum: 9036,
  maximum: -7544,
  alarm_enable: -28896,
  alarm_status: 24630,
  abort: 18972,
  abort_inhibit: -32398,
  tries_needed: 306,
  tries_now: 11070,
  nominal: 20253,
  mask: 4587,
  on: 23553,
  ready: -21725,
  remote: -7034,
  positive: 10006,
  ramp: -28104,
  serviceName: 25400,
  micros: 13357,
} as const;

/** Canonical raw-integer encoding of `v` with kind nibble `k` (small helper for tables). */
export function rawIntBytes(k: number, v: number): Uint8Array {
  let n = 1;
  while (n < 8 && !(v >= -(2 ** (8 * n - 1)) && v <= 2 ** (8 * n - 1) - 1)) n++;
  const out = new Uint8Array(n + 1);
  out[0] = (k << 4) | n;
  let x = BigInt.asUintN(64, BigInt(v));
  for (let i = n; i >= 1; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

type FieldSpec = readonly [name: keyof typeof F, kind: Kind, required?: boolean];

function def(type: string, id: number, specs: readonly FieldSpec[]): MessageDef {
  const fields: FieldDef[] = specs.map(([name, kind, required = true]) => ({
    name,
    id: F[name],
    kind,
    required,
    idBytes: rawIntBytes(1, F[name]),
  }));
  const r = fields.filter((f) => f.required).length;
  let requiredMask = 0;
  fields.forEach((f, i) => {
    if (f.required) requiredMask |= 1 << i;
  });
  const idb = rawIntBytes(1, id);
  const head = new Uint8Array(HEADER.length + idb.length);
  head.set(HEADER, 0);
  head.set(idb, HEADER.length);
  return {
    type,
    id,
    fields,
    fieldIds: Int32Array.from(fields, (f) => f.id),
    minCount: 2 * r,
    maxCount: 2 * fields.length,
    requiredMask,
    head,
  };
}

const OPT = false;
const DATA_HEAD: readonly FieldSpec[] = [
  ['ref_id', Kind.I64],
  ['timestamp', Kind.I64],
  ['cycle', Kind.I64],
];

export const REQUESTS: readonly MessageDef[] = [
  def('ServiceDiscovery_request', -8230, []),
  def('OpenList_request', 2076, [['location', Kind.Str, OPT]]),
  def('AddToList_request', 97, [
    ['list_id', Kind.I32],
    ['ref_id', Kind.I64],
    ['drf_request', Kind.Str],
  ]),
  def('Authenticate_request', -15277, [
    ['list_id', Kind.I32],
    ['token', Kind.Bin],
  ]),
  def('EnableSettings_request', 21346, [
    ['list_id', Kind.I32],
    ['MIC', Kind.Bin],
    ['message', Kind.Bin],
  ]),
  def('RemoveFromList_request', -3807, [
    ['list_id', Kind.I32],
    ['ref_id', Kind.I64],
  ]),
  def('StartList_request', -8779, [
    ['list_id', Kind.I32],
    ['model', Kind.Str, OPT],
  ]),
  def('ClearList_request', -15607, [['list_id', Kind.I32]]),
  def('StopList_request', 21417, [['list_id', Kind.I32]]),
  def('ApplySettings_request', -14728, [
    ['user_name', Kind.Str],
    ['list_id', Kind.I32],
    ['raw_array', Kind.RawSettingArr, OPT],
    ['scaled_array', Kind.ScaledSettingArr, OPT],
    ['text_array', Kind.TextSettingArr, OPT],
  ]),
];

export const REPLIES: readonly MessageDef[] = [
  def('ServiceDiscovery_reply', -12930, [
    ['load', Kind.I16],
    ['serviceLocation', Kind.Str],
  ]),
  def('OpenList_reply', 13470, [['list_id', Kind.I32]]),
  def('AddToList_reply', -29780, [
    ['list_id', Kind.I32],
    ['ref_id', Kind.I64],
    ['status', Kind.I16],
  ]),
  def('RemoveFromList_reply', -3046, [
    ['list_id', Kind.I32],
    ['ref_id', Kind.I64],
    ['status', Kind.I16],
  ]),
  def('StartList_reply', -27136, [
    ['list_id', Kind.I32],
    ['status', Kind.I16],
  ]),
  def('ListStatus_reply', 29552, [
    ['list_id', Kind.I32],
    ['status', Kind.I16],
  ]),
  def('Status_reply', -10579, [...DATA_HEAD, ['status', Kind.I16]]),
  def('DeviceInfo_reply', 28653, [
    ['ref_id', Kind.I64],
    ['di', Kind.I32],
    ['name', Kind.Str],
    ['description', Kind.Str],
    ['units', Kind.Str, OPT],
    ['format_hint', Kind.I16, OPT],
  ]),
  def('Scalar_reply', -10581, [...DATA_HEAD, ['status', Kind.I16], ['data', Kind.F64]]),
  def('ScalarArray_reply', 23036, [...DATA_HEAD, ['status', Kind.I16], ['data', Kind.F64Typed]]),
  def('Raw_reply', -12450, [...DATA_HEAD, ['status', Kind.I16], ['data', Kind.Bin]]),
  def('Text_reply', -28878, [...DATA_HEAD, ['status', Kind.I16], ['data', Kind.Str]]),
  def('TextArray_reply', 12923, [...DATA_HEAD, ['status', Kind.I16], ['data', Kind.StrArr]]),
  def('AnalogAlarm_reply', 30088, [
    ...DATA_HEAD,
    ['minimum', Kind.F64],
    ['maximum', Kind.F64],
    ['alarm_enable', Kind.Bool],
    ['alarm_status', Kind.Bool],
    ['abort', Kind.Bool],
    ['abort_inhibit', Kind.Bool],
    ['tries_needed', Kind.I32],
    ['tries_now', Kind.I32],
  ]),
  def('DigitalAlarm_reply', -14437, [
    ...DATA_HEAD,
    ['nominal', Kind.I32],
    ['mask', Kind.I32],
    ['alarm_enable', Kind.Bool],
    ['alarm_status', Kind.Bool],
    ['abort', Kind.Bool],
    ['abort_inhibit', Kind.Bool],
    ['tries_needed', Kind.I32],
    ['tries_now', Kind.I32],
  ]),
  def('BasicStatus_reply', -3335, [
    ...DATA_HEAD,
    ['on', Kind.Bool, OPT],
    ['ready', Kind.Bool, OPT],
    ['remote', Kind.Bool, OPT],
    ['positive', Kind.Bool, OPT],
    ['ramp', Kind.Bool, OPT],
  ]),
  def('TimedScalarArray_reply', 31282, [
    ...DATA_HEAD,
    ['status', Kind.I16],
    ['data', Kind.F64Typed],
    ['micros', Kind.I64Arr],
  ]),
  def('ApplySettings_reply', 17344, [['status', Kind.SettingStatusArr]]),
  def('Authenticate_reply', 7286, [
    ['serviceName', Kind.Str, OPT],
    ['token', Kind.Bin, OPT],
  ]),
];

/** Lookup table indexed by `id + 32768` (all ids fit in 16 bits). */
function table(defs: readonly MessageDef[]): (MessageDef | undefined)[] {
  const t: (MessageDef | undefined)[] = new Array<MessageDef | undefined>(65536).fill(undefined);
  for (const d of defs) t[d.id + 32768] = d;
  return t;
}

export const REQUEST_BY_ID = table(REQUESTS);
export const REPLY_BY_ID = table(REPLIES);
export const REQUEST_BY_TYPE = new Map<string, MessageDef>(REQUESTS.map((d) => [d.type, d]));
export const REPLY_BY_TYPE = new Map<string, MessageDef>(REPLIES.map((d) => [d.type, d]));
