/**
 * The client's settings machinery: `write` / `writeMany` over a pool of authenticated
 * connections, with the retry and timeout rules of `dpm-behaviour.md` §9.4 step 7.
 *
 * @module
 */
import { Observable, type SchedulerLike } from 'rxjs';
import { AuthenticationError } from '../../auth/authentication-error.js';
import type { KerberosAuth } from '../../auth/kerberos.js';
import { writeRequest, writeTarget } from '../../drf/helpers.js';
import { ClientClosedError } from '../../errors/client-closed-error.js';
import { ConnectError } from '../../errors/connect-error.js';
import { ConnectionLost } from '../../errors/connection-lost.js';
import { HandshakeError } from '../../errors/handshake-error.js';
import type { Connection } from '../../transport/connection.js';
import type { Reading } from '../reading.js';
import { ACNET_RETRY } from '../../status/constants.js';
import { expandAlarmBlock, isAlarmBlock, type AlarmBlockSetting } from './alarm.js';
import { REQTMO_WORD, applyBatch, type PreparedSetting } from './apply.js';
import { writeResult, type WriteResult } from './result.js';
import { isSettingValue, settingPayload, type SettingValue } from './setting-value.js';
import { verifySettings, type VerifyCheck, type VerifyOptions } from './verify.js';
import { openWriteConnection } from './write-connection.js';
import { WritePool } from './write-pool.js';
import { isValidRole } from './write-options.js';

/**
 * What `write` accepts: a {@link SettingValue}, or an alarm block for `.ANALOG` / `.DIGITAL`.
 *
 * @example
 * ```ts
 * const v: WriteValue = { minimum: 0, maximum: 10 };
 * ```
 */
export type WriteValue = SettingValue | AlarmBlockSetting;

/**
 * The settings of `writeMany`: `[{ drf, value }, …]` or `{ [drf]: value }`.
 *
 * @example
 * ```ts
 * const s: SettingsInput = { 'Z:ACLTST': 1, 'G:AMANDA': 2 };
 * ```
 */
export type SettingsInput = readonly { readonly drf: string; readonly value: WriteValue }[] | Readonly<Record<string, WriteValue>>;

/**
 * Per-call options of `write` / `writeMany`.
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST', 42, { role: 'testing', verify: { tolerance: 0.01 } });
 * ```
 */
export interface WriteCallOptions {
  /** Overrides the client's `role` for this call. */
  readonly role?: string;
  /** Read the values back after a successful write and compare (`true`: exact). */
  readonly verify?: boolean | VerifyOptions;
}

/**
 * What the {@link Writer} needs from the client.
 *
 * @example
 * ```ts
 * new Writer({ auth, role, poolSize: 4, timeoutMs: 5000, scheduler: undefined, open, getMany });
 * ```
 */
export interface WriterDeps {
  readonly auth: KerberosAuth | undefined;
  readonly role: string | undefined;
  readonly poolSize: number;
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike | undefined;
  /** Opens a connection (`connect`) with the given label. */
  open(label: string): Observable<Connection>;
  /** The client's normal batch read (verification). */
  getMany(drfs: readonly string[]): Observable<Reading[]>;
}

type Entry =
  | { readonly kind: 'plain'; readonly drf: string; readonly value: SettingValue; readonly setting: PreparedSetting }
  | { readonly kind: 'alarm'; readonly drf: string; readonly fields: readonly PreparedSetting[]; readonly values: readonly number[] };

const isTransportError = (e: unknown): boolean => e instanceof ConnectError || e instanceof HandshakeError || e instanceof ConnectionLost;

function prepare(drf: string, value: WriteValue): Entry {
  if (typeof drf !== 'string') throw new TypeError(`expected a DRF string, got ${JSON.stringify(drf)}`);
  if (isSettingValue(value)) {
    return { kind: 'plain', drf, value, setting: { drf, wire: writeTarget(drf), payload: settingPayload(value, writeRequest(drf).property) } };
  }
  if (isAlarmBlock(value)) {
    const fields = expandAlarmBlock(drf, value);
    return {
      kind: 'alarm',
      drf,
      values: fields.map((f) => f.value),
      fields: fields.map((f) => ({ drf: f.drf, wire: writeTarget(f.drf), payload: settingPayload(f.value) })),
    };
  }
  return { kind: 'plain', drf, value, setting: { drf, wire: writeTarget(drf), payload: settingPayload(value as SettingValue, writeRequest(drf).property) } };
}

function entriesOf(settings: SettingsInput): Entry[] {
  const list = Array.isArray(settings)
    ? (settings as readonly { readonly drf: string; readonly value: WriteValue }[])
    : Object.entries(settings as Readonly<Record<string, WriteValue>>).map(([drf, value]) => ({ drf, value }));
  return list.map((s) => prepare(s.drf, s.value));
}

/**
 * Runs settings for one client. Each call resolves the Kerberos credentials first (no network:
 * no ticket / expired / wrong realm → `AuthenticationError`), borrows an authenticated connection
 * for that principal and role (opening and authenticating one if needed), and applies the batch.
 * A transport failure discards the connection and retries the batch once on a fresh one; if that
 * fails too every result is `ACNET_RETRY`. A timeout gives `ACNET_REQTMO` results and discards
 * the connection. Unsubscribing does not recall a setting already sent.
 *
 * @example
 * ```ts
 * const w = new Writer(deps);
 * w.write('Z:ACLTST', 42).subscribe((r) => console.log(r.success));
 * w.close();
 * ```
 */
export class Writer {
  private readonly pool: WritePool;
  private labels = 0;
  private isClosed = false;

  constructor(private readonly deps: WriterDeps) {
    this.pool = new WritePool(deps.poolSize);
  }

  /** Connections opened so far (each one authenticated once). */
  get connectionsOpened(): number {
    return this.pool.opened;
  }

  /** One setting (an alarm block: its fields one after the other, stopping at the first failure). */
  write(drf: string, value: WriteValue, options: WriteCallOptions = {}): Observable<WriteResult> {
    return this.fromPromise(async () => {
      const [r] = await this.run([prepare(drf, value)], options);
      return r!;
    });
  }

  /** Several settings in one `ApplySettings` round trip (alarm blocks follow, sequentially); results in input order. */
  writeMany(settings: SettingsInput, options: WriteCallOptions = {}): Observable<WriteResult[]> {
    return this.fromPromise(() => this.run(entriesOf(settings), options));
  }

  /** Closes idle write connections; later writes fail with `ClientClosedError`. */
  close(): void {
    this.isClosed = true;
    this.pool.close();
  }

  private fromPromise<T>(f: () => Promise<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let active = true;
      let p: Promise<T>;
      try {
        p = f();
      } catch (e) {
        subscriber.error(e);
        return;
      }
      p.then(
        (v) => {
          if (!active) return;
          subscriber.next(v);
          subscriber.complete();
        },
        (e: unknown) => {
          if (active) subscriber.error(e);
        },
      );
      return () => {
        active = false;
      };
    });
  }

  private async run(entries: readonly Entry[], options: WriteCallOptions): Promise<WriteResult[]> {
    if (this.isClosed) throw new ClientClosedError();
    if (entries.length === 0) return [];
    const role = options.role ?? this.deps.role;
    if (options.role !== undefined && !isValidRole(options.role)) throw new TypeError(`bad role ${JSON.stringify(options.role)}`);
    const auth = this.deps.auth;
    if (auth === undefined) {
      throw new AuthenticationError(
        'no-credentials',
        'settings need Kerberos authentication: create the client with dpm({ auth: kerberos() })',
      );
    }
    const { principal } = await auth.resolve();
    const results: WriteResult[] = new Array<WriteResult>(entries.length);
    const plain = entries.flatMap((e, i) => (e.kind === 'plain' ? [[i, e] as const] : []));
    if (plain.length > 0) {
      const rs = await this.batch(auth, principal, role, plain.map(([, e]) => e.setting));
      plain.forEach(([i], k) => (results[i] = rs[k]!));
    }
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.kind !== 'alarm') continue;
      const fields: WriteResult[] = [];
      for (const f of e.fields) {
        const [r] = await this.batch(auth, principal, role, [f]);
        fields.push(r!);
        if (!r!.success) break;
      }
      const last = fields[fields.length - 1]!;
      results[i] = { drf: e.drf, status: last.status, success: last.success, fields, ...(last.message !== undefined ? { message: last.message } : {}) };
    }
    return options.verify === undefined || options.verify === false ? results : this.verify(entries, results, options.verify === true ? {} : options.verify);
  }

  private async verify(entries: readonly Entry[], results: WriteResult[], o: VerifyOptions): Promise<WriteResult[]> {
    const checks: VerifyCheck[] = [];
    const owner: number[] = [];
    entries.forEach((e, i) => {
      if (!results[i]!.success) return;
      if (e.kind === 'plain') {
        checks.push({ drf: e.drf, value: e.value });
        owner.push(i);
      } else {
        e.fields.forEach((f, k) => {
          checks.push({ drf: f.drf, value: e.values[k]! });
          owner.push(i);
        });
      }
    });
    if (checks.length === 0) return results;
    const vs = await verifySettings(checks, (d) => this.deps.getMany(d), o);
    const out = [...results];
    vs.forEach((v, k) => {
      const i = owner[k]!;
      const prev = out[i]!.verified;
      // an alarm block is verified when every field is: keep the first failed field check
      const verified = prev !== undefined && !prev.ok ? prev : v;
      out[i] = { ...out[i]!, verified };
    });
    return out;
  }

  /** One ApplySettings round trip with the retry rule; never rejects for transport errors. */
  private async batch(auth: KerberosAuth, principal: string, role: string | undefined, settings: readonly PreparedSetting[]): Promise<WriteResult[]> {
    const d = this.deps;
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      let wc;
      try {
        wc = await this.pool.acquire({ principal, role }, () =>
          openWriteConnection(d.open(`write#${++this.labels}`), auth, role, { timeoutMs: d.timeoutMs, scheduler: d.scheduler }),
        );
      } catch (e) {
        if (!isTransportError(e)) throw e;
        lastError = e;
        continue;
      }
      try {
        const out = await applyBatch(wc, settings, { role, timeoutMs: d.timeoutMs, scheduler: d.scheduler });
        this.pool.release(wc, out.kind === 'ok');
        return settings.map((s, i) => writeResult(s.drf, out.words[i]!, out.words[i] === REQTMO_WORD ? 'No reply from server' : undefined));
      } catch (e) {
        this.pool.release(wc, false);
        if (this.isClosed) throw new ClientClosedError();
        if (!isTransportError(e)) throw e;
        lastError = e;
      }
    }
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    return settings.map((s) => writeResult(s.drf, ACNET_RETRY, `Connection error: ${why}`));
  }
}
