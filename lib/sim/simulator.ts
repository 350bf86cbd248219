/**
 * Starting and stopping the DPM simulator.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'acsys-rx/sim';
 * const sim = await startSimulator({ port: 0 });
 * console.log(sim.host, sim.port);
 * await sim.close();
 * ```
 *
 * @module
 */
import { Subject, type Observable } from 'rxjs';
import type { SimSettingRecord } from './setting-record.js';
import type { Duplex } from 'node:stream';
import { memoryPipe } from './memory-pipe.js';
import { createServer, type Server, type Socket } from 'node:net';
import type { Catalogue } from './catalogue/codec.js';
import { defaultCatalogue } from './catalogue/default-catalogue.js';
import { loadCatalogue, loadCatalogueFile } from './catalogue/load.js';
import { DeviceStore, type ValueProperty } from './device-store.js';
import { ClockTimeline } from './clock-timeline.js';
import { ListIdPool } from './list-ids.js';
import { deferOn, realScheduler } from './scheduler.js';
import { resolveFaults } from './faults.js';
import { authHookFromOptions } from './auth-from-options.js';
import { SimConnection, type SimConnectionStats } from './connection.js';
import { FastStreamPump } from './fast-stream-pump.js';
import { PeriodicScheduler } from './periodic-scheduler.js';
import { clockRates, SIM_DEFAULTS, type SimulatorOptions } from './options.js';
import type { SimValue } from './sim-value.js';

/**
 * A value for {@link SimulatorHandle.setDevice}: a number (scalar), an array of numbers,
 * a string (text), an array of strings (text array) or bytes (raw).
 *
 * @example
 * ```ts
 * const v: DeviceValueInput = [1, 2, 3];
 * ```
 */
export type DeviceValueInput = number | readonly number[] | Float64Array | string | readonly string[] | Uint8Array;

/**
 * A snapshot of a device for tests.
 *
 * @example
 * ```ts
 * sim.getDevice('Z:ACLTST')?.setting; // { kind: 'scalar', value: 12.5 }
 * ```
 */
export interface DeviceSnapshot {
  readonly name: string;
  readonly index: number;
  readonly description: string;
  readonly units: string | undefined;
  readonly reading: SimValue | undefined;
  readonly setting: SimValue | undefined;
  /** The simulated fault status, if the device is in a fault state. */
  readonly errorStatus: number | undefined;
}

/**
 * A running simulator.
 *
 * @example
 * ```ts
 * const sim = await startSimulator();
 * sim.setDevice('M:OUTTMP', 72.5);
 * await sim.close();
 * ```
 */
export interface SimulatorHandle {
  /** The address it listens on. */
  readonly host: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** `tcp://host:port`. */
  readonly url: string;
  /** Connections currently open (accepted and not yet closed). */
  readonly connections: number;
  /** Connections accepted since start. */
  readonly totalConnections: number;
  /**
   * Output statistics of every open connection, in accept order: bytes queued, replies
   * held back and dropped by the backpressure policy (see `outputLimitBytes` in
   * {@link SimulatorOptions}).
   */
  connectionStats(): SimConnectionStats[];
  /**
   * A connection to this simulator without TCP: the client's end of an in-memory pipe, served
   * like an accepted socket (handshake, lists, heartbeats, faults). Pass it to the client as
   * `dpm({ connectWith: () => sim.openInProcess() })`: the same protocol, byte for byte,
   * without system calls — for tests and offline work in one process.
   */
  openInProcess(): Duplex & {
    /** Does nothing (a pipe holds no OS handle). */
    ref(): unknown;
    /** Does nothing (a pipe holds no OS handle). */
    unref(): unknown;
  };
  /** Sets a device's READING (default) or SETTING value; it stays constant from then on. */
  setDevice(name: string, value: DeviceValueInput, property?: ValueProperty): void;
  /**
   * Puts a device in a simulated fault state: from now on its data replies are
   * `Status_reply` with `status` (e.g. `SimStatus.DIO_NOSCALE`); 0 or undefined clears it.
   */
  setDeviceError(name: string, status: number | undefined): void;
  /** The device's current state, or undefined for an unknown device. */
  getDevice(name: string): DeviceSnapshot | undefined;
  /**
   * Every setting the simulator processes, as it answers it (hot: subscribe before the write);
   * completes at `close()`. Status 0 means the device took the value.
   */
  readonly settings$: Observable<SimSettingRecord>;
  /** Settings applied (answered with status 0) since start. */
  readonly settingsApplied: number;
  /** Stops listening, ends every connection and timer. */
  close(): Promise<void>;
}

/**
 * Starts a simulator and resolves once it listens.
 *
 * @throws {CatalogueError} for an invalid catalogue.
 * @example
 * ```ts
 * const sim = await startSimulator({ heartbeatMs: 200, insecureSettings: true,
 *   faults: (i) => (i === 0 ? { dropAfterFrames: 1 } : {}) });
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const catalogue: Catalogue =
    options.catalogue === undefined
      ? defaultCatalogue()
      : typeof options.catalogue === 'string'
        ? loadCatalogueFile(options.catalogue)
        : loadCatalogue(options.catalogue);
  const scheduler = options.scheduler ?? realScheduler;
  const store = new DeviceStore(catalogue);
  const timeline = new ClockTimeline(scheduler, clockRates(options.clockEvents), options.defaultClockHz ?? SIM_DEFAULTS.defaultClockHz);
  const listIds = new ListIdPool();
  const auth = await authHookFromOptions(options);
  const heartbeatMs = options.heartbeatMs ?? SIM_DEFAULTS.heartbeatMs;
  if (!(heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be > 0, got ${heartbeatMs}`);
  const outputLimits = {
    maxBytes: positive('outputLimitBytes', options.outputLimitBytes ?? SIM_DEFAULTS.outputLimitBytes),
    stallMs: positive('outputStallMs', options.outputStallMs ?? SIM_DEFAULTS.outputStallMs),
  };
  const pump = new FastStreamPump(deferOn(scheduler));
  const periodic = new PeriodicScheduler(scheduler);
  const open = new Set<SimConnection>();
  let total = 0;
  let closing = false;
  let applied = 0;
  const settings = new Subject<SimSettingRecord>();

  const accept = (socket: Socket): void => {
    const index = total++;
    if (closing) {
      socket.destroy();
      return;
    }
    pump.arrival();
    periodic.arrival();
    const conn = new SimConnection(socket, {
      index,
      faults: resolveFaults(options.faults, index),
      store,
      timeline,
      scheduler,
      listIds,
      auth,
      heartbeatMs,
      heartbeatAlways: options.heartbeatAlways === true,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? SIM_DEFAULTS.handshakeTimeoutMs,
      bareDpm: options.bareDpm === true,
      unknownDevice: options.unknownDevice ?? 'DBM_NOPROP',
      pendDelayMs: options.pendDelayMs ?? SIM_DEFAULTS.pendDelayMs,
      addToListReplies: options.addToListReplies === true,
      outputLimits,
      pump,
      periodic,
      onSetting: (r) => {
        if (r.status === 0) applied++;
        settings.next(r);
      },
      onClose: (c) => open.delete(c),
    });
    open.add(conn);
  };
  const server: Server = createServer({ noDelay: true }, accept);
  server.maxConnections = 100_000;

  const host = options.host ?? SIM_DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? SIM_DEFAULTS.port, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closed: Promise<void> | undefined;

  return {
    host,
    port,
    url: `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    get connections() {
      return open.size;
    },
    get totalConnections() {
      return total;
    },
    settings$: settings.asObservable(),
    get settingsApplied() {
      return applied;
    },
    connectionStats() {
      return [...open].map((c) => c.stats());
    },
    openInProcess() {
      const [client, server] = memoryPipe();
      // the simulator's side is handled exactly like an accepted TCP socket
      accept(server as unknown as Socket);
      return client;
    },
    setDevice(name, value, property = 'reading') {
      const d = store.find(name);
      if (d === undefined) throw new RangeError(`unknown device ${name}`);
      store.write(d, property, toSimValue(value));
    },
    setDeviceError(name, status) {
      store.setErrorStatus(name, status);
    },
    getDevice(name) {
      const d = store.find(name);
      if (d === undefined) return undefined;
      const now = scheduler.now();
      return {
        name: d.name,
        index: d.spec.index,
        description: d.spec.description,
        units: d.spec.units,
        reading: store.valueAt(d, 'reading', now),
        setting: store.valueAt(d, 'setting', now),
        errorStatus: d.spec.errorStatus,
      };
    },
    close() {
      if (closed !== undefined) return closed;
      closing = true;
      closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of [...open]) c.destroy();
        open.clear();
        pump.close();
        periodic.close();
        timeline.close();
        settings.complete();
      });
      return closed;
    },
  };
}

function positive(name: string, v: number): number {
  if (!(v > 0)) throw new RangeError(`${name} must be > 0, got ${v}`);
  return v;
}

function toSimValue(v: DeviceValueInput): SimValue {
  if (typeof v === 'number') return { kind: 'scalar', value: v };
  if (typeof v === 'string') return { kind: 'text', value: v };
  if (v instanceof Uint8Array) return { kind: 'raw', bytes: Uint8Array.from(v) };
  if (v instanceof Float64Array) return { kind: 'array', values: Float64Array.from(v) };
  if (v.length > 0 && v.every((x): x is string => typeof x === 'string')) return { kind: 'textArray', values: [...(v as readonly string[])] };
  return { kind: 'array', values: Float64Array.from(v as readonly number[]) };
}
