/**
 * Kerberos (GSS-API) authentication for DPM settings: the client-side exchange, the name rules,
 * the typed errors and the lazily loaded native binding.
 *
 * @example
 * ```ts
 * import { kerberos } from 'acsys-rx/auth';
 * const auth = kerberos();
 * ```
 *
 * @module
 */
export * from './authentication-error.js';
export * from './gssapi.js';
export * from './kerberos.js';
export * from './names.js';
