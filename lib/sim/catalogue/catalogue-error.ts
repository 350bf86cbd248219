import { AcsysError } from '../../errors/acsys-error.js';

/**
 * A device catalogue that is not valid: bad JSON, a value of the wrong type, a duplicate
 * name or index, an invalid device name. `problems` lists every problem found, each with
 * its path (`devices[3].reading.value: expected finite number, got "x"`).
 *
 * @example
 * ```ts
 * try { loadCatalogue({ devices: [{ name: 'bad' }] }) } catch (e) {
 *   if (e instanceof CatalogueError) console.error(e.problems.join('\n'));
 * }
 * ```
 */
export class CatalogueError extends AcsysError {
  readonly code = 'CATALOGUE_ERROR' as const;

  constructor(
    /** Every problem found, one line each. */
    readonly problems: readonly string[],
    source?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `invalid device catalogue${source ? ` ${source}` : ''} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`,
      options,
    );
  }
}
