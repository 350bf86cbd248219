/**
 * The simulator's live device state: the catalogue plus every value written since
 * (settings, test helpers). Shared by all connections of one simulator.
 *
 * @example
 * ```ts
 * const store = new DeviceStore(defaultCatalogue());
 * store.find('m:outtmp')?.spec.units; // 'DegF'
 * ```
 *
 * @module
 */
import type { Catalogue, DeviceSpec, ValueSpec } from './catalogue/codec.js';
import type { LinearScaling, SimValue } from './sim-value.js';

/**
 * The two value-carrying properties of a simulated device.
 *
 * @example
 * ```ts
 * store.valueAt(device, 'reading' satisfies ValueProperty, Date.now());
 * ```
 */
export type ValueProperty = 'reading' | 'setting';

/**
 * One simulated device: its catalogue entry and current value specs.
 *
 * @example
 * ```ts
 * const d: SimDevice | undefined = store.find('Z:ACLTST');
 * ```
 */
export interface SimDevice {
  /** The catalogue entry (read-only view). */
  readonly spec: DeviceSpec;
  /** Upper-case name, e.g. `M:OUTTMP`. */
  readonly name: string;
  /** Scaling used for RAW and PRIMARY (identity when the entry has none). */
  readonly scaling: LinearScaling;
}

interface DeviceState extends SimDevice {
  reading: ValueSpec | undefined;
  setting: ValueSpec | undefined;
  /** Explicit arrays converted once. */
  cache: Map<ValueSpec, SimValue>;
}

/**
 * A listener called after a device value changed (used by state events).
 *
 * @example
 * ```ts
 * const l: DeviceChangeListener = (name) => console.log(name, 'changed');
 * ```
 */
export type DeviceChangeListener = (name: string, property: ValueProperty) => void;

/**
 * Device lookup and mutable state.
 *
 * @example
 * ```ts
 * const store = new DeviceStore(generateCatalogue(10_000));
 * store.write('Z:ACLTST', 'setting', { kind: 'scalar', value: 3 });
 * ```
 */
export class DeviceStore {
  private readonly byName = new Map<string, DeviceState>();
  private readonly byIndex = new Map<number, DeviceState>();
  private readonly listeners = new Set<DeviceChangeListener>();

  constructor(catalogue: Catalogue) {
    for (const spec of structuredClone(catalogue).devices) {
      const name = spec.name.toUpperCase();
      const st: DeviceState = {
        spec,
        name,
        scaling: spec.scaling ?? { scale: 1, offset: 0 },
        reading: spec.reading,
        setting: spec.setting,
        cache: new Map(),
      };
      this.byName.set(name, st);
      this.byIndex.set(spec.index, st);
    }
  }

  /** Number of devices. */
  get size(): number {
    return this.byName.size;
  }

  /**
   * Looks a device up by name (any case, any qualifier character) or by index
   * (`0:1234`, `#:1234`).
   */
  find(name: string): SimDevice | undefined {
    const upper = name.toUpperCase();
    if (upper.length >= 3 && (upper[0] === '0' || upper[0] === '#')) {
      const body = upper.slice(2);
      if (/^\d+$/.test(body)) return this.byIndex.get(Number(body));
    }
    return this.byName.get(`${upper[0] ?? ''}:${upper.slice(2)}`);
  }

  /** Whether the device has this property (a value spec for it). */
  has(device: SimDevice, prop: ValueProperty): boolean {
    return this.state(device)[prop] !== undefined;
  }

  /** The kind of a property's value, or undefined if the device lacks it. */
  kindOf(device: SimDevice, prop: ValueProperty): SimValue['kind'] | undefined {
    return this.state(device)[prop]?.kind;
  }

  /** The value of a property at time `t` (ms since the epoch). */
  valueAt(device: SimDevice, prop: ValueProperty, t: number): SimValue | undefined {
    const st = this.state(device);
    const spec = st[prop];
    if (spec === undefined) return undefined;
    switch (spec.kind) {
      case 'scalar': {
        let v = spec.value;
        if (spec.sine) v += spec.sine.amplitude * Math.sin((2 * Math.PI * t) / (spec.sine.periodS * 1000));
        if (spec.noise) v += (Math.random() * 2 - 1) * spec.noise;
        return { kind: 'scalar', value: v };
      }
      case 'array': {
        if (spec.values !== undefined) return this.cached(st, spec, () => ({ kind: 'array', values: Float64Array.from(spec.values!) }));
        const n = spec.length ?? 0;
        const out = new Float64Array(n);
        const amp = spec.amplitude ?? 1;
        if (spec.generator === 'ramp') for (let i = 0; i < n; i++) out[i] = i;
        else if (spec.generator === 'sine') {
          const phase = t / 10_000;
          for (let i = 0; i < n; i++) out[i] = amp * Math.sin(2 * Math.PI * (i / n + phase));
        }
        return { kind: 'array', values: out };
      }
      case 'text':
        return { kind: 'text', value: spec.value };
      case 'textArray':
        return { kind: 'textArray', values: spec.values };
      case 'raw':
        return this.cached(st, spec, () => ({ kind: 'raw', bytes: new Uint8Array(Buffer.from(spec.hex, 'hex')) }));
    }
  }

  /**
   * Replaces a property's value (it stays constant from now on). Writing the SETTING of a
   * device whose READING has the same kind also sets the READING (a loop-back device), so
   * that later reads see the new value.
   */
  write(device: SimDevice | string, prop: ValueProperty, value: SimValue): void {
    const d = typeof device === 'string' ? this.find(device) : device;
    if (d === undefined) throw new RangeError(`unknown device ${String(device)}`);
    const st = this.state(d);
    const spec = toSpec(value);
    st[prop] = spec;
    this.notify(st.name, prop);
    if (prop === 'setting' && st.reading !== undefined && st.reading.kind === spec.kind) {
      st.reading = spec;
      this.notify(st.name, 'reading');
    }
  }

  /** Puts a device in a simulated fault state (`status` ≠ 0) or clears it (0 / undefined). */
  setErrorStatus(device: SimDevice | string, status: number | undefined): void {
    const d = typeof device === 'string' ? this.find(device) : device;
    if (d === undefined) throw new RangeError(`unknown device ${String(device)}`);
    const spec = d.spec as { errorStatus?: number };
    if (status === undefined || status === 0) delete spec.errorStatus;
    else spec.errorStatus = status;
  }

  /** Registers a change listener; returns a function that removes it. */
  onChange(listener: DeviceChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(name: string, prop: ValueProperty): void {
    for (const l of [...this.listeners]) l(name, prop);
  }

  private state(d: SimDevice): DeviceState {
    return d as DeviceState;
  }

  private cached(st: DeviceState, spec: ValueSpec, make: () => SimValue): SimValue {
    let v = st.cache.get(spec);
    if (v === undefined) {
      v = make();
      st.cache.set(spec, v);
    }
    return v;
  }
}

function toSpec(v: SimValue): ValueSpec {
  switch (v.kind) {
    case 'scalar':
      return { kind: 'scalar', value: v.value };
    case 'array':
      return { kind: 'array', values: Array.from(v.values) };
    case 'text':
      return { kind: 'text', value: v.value };
    case 'textArray':
      return { kind: 'textArray', values: [...v.values] };
    case 'raw':
      return { kind: 'raw', hex: Buffer.from(v.bytes).toString('hex') };
  }
}
