/**
 * The simulator's authentication and authorization: per-connection Kerberos acceptor state and
 * the user/role/device-mask table that decides each setting.
 *
 * @example
 * ```ts
 * import { SimAuthSession, loadAuthConfig, authorizeSetting } from './auth/index.js';
 * ```
 *
 * @module
 */
export * from './authorize.js';
export * from './config.js';
export * from './session.js';
