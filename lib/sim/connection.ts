/**
 * One simulated DPM connection: handshake, `OpenList_reply`, request decoding, the
 * list session, heartbeats and per-connection faults (`dpm-behaviour.md` §2, §11).
 *
 * @example
 * ```ts
 * server.on('connection', (socket) => new SimConnection(socket, deps));
 * ```
 *
 * @module
 */
import type { SimSettingRecord } from './setting-record.js';
import type { Socket } from 'node:net';
import { decodeRequest, encodeReplyFrame, encodeReplyFrameInto, FrameSplitter, type EncodableReply } from '../protocol/index.js';
import { httpErrorResponse, parseHandshake } from './handshake.js';
import type { FaultOptions } from './faults.js';
import { FrameWriter, type OutputLimits } from './frame-writer.js';
import type { FastStreamPump } from './fast-stream-pump.js';
import type { PeriodicScheduler } from './periodic-scheduler.js';
import { ListSession, type UnknownDeviceMode } from './session.js';
import { TimerGroup, type Scheduler } from './scheduler.js';
import type { DeviceStore } from './device-store.js';
import type { ClockTimeline } from './clock-timeline.js';
import type { ListIdPool } from './list-ids.js';
import type { SimAuthHook } from './auth-hook.js';
import { SimStatus } from './status-words.js';

/**
 * Largest request or reply frame body the simulator handles (128 KiB, as DPM).
 *
 * @example
 * ```ts
 * body.length > MAX_SERVER_FRAME; // the server closes the connection
 * ```
 */
export const MAX_SERVER_FRAME = 128 * 1024;

/** Room reserved in the writer's buffer for a reply encoded in place (most replies are far smaller). */
const DIRECT_FRAME_BYTES = 1024;

/**
 * Everything a connection needs from its simulator.
 *
 * @example
 * ```ts
 * const deps: ConnectionDeps = { index: 0, faults: {}, store, timeline, scheduler, listIds, auth, ... };
 * ```
 */
export interface ConnectionDeps {
  readonly index: number;
  readonly faults: FaultOptions;
  readonly store: DeviceStore;
  readonly timeline: ClockTimeline;
  readonly scheduler: Scheduler;
  readonly listIds: ListIdPool;
  readonly auth: SimAuthHook;
  readonly heartbeatMs: number;
  readonly heartbeatAlways: boolean;
  readonly handshakeTimeoutMs: number;
  readonly bareDpm: boolean;
  readonly unknownDevice: UnknownDeviceMode;
  readonly pendDelayMs: number;
  readonly addToListReplies: boolean;
  /** When to give up on a peer that does not read (see {@link OutputLimits}). */
  readonly outputLimits: OutputLimits;
  /** Told of every setting processed (see `SimulatorHandle.settings$`). */
  readonly onSetting?: (record: SimSettingRecord) => void;
  /** The simulator's fast-stream scheduler (see {@link FastStreamPump}). */
  readonly pump?: FastStreamPump;
  /** The simulator's scheduler of continuous periodic requests (see {@link PeriodicScheduler}). */
  readonly periodic?: PeriodicScheduler;
  onClose(conn: SimConnection): void;
}

/**
 * Output statistics of one connection (see `SimulatorHandle.connectionStats`).
 *
 * @example
 * ```ts
 * const s: SimConnectionStats = sim.connectionStats()[0]!;
 * s.droppedReplies; // replies replaced by a newer one for the same request
 * ```
 */
export interface SimConnectionStats {
  /** Index of the connection (0 for the first accepted). */
  readonly index: number;
  /** Its list id, once the handshake succeeded. */
  readonly listId: number | undefined;
  /** Bytes queued for the peer and not yet accepted by the kernel (writer queue + socket buffer). */
  readonly queuedBytes: number;
  /** Replies held back, at most one per request, until the socket drains. */
  readonly pendingReplies: number;
  /** Repetitive replies dropped: replaced, while congested, by a newer one for the same request. */
  readonly droppedReplies: number;
  /** True while the output is congested (producers hold off). */
  readonly congested: boolean;
}

/**
 * A connection from accept to close.
 *
 * @example
 * ```ts
 * const c = new SimConnection(socket, deps);
 * c.listId; // 4096 once the handshake is done
 * c.destroy();
 * ```
 */
export class SimConnection {
  /** The list id, once the handshake succeeded. */
  listId: number | undefined;
  private handshakeBuf: Buffer | undefined = Buffer.alloc(0);
  private readonly timers: TimerGroup;
  private writer: FrameWriter | undefined;
  private session: ListSession | undefined;
  private splitter: FrameSplitter | undefined;
  private active = false;
  private done = false;
  /** Latest held-back repetitive reply per ref_id, in first-held order. */
  private pending = new Map<number, EncodableReply>();
  private pendingArmed = false;
  private dropped = 0;

  constructor(
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
  ) {
    this.timers = new TimerGroup(deps.scheduler);
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('end', () => socket.end());
    socket.on('close', () => this.cleanup());
    this.timers.timeout(() => {
      if (this.handshakeBuf !== undefined) this.destroy();
    }, deps.handshakeTimeoutMs);
  }

  /** Output statistics (backpressure). */
  stats(): SimConnectionStats {
    const w = this.writer;
    return {
      index: this.deps.index,
      listId: this.listId,
      queuedBytes: w === undefined || this.done ? 0 : w.backlog,
      pendingReplies: this.pending.size,
      droppedReplies: this.dropped,
      congested: w?.congested ?? false,
    };
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.socket.destroy();
    this.cleanup();
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    if (this.handshakeBuf !== undefined) {
      this.handshakeBuf = Buffer.concat([this.handshakeBuf, chunk]);
      const r = parseHandshake(this.handshakeBuf);
      if (r.kind === 'incomplete') return;
      this.handshakeBuf = undefined;
      const f = this.deps.faults;
      if (r.kind === 'error' || f.httpError !== undefined || f.closeOnHandshake === true) {
        if (f.closeOnHandshake === true || (r.kind === 'error' && this.deps.bareDpm)) return this.destroy();
        const line = f.httpError ?? (r.kind === 'error' ? r.statusLine : 'HTTP/1.1 400 Bad Request');
        this.socket.end(httpErrorResponse(line));
        this.timers.timeout(() => this.destroy(), 1000);
        return;
      }
      this.open();
      if (r.rest.length > 0) this.feed(r.rest);
      return;
    }
    this.feed(chunk);
  }

  private open(): void {
    const listId = this.deps.listIds.allocate();
    if (listId === undefined) return this.destroy(); // DPM_OUTOMEM: close with nothing sent
    this.listId = listId;
    const f = this.deps.faults;
    this.writer = new FrameWriter(this.socket, f, this.timers, () => this.cleanup(), this.deps.outputLimits);
    this.session = new ListSession({
      listId,
      store: this.deps.store,
      timeline: this.deps.timeline,
      scheduler: this.deps.scheduler,
      writer: this.writer,
      auth: this.deps.auth.openConnection({ connectionIndex: this.deps.index, listId }),
      send: (r, counted, latest) => this.send(r, counted, latest),
      markActive: () => {
        this.active = true;
      },
      direct: () => this.direct(),
      skipped: (n) => {
        this.dropped += n;
      },
      ...(this.deps.pump !== undefined ? { pump: this.deps.pump } : {}),
      ...(this.deps.periodic !== undefined ? { periodic: this.deps.periodic } : {}),
      unknownDevice: this.deps.unknownDevice,
      pendDelayMs: this.deps.pendDelayMs,
      addToListReplies: this.deps.addToListReplies,
      connectionIndex: this.deps.index,
      ...(this.deps.onSetting !== undefined ? { onSetting: this.deps.onSetting } : {}),
    });
    this.splitter = new FrameSplitter((body) => this.onFrame(body), { maxFrameLength: MAX_SERVER_FRAME });
    this.send({ type: 'OpenList_reply', list_id: listId }, false);
    if (f.noHeartbeats !== true) {
      this.timers.interval(() => {
        if (!this.active || this.deps.heartbeatAlways) this.send({ type: 'ListStatus_reply', list_id: listId, status: 0 }, false);
        this.active = false;
      }, this.deps.heartbeatMs);
    }
    if (f.dropAfterMs !== undefined) this.timers.timeout(() => this.writer?.drop(f.dropMidFrame === true), f.dropAfterMs);
  }

  private feed(chunk: Uint8Array): void {
    try {
      this.splitter?.push(chunk);
    } catch {
      this.destroy(); // bad frame length (0 or over 128 KiB) or undecodable frame: close, no reply
      return;
    }
    // the replies to this chunk's requests leave now, in one write, not one event-loop turn later
    const w = this.writer;
    if (w !== undefined && w.direct && !this.done) w.flushNow();
  }

  private onFrame(body: Uint8Array): void {
    if (this.done) return;
    const msg = decodeRequest(body); // throws ProtocolError → feed() closes the connection
    void this.session?.handle(msg)?.catch(() => this.destroy());
  }

  /**
   * Queues a reply. Backpressure policy: while the writer is congested, a repetitive reply
   * (`latest`) is held back instead, one per request — a newer one replaces the held one,
   * which counts as dropped — and the held replies are queued, in order, once the socket
   * drains. Any other reply is never dropped: held replies are queued before it, so the
   * order of replies is kept. The writer's {@link OutputLimits} close a peer that stops
   * reading.
   */
  private send(reply: EncodableReply, counted: boolean, latest?: { readonly refId: number }): void {
    const w = this.writer;
    if (this.done || w === undefined) return;
    if (this.deps.faults.dropInsteadOfReply === reply.type) {
      // the request was handled (e.g. the settings applied); its reply is lost with the socket
      w.drop(false);
      return;
    }
    if (counted) this.active = true;
    if (latest !== undefined && w.congested) {
      const had = this.pending.size;
      this.pending.set(latest.refId, reply);
      if (this.pending.size === had) this.dropped++;
      if (!this.pendingArmed) {
        this.pendingArmed = true;
        w.onWritable(this.onWritable);
      }
      return;
    }
    if (this.pending.size > 0) this.flushPending();
    this.enqueue(reply);
  }

  /**
   * The writer, when a repetitive reply may be encoded straight into it (see
   * `AcquisitionContext.direct`): batched output without delay faults, not congested, no
   * fault that drops a reply type; held replies are queued first, so order is kept.
   * Marks the list active (the caller sends a counted reply).
   */
  private direct(): FrameWriter | undefined {
    const w = this.writer;
    if (this.done || w === undefined || !w.direct || w.congested || this.deps.faults.dropInsteadOfReply !== undefined) return undefined;
    if (this.pending.size > 0) {
      this.flushPending();
      if (this.done || w.congested) return undefined;
    }
    this.active = true;
    return w;
  }

  private readonly onWritable = (): void => {
    this.pendingArmed = false;
    this.flushPending();
  };

  private flushPending(): void {
    const held = this.pending;
    this.pending = new Map();
    for (const r of held.values()) {
      if (this.done) return;
      this.enqueue(r);
    }
  }

  private enqueue(reply: EncodableReply): void {
    const w = this.writer;
    if (this.done || w === undefined) return;
    if (w.direct) {
      // encoded straight into the writer's buffer (no frame allocated); a reply larger than
      // DIRECT_FRAME_BYTES takes the path below (where an oversized one becomes DPM_REPLY_OVERFLOW)
      const buf = w.reserve(DIRECT_FRAME_BYTES);
      const end = encodeReplyFrameInto(reply, buf, w.reservedAt);
      if (end >= 0) {
        w.commit(end);
        return;
      }
    }
    let frame = encodeReplyFrame(reply);
    if (frame.length - 4 > MAX_SERVER_FRAME && 'ref_id' in reply) {
      frame = encodeReplyFrame({
        type: 'Status_reply',
        ref_id: reply.ref_id,
        timestamp: this.deps.scheduler.now(),
        cycle: 0,
        status: SimStatus.DPM_REPLY_OVERFLOW,
      });
    }
    w.enqueue(frame);
  }

  private cleanup(): void {
    if (this.done) return;
    this.done = true;
    this.timers.cancelAll();
    this.writer?.close();
    this.session?.close();
    if (this.listId !== undefined) this.deps.listIds.release(this.listId);
    if (!this.socket.destroyed) this.socket.destroy();
    this.deps.onClose(this);
  }
}
