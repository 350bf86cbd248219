/**
 * One settings round trip on an authenticated connection, in pacsys's message order
 * (`dpm-behaviour.md` §9.4 steps 2–7).
 *
 * @module
 */
import type { SchedulerLike } from 'rxjs';
import type { ReplyMessage } from '../../protocol/index.js';
import type { OutgoingRequest } from '../../transport/connection.js';
import { nowMs } from '../../transport/timer.js';
import { DeadlineExceeded } from './inbox.js';
import { applySettingsRequest, type SettingPayload } from './setting-value.js';
import type { WriteConnection } from './write-connection.js';

/** `ACNET_REQTMO` (1 −6): no reply in time. */
export const REQTMO_WORD = -1535;

/**
 * One setting ready to send: the DRF as given, its write target (`writeTarget`, event `@N`) and
 * its wire value.
 *
 * @example
 * ```ts
 * const s: PreparedSetting = { drf: 'Z:ACLTST', wire: 'Z:ACLTST.SETTING@N', payload: { kind: 'scaled', data: [42] } };
 * ```
 */
export interface PreparedSetting {
  readonly drf: string;
  readonly wire: string;
  readonly payload: SettingPayload;
}

/**
 * The outcome of {@link applyBatch}: one status word per setting, in order, and how it ended:
 * `ok` (every reply arrived; the list was stopped and the connection may be reused),
 * `timeout` (the deadline passed; discard the connection), `list-failed` (`StartList_reply` or
 * a list-level status ≠ 0; discard).
 *
 * @example
 * ```ts
 * const { kind, words } = await applyBatch(wc, settings, { timeoutMs: 5000 });
 * ```
 */
export interface ApplyOutcome {
  readonly kind: 'ok' | 'timeout' | 'list-failed';
  readonly words: readonly number[];
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

const isFailure = (word: number): boolean => word >> 8 < 0;

/**
 * Runs one write on `wc`:
 * 1. one TCP write: `StopList`, `ClearList`, [`#ROLE`], `AddToList {ref, wire}` per setting
 *    (fresh, never repeated ref_ids), `StartList`;
 * 2. waits until every ref has a `DeviceInfo_reply` or an error (`Status_reply`,
 *    `AddToList_reply` ≠ 0) and `StartList_reply` arrived;
 * 3. sends `ApplySettings_request {user_name = principal}` for the refs that were added;
 * 4. waits for `ApplySettings_reply` (heartbeats skipped) until the same deadline;
 * 5. maps statuses per ref: add-stage error, else the ref's `SettingStatus`, else a ref-0
 *    failure status, else `ACNET_REQTMO`; on success sends `StopList`.
 *
 * Rejects with the connection's error when it fails (the caller retries once).
 *
 * @example
 * ```ts
 * const out = await applyBatch(wc, [{ drf: 'Z:ACLTST', wire: 'Z:ACLTST.SETTING@N', payload: { kind: 'scaled', data: [1] } }], { timeoutMs: 5000 });
 * out.words; // [0]
 * ```
 */
export async function applyBatch(wc: WriteConnection, settings: readonly PreparedSetting[], o: ApplyOptions): Promise<ApplyOutcome> {
  const conn = wc.connection;
  const list_id = conn.listId;
  const refs = settings.map(() => conn.nextRefId());
  const index = new Map<number, number>(refs.map((r, i) => [r, i]));
  const addError: (number | undefined)[] = new Array<number | undefined>(settings.length);
  const validated = new Set<number>();
  const msgs: OutgoingRequest[] = [
    { type: 'StopList_request', list_id },
    { type: 'ClearList_request', list_id },
  ];
  if (o.role !== undefined) msgs.push({ type: 'AddToList_request', list_id, ref_id: 0, drf_request: `#ROLE:${o.role}` });
  settings.forEach((s, i) => msgs.push({ type: 'AddToList_request', list_id, ref_id: refs[i]!, drf_request: s.wire }));
  msgs.push({ type: 'StartList_request', list_id });

  const deadline = nowMs(o.scheduler) + o.timeoutMs;
  const next = (): Promise<ReplyMessage | undefined> =>
    wc.inbox.next(deadline, o.timeoutMs).catch((e: unknown) => {
      if (e instanceof DeadlineExceeded) return undefined;
      throw e;
    });
  const words = (fill: (i: number) => number): number[] => settings.map((_, i) => addError[i] ?? fill(i));

  wc.inbox.clear();
  conn.send(msgs);

  // Step 3: validation.
  let started = false;
  let listStatus: number | undefined;
  while (!(started && validated.size === settings.length)) {
    const m = await next();
    if (m === undefined) return { kind: 'timeout', words: words(() => REQTMO_WORD) };
    if (m.type === 'StartList_reply') {
      started = true;
      if (m.status !== 0 && isFailure(m.status)) listStatus = m.status;
    } else if (m.type === 'DeviceInfo_reply' || m.type === 'Status_reply' || m.type === 'AddToList_reply') {
      if (m.type === 'Status_reply' && m.ref_id === 0) {
        if (isFailure(m.status)) listStatus = m.status;
        continue;
      }
      const i = index.get(m.ref_id);
      if (i === undefined) continue;
      if (m.type !== 'DeviceInfo_reply' && m.status !== 0) addError[i] ??= m.status;
      if (m.type !== 'AddToList_reply' || m.status !== 0) validated.add(m.ref_id);
    }
    if (listStatus !== undefined) return { kind: 'list-failed', words: words(() => REQTMO_WORD) };
  }

  // Step 4: ApplySettings for the refs that were added.
  const toApply = settings.flatMap((s, i) => (addError[i] === undefined ? [[refs[i]!, s.payload] as const] : []));
  if (toApply.length === 0) {
    conn.send([{ type: 'StopList_request', list_id }]);
    return { kind: 'ok', words: words(() => REQTMO_WORD) };
  }
  conn.send([applySettingsRequest(wc.principal, list_id, toApply)]);

  // Step 5: the reply.
  for (;;) {
    const m = await next();
    if (m === undefined) return { kind: 'timeout', words: words(() => REQTMO_WORD) };
    if (m.type !== 'ApplySettings_reply') continue;
    const byRef = new Map<number, number>(m.status.map((s) => [s.ref_id, s.status]));
    const global = byRef.get(0);
    conn.send([{ type: 'StopList_request', list_id }]);
    return {
      kind: 'ok',
      words: words((i) => byRef.get(refs[i]!) ?? (global !== undefined && global !== 0 ? global : REQTMO_WORD)),
    };
  }
}
