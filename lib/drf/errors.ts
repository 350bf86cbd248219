import { AcsysError } from '../errors/acsys-error.js';

/**
 * Which part of a DRF request is wrong (drf.md §2, §12).
 *
 * @example
 * ```ts
 * try { parseDrf('M:OUTTMP[5:2]') } catch (e) { if (e instanceof DrfError) e.part; } // 'range'
 * ```
 */
export type DrfErrorPart = 'syntax' | 'device' | 'property' | 'range' | 'field' | 'event' | 'extra';

const MAX_SHOWN = 120;

function show(input: string): string {
  const s = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
  return JSON.stringify(s);
}

/**
 * An invalid DRF request (or an operation that cannot apply to a valid one, such as a one-shot read
 * of an `@N` request). Says what is wrong (`detail`), in which part (`part`) and where (`position`,
 * a 0-based index into `input`).
 *
 * @example
 * ```ts
 * try {
 *   parseDrf('M:OUTTMP.SETTING.FOO');
 * } catch (e) {
 *   if (e instanceof DrfError) console.log(e.part, e.position, e.message);
 *   // field 17 unknown field "FOO" at position 17 in "M:OUTTMP.SETTING.FOO"
 * }
 * ```
 */
export class DrfError extends AcsysError {
  readonly code = 'DRF_ERROR' as const;
  /** The text that was being parsed (for builders: the request's canonical form or the value given). */
  readonly input: string;
  /** 0-based index into `input` of the offending part. */
  readonly position: number;
  /** Which part of the request is wrong. */
  readonly part: DrfErrorPart;
  /** The problem without the location, e.g. `unknown field "FOO"`. */
  readonly detail: string;
  /**
   * For `part === 'extra'`: true when the data source name is known but its parameters are badly
   * formed (DPM: `DPM_BAD_DATASOURCE_FORMAT`), false when the name is missing or unknown
   * (`DPM_INVALID_DATASOURCE`) or the text is misplaced.
   */
  readonly sourceFormat: boolean;

  constructor(
    input: string,
    position: number,
    part: DrfErrorPart,
    detail: string,
    options?: { cause?: unknown; sourceFormat?: boolean },
  ) {
    super(`${detail} at position ${position} in ${show(input)}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.input = input;
    this.position = position;
    this.part = part;
    this.detail = detail;
    this.sourceFormat = options?.sourceFormat ?? false;
  }
}
