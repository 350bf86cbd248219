/**
 * One settings round trip on an authenticated connection, in pacsys's message order
 * (`dpm-behaviour.md` §9.4 steps 2–7), as an Observable — with the at-most-once rule: an
 * `ApplySettings_request` that left the socket is never sent again, and a lost answer is an
 * `unknown` outcome, not an error.
 *
 * @module
 */
import { asyncScheduler, catchError, concatMap, defer, first, map, of, scan, throwError, timeout, type Observable, type SchedulerLike } from 'rxjs';
import { ConnectionLost } from '../../errors/connection-lost.js';
import type { ReplyMessage } from '../../protocol/index.js';
import { ACNET_DISCONNECTED, ACNET_REQTMO } from '../../status/constants.js';
import type { OutgoingRequest } from '../../transport/connection.js';
import { ListError } from '../list-error.js';
import { dpmList, type ListEvent, type ListRequest } from '../list.js';
import { exchange, repliesOf } from './exchange.js';
import type { PreparedSetting } from './prepare.js';
import { writeResult, type WriteResult } from './result.js';
import { applySettingsRequest } from './setting-value.js';
import type { WriteConnection } from './write-connection.js';

export type { PreparedSetting } from './prepare.js';

/** `ACNET_REQTMO` (1 −6): no reply in time. */
export const REQTMO_WORD = ACNET_REQTMO.code;

/**
 * The outcome of {@link applyBatch}: one result per setting, in order, and whether the
 * connection can serve the next write (every reply arrived and the list was stopped).
 *
 * @example
 * ```ts
 * applyBatch(wc, settings, { timeoutMs: 5000 }).subscribe(({ results, reusable }) => ...);
 * ```
 */
export interface BatchReport {
  readonly results: readonly WriteResult[];
  readonly reusable: boolean;
}

/**
 * Options of {@link applyBatch}.
 *
 * @example
 * ```ts
 * const o: ApplyOptions = { role: 'testing', timeoutMs: 5000 };
 * ```
 */
export interface ApplyOptions {
  /** Sent as `AddToList {0, "#ROLE:<role>"}` right after `ClearList`. */
  readonly role?: string | undefined;
  /** One deadline for the validation wait and the `ApplySettings_reply`. */
  readonly timeoutMs: number;
  readonly scheduler?: SchedulerLike | undefined;
}

interface Validation {
  started: boolean;
  listStatus: number | undefined;
  readonly validated: Set<number>;
  readonly addError: (number | undefined)[];
}

/** The deadline passed (internal marker). */
class Late {
  constructor(readonly phase: 'validation' | 'reply') {}
}

/**
 * Runs one write on `wc` and emits one {@link BatchReport}:
 * 1. the validation list ({@link dpmList} with the settings' `@N` requests): one TCP write of
 *    `StopList`, `ClearList`, [`#ROLE`], `AddToList {ref, wire}` per setting (fresh, never
 *    repeated ref_ids), `StartList`;
 * 2. its events until every request has a `DeviceInfo_reply` or an error (`Status_reply`,
 *    `AddToList_reply` ≠ 0) and `StartList_reply` arrived (a refused list: `ListError`);
 * 3. sends `ApplySettings_request {user_name = principal}` for the refs that were added — once;
 * 4. waits for `ApplySettings_reply` (heartbeats skipped) until the same deadline;
 * 5. maps statuses per ref: add-stage error, else the ref's `SettingStatus`, else a ref-0
 *    failure status, else `ACNET_REQTMO`; on success sends `StopList`.
 *
 * Errors only for a connection failure **before** `ApplySettings` was sent (nothing was applied;
 * the caller may retry on a fresh connection). After it was sent, a lost connection or the
 * deadline give `unknown` results (`ACNET_DISCONNECTED` / `ACNET_REQTMO`), never an error.
 * Unsubscribing stops everything; what was sent stays sent.
 *
 * @example
 * ```ts
 * const { results } = await firstValueFrom(applyBatch(wc, [{ drf: 'Z:ACLTST', wire: 'Z:ACLTST.SETTING@N', payload: { kind: 'scaled', data: [1] } }], { timeoutMs: 5000 }));
 * results[0]?.outcome; // 'applied'
 * ```
 */
export function applyBatch(wc: WriteConnection, settings: readonly PreparedSetting[], o: ApplyOptions): Observable<BatchReport> {
  return defer(() => {
    const conn = wc.connection;
    const list_id = conn.listId;
    const scheduler = o.scheduler ?? asyncScheduler;
    const deadline = new Date(scheduler.now() + o.timeoutMs);
    const refs = settings.map(() => conn.nextRefId());
    const replies$ = repliesOf(conn);

    // the validation list: StopList, ClearList, [#ROLE], an AddToList per setting, StartList
    const prefix: OutgoingRequest[] = [
      { type: 'StopList_request', list_id },
      { type: 'ClearList_request', list_id },
    ];
    if (o.role !== undefined) prefix.push({ type: 'AddToList_request', list_id, ref_id: 0, drf_request: `#ROLE:${o.role}` });
    const requests: ListRequest[] = settings.map((s) => ({ drf: s.drf, wire: s.wire, historical: false, oneShot: false }));
    // the end of the connection is an error of the list (nothing was applied yet: retryable)
    const list$ = dpmList(conn, requests, { gather: true, prefix, refIds: refs, reportStart: true, failOnConnectionEnd: true });

    const validation$ = (
      conn.closed ? throwError(() => new ConnectionLost('closed', 'the connection closed before the request was sent')) : list$
    ).pipe(
      scan(validate, { started: false, listStatus: undefined, validated: new Set<number>(), addError: new Array<number | undefined>(settings.length) }),
      first((v) => v.started && v.validated.size === settings.length),
      catchError((e: unknown) => (e instanceof ListError ? of(refused(e.status.code, settings.length)) : throwError(() => e))),
      timeout({ first: deadline, scheduler, with: () => of(new Late('validation')) }),
    );

    const report = (v: Validation, fill: (i: number) => WriteResult, reusable: boolean): BatchReport => ({
      results: settings.map((s, i) => {
        const err = v.addError[i];
        return err !== undefined ? writeResult(s.drf, err) : fill(i);
      }),
      reusable,
    });

    return validation$.pipe(
      concatMap((v): Observable<BatchReport> => {
        if (v instanceof Late) {
          // nothing was sent: not applied
          return of({ results: settings.map((s) => writeResult(s.drf, REQTMO_WORD, `No reply from server within ${o.timeoutMs} ms; nothing was applied`)), reusable: false });
        }
        if (v.listStatus !== undefined) {
          const st = v.listStatus;
          return of(report(v, (i) => writeResult(settings[i]!.drf, st, 'DPM refused the list; nothing was applied'), false));
        }
        const toApply = settings.flatMap((s, i) => (v.addError[i] === undefined ? [[refs[i]!, s.payload] as const] : []));
        if (toApply.length === 0) {
          conn.send([{ type: 'StopList_request', list_id }]);
          return of(report(v, () => unreachable(), true));
        }
        if (conn.closed) {
          // provably never left: an error the caller may retry on a fresh connection
          return throwError(() => new ConnectionLost('closed', 'the connection closed before ApplySettings was sent'));
        }
        const request = applySettingsRequest(wc.principal, list_id, toApply);
        return exchange(
          conn,
          [request],
          replies$.pipe(
            first((m): m is Extract<ReplyMessage, { type: 'ApplySettings_reply' }> => m.type === 'ApplySettings_reply'),
            timeout({ first: deadline, scheduler, with: () => of(new Late('reply')) }),
          ),
        ).pipe(
          // After ApplySettings left the socket, every end is a result, never an error to retry.
          map((m): BatchReport => {
            if (m instanceof Late) {
              return report(v, (i) => unknownResult(settings[i]!.drf, ACNET_REQTMO.code, `no reply within ${o.timeoutMs} ms after the setting was sent`), false);
            }
            const byRef = new Map<number, number>(m.status.map((s) => [s.ref_id, s.status]));
            const global = byRef.get(0);
            conn.send([{ type: 'StopList_request', list_id }]);
            return report(
              v,
              (i) => {
                const word = byRef.get(refs[i]!) ?? (global !== undefined && global !== 0 ? global : undefined);
                return word !== undefined
                  ? writeResult(settings[i]!.drf, word)
                  : unknownResult(settings[i]!.drf, REQTMO_WORD, 'the server answered without a status for this setting');
              },
              true,
            );
          }),
          catchError((e: unknown) =>
            of(report(v, (i) => unknownResult(settings[i]!.drf, ACNET_DISCONNECTED.code, `connection lost after the setting was sent (${errorText(e)})`), false)),
          ),
        );
      }),
    );
  });
}

/** The validation of a refused list: `listStatus` set, nothing validated. */
function refused(status: number, n: number): Validation {
  return { started: true, listStatus: status, validated: new Set<number>(), addError: new Array<number | undefined>(n) };
}

/**
 * One list event into the validation: `started` for the `StartList_reply`; a request is
 * validated by its `DeviceInfo_reply` or by a reading (an error reading — `Status_reply`,
 * `AddToList_reply` ≠ 0 — is its add-stage error).
 */
function validate(v: Validation, e: ListEvent): Validation {
  if (e.kind === 'started') v.started = true;
  else if (e.kind === 'meta') v.validated.add(e.index);
  else {
    const code = e.reading!.status.code;
    if (code !== 0) v.addError[e.index] ??= code;
    v.validated.add(e.index);
  }
  return v;
}

function unknownResult(drf: string, word: number, why: string): WriteResult {
  return writeResult(drf, word, `outcome unknown: ${why}; it may have been applied (it is not sent again; read the device back)`, 'unknown');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function unreachable(): never {
  throw new Error('unreachable: every setting has an add-stage error');
}
