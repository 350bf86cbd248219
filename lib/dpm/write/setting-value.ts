/**
 * Setting values and their wire form (`dpm-behaviour.md` §9.4 step 4): bytes → `RawSetting`,
 * numbers → `ScaledSetting`, text → `TextSetting`.
 *
 * @module
 */
import type { ApplySettingsRequest, EncodableView, RawSetting, ScaledSetting, TextSetting } from '../../protocol/index.js';

/**
 * The basic-control commands of a CONTROL setting, as sent on the wire (`dpm-behaviour.md` §9.4
 * step 4: "control enums such as ON = 1, OFF = 2, RESET = 0"). Only these three are documented;
 * other commands (POSITIVE, NEGATIVE, RAMP, DC, …) have no documented value and can be sent as
 * their number if you know it.
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST.CONTROL', ControlCommand.OFF); // same as client.write('Z:ACLTST.CONTROL', 'OFF')
 * ```
 */
export const ControlCommand = {
  /** Reset (0). */
  RESET: 0,
  /** On (1). */
  ON: 1,
  /** Off (2). */
  OFF: 2,
} as const;

/**
 * A name of {@link ControlCommand}.
 *
 * @example
 * ```ts
 * const c: ControlCommandName = 'ON';
 * ```
 */
export type ControlCommandName = keyof typeof ControlCommand;

/**
 * The number of a control command named `name` (case-insensitive, surrounding blanks ignored),
 * or `undefined` for anything else.
 *
 * @example
 * ```ts
 * controlCommand('off'); // 2
 * controlCommand('BANANA'); // undefined
 * ```
 */
export function controlCommand(name: string): number | undefined {
  const key = name.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(ControlCommand, key) ? ControlCommand[key as ControlCommandName] : undefined;
}

/**
 * A value for one setting: raw bytes (`Uint8Array`), a number (including control commands such as
 * ON = 1, OFF = 2, RESET = 0, see {@link ControlCommand}; for a CONTROL property the names
 * `'ON'`, `'OFF'`, `'RESET'` are accepted too), numbers (`number[]` / `Float64Array`), a text or several texts.
 *
 * @example
 * ```ts
 * const values: SettingValue[] = [42, [1, 2, 3], Float64Array.of(1.5), 'hello', ['a', 'b'], Uint8Array.of(1, 2)];
 * ```
 */
export type SettingValue = number | readonly number[] | Float64Array | string | readonly string[] | Uint8Array;

/**
 * A setting value in its wire category.
 *
 * @example
 * ```ts
 * settingPayload(42); // { kind: 'scaled', data: [42] }
 * ```
 */
export type SettingPayload =
  | { readonly kind: 'raw'; readonly data: Uint8Array }
  | { readonly kind: 'scaled'; readonly data: readonly number[] }
  | { readonly kind: 'text'; readonly data: readonly string[] };

/**
 * Whether `v` is a {@link SettingValue} (not an alarm block or anything else).
 *
 * @example
 * ```ts
 * isSettingValue([1, 2]); // true
 * isSettingValue({ minimum: 1 }); // false
 * ```
 */
export function isSettingValue(v: unknown): v is SettingValue {
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array || v instanceof Float64Array) return true;
  if (!Array.isArray(v)) return false;
  return v.every((x) => typeof x === 'number') || v.every((x) => typeof x === 'string');
}

/**
 * Maps a value to its wire category. Throws `TypeError` for anything else (mixed arrays, objects).
 * With `property` `'CONTROL'` (the property of the write target), text is a control command:
 * `'ON'`, `'OFF'`, `'RESET'` (case-insensitive) become their numbers ({@link ControlCommand}) in a
 * scaled setting; any other text throws `TypeError` (nothing is sent).
 *
 * @example
 * ```ts
 * settingPayload(['a', 'b']);           // { kind: 'text', data: ['a', 'b'] }
 * settingPayload(Uint8Array.of(1, 2));  // { kind: 'raw', data: Uint8Array [1, 2] }
 * settingPayload('off', 'CONTROL');     // { kind: 'scaled', data: [2] }
 * ```
 */
export function settingPayload(value: SettingValue, property?: string): SettingPayload {
  if (property === 'CONTROL' && (typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string')))) {
    const names: readonly string[] = typeof value === 'string' ? [value] : (value as readonly string[]);
    return { kind: 'scaled', data: names.map(controlNumber) };
  }
  if (value instanceof Uint8Array) return { kind: 'raw', data: value };
  if (typeof value === 'number') return { kind: 'scaled', data: [value] };
  if (typeof value === 'string') return { kind: 'text', data: [value] };
  if (value instanceof Float64Array) return { kind: 'scaled', data: Array.from(value) };
  if (Array.isArray(value)) {
    if (value.every((x): x is number => typeof x === 'number')) return { kind: 'scaled', data: [...value] };
    if (value.every((x): x is string => typeof x === 'string')) return { kind: 'text', data: [...value] };
  }
  throw new TypeError(`unsupported setting value ${describeValue(value)}: expected bytes, number(s) or text(s)`);
}

/**
 * Builds the `ApplySettings_request` for `(ref_id, payload)` pairs: one struct per setting in the
 * raw, scaled and text arrays; empty arrays are omitted.
 *
 * @example
 * ```ts
 * applySettingsRequest('alice@FNAL.GOV', 4096, [[1, settingPayload(42)]]);
 * // { type: 'ApplySettings_request', user_name: 'alice@FNAL.GOV', list_id: 4096, scaled_array: [{ ref_id: 1, data: [42] }] }
 * ```
 */
export function applySettingsRequest(
  userName: string,
  listId: number,
  settings: readonly (readonly [number, SettingPayload])[],
): ApplySettingsRequest<EncodableView> {
  const raw: RawSetting<EncodableView>[] = [];
  const scaled: ScaledSetting<EncodableView>[] = [];
  const text: TextSetting<EncodableView>[] = [];
  for (const [ref, p] of settings) {
    if (p.kind === 'raw') raw.push({ ref_id: ref, data: p.data });
    else if (p.kind === 'scaled') scaled.push({ ref_id: ref, data: p.data });
    else text.push({ ref_id: ref, data: [...p.data] });
  }
  const m: ApplySettingsRequest<EncodableView> = { type: 'ApplySettings_request', user_name: userName, list_id: listId };
  if (raw.length > 0) m.raw_array = raw;
  if (scaled.length > 0) m.scaled_array = scaled;
  if (text.length > 0) m.text_array = text;
  return m;
}

function controlNumber(name: string): number {
  const n = controlCommand(name);
  if (n === undefined) {
    throw new TypeError(
      `unknown control command ${describeValue(name)}: expected ${Object.keys(ControlCommand).join(', ')} (or a number)`,
    );
  }
  return n;
}

function describeValue(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}
