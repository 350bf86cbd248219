import { AcsysError } from './acsys-error.js';

/**
 * A public function was called with an argument of the wrong JavaScript type (a number where a
 * DRF string is expected, an array with holes, `null` options, …). Raised before anything is
 * sent; a function that returns an Observable delivers it as the Observable's error.
 * `argument` names the parameter (`"drfs"`, `"drfs[2]"`, `"options"`, …).
 *
 * @example
 * ```ts
 * client.getMany('M:OUTTMP' as never).subscribe({
 *   error: (e) => { if (e instanceof ArgumentError) console.error(e.argument, e.message); },
 * });
 * ```
 */
export class ArgumentError extends AcsysError {
  readonly code = 'ARGUMENT_ERROR';
  /** The offending parameter, e.g. `"drfs[2]"`. */
  readonly argument: string;

  constructor(fn: string, argument: string, detail: string) {
    super(`${fn}: bad argument ${argument}: ${detail} (nothing was sent)`);
    this.argument = argument;
  }
}
