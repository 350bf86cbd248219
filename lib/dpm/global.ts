import { defer, type Observable } from 'rxjs';
import { dpm, type DpmClient, type ReadingValue } from './client.js';
import { optionsFromEnv } from './options.js';
import type { Reading } from './reading.js';
import type { StreamOptions } from './stream.js';

let instance: DpmClient | undefined;

/**
 * The module-level client, created on first use from `PACSYS_DPM_HOST`,
 * `PACSYS_DPM_PORT` and `PACSYS_POOL_SIZE` (validated: a bad value is a
 * `ConfigError` naming the variable). Idle pooled connections do not keep the
 * process alive.
 *
 * @example
 * ```ts
 * globalClient().state$.subscribe((s) => console.log(s.kind));
 * ```
 */
export function globalClient(): DpmClient {
  if (instance === undefined || instance.closed) instance = dpm(optionsFromEnv());
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
 * const t = await firstValueFrom(read('M:OUTTMP'));
 * ```
 */
export function read(drf: string): Observable<ReadingValue> {
  return defer(() => globalClient().read(drf));
}

/**
 * One reading with the module-level client (see `DpmClient.get`).
 *
 * @example
 * ```ts
 * const r = await firstValueFrom(get('M:OUTTMP'));
 * ```
 */
export function get(drf: string): Observable<Reading> {
  return defer(() => globalClient().get(drf));
}

/**
 * Readings of many devices in one round trip with the module-level client (see `DpmClient.getMany`).
 *
 * @example
 * ```ts
 * const [t, a] = await firstValueFrom(getMany(['M:OUTTMP', 'G:AMANDA']));
 * ```
 */
export function getMany(drfs: readonly string[]): Observable<Reading[]> {
  return defer(() => globalClient().getMany(drfs));
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
