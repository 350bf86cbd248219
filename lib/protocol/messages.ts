/**
 * DPM protocol messages as plain, typed objects (spec `dpm-wire.md` §6).
 *
 * Every message is an object whose `type` key is the spec's message name
 * (`"AddToList_request"`, `"Scalar_reply"`, …) and whose other keys are the
 * spec's field names, spelled exactly as in the spec (`list_id`, `ref_id`,
 * `drf_request`, `format_hint`, `MIC`, `serviceName`, …). An absent optional
 * field is an absent key (never `undefined` on decode).
 *
 * Value mapping (decoded view, the default type arguments):
 *
 * | wire type          | TypeScript                                                   |
 * |--------------------|--------------------------------------------------------------|
 * | int16 / int32      | `number`                                                     |
 * | int64              | `number` (safe integer; larger values are a decode error)    |
 * | bool               | `boolean`                                                    |
 * | double             | `number` (NaN, ±Infinity and −0 preserved)                   |
 * | string             | `string`                                                     |
 * | binary             | `Uint8Array`                                                 |
 * | array of double    | `Float64Array` in `ScalarArray_reply` / `TimedScalarArray_reply` `data` (fast path); `number[]` in `ScaledSetting.data` |
 * | array of int64     | `number[]` (`TimedScalarArray_reply.micros`)                 |
 * | array of string    | `string[]`                                                   |
 * | array of struct    | array of the struct interfaces below                         |
 *
 * Encoders accept a wider input ({@link EncodableView}): int64 fields take
 * `number | bigint`, and every array of numbers takes any `ArrayLike`
 * (plain array, `Float64Array`, …). A decoded message is always a valid
 * encoder input.
 *
 * @example
 * ```ts
 * import type { ReplyMessage } from 'acsys-rx/protocol';
 * function onReply(m: ReplyMessage) {
 *   if (m.type === 'Scalar_reply') console.log(m.ref_id, m.data);
 * }
 * ```
 *
 * @module
 */

/**
 * Type-level switch describing how numeric fields are represented.
 * `DecodedView` is what decoders return; `EncodableView` is what encoders accept.
 */
export interface DecodedView {
  /** int64 scalar fields. */
  readonly int64: number;
  /** `array of int64` fields (`micros`). */
  readonly int64s: number[];
  /** `array of double` in data replies (`ScalarArray_reply`, `TimedScalarArray_reply`). */
  readonly f64s: Float64Array;
  /** `array of double` in `ScaledSetting.data`. */
  readonly doubles: number[];
}

/** The encoder-input view: int64 as `number | bigint`, numeric arrays as `ArrayLike`. */
export interface EncodableView {
  /** int64 scalar fields: `number` or `bigint`. */
  readonly int64: number | bigint;
  /** `array of int64` fields: any array-like of `number | bigint`. */
  readonly int64s: ArrayLike<number | bigint>;
  /** `array of double` in data replies: any array-like of numbers. */
  readonly f64s: ArrayLike<number>;
  /** `array of double` in `ScaledSetting.data`: any array-like of numbers. */
  readonly doubles: ArrayLike<number>;
}

/** Either view; the type parameter of every message and struct interface. */
export type View = DecodedView | EncodableView;

// ---------------------------------------------------------------------------
// Structs (§6.3)
// ---------------------------------------------------------------------------

/** `RawSetting` struct: a setting given as raw device bytes. */
export interface RawSetting<V extends View = DecodedView> {
  /** int64: the `ref_id` of the request this setting is for. */
  ref_id: V['int64'];
  /** Raw bytes to set. */
  data: Uint8Array;
}

/** `ScaledSetting` struct: a setting in engineering units (one or more values). */
export interface ScaledSetting<V extends View = DecodedView> {
  /** int64: the `ref_id` of the request this setting is for. */
  ref_id: V['int64'];
  /** Values to set, in engineering units. */
  data: V['doubles'];
}

/** `TextSetting` struct: a setting given as text. */
export interface TextSetting<V extends View = DecodedView> {
  /** int64: the `ref_id` of the request this setting is for. */
  ref_id: V['int64'];
  /** Texts to set. */
  data: string[];
}

/** `SettingStatus` struct: the outcome (ACNET status word) of one setting. */
export interface SettingStatus<V extends View = DecodedView> {
  /** int64: the `ref_id` of the setting. */
  ref_id: V['int64'];
  /** int16 ACNET status word. */
  status: number;
}

// ---------------------------------------------------------------------------
// Requests (§6.4)
// ---------------------------------------------------------------------------

/** `ServiceDiscovery_request` (id −8230): no fields. */
export interface ServiceDiscoveryRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ServiceDiscovery_request';
}

/** `OpenList_request` (id 2076). Not sent on the TCP transport. */
export interface OpenListRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'OpenList_request';
  /** Where to open the list (unused on TCP). */
  location?: string;
}

/** `AddToList_request` (id 97): add one DRF request under a client-chosen `ref_id`. */
export interface AddToListRequest<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'AddToList_request';
  /** int32 */
  list_id: number;
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** The DRF request text. */
  drf_request: string;
}

/** `Authenticate_request` (id −15277): GSSAPI token (empty asks for the service name). */
export interface AuthenticateRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Authenticate_request';
  /** int32 */
  list_id: number;
  /** GSS-API token (empty: ask for the service name). */
  token: Uint8Array;
}

/** `EnableSettings_request` (id 21346). */
export interface EnableSettingsRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'EnableSettings_request';
  /** int32 */
  list_id: number;
  /** GSS-API message integrity code over `message`. */
  MIC: Uint8Array;
  /** The bytes signed by `MIC`. */
  message: Uint8Array;
}

/** `RemoveFromList_request` (id −3807). */
export interface RemoveFromListRequest<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'RemoveFromList_request';
  /** int32 */
  list_id: number;
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
}

/** `StartList_request` (id −8779). */
export interface StartListRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'StartList_request';
  /** int32 */
  list_id: number;
  /** Default data source of the list (e.g. `LOGGER:…`); absent for live data. */
  model?: string;
}

/** `ClearList_request` (id −15607). */
export interface ClearListRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ClearList_request';
  /** int32 */
  list_id: number;
}

/** `StopList_request` (id 21417). */
export interface StopListRequest<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'StopList_request';
  /** int32 */
  list_id: number;
}

/** `ApplySettings_request` (id −14728). */
export interface ApplySettingsRequest<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ApplySettings_request';
  /** The user applying the settings. */
  user_name: string;
  /** int32 */
  list_id: number;
  /** Settings given as raw bytes. */
  raw_array?: RawSetting<V>[];
  /** Settings in engineering units. */
  scaled_array?: ScaledSetting<V>[];
  /** Settings given as text. */
  text_array?: TextSetting<V>[];
}

// ---------------------------------------------------------------------------
// Replies (§6.5)
// ---------------------------------------------------------------------------

/** `ServiceDiscovery_reply` (id −12930). */
export interface ServiceDiscoveryReply<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ServiceDiscovery_reply';
  /** int16 */
  load: number;
  /** Where the DPM service is. */
  serviceLocation: string;
}

/** `OpenList_reply` (id 13470): the first frame the server sends. */
export interface OpenListReply<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'OpenList_reply';
  /** int32 */
  list_id: number;
}

/** `AddToList_reply` (id −29780). */
export interface AddToListReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'AddToList_reply';
  /** int32 */
  list_id: number;
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int16 ACNET status word. */
  status: number;
}

/** `RemoveFromList_reply` (id −3046). */
export interface RemoveFromListReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'RemoveFromList_reply';
  /** int32 */
  list_id: number;
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int16 ACNET status word. */
  status: number;
}

/** `StartList_reply` (id −27136). */
export interface StartListReply<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'StartList_reply';
  /** int32 */
  list_id: number;
  /** int16 ACNET status word. */
  status: number;
}

/** `ListStatus_reply` (id 29552): also the periodic heartbeat. */
export interface ListStatusReply<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ListStatus_reply';
  /** int32 */
  list_id: number;
  /** int16 ACNET status word. */
  status: number;
}

/** `Status_reply` (id −10579): only a status word for `ref_id`. */
export interface StatusReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Status_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
}

/** `DeviceInfo_reply` (id 28653). */
export interface DeviceInfoReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'DeviceInfo_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int32 */
  di: number;
  /** The device name. */
  name: string;
  /** The device description. */
  description: string;
  /** Engineering units of the scaled reading. */
  units?: string;
  /** int16 */
  format_hint?: number;
}

/** `Scalar_reply` (id −10581). */
export interface ScalarReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Scalar_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** The value (double). */
  data: number;
}

/** `ScalarArray_reply` (id 23036). `data` decodes to a `Float64Array`. */
export interface ScalarArrayReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ScalarArray_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** The values. */
  data: V['f64s'];
}

/** `Raw_reply` (id −12450). */
export interface RawReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Raw_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** Raw device bytes. */
  data: Uint8Array;
}

/** `Text_reply` (id −28878). */
export interface TextReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Text_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** The text. */
  data: string;
}

/** `TextArray_reply` (id 12923). */
export interface TextArrayReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'TextArray_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** The texts. */
  data: string[];
}

/** `AnalogAlarm_reply` (id 30088). No `status` field. */
export interface AnalogAlarmReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'AnalogAlarm_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** Alarm minimum (engineering units). */
  minimum: number;
  /** Alarm maximum (engineering units). */
  maximum: number;
  /** Alarm checking enabled. */
  alarm_enable: boolean;
  /** The device is in alarm. */
  alarm_status: boolean;
  /** The alarm generates an abort. */
  abort: boolean;
  /** Aborts of this alarm are inhibited. */
  abort_inhibit: boolean;
  /** int32 */
  tries_needed: number;
  /** int32 */
  tries_now: number;
}

/** `DigitalAlarm_reply` (id −14437). No `status` field. */
export interface DigitalAlarmReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'DigitalAlarm_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int32 */
  nominal: number;
  /** int32 */
  mask: number;
  /** Alarm checking enabled. */
  alarm_enable: boolean;
  /** The device is in alarm. */
  alarm_status: boolean;
  /** The alarm generates an abort. */
  abort: boolean;
  /** Aborts of this alarm are inhibited. */
  abort_inhibit: boolean;
  /** int32 */
  tries_needed: number;
  /** int32 */
  tries_now: number;
}

/** `BasicStatus_reply` (id −3335). Each status bit is optional. No `status` field. */
export interface BasicStatusReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'BasicStatus_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** Device on. */
  on?: boolean;
  /** Device ready. */
  ready?: boolean;
  /** Device in remote control. */
  remote?: boolean;
  /** Device polarity positive. */
  positive?: boolean;
  /** Device in ramp (DC otherwise). */
  ramp?: boolean;
}

/** `TimedScalarArray_reply` (id 31282). `data` decodes to a `Float64Array`. */
export interface TimedScalarArrayReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'TimedScalarArray_reply';
  /** int64: the client's reference of the DRF request (its `AddToList_request.ref_id`). */
  ref_id: V['int64'];
  /** int64: time of the data, milliseconds since 1970 (0: no timestamp). */
  timestamp: V['int64'];
  /** int64: accelerator cycle of the data (live data) or chunk number (logger data). */
  cycle: V['int64'];
  /** int16 ACNET status word. */
  status: number;
  /** The values; `micros[i]` is the time of `data[i]`. */
  data: V['f64s'];
  /** int64 each: the time of `data[i]`, microseconds since 1970. */
  micros: V['int64s'];
}

/** `ApplySettings_reply` (id 17344): one `SettingStatus` per setting. */
export interface ApplySettingsReply<V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'ApplySettings_reply';
  /** One status per setting. */
  status: SettingStatus<V>[];
}

/** `Authenticate_reply` (id 7286). Both fields optional. */
export interface AuthenticateReply<_V extends View = DecodedView> {
  /** The message name (the union's discriminant). */
  type: 'Authenticate_reply';
  /** The Kerberos service name of this DPM. */
  serviceName?: string;
  /** GSS-API token of the server, if any. */
  token?: Uint8Array;
}

// ---------------------------------------------------------------------------
// Unions
// ---------------------------------------------------------------------------

/** Every request (client → DPM), discriminated on `type`. */
export type RequestMessage<V extends View = DecodedView> =
  | ServiceDiscoveryRequest<V>
  | OpenListRequest<V>
  | AddToListRequest<V>
  | AuthenticateRequest<V>
  | EnableSettingsRequest<V>
  | RemoveFromListRequest<V>
  | StartListRequest<V>
  | ClearListRequest<V>
  | StopListRequest<V>
  | ApplySettingsRequest<V>;

/** Every reply (DPM → client), discriminated on `type`. */
export type ReplyMessage<V extends View = DecodedView> =
  | ServiceDiscoveryReply<V>
  | OpenListReply<V>
  | AddToListReply<V>
  | RemoveFromListReply<V>
  | StartListReply<V>
  | ListStatusReply<V>
  | StatusReply<V>
  | DeviceInfoReply<V>
  | ScalarReply<V>
  | ScalarArrayReply<V>
  | RawReply<V>
  | TextReply<V>
  | TextArrayReply<V>
  | AnalogAlarmReply<V>
  | DigitalAlarmReply<V>
  | BasicStatusReply<V>
  | TimedScalarArrayReply<V>
  | ApplySettingsReply<V>
  | AuthenticateReply<V>;

/** Any DPM message. */
export type DpmMessage<V extends View = DecodedView> = RequestMessage<V> | ReplyMessage<V>;

/** What `encodeRequest` accepts (int64 as `number | bigint`, numeric arrays as `ArrayLike`). */
export type EncodableRequest = RequestMessage<EncodableView>;
/** What `encodeReply` accepts (int64 as `number | bigint`, numeric arrays as `ArrayLike`). */
export type EncodableReply = ReplyMessage<EncodableView>;

/** The request type names: `"ServiceDiscovery_request" | "OpenList_request" | …`. */
export type RequestType = RequestMessage['type'];
/** The reply type names: `"ServiceDiscovery_reply" | "OpenList_reply" | …`. */
export type ReplyType = ReplyMessage['type'];
/** Every message type name. */
export type MessageType = RequestType | ReplyType;

/** The request interface for a type name, e.g. `RequestOf<'AddToList_request'>`. */
export type RequestOf<T extends RequestType, V extends View = DecodedView> = Extract<
  RequestMessage<V>,
  {
    /** The message name. */
    type: T;
  }
>;
/** The reply interface for a type name, e.g. `ReplyOf<'Scalar_reply'>`. */
export type ReplyOf<T extends ReplyType, V extends View = DecodedView> = Extract<
  ReplyMessage<V>,
  {
    /** The message name. */
    type: T;
  }
>;

/** The data replies: the ones answering a reading, carrying `ref_id`, `timestamp` and `cycle`. */
export type DataReply<V extends View = DecodedView> =
  | StatusReply<V>
  | ScalarReply<V>
  | ScalarArrayReply<V>
  | RawReply<V>
  | TextReply<V>
  | TextArrayReply<V>
  | AnalogAlarmReply<V>
  | DigitalAlarmReply<V>
  | BasicStatusReply<V>
  | TimedScalarArrayReply<V>;
