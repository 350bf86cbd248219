/**
 * Runtime values of simulated device properties and their raw (byte) form.
 *
 * @example
 * ```ts
 * const v: SimValue = { kind: 'scalar', value: 72.5 };
 * ```
 *
 * @module
 */

/**
 * The value of a READING or SETTING property at one moment.
 *
 * @example
 * ```ts
 * const v: SimValue = { kind: 'array', values: new Float64Array([1, 2, 3]) };
 * ```
 */
export type SimValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'array'; readonly values: Float64Array }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'textArray'; readonly values: readonly string[] }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/**
 * Linear scaling `scaled = raw × scale + offset` (identity when absent).
 *
 * @example
 * ```ts
 * const s: LinearScaling = { scale: 0.01, offset: 0 };
 * ```
 */
export interface LinearScaling {
  readonly scale: number;
  readonly offset: number;
}

const IDENTITY: LinearScaling = { scale: 1, offset: 0 };

/**
 * Bytes per element of a numeric value's raw form (int32, little-endian).
 *
 * @example
 * ```ts
 * toRaw({ kind: 'array', values: Float64Array.of(1, 2) }).length === 2 * RAW_ELEMENT_BYTES; // true
 * ```
 */
export const RAW_ELEMENT_BYTES = 4;

/**
 * The raw bytes of a value: scalars and arrays as int32 little-endian counts
 * (`round((v − offset) / scale)`, clamped), text as UTF-8, text arrays as UTF-8 joined by NUL,
 * raw values as they are.
 *
 * @example
 * ```ts
 * toRaw({ kind: 'scalar', value: 1.5 }, { scale: 0.5, offset: 0 }); // Uint8Array [3, 0, 0, 0]
 * ```
 */
export function toRaw(v: SimValue, scaling: LinearScaling = IDENTITY): Uint8Array {
  switch (v.kind) {
    case 'raw':
      return v.bytes;
    case 'text':
      return new Uint8Array(Buffer.from(v.value, 'utf8'));
    case 'textArray':
      return new Uint8Array(Buffer.from(v.values.join('\0'), 'utf8'));
    case 'scalar':
    case 'array': {
      const vals = v.kind === 'scalar' ? [v.value] : v.values;
      const out = new Uint8Array(vals.length * RAW_ELEMENT_BYTES);
      const dv = new DataView(out.buffer);
      for (let i = 0; i < vals.length; i++) dv.setInt32(i * RAW_ELEMENT_BYTES, toCounts(vals[i]!, scaling), true);
      return out;
    }
  }
}

/**
 * Raw counts → scaled values (the inverse of {@link toRaw} for numeric values). Bytes that
 * are not a whole number of int32 elements give `undefined`.
 *
 * @example
 * ```ts
 * fromRawCounts(new Uint8Array([3, 0, 0, 0]), { scale: 0.5, offset: 0 }); // [1.5]
 * ```
 */
export function fromRawCounts(bytes: Uint8Array, scaling: LinearScaling = IDENTITY): number[] | undefined {
  if (bytes.length === 0 || bytes.length % RAW_ELEMENT_BYTES !== 0) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += RAW_ELEMENT_BYTES) out.push(dv.getInt32(i, true) * scaling.scale + scaling.offset);
  return out;
}

/**
 * A scaled value's primary (raw-count) value as a double: `(v − offset) / scale`.
 *
 * @example
 * ```ts
 * toPrimary(1.5, { scale: 0.5, offset: 0 }); // 3
 * ```
 */
export function toPrimary(v: number, scaling: LinearScaling = IDENTITY): number {
  return (v - scaling.offset) / scaling.scale;
}

function toCounts(v: number, s: LinearScaling): number {
  const c = Math.round((v - s.offset) / s.scale);
  if (!Number.isFinite(c)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, c));
}
