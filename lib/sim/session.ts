/**
 * The DPM list of one simulated connection: requests, list properties, runs, settings —
 * the server side of `dpm-behaviour.md` §3, §6, §7, §9 and §11. Turns decoded requests
 * into replies handed to a sink (the connection's frame writer).
 *
 * @example
 * ```ts
 * const s = new ListSession({ listId: 4096, ...deps });
 * s.handle({ type: 'AddToList_request', list_id: 4096, ref_id: 1, drf_request: 'M:OUTTMP@I' });
 * s.handle({ type: 'StartList_request', list_id: 4096 });
 * ```
 *
 * @module
 */
import type { EncodableReply, RequestMessage } from '../protocol/index.js';
import { parseDataSource, parseDrf, parseEvent } from '../drf/parse.js';
import { DrfError } from '../drf/errors.js';
import { parseListProperty } from '../drf/helpers.js';
import { dpmStatusFor } from '../drf/serve.js';
import type { DrfEvent, DrfExtra, DrfRequest } from '../drf/types.js';
import type { DeviceStore, SimDevice } from './device-store.js';
import type { ClockTimeline } from './clock-timeline.js';
import { TimerGroup, type Cancellable, type Scheduler } from './scheduler.js';
import type { FrameWriter } from './frame-writer.js';
import type { FastStreamPump } from './fast-stream-pump.js';
import type { PeriodicScheduler } from './periodic-scheduler.js';
import { startAcquisition, type AcquisitionContext, type AcquisitionEntry } from './acquisition.js';
import { buildDataReply } from './reply-builder.js';
import { loggerReplies, loggerSingleReply } from './logger-source.js';
import type { SimAuthConnection } from './auth-hook.js';
import { applySetting, type SettingValue } from './apply-setting.js';
import { SimStatus } from './status-words.js';
import type { SimSettingRecord } from './setting-record.js';

/**
 * How an unknown device is answered at `StartList`: `DBM_NOPROP` at once (the server
 * source), or `DPM_PEND` after `pendDelayMs` (what production shows).
 *
 * @example
 * ```ts
 * const u: UnknownDeviceMode = 'DPM_PEND';
 * ```
 */
export type UnknownDeviceMode = 'DBM_NOPROP' | 'DPM_PEND';

/**
 * Dependencies and settings of a {@link ListSession}.
 *
 * @example
 * ```ts
 * const deps: ListSessionOptions = { listId, store, timeline, scheduler, writer, auth, send, markActive,
 *   unknownDevice: 'DBM_NOPROP', pendDelayMs: 3000, addToListReplies: false, onFatal };
 * ```
 */
export interface ListSessionOptions {
  readonly listId: number;
  readonly store: DeviceStore;
  readonly timeline: ClockTimeline;
  readonly scheduler: Scheduler;
  readonly writer: FrameWriter;
  readonly auth: SimAuthConnection;
  /**
   * Queues a reply; `counted` says whether it counts for the heartbeat rule (§2.5);
   * `latest` marks a repetitive reply for that request, which may be coalesced with a newer
   * one while the output is congested (see {@link AcquisitionContext.send}).
   */
  send(reply: EncodableReply, counted: boolean, latest?: { readonly refId: number }): void;
  /** Marks the list active (a counted reply was sent outside `send`). */
  markActive(): void;
  /** See {@link AcquisitionContext.direct}. */
  direct?(): FrameWriter | undefined;
  /** See {@link AcquisitionContext.skipped}. */
  skipped?(n: number): void;
  /** See {@link AcquisitionContext.pump}. */
  readonly pump?: FastStreamPump;
  /** See {@link AcquisitionContext.periodic}. */
  readonly periodic?: PeriodicScheduler;
  readonly unknownDevice: UnknownDeviceMode;
  readonly pendDelayMs: number;
  /** Answer each AddToList with `AddToList_reply` (ACNET style) — off by default (TCP). */
  readonly addToListReplies: boolean;
  /** Index of the connection, for {@link onSetting} records. */
  readonly connectionIndex?: number;
  /** Told of every setting processed, with its status (see `SimulatorHandle.settings$`). */
  readonly onSetting?: (record: SimSettingRecord) => void;
}

interface Entry {
  readonly refId: number;
  /** Serial number of the AddToList that stored it (a re-add is a change, as in DPM). */
  readonly serial: number;
  readonly text: string;
  readonly request: DrfRequest;
}

interface Group {
  signature: string;
  jobs: Cancellable[];
}

/** What a start does after its `StartList_reply`: an acquisition to start, or a logger answer. */
interface Later {
  readonly group: Group;
  readonly entry: AcquisitionEntry;
  readonly logger: (() => void) | undefined;
}

const LIVE_GROUP = '';

/**
 * Server-side state and behaviour of one list.
 *
 * @example
 * ```ts
 * await session.handle(decodeRequest(body));
 * session.close();
 * ```
 */
export class ListSession {
  private readonly entries = new Map<number, Entry>();
  private readonly properties = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  private readonly timers: TimerGroup;
  private chain: Promise<void> = Promise.resolve();
  /** Requests queued on `chain` and not done yet. */
  private inFlight = 0;
  private serial = 0;
  private closed = false;
  private readonly acq: AcquisitionContext;

  constructor(private readonly o: ListSessionOptions) {
    this.timers = new TimerGroup(o.scheduler);
    this.acq = {
      store: o.store,
      timeline: o.timeline,
      scheduler: o.scheduler,
      writer: o.writer,
      send: (r, latest) => o.send(r, true, latest),
      markActive: o.markActive,
      ...(o.direct !== undefined ? { direct: o.direct } : {}),
      ...(o.skipped !== undefined ? { skipped: o.skipped } : {}),
      ...(o.pump !== undefined ? { pump: o.pump } : {}),
      ...(o.periodic !== undefined ? { periodic: o.periodic } : {}),
    };
  }

  /** The list properties set with `#NAME:VALUE` (e.g. `ROLE`). */
  get listProperties(): ReadonlyMap<string, string> {
    return this.properties;
  }

  /** Number of requests in the list. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Handles one request. Requests are processed strictly in order, even when the auth hook
   * answers asynchronously. While nothing asynchronous is in progress, a request that needs no
   * waiting (adds, starts, stops…) is handled at once and `undefined` is returned; otherwise
   * the returned promise settles when this one is done (rejected if handling failed).
   */
  handle(msg: RequestMessage): Promise<void> | undefined {
    if (this.inFlight === 0 && !needsWaiting(msg)) {
      if (this.closed) return undefined;
      try {
        this.dispatchNow(msg);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return undefined;
    }
    this.inFlight++;
    const done = this.chain.then(() => (this.closed ? undefined : this.dispatch(msg)));
    this.chain = done.finally(() => {
      this.inFlight--;
    });
    return this.chain;
  }

  /** Stops every job and timer of the list. */
  close(): void {
    this.closed = true;
    for (const g of this.groups.values()) for (const j of g.jobs) j.cancel();
    this.groups.clear();
    this.timers.cancelAll();
    this.o.auth.close?.();
  }

  private now(): number {
    return this.o.scheduler.now();
  }

  /** A request that needs no waiting (see {@link needsWaiting}). */
  private dispatchNow(msg: RequestMessage): void {
    switch (msg.type) {
      case 'AddToList_request':
        return this.addToList(msg.ref_id, msg.drf_request);
      case 'RemoveFromList_request':
        this.entries.delete(msg.ref_id);
        return;
      case 'ClearList_request':
        this.entries.clear();
        return;
      case 'StopList_request':
        for (const g of this.groups.values()) {
          for (const j of g.jobs) j.cancel();
          g.jobs = [];
        }
        return;
      case 'StartList_request':
        return this.startList(msg.model);
      case 'OpenList_request':
      case 'ServiceDiscovery_request':
        return; // ignored silently on TCP (§2.1)
      default:
        throw new Error(`${msg.type} needs waiting`);
    }
  }

  private async dispatch(msg: RequestMessage): Promise<void> {
    switch (msg.type) {
      case 'Authenticate_request': {
        const r = await this.o.auth.handleAuthenticate(msg.token);
        if (this.closed) return;
        if (r.kind === 'reply') this.o.send({ type: 'Authenticate_reply', serviceName: r.serviceName }, false);
        else this.o.send({ type: 'Status_reply', ref_id: 0, timestamp: this.now(), cycle: 0, status: r.status }, false);
        return;
      }
      case 'EnableSettings_request': {
        const status = await this.o.auth.handleEnableSettings(msg.MIC, msg.message);
        if (this.closed) return;
        this.o.send({ type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: -1, status }, false);
        return;
      }
      case 'ApplySettings_request':
        return this.applySettings(msg);
      default:
        return this.dispatchNow(msg);
    }
  }

  private addToList(refId: number, text: string): void {
    const prop = parseListProperty(text);
    if (prop !== null) {
      this.properties.set(prop.name, prop.value);
      return;
    }
    const parsed = parseCached(text);
    if (typeof parsed === 'number') {
      const status = parsed;
      this.entries.delete(refId);
      if (this.o.addToListReplies) this.o.send({ type: 'AddToList_reply', list_id: this.o.listId, ref_id: refId, status }, false);
      else this.o.send({ type: 'Status_reply', ref_id: refId, timestamp: this.now(), cycle: 0, status }, true);
      return;
    }
    this.entries.set(refId, { refId, serial: ++this.serial, text, request: parsed });
    if (this.o.addToListReplies) this.o.send({ type: 'AddToList_reply', list_id: this.o.listId, ref_id: refId, status: 0 }, false);
  }

  private startList(model: string | undefined): void {
    const modelSource = model === undefined || model === '' ? undefined : model;
    const byGroup = new Map<string, Entry[]>();
    // entries in ref_id order (usually already: refs grow as they are added)
    let ordered: Iterable<Entry> = this.entries.values();
    let prev = -Infinity;
    for (const e of this.entries.values()) {
      if (e.refId < prev) {
        ordered = [...this.entries.values()].sort((a, b) => a.refId - b.refId);
        break;
      }
      prev = e.refId;
    }
    for (const e of ordered) {
      const key = groupKey(e.request.extra, modelSource);
      let list = byGroup.get(key);
      if (list === undefined) byGroup.set(key, (list = []));
      list.push(e);
    }
    const later: Later[] = [];
    for (const key of byGroup.keys()) this.startGroup(key, byGroup, modelSource, later);
    for (const key of this.groups.keys()) if (!byGroup.has(key)) this.startGroup(key, byGroup, modelSource, later);
    this.o.send({ type: 'StartList_reply', list_id: this.o.listId, status: 0 }, false);
    for (const l of later) {
      if (this.closed) return;
      if (l.logger !== undefined) l.logger();
      else l.group.jobs.push(startAcquisition(l.entry, this.acq));
    }
  }

  /** (Re)starts one group of a start, unless its requests did not change. */
  private startGroup(key: string, byGroup: ReadonlyMap<string, Entry[]>, modelSource: string | undefined, later: Later[]): void {
    const list = byGroup.get(key) ?? [];
    const signature = signatureOf(modelSource, list);
    const old = this.groups.get(key);
    if (old !== undefined && old.signature === signature) return; // unchanged: restart nothing (fidelity)
    if (old !== undefined) for (const j of old.jobs) j.cancel();
    const group: Group = { signature, jobs: [] };
    this.groups.set(key, group);
    for (const e of list) this.startEntry(e, modelSource, group, later);
    // one-shot requests are consumed by the start that ran them
    let remaining: Entry[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.request.event.kind === 'immediate') {
        this.entries.delete(e.refId);
        remaining ??= list.slice(0, i);
      } else remaining?.push(e);
    }
    if (remaining !== undefined) group.signature = signatureOf(modelSource, remaining);
  }

  private startEntry(e: Entry, model: string | undefined, group: Group, later: Later[]): void {
    const now = this.now();
    let extra: DrfExtra | null = e.request.extra;
    if (extra === null && model !== undefined) {
      try {
        extra = parseDataSource(model);
      } catch (err) {
        this.failEntry(e.refId, now, err instanceof DrfError ? dpmStatusFor(err).code : SimStatus.DPM_INVALID_DATASOURCE);
        return;
      }
    }
    const device = this.o.store.find(e.request.device);
    if (device === undefined) {
      if (this.o.unknownDevice === 'DPM_PEND') {
        this.timers.timeout(() => this.failEntry(e.refId, now, SimStatus.DPM_PEND), this.o.pendDelayMs);
      } else {
        this.failEntry(e.refId, now, SimStatus.DBM_NOPROP);
      }
      return;
    }
    if (extra !== null && (extra.name === 'LOGGER' || extra.name === 'LOGGERDURATION' || extra.name === 'LOGGERSINGLE')) {
      const src = extra;
      if (e.request.event.kind === 'immediate') return this.failEntry(e.refId, now, SimStatus.DPM_BAD_EVENT);
      this.o.send(deviceInfo(e.refId, device, e.request), true);
      const logger = (): void => {
        const t = this.now();
        if (src.name === 'LOGGERSINGLE') {
          this.o.send(loggerSingleReply(this.o.store, device, src.timeMs, src.accuracyMs, e.refId, t), true);
          return;
        }
        const window = src.name === 'LOGGER' ? { startMs: src.startMs, endMs: src.endMs } : { startMs: t - src.durationMs, endMs: t };
        for (const r of loggerReplies(this.o.store, device, window, e.refId, t)) this.o.send(r, true);
      };
      later.push({ group, entry: { refId: e.refId, request: e.request, device, event: e.request.event }, logger });
      return;
    }
    if (extra !== null && extra.name !== 'LIVEDATA' && extra.name !== 'FTP') {
      return this.failEntry(e.refId, now, SimStatus.DPM_INVALID_DATASOURCE); // SRFILE, SDAFILE, REDIR, MIRROR: not simulated
    }
    let event: DrfEvent = e.request.event;
    if (event.kind === 'default') {
      try {
        event = parseEvent(device.spec.defaultEvent ?? 'I');
      } catch {
        return this.failEntry(e.refId, now, SimStatus.DPM_BAD_EVENT);
      }
      if (event.kind === 'default') event = parseEvent('I');
    }
    // validate the request against the device (property, field, range) before DeviceInfo
    const probe = buildDataReply(this.o.store, device, e.request, { refId: e.refId, now, cycle: 0 });
    if (probe.type === 'Status_reply' && probe.status !== 0) return this.failEntry(e.refId, now, probe.status);
    this.o.send(deviceInfo(e.refId, device, e.request), true);
    if (event.kind === 'never') return;
    // started after the StartList_reply; a one-shot sends the validation reply itself (not built twice)
    const entry: AcquisitionEntry =
      event.kind === 'immediate' ? { refId: e.refId, request: e.request, device, event, probe } : { refId: e.refId, request: e.request, device, event };
    later.push({ group, entry, logger: undefined });
  }

  /** Answers one request of a start with a `Status_reply` (counted). */
  private failEntry(refId: number, now: number, status: number): void {
    this.o.send({ type: 'Status_reply', ref_id: refId, timestamp: now, cycle: 0, status }, true);
  }

  private async applySettings(msg: Extract<RequestMessage, { type: 'ApplySettings_request' }>): Promise<void> {
    const items: { refId: number; value: SettingValue }[] = [
      ...(msg.raw_array ?? []).map((s) => ({ refId: s.ref_id, value: { kind: 'raw', data: s.data } as const })),
      ...(msg.scaled_array ?? []).map((s) => ({ refId: s.ref_id, value: { kind: 'scaled', data: s.data } as const })),
      ...(msg.text_array ?? []).map((s) => ({ refId: s.ref_id, value: { kind: 'text', data: s.data } as const })),
    ];
    const statuses: { ref_id: number; status: number }[] = [];
    const answer = (refId: number, value: SettingValue, status: number, entry?: Entry, device?: string): void => {
      statuses.push({ ref_id: refId, status });
      this.o.onSetting?.({
        connection: this.o.connectionIndex ?? 0,
        listId: this.o.listId,
        refId,
        device,
        drf: entry?.text,
        value,
        principal: this.o.auth.principal,
        status,
      });
    };
    for (const it of items) {
      const entry = this.entries.get(it.refId);
      if (entry === undefined) {
        answer(it.refId, it.value, SimStatus.DPM_BAD_REQUEST);
        continue;
      }
      const device = this.o.store.find(entry.request.device);
      if (device === undefined) {
        answer(it.refId, it.value, SimStatus.DBM_NOPROP, entry);
        continue;
      }
      const auth = await this.o.auth.authorizeSetting({
        refId: it.refId,
        device: device.name,
        request: entry.request,
        role: this.properties.get('ROLE'),
      });
      if (this.closed) return;
      if (auth !== 0) {
        answer(it.refId, it.value, auth, entry, device.name);
        continue;
      }
      answer(it.refId, it.value, applySetting(this.o.store, device, entry.request, it.value), entry, device.name);
    }
    this.o.send({ type: 'ApplySettings_reply', status: statuses }, false);
  }
}

/**
 * The `DeviceInfo_reply` for a request: device index, catalogue name, description, units
 * (for scaled READING/SETTING values) and the catalogue's format hint.
 *
 * @example
 * ```ts
 * deviceInfo(1, store.find('M:OUTTMP')!, parseDrf('M:OUTTMP')); // { type: 'DeviceInfo_reply', di: 27235, ... }
 * ```
 */
export function deviceInfo(refId: number, device: SimDevice, request: DrfRequest): EncodableReply {
  const spec = device.spec;
  const scaled =
    (request.property === 'READING' || request.property === 'SETTING') &&
    request.field !== 'RAW' &&
    request.field !== 'PRIMARY' &&
    request.field !== 'VOLTS';
  const r: EncodableReply = { type: 'DeviceInfo_reply', ref_id: refId, di: spec.index, name: spec.name, description: spec.description };
  if (scaled && spec.units !== undefined) r.units = spec.units;
  if (spec.formatHint !== undefined) r.format_hint = spec.formatHint;
  return r;
}

/** Requests answered only after an asynchronous step (the auth hook). */
function needsWaiting(msg: RequestMessage): boolean {
  return msg.type === 'Authenticate_request' || msg.type === 'EnableSettings_request' || msg.type === 'ApplySettings_request';
}

const parseCache = new Map<string, DrfRequest | number>();
const PARSE_CACHE_MAX = 8192;

/**
 * The parsed request of an `AddToList` text, or the DPM status of its DRF error (the client's
 * mapping, `status.md` §7). Cached: clients add the same DRFs over and over, and parsed
 * requests are frozen.
 */
function parseCached(text: string): DrfRequest | number {
  let r = parseCache.get(text);
  if (r !== undefined) return r;
  try {
    r = parseDrf(text);
  } catch (e) {
    r = e instanceof DrfError ? dpmStatusFor(e).code : SimStatus.DPM_BAD_REQUEST;
  }
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
  parseCache.set(text, r);
  return r;
}

function signatureOf(model: string | undefined, list: readonly Entry[]): string {
  return `${model ?? ''}|${list.map((e) => `${e.refId}#${e.serial}`).join(',')}`;
}

function groupKey(extra: DrfExtra | null, model: string | undefined): string {
  if (extra === null) return model === undefined ? LIVE_GROUP : `model:${model}`;
  if (extra.name === 'LIVEDATA' || extra.name === 'FTP') return LIVE_GROUP;
  return `src:${extra.raw}`;
}
