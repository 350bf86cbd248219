/**
 * The client's settings machinery: `write` / `writeMany` as Observables over a pool of
 * authenticated connections, with the at-most-once rule (`dpm-behaviour.md` §9.4, acsys-rx's
 * deviation from step 7).
 *
 * @module
 */
import { catchError, concatMap, defer, from, last, map, of, retry, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import { AuthenticationError } from '../../auth/authentication-error.js';
import type { KerberosAuth } from '../../auth/kerberos.js';
import { ClientClosedError } from '../../errors/client-closed-error.js';
import { ConnectError } from '../../errors/connect-error.js';
import { ConnectionLost } from '../../errors/connection-lost.js';
import { HandshakeError } from '../../errors/handshake-error.js';
import type { Connection } from '../../transport/connection.js';
import type { Reading } from '../reading.js';
import { ACNET_RETRY } from '../../status/constants.js';
import type { AlarmBlockSetting } from './alarm.js';
import { applyBatch, type BatchReport } from './apply.js';
import { prepareSetting, prepareSettings, splitIntoFrames, type PreparedSetting, type WriteEntry } from './prepare.js';
import { writeResult, type WriteResult } from './result.js';
import type { SettingValue } from './setting-value.js';
import { verifySettings, type VerifyCheck, type VerifyOptions } from './verify.js';
import { authenticatedConnection } from './write-connection.js';
import { validateWriteCallOptions, type WriteCallOptions } from './write-call-options.js';
import { WritePool, type WriteKey } from './write-pool.js';

export type { WriteCallOptions } from './write-call-options.js';

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

/** A failure that happened before `ApplySettings` left the socket: safe to retry once. */
const isTransportError = (e: unknown): boolean => e instanceof ConnectError || e instanceof HandshakeError || e instanceof ConnectionLost;

/** One step of a write: a batch of plain settings, or the field settings of one alarm block. */
type Job = { readonly kind: 'batch'; readonly settings: readonly PreparedSetting[]; readonly at: readonly number[] } | { readonly kind: 'alarm'; readonly at: number; readonly entry: Extract<WriteEntry, { kind: 'alarm' }> };

/**
 * Runs settings for one client, as Observables: nothing happens until subscribed, and
 * unsubscribing cancels what has not been sent.
 *
 * 1. Checks every setting offline (`InvalidSettingError`, `DrfError`, `RequestTooLargeError`,
 *    `ConfigError` for the options) and the Kerberos credentials (`AuthenticationError`) —
 *    a failure here opens no connection.
 * 2. Splits the plain settings into batches whose `ApplySettings_request` fits one 128 KiB frame.
 * 3. Per batch, leases an authenticated connection for the principal and role and applies it. A
 *    failure before `ApplySettings` was sent (connecting, authenticating, adding the settings) is
 *    retried once on a fresh connection; then every result is `ACNET_RETRY` (`not-applied`).
 *    After it was sent, nothing is ever re-sent: a lost answer gives `unknown` results, and the
 *    later batches of the call are not sent (`not-applied`).
 * 4. Alarm blocks follow, their fields one after the other, stopping at the first failure.
 *
 * @example
 * ```ts
 * const w = new Writer(deps);
 * w.write('Z:ACLTST', 42).subscribe((r) => console.log(r.outcome));
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
  write(drf: string, value: WriteValue, options?: WriteCallOptions): Observable<WriteResult> {
    return defer(() => {
      const o = validateWriteCallOptions(options);
      return this.run([prepareSetting(drf, value)], o);
    }).pipe(map((rs) => rs[0]!));
  }

  /** Several settings in as few `ApplySettings` round trips as fit (alarm blocks follow, sequentially); results in input order. */
  writeMany(settings: SettingsInput, options?: WriteCallOptions): Observable<WriteResult[]> {
    return defer(() => {
      const o = validateWriteCallOptions(options);
      return this.run(prepareSettings(settings), o);
    });
  }

  /** Closes the write connections; writes in flight and later ones fail with `ClientClosedError`. */
  close(): void {
    this.isClosed = true;
    this.pool.close();
  }

  private run(entries: readonly WriteEntry[], options: WriteCallOptions): Observable<WriteResult[]> {
    if (this.isClosed) return throwError(() => new ClientClosedError());
    if (entries.length === 0) return of([]);
    const auth = this.deps.auth;
    if (auth === undefined) {
      return throwError(
        () => new AuthenticationError('no-credentials', 'settings need Kerberos authentication: create the client with dpm({ auth: kerberos() })'),
      );
    }
    const role = options.role ?? this.deps.role;
    return from(auth.resolve()).pipe(
      concatMap(({ principal }) => {
        const key: WriteKey = { principal, role };
        const jobs = plan(entries, principal); // RequestTooLargeError here: still nothing sent
        return this.runJobs(auth, key, jobs, 0, new Array<WriteResult>(entries.length), entries);
      }),
      concatMap((results) => (options.verify === undefined || options.verify === false ? of(results) : this.verify(entries, results, options.verify === true ? {} : options.verify))),
    );
  }

  /** Runs `jobs[i…]` in order; after an unknown outcome the rest is not sent. */
  private runJobs(auth: KerberosAuth, key: WriteKey, jobs: readonly Job[], i: number, results: WriteResult[], entries: readonly WriteEntry[]): Observable<WriteResult[]> {
    if (i >= jobs.length) return of(results);
    const job = jobs[i]!;
    const step$ =
      job.kind === 'batch'
        ? this.batch(auth, key, job.settings).pipe(map((rs) => rs.forEach((r, k) => (results[job.at[k]!] = r))))
        : this.alarm(auth, key, job.entry).pipe(map((r) => void (results[job.at] = r)));
    // last(): the next step starts once this one has ended and given its connection back
    return step$.pipe(
      last(),
      concatMap(() => {
        const unknown = (job.kind === 'batch' ? job.at : [job.at]).some((k) => results[k]!.outcome === 'unknown');
        if (!unknown) return this.runJobs(auth, key, jobs, i + 1, results, entries);
        // an earlier answer was lost: do not go on as if nothing happened
        for (const later of jobs.slice(i + 1)) {
          for (const k of later.kind === 'batch' ? later.at : [later.at]) {
            results[k] = writeResult(entries[k]!.drf, ACNET_RETRY, 'not sent: the outcome of an earlier setting of this call is unknown');
          }
        }
        return of(results);
      }),
    );
  }

  /** The fields of an alarm block one after the other, stopping at the first that is not applied. */
  private alarm(auth: KerberosAuth, key: WriteKey, e: Extract<WriteEntry, { kind: 'alarm' }>): Observable<WriteResult> {
    const step = (k: number, done: readonly WriteResult[]): Observable<readonly WriteResult[]> =>
      k >= e.fields.length
        ? of(done)
        : this.batch(auth, key, [e.fields[k]!]).pipe(
            last(),
            concatMap(([r]) => (r!.success ? step(k + 1, [...done, r!]) : of([...done, r!]))),
          );
    return step(0, []).pipe(
      map((fields) => {
        const last = fields[fields.length - 1]!;
        const outcome = fields.some((f) => f.outcome === 'unknown') ? 'unknown' : last.outcome;
        return { drf: e.drf, status: last.status, success: last.success, outcome, fields, ...(last.message !== undefined ? { message: last.message } : {}) };
      }),
    );
  }

  /** One batch: lease, apply, retry once what never left; never errors for transport failures. */
  private batch(auth: KerberosAuth, key: WriteKey, settings: readonly PreparedSetting[]): Observable<WriteResult[]> {
    const d = this.deps;
    const open$ = defer(() => authenticatedConnection(d.open(`write#${++this.labels}`), auth, key.role, { timeoutMs: d.timeoutMs, scheduler: d.scheduler }));
    return this.pool
      .lease(key, open$, (wc) => applyBatch(wc, settings, { role: key.role, timeoutMs: d.timeoutMs, scheduler: d.scheduler }), (r: BatchReport) => r.reusable)
      .pipe(
        // applyBatch errors only before ApplySettings was sent
        retry({ count: 1, delay: (e: unknown) => (isTransportError(e) && !this.isClosed ? timer(0, d.scheduler) : throwError(() => e)) }),
        map((r) => [...r.results]),
        catchError((e: unknown) =>
          isTransportError(e)
            ? of(settings.map((s) => writeResult(s.drf, ACNET_RETRY, `Connection error: ${e instanceof Error ? e.message : String(e)} (nothing was sent)`)))
            : throwError(() => e),
        ),
      );
  }

  private verify(entries: readonly WriteEntry[], results: WriteResult[], o: VerifyOptions): Observable<WriteResult[]> {
    const checks: VerifyCheck[] = [];
    const owner: number[] = [];
    entries.forEach((e, i) => {
      // applied settings, and those whose answer was lost: reading back is how to find out
      if (results[i]!.outcome === 'not-applied') return;
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
    if (checks.length === 0) return of(results);
    return verifySettings(checks, (ds) => this.deps.getMany(ds), o, this.deps.scheduler).pipe(
      map((vs) => {
        const out = [...results];
        vs.forEach((v, k) => {
          const i = owner[k]!;
          const prev = out[i]!.verified;
          // an alarm block is verified when every field is: keep the first failed field check
          const verified = prev !== undefined && !prev.ok ? prev : v;
          out[i] = { ...out[i]!, verified };
        });
        return out;
      }),
    );
  }
}

/** Plain settings in frame-sized batches first, then each alarm block. */
function plan(entries: readonly WriteEntry[], principal: string): Job[] {
  const plain = entries.flatMap((e, i) => (e.kind === 'plain' ? [[i, e.setting] as const] : []));
  const jobs: Job[] = [];
  let k = 0;
  for (const settings of splitIntoFrames(plain.map(([, s]) => s), principal)) {
    jobs.push({ kind: 'batch', settings, at: plain.slice(k, k + settings.length).map(([i]) => i) });
    k += settings.length;
  }
  entries.forEach((e, i) => {
    if (e.kind === 'alarm') jobs.push({ kind: 'alarm', at: i, entry: e });
  });
  return jobs;
}
