/**
 * acsys-rx: read, stream and write (set) ACNET devices through DPM, as RxJS Observables.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { read } from 'acsys-rx';
 * console.log(await firstValueFrom(read('M:OUTTMP')));
 * ```
 *
 * @module
 */
export * from './dpm/index.js';
export * from './errors/index.js';
export { connect, type ConnectOptions, type Connection, type ByteSocket } from './transport/index.js';
export * from './drf/index.js';
export * from './status/index.js';
export { ProtocolError } from './protocol/errors.js';
