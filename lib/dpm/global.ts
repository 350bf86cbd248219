import { defer, type Observable } from 'rxjs';
import { kerberos } from '../auth/kerberos.js';
import { dpm, type DpmClient, type ReadingValue } from './client.js';
import type { WriteResult } from './write/result.js';
import type { SettingsInput, WriteCallOptions, WriteValue } from './write/writer.js';
import { optionsFromEnv } from './options.js';
import type { Reading } from './reading.js';
import type { StreamOptions } from './stream.js';
import type { ReadOptions } from './call-options.js';

let instance: DpmClient | undefined;

/**
 * The module-level client, created on first use from `PACSYS_DPM_HOST`,
 * `PACSYS_DPM_PORT` and `PACSYS_POOL_SIZE` (validated: a bad value is a
 * `ConfigError` naming the variable), with Kerberos authentication for writes
 * (`kerberos()`: the credentials are read at the first write, not before). Idle
 * pooled connections do not keep the process alive.
 *
 * @example
 * ```ts
 * globalClient().state$.subscribe((s) => console.log(s.kind));
 * ```
 */
export function globalClient(): DpmClient {
  if (instance === undefined || instance.closed) instance = dpm({ ...optionsFromEnv(), auth: kerberos() });
  return instance;
}

/**
 * Close the module-level client (a later call creates a new one).
 *
 * @example
 * ```ts
 * closeGlobalClient();
 * ```
 */
export function closeGlobalClient(): void {
  instance?.close();
  instance = undefined;
}

/**
 * Read one value with the module-level client (see `DpmClient.read`).
 *
 * @example
 * ```ts
 * const t = await firstValueFrom(read('M:OUTTMP', { timeout: 2000 }));
 * ```
 */
export function read(drf: string, options?: ReadOptions): Observable<ReadingValue> {
  return defer(() => globalClient().read(drf, options));
}

/**
 * One reading with the module-level client (see `DpmClient.get`).
 *
 * @example
 * ```ts
 * const r = await firstValueFrom(get('M:OUTTMP'));
 * ```
 */
export function get(drf: string, options?: ReadOptions): Observable<Reading> {
  return defer(() => globalClient().get(drf, options));
}

/**
 * Readings of many devices in one round trip with the module-level client (see `DpmClient.getMany`).
 *
 * @example
 * ```ts
 * const [t, a] = await firstValueFrom(getMany(['M:OUTTMP', 'G:AMANDA']));
 * ```
 */
export function getMany(drfs: readonly string[], options?: ReadOptions): Observable<Reading[]> {
  return defer(() => globalClient().getMany(drfs, options));
}

/**
 * Stream readings with the module-level client (see `DpmClient.stream`).
 *
 * @example
 * ```ts
 * const sub = stream('M:OUTTMP@p,1000').subscribe((r) => console.log(r.value));
 * ```
 */
export function stream(drfs: string | readonly string[], options?: StreamOptions): Observable<Reading> {
  return defer(() => globalClient().stream(drfs, options));
}

/**
 * Write one setting with the module-level client (see `DpmClient.write`), authenticated with
 * the user's Kerberos ticket (`kinit` first; without one: `AuthenticationError`, nothing sent).
 * The result's `outcome` says whether it was applied, not applied, or is unknown (sent, but the
 * answer was lost: it is never sent twice).
 *
 * @example
 * ```ts
 * const r = await firstValueFrom(write('Z:ACLTST', 42, { role: 'testing' }));
 * console.log(r.outcome, r.status.toString());
 * ```
 */
export function write(drf: string, value: WriteValue, options?: WriteCallOptions): Observable<WriteResult> {
  return defer(() => globalClient().write(drf, value, options));
}

/**
 * Write several settings with the module-level client (see `DpmClient.writeMany`); results in
 * input order.
 *
 * @example
 * ```ts
 * const rs = await firstValueFrom(writeMany({ 'Z:ACLTST': 1, 'Z:TEXTDEV': 'hello' }));
 * ```
 */
export function writeMany(settings: SettingsInput, options?: WriteCallOptions): Observable<WriteResult[]> {
  return defer(() => globalClient().writeMany(settings, options));
}
