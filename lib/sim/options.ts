/**
 * Options of {@link startSimulator} and their defaults.
 *
 * @example
 * ```ts
 * const o: SimulatorOptions = { port: 0, heartbeatMs: 100, insecureSettings: true };
 * ```
 *
 * @module
 */
import type { Catalogue } from './catalogue/codec.js';
import type { FaultSetting } from './faults.js';
import type { Scheduler } from './scheduler.js';
import type { SimAuthHook } from './auth-hook.js';
import type { AuthConfig, AuthConfigInput } from './auth/config.js';
import type { UnknownDeviceMode } from './session.js';

/**
 * Simulator options; every one is optional.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 6802, catalogue: 'devices.json', heartbeatMs: 2000 });
 * ```
 */
export interface SimulatorOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (default) picks a free port. */
  port?: number;
  /** Device catalogue: an object, or the path of a JSON file. Default: {@link defaultCatalogue}. */
  catalogue?: Catalogue | string;
  /** Heartbeat (`ListStatus_reply`) period in ms. Default 2000. */
  heartbeatMs?: number;
  /** Send a heartbeat at every tick, even when the list was not silent. Default false (fidelity rule). */
  heartbeatAlways?: boolean;
  /** Clock/timer source. Default: real timers. */
  scheduler?: Scheduler;
  /**
   * Clock event rates in Hz, keyed by the event number in hex (`{ '02': 15, '8F': 0.5 }`).
   * Defaults: 02 and 0F at 15 Hz. Occurrence `n` of an event happens `round(n * 1000 / hz)` ms
   * after the simulator started (an exact average rate); replies on it carry that time and
   * `n` as their cycle. Replies on other events (`I`, `P`, `Q`, `S`) carry the current 15 Hz
   * super-cycle number: the index of the latest 15 Hz tick since the start.
   */
  clockEvents?: Readonly<Record<string, number>>;
  /** Rate in Hz of clock events not listed in `clockEvents`. Default 1. */
  defaultClockHz?: number;
  /** Faults: one set for every connection, or a function of the connection index. */
  faults?: FaultSetting;
  /** Authentication/authorization hook; wins over `insecureSettings`, `authConfig` and `keytab`. Default: chosen by `authHookFromOptions` (refuses every setting unless one of those is set). */
  auth?: SimAuthHook;
  /**
   * INSECURE, tests and demos only. `true`: accept any token and apply every setting without
   * authorization. A principal (`'alice@FNAL.GOV'`): accept any token and treat the list as
   * authenticated as that principal after `EnableSettings`; settings are authorized with
   * `authConfig` when given, else all allowed. Default false (Kerberos when `authConfig` or
   * `keytab` is set, else every setting refused with `DPM_PRIV`).
   */
  insecureSettings?: boolean | string;
  /**
   * Authorization table (`lib/sim/auth/config.ts`): a JSON file path, a plain object, or a parsed
   * `AuthConfig`. With it (and no `auth` / insecure mode) settings need real Kerberos
   * authentication against the acceptor keytab (`keytab`, else `KRB5_KTNAME`).
   */
  authConfig?: AuthConfig | AuthConfigInput | string;
  /** Acceptor keytab, e.g. `FILE:/etc/daeset.keytab` (default `KRB5_KTNAME` / krb5.conf). */
  keytab?: string;
  /**
   * Service name announced in `Authenticate_reply`. Default `daeset/bd@<hostname>` with Kerberos
   * (`authConfig` / `keytab`), `daeset/bd@dpm-sim.localhost` for the default hook.
   */
  serviceName?: string;
  /** Answer for an unknown device at StartList. Default `DBM_NOPROP`. */
  unknownDevice?: UnknownDeviceMode;
  /** Delay of the `DPM_PEND` answer with `unknownDevice: 'DPM_PEND'`. Default 3000 ms. */
  pendDelayMs?: number;
  /** Acknowledge every AddToList with `AddToList_reply` (ACNET style). Default false. */
  addToListReplies?: boolean;
  /** "Bare DPM" mode: close a bad handshake silently instead of answering HTTP 400/404. Default false. */
  bareDpm?: boolean;
  /** Close a connection whose handshake has not arrived within this many ms. Default 5000. */
  handshakeTimeoutMs?: number;
  /**
   * Backpressure: the most bytes a connection may queue while its socket refuses data
   * (`write()` returned false, no `'drain'` yet) before the simulator closes it, as DPM
   * disposes a list whose output fails. Default 4 MiB.
   *
   * The policy for a client that reads slower than its list produces, or stops reading:
   * - while the output is congested (256 KiB queued, or the socket refusing data),
   *   replies of repetitive requests (`P`, `Q`, `E`, `S` events) are coalesced: at most
   *   one is held back per request, a newer one replaces it (the replaced one is dropped
   *   and counted in `droppedReplies` of `SimulatorHandle.connectionStats()`), and the
   *   held ones are sent, in order, with their latest values, as soon as the socket drains;
   * - every other reply is never dropped: `DeviceInfo_reply`, `Status_reply` (including a
   *   faulty device's repeated status), `StartList_reply`, `ApplySettings_reply`,
   *   `ListStatus_reply` heartbeats, immediate (`I`) and logger data; held replies are
   *   queued before it, so replies never change order;
   * - the connection is closed when more than `outputLimitBytes` are queued while the
   *   socket refuses data, or when it has refused data for `outputStallMs`.
   *
   * Fast-stream devices (`Z:FAST`) only produce while the output is not congested.
   */
  outputLimitBytes?: number;
  /** Backpressure: close a connection whose socket has refused data for this many ms without draining. Default 30000. */
  outputStallMs?: number;
}

/**
 * Defaults of the numeric options.
 *
 * @example
 * ```ts
 * SIM_DEFAULTS.heartbeatMs; // 2000
 * ```
 */
export const SIM_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  heartbeatMs: 2000,
  defaultClockHz: 1,
  pendDelayMs: 3000,
  handshakeTimeoutMs: 5000,
  outputLimitBytes: 4 * 1024 * 1024,
  outputStallMs: 30_000,
} as const;

/**
 * Parses the `clockEvents` option (hex keys, optionally `0x`-prefixed) into event number → Hz,
 * on top of the defaults (02 and 0F at 15 Hz).
 *
 * @example
 * ```ts
 * clockRates({ '8F': 0.5 }); // { 2: 15, 15: 15, 143: 0.5 }
 * ```
 */
export function clockRates(option: Readonly<Record<string, number>> | undefined): Record<number, number> {
  const out: Record<number, number> = { 0x02: 15, 0x0f: 15 };
  if (option === undefined) return out;
  for (const [k, hz] of Object.entries(option)) {
    const hex = k.replace(/^0x/i, '');
    const n = /^[0-9A-Fa-f]{1,4}$/.test(hex) ? parseInt(hex, 16) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`clockEvents: bad event number ${k}`);
    if (!(hz >= 0) || !Number.isFinite(hz)) throw new RangeError(`clockEvents: bad rate ${hz} for event ${k}`);
    out[n] = hz;
  }
  return out;
}
