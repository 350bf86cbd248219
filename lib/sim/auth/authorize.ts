/**
 * Setting authorization of the simulator (`dpm-behaviour.md` §9.5, §11 item 14).
 *
 * @module
 */
import { DPM_PRIV as DPM_PRIV_STATUS } from '../../status/constants.js';
import { shortName } from '../../auth/names.js';
import { canonicalDeviceName, type AuthConfig, type SimUser } from './config.js';

/**
 * `DPM_PRIV` (facility 17, error −17): "not privileged to set". Status word −4335.
 *
 * @example
 * ```ts
 * if (status === DPM_PRIV) console.log('refused');
 * ```
 */
export const DPM_PRIV = DPM_PRIV_STATUS.code;

/**
 * The outcome of {@link explainAuthorization}.
 *
 * @example
 * ```ts
 * const d: AuthorizationDecision = { allowed: true, via: 'role', status: 0, reason: 'role tester allows Z:ACLTST' };
 * ```
 */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** Which path allowed it: `role` (role + allowlist) or `class` (classes & mask); `null` when refused. */
  readonly via: 'role' | 'class' | null;
  /** `0` when allowed, else `DPM_PRIV`. */
  readonly status: number;
  /** Human-readable explanation (logs, tests). */
  readonly reason: string;
}

/**
 * Finds the console user of a principal: the exact principal key first, then its short name
 * (§9.5: text before `@`, last `/` component, text before the first `.`).
 *
 * @example
 * ```ts
 * findUser(cfg, 'alice@FNAL.GOV'); // the "alice@FNAL.GOV" entry, else the "alice" entry
 * ```
 */
export function findUser(config: AuthConfig, principal: string): SimUser | undefined {
  return config.users.get(principal) ?? config.users.get(shortName(principal));
}

/**
 * Decides whether `principal`, acting in `role`, may set `deviceName`:
 * 1. role path: the user holds `role` and the role's allowlist contains the device;
 * 2. class path: `user.classes & protectionMask(device)` is non-zero;
 * else refused with `DPM_PRIV`. No identity or an unknown user is refused too.
 *
 * `DPM_PRIV` is used for every refusal, including the class path, where the real server would
 * presumably answer `DPM_DBPRIV` (17 −18; §9.5 marks that as an inference): issue #7 specifies the
 * privilege-denied status for denied settings.
 *
 * @example
 * ```ts
 * explainAuthorization(cfg, 'alice@FNAL.GOV', 'tester', 'Z:ACLTST').via; // 'role'
 * ```
 */
export function explainAuthorization(
  config: AuthConfig,
  principal: string | undefined,
  role: string | undefined,
  deviceName: string,
): AuthorizationDecision {
  const refuse = (reason: string): AuthorizationDecision => ({ allowed: false, via: null, status: DPM_PRIV, reason });
  if (principal === undefined || principal === '') return refuse('no authenticated identity on this list');
  const user = findUser(config, principal);
  if (user === undefined) return refuse(`${principal} (short name ${shortName(principal)}) is not a console user`);
  const device = canonicalDeviceName(deviceName);
  if (role !== undefined && role !== '' && user.roles.includes(role)) {
    const allow = config.roles.get(role);
    if (allow?.has(device) === true) {
      return { allowed: true, via: 'role', status: 0, reason: `role ${role} allows ${device}` };
    }
  }
  const mask = config.deviceMasks.get(device) ?? 0;
  if ((user.classes & mask) !== 0) {
    return { allowed: true, via: 'class', status: 0, reason: `classes ${user.classes} & mask ${mask} of ${device}` };
  }
  const roleText =
    role === undefined || role === ''
      ? 'no role'
      : user.roles.includes(role)
        ? `role ${role} does not list ${device}`
        : `${user.name} does not hold role ${role}`;
  return refuse(`${roleText}; classes ${user.classes} & mask ${mask} of ${device} is 0`);
}

/**
 * The status word for one setting: `0` when allowed, else `DPM_PRIV` (−4335). See
 * {@link explainAuthorization} for the rules.
 *
 * @example
 * ```ts
 * authorizeSetting(cfg, 'alice@FNAL.GOV', 'tester', 'Z:ACLTST'); // 0
 * authorizeSetting(cfg, undefined, undefined, 'Z:ACLTST');       // -4335
 * ```
 */
export function authorizeSetting(
  config: AuthConfig,
  principal: string | undefined,
  role: string | undefined,
  deviceName: string,
): number {
  return explainAuthorization(config, principal, role, deviceName).status;
}
