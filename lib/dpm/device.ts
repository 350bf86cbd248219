/**
 * Device objects, as pacsys's `Device('M:OUTTMP')`: one device name bound to a client, with
 * `read()`, `setting()`, `status()`, alarms, `stream()`, `write()` and `on()`/`off()`/`reset()`.
 * A thin layer over {@link DpmClient}: every method builds a DRF and calls the client.
 *
 * @module
 */
import { defer, map, type Observable } from 'rxjs';
import { DrfError } from '../drf/errors.js';
import { parseDrf } from '../drf/parse.js';
import { toCanonical } from '../drf/canonical.js';
import { withEvent, withField, withProperty } from '../drf/helpers.js';
import type { DrfField, DrfProperty, DrfRequest } from '../drf/types.js';
import { DeviceError } from '../status/device-error.js';
import { ArgumentError } from '../errors/argument-error.js';
import { show } from './call-options.js';
import type { DpmClient, ReadingValue } from './client.js';
import { globalClient } from './global.js';
import { isOk, type AnalogAlarm, type BasicStatus, type DeviceMeta, type DigitalAlarm, type Reading, type ValueType, type ValueTypes } from './reading.js';
import type { StreamOptions } from './stream.js';
import { ValueTypeError } from './value-type-error.js';
import type { WriteResult } from './write/result.js';
import { ControlCommand, type ControlCommandName } from './write/setting-value.js';
import type { WriteCallOptions, WriteValue } from './write/writer.js';

/**
 * One ACNET device bound to a client (see {@link device}). Every method returns a cold
 * Observable that does nothing until subscribed; one-shot methods emit one value and complete.
 * Device failures (`DBM_NOPROP`, …) error with `DeviceError`.
 *
 * @example
 * ```ts
 * const t = device('M:OUTTMP');
 * console.log(await firstValueFrom(t.read()), await firstValueFrom(t.units()));
 * ```
 */
export interface Device {
  /** The device name, with its qualifier written `:` (`M?OUTTMP` → `M:OUTTMP`); case kept. */
  readonly name: string;

  /**
   * The canonical DRF of a property of this device (default READING), with a field if given.
   * Throws `DrfError` for an unknown property or a field not valid for it.
   *
   * @example
   * ```ts
   * device('M:OUTTMP').drf();               // 'M:OUTTMP.READING'
   * device('M:OUTTMP').drf('STATUS', 'ON'); // 'M:OUTTMP.STATUS.ON'
   * ```
   */
  drf(property?: DrfProperty | string, field?: DrfField | string): string;

  /**
   * The value of the READING property (one-shot).
   *
   * @example
   * ```ts
   * const v = await firstValueFrom(device('M:OUTTMP').read()); // 55.2
   * ```
   */
  read(): Observable<ReadingValue>;

  /**
   * The value of the SETTING property (one-shot).
   *
   * @example
   * ```ts
   * const s = await firstValueFrom(device('Z:ACLTST').setting()); // 12.5
   * ```
   */
  setting(): Observable<ReadingValue>;

  /**
   * The basic status record (STATUS property). Errors with `ValueTypeError` if the device answers
   * with anything but a basic status.
   *
   * @example
   * ```ts
   * const st = await firstValueFrom(device('Z:STSDEV').status()); // { on: true, ready: false, … }
   * ```
   */
  status(): Observable<BasicStatus>;

  /**
   * One field of the STATUS property (`'ON'`, `'READY'`, `'REMOTE'`, `'POSITIVE'`, `'RAMP'`,
   * `'RAW'`, …); a bit field is a number, 1 or 0.
   *
   * @example
   * ```ts
   * const on = await firstValueFrom(device('Z:STSDEV').statusField('ON')); // 1
   * ```
   */
  statusField(field: DrfField | string): Observable<ReadingValue>;

  /**
   * The analog alarm block (ANALOG property).
   *
   * @example
   * ```ts
   * const a = await firstValueFrom(device('Z:STSDEV').analogAlarm()); // { minimum: 15, maximum: 30, … }
   * ```
   */
  analogAlarm(): Observable<AnalogAlarm>;

  /**
   * The digital alarm block (DIGITAL property).
   *
   * @example
   * ```ts
   * const d = await firstValueFrom(device('Z:STSDEV').digitalAlarm()); // { nominal: 5, mask: 7, … }
   * ```
   */
  digitalAlarm(): Observable<DigitalAlarm>;

  /**
   * The device description, from the metadata of a READING read.
   *
   * @example
   * ```ts
   * await firstValueFrom(device('M:OUTTMP').description()); // 'Outdoor temperature'
   * ```
   */
  description(): Observable<string>;

  /**
   * The engineering units of the READING property, from its metadata (`undefined` for a
   * device without scaling).
   *
   * @example
   * ```ts
   * await firstValueFrom(device('M:OUTTMP').units()); // 'DegF'
   * ```
   */
  units(): Observable<string | undefined>;

  /**
   * The full reading of a property (default READING), with status, timestamp and metadata. A
   * device failure is a reading with a status, not an error (as `DpmClient.get`).
   *
   * @example
   * ```ts
   * const r = await firstValueFrom(device('M:OUTTMP').get());
   * console.log(r.value, r.meta?.units, r.timestamp);
   * ```
   */
  get(property?: DrfProperty | string): Observable<Reading>;

  /**
   * Readings of the READING property on `event` (default `'p,1000'`, every second), until
   * unsubscribed (as `DpmClient.stream`). A bad event errors with `DrfError` on subscribe.
   *
   * @example
   * ```ts
   * device('M:OUTTMP').stream('p,500').pipe(take(3)).subscribe((r) => console.log(r.value));
   * ```
   */
  stream(event?: string, options?: StreamOptions): Observable<Reading>;

  /**
   * Writes the SETTING property (`DpmClient.write`): needs a client with `auth`, otherwise
   * errors with `AuthenticationError` as the client does. A refusal is a `WriteResult` with
   * `success: false`, not an error.
   *
   * @example
   * ```ts
   * const r = await firstValueFrom(device('Z:ACLTST', client).write(42));
   * console.log(r.success, r.status.name);
   * ```
   */
  write(value: WriteValue, options?: WriteCallOptions): Observable<WriteResult>;

  /**
   * Writes a basic-control command to the CONTROL property: RESET = 0, ON = 1, OFF = 2
   * ({@link ControlCommand}). Another command errors with `ArgumentError` on subscribe.
   *
   * @example
   * ```ts
   * await firstValueFrom(device('Z:ACLTST', client).control('OFF'));
   * ```
   */
  control(command: ControlCommandName, options?: WriteCallOptions): Observable<WriteResult>;

  /**
   * `control('ON')`.
   *
   * @example
   * ```ts
   * await firstValueFrom(device('Z:ACLTST', client).on());
   * ```
   */
  on(options?: WriteCallOptions): Observable<WriteResult>;

  /**
   * `control('OFF')`.
   *
   * @example
   * ```ts
   * await firstValueFrom(device('Z:ACLTST', client).off());
   * ```
   */
  off(options?: WriteCallOptions): Observable<WriteResult>;

  /**
   * `control('RESET')`.
   *
   * @example
   * ```ts
   * await firstValueFrom(device('Z:ACLTST', client).reset());
   * ```
   */
  reset(options?: WriteCallOptions): Observable<WriteResult>;
}

/** Throws `ArgumentError` unless `value` is a string or undefined. */
function optionalString(fn: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw new ArgumentError(fn, name, `expected a string, got ${show(value)}`);
}

function describePart(r: DrfRequest): { part: 'event' | 'extra' | 'range' | 'property' | 'field'; what: string } {
  if (r.event.mode !== 'U') return { part: 'event', what: 'an event' };
  if (r.extra !== null) return { part: 'extra', what: 'a data source' };
  if (r.range !== null) return { part: 'range', what: 'a range' };
  if (r.propertyExplicit || r.property !== 'READING') return { part: 'property', what: `a property (${r.property})` };
  return { part: 'field', what: 'a field' };
}

/** Validates `name` as a bare device name; returns it with its qualifier written `:`. */
function bareName(name: unknown): string {
  if (typeof name !== 'string') throw new DrfError(String(name), 0, 'device', `expected a device name string, got ${typeof name}`);
  const r = parseDrf(name);
  if (r.device.length === name.length && r.property === 'READING') return r.device;
  let at = 0;
  while (at < r.device.length && name[at] === r.device[at]) at++;
  const { part, what } = describePart(r);
  throw new DrfError(
    name,
    at,
    part,
    `expected a bare device name such as "${r.device}", not a request with ${what}; ` +
      'use the Device methods (get(property), stream(event), …) for properties and events',
  );
}

class DeviceImpl implements Device {
  readonly name: string;
  private readonly client: () => DpmClient;

  constructor(name: string, client: () => DpmClient) {
    this.name = name;
    this.client = client;
  }

  drf(property?: DrfProperty | string, field?: DrfField | string): string {
    optionalString('drf', 'property', property);
    optionalString('drf', 'field', field);
    let r = parseDrf(this.name);
    if (property !== undefined) r = withProperty(r, property, field);
    else if (field !== undefined) r = withField(r, field);
    return toCanonical(r);
  }

  private use<T>(f: (client: DpmClient) => Observable<T>): Observable<T> {
    return defer(() => f(this.client()));
  }

  read(): Observable<ReadingValue> {
    return this.use((c) => c.read(this.drf()));
  }

  setting(): Observable<ReadingValue> {
    return this.use((c) => c.read(this.drf('SETTING')));
  }

  private typed<K extends ValueType>(property: DrfProperty, kind: K): Observable<ValueTypes[K]> {
    return this.use((c) => c.get(this.drf(property))).pipe(
      map((r) => {
        if (!isOk(r)) throw new DeviceError(r.status, r.drf);
        if (r.valueType !== kind) {
          throw new ValueTypeError(r.drf, r.valueType, kind, `${r.drf}: expected a ${kind} reading, got ${r.valueType}`);
        }
        return r.value as ValueTypes[K];
      }),
    );
  }

  status(): Observable<BasicStatus> {
    return this.typed('STATUS', 'basicStatus');
  }

  statusField(field: DrfField | string): Observable<ReadingValue> {
    return this.use((c) => {
      if (typeof field !== 'string') throw new ArgumentError('statusField', 'field', `expected a field name string, got ${show(field)}`);
      return c.read(this.drf('STATUS', field));
    });
  }

  analogAlarm(): Observable<AnalogAlarm> {
    return this.typed('ANALOG', 'analogAlarm');
  }

  digitalAlarm(): Observable<DigitalAlarm> {
    return this.typed('DIGITAL', 'digitalAlarm');
  }

  private meta<T>(pick: (m: DeviceMeta) => T): Observable<T> {
    return this.get().pipe(
      map((r) => {
        if (r.status.isFailure) throw new DeviceError(r.status, r.drf);
        if (r.meta === undefined) throw new Error(`${r.drf}: DPM sent no device metadata`);
        return pick(r.meta);
      }),
    );
  }

  description(): Observable<string> {
    return this.meta((m) => m.description);
  }

  units(): Observable<string | undefined> {
    return this.meta((m) => m.units);
  }

  get(property?: DrfProperty | string): Observable<Reading> {
    return this.use((c) => c.get(this.drf(property)));
  }

  stream(event = 'p,1000', options?: StreamOptions): Observable<Reading> {
    return this.use((c) => {
      if (typeof event !== 'string') throw new ArgumentError('stream', 'event', `expected an event string such as "p,1000", got ${show(event)}`);
      return c.stream(toCanonical(withEvent(this.drf(), event)), options);
    });
  }

  write(value: WriteValue, options?: WriteCallOptions): Observable<WriteResult> {
    return this.use((c) => c.write(this.drf('SETTING'), value, options));
  }

  control(command: ControlCommandName, options?: WriteCallOptions): Observable<WriteResult> {
    return this.use((c) => {
      if (!Object.prototype.hasOwnProperty.call(ControlCommand, command)) {
        throw new ArgumentError(
          'control',
          'command',
          `${this.name}: unknown control command ${JSON.stringify(command)}: expected ${Object.keys(ControlCommand).join(', ')}`,
        );
      }
      return c.write(this.drf('CONTROL'), ControlCommand[command], options);
    });
  }

  on(options?: WriteCallOptions): Observable<WriteResult> {
    return this.control('ON', options);
  }

  off(options?: WriteCallOptions): Observable<WriteResult> {
    return this.control('OFF', options);
  }

  reset(options?: WriteCallOptions): Observable<WriteResult> {
    return this.control('RESET', options);
  }
}

/**
 * A {@link Device} object for `name`, a bare device name (`'M:OUTTMP'`; `'M?OUTTMP'` is accepted
 * as the same device). A property, field, range, event or data source in `name`, or an invalid
 * name, throws `DrfError` at once. Without `client`, the module-level client
 * (`globalClient()`, configured from `PACSYS_DPM_HOST`/`PACSYS_DPM_PORT`) is used, looked up
 * on each subscription.
 *
 * @example
 * ```ts
 * const temp = device('M:OUTTMP');
 * temp.read().subscribe((v) => console.log(v));
 * const tst = device('Z:ACLTST', dpm({ auth: kerberos(), role: 'testing' }));
 * await firstValueFrom(tst.write(42));
 * ```
 */
export function device(name: string, client?: DpmClient): Device {
  if (client !== undefined && (typeof client !== 'object' || client === null)) {
    throw new ArgumentError('device', 'client', `expected a client made by dpm(), got ${show(client)}`);
  }
  return new DeviceImpl(bareName(name), client === undefined ? globalClient : () => client);
}
