import { AcsysError } from './acsys-error.js';

/**
 * An option or environment variable has a bad value. `option` names it
 * (`"poolSize"`, `"timeouts.heartbeat"`, `"PACSYS_DPM_PORT"`, …).
 *
 * @example
 * ```ts
 * try { dpm({ poolSize: 0 }) } catch (e) {
 *   if (e instanceof ConfigError) console.error(e.option, e.message);
 * }
 * ```
 */
export class ConfigError extends AcsysError {
  readonly code = 'CONFIG_ERROR';
  /** The offending option or environment variable. */
  readonly option: string;

  constructor(option: string, detail: string) {
    super(`invalid option ${option}: ${detail}`);
    this.option = option;
  }
}
