/**
 * Base class of every error acsys-rx raises. Catch this to catch them all;
 * test `instanceof` a subclass (or read `code`) to tell them apart.
 *
 * @example
 * ```ts
 * try { parseDrf('M:OUTTMP[') } catch (e) {
 *   if (e instanceof AcsysError) console.error(e.code, e.message);
 * }
 * ```
 */
export abstract class AcsysError extends Error {
  /** A stable, machine-readable identifier of the error kind (e.g. `"DRF_ERROR"`). */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
