import { Observable, Subject, concat, defer, from, map, tap, type Observer, type Subscriber } from 'rxjs';
import { ClientClosedError } from '../errors/client-closed-error.js';
import { DeviceError } from '../status/device-error.js';
import type { ProtocolError } from '../protocol/errors.js';
import type { Connection } from '../transport/connection.js';
import type { ConnectionState } from '../transport/connection-state.js';
import { connect } from '../transport/connect.js';
import { batchRead, prepareRead, prepareReads } from './batch-read.js';
import { ReadCoalescer } from './read-coalescer.js';
import { resolveOptions, type DpmOptions, type ResolvedOptions } from './options.js';
import { ConnectionPool } from './pool.js';
import { isOk, type Reading, type ReadingValue } from './reading.js';
import { runStream, type StreamContext, type StreamEvent, type StreamEventsOptions, type StreamOptions } from './stream.js';
import { checkDrfArgument, checkDrfList, resolveReadOptions, resolveStreamOptions, type ReadOptions, type ResolvedStreamOptions } from './call-options.js';
import type { WriteResult } from './write/result.js';
import { Writer, type SettingsInput, type WriteCallOptions, type WriteValue } from './write/writer.js';

export type { ReadingValue } from './reading.js';

/**
 * A DPM client: pooled one-shot reads, per-subscription streams, and the state
 * of its connections. Every method returns a cold Observable: nothing happens
 * until it is subscribed, and unsubscribing cancels.
 *
 * @example
 * ```ts
 * const client = dpm({ host: 'localhost', port: 6802 });
 * const t = await firstValueFrom(client.read('M:OUTTMP'));
 * client.close();
 * ```
 */
export interface DpmClient {
  /** The validated options. */
  readonly options: ResolvedOptions;
  /**
   * One value (`@I` is added unless the DRF has an event or a logger source).
   * A failed device errors with `DeviceError`; a missed deadline with `TimeoutError`.
   */
  read(drf: string, options?: ReadOptions): Observable<ReadingValue>;
  /** One reading (device failures are readings with a status, not errors). */
  get(drf: string, options?: ReadOptions): Observable<Reading>;
  /**
   * One reading per DRF, in request order, one round trip and one deadline for
   * all. On timeout: `TimeoutError` naming the missing devices and carrying the
   * readings that did arrive. On a connection error that is not retried
   * (`ConnectError`, `HandshakeError`, `ConnectionLost`), the error's `readings`
   * carries the readings that did arrive and `ACNET_RETRY` readings for the rest.
   * `options.timeout` overrides the client's `timeouts.operation` for this call. Arguments of
   * the wrong type error with `ArgumentError`, bad options with `ConfigError`; nothing is sent.
   */
  getMany(drfs: readonly string[], options?: ReadOptions): Observable<Reading[]>;
  /**
   * Readings of one or more DRFs, on a connection of its own per subscription.
   * Per-device errors are error readings; a lost connection errors the stream
   * with `ConnectionLost` unless `reconnect` is set. Staleness is reported by
   * {@link streamEvents} only: a `stale` option here errors with `ConfigError`.
   */
  stream(drfs: string | readonly string[], options?: StreamOptions): Observable<Reading>;
  /**
   * Like {@link stream}, plus this stream's connection states and, with the
   * `stale` option, staleness reports.
   */
  streamEvents(drfs: string | readonly string[], options?: StreamEventsOptions): Observable<StreamEvent>;
  /**
   * Connection states: on subscribe, the current state of every live connection,
   * then every change (pooled connections are `pool#N`, streams `stream#N`).
   */
  readonly state$: Observable<ConnectionState>;
  /**
   * Undecodable frames received on any connection of this client (hot). They are
   * not fatal: the frame is skipped and the connection kept (`dpm-wire.md` §2.6).
   */
  readonly protocolErrors$: Observable<ProtocolError>;
  /** Close every connection; running and later operations fail with `ClientClosedError`. */
  close(): void;
  /** True after {@link close}. */
  readonly closed: boolean;
  /**
   * One setting on a Kerberos-authenticated connection (`dpm({ auth: kerberos(), role })`):
   * a `WriteResult` with the server's status (refusals such as `DPM_PRIV` are results, not
   * errors). Alarm blocks (objects for `.ANALOG` / `.DIGITAL`) are written field by field.
   * Without `auth`, or without a usable ticket, errors with `AuthenticationError` before any
   * network traffic.
   */
  write(drf: string, value: WriteValue, options?: WriteCallOptions): Observable<WriteResult>;
  /** Several settings in one `ApplySettings` round trip; results in input order. */
  writeMany(settings: SettingsInput, options?: WriteCallOptions): Observable<WriteResult[]>;
}

/** A read's observer: the reading's value, or its `DeviceError` (an object, not closures per read). */
class ValueOfReading implements Observer<Reading> {
  constructor(private readonly out: Subscriber<ReadingValue>) {}

  next(r: Reading): void {
    if (isOk(r)) this.out.next(r.value);
    else this.out.error(new DeviceError(r.status, r.drf));
  }

  error(e: unknown): void {
    this.out.error(e);
  }

  complete(): void {
    this.out.complete();
  }
}

class Client implements DpmClient {
  readonly options: ResolvedOptions;
  readonly state$: Observable<ConnectionState>;
  readonly protocolErrors$: Observable<ProtocolError>;
  private readonly protocolErrors = new Subject<ProtocolError>();
  private readonly pool: ConnectionPool;
  private readonly states = new Subject<ConnectionState>();
  private readonly current = new Map<string, ConnectionState>();
  private readonly activeStreams = new Set<(e: unknown) => void>();
  private streamCount = 0;
  private isClosed = false;
  private readonly writer: Writer;
  private readonly coalescer: ReadCoalescer | undefined;

  constructor(options: DpmOptions) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.pool = new ConnectionPool((slot) => this.open(`pool#${slot + 1}`, 1), {
      size: o.poolSize,
      linger: o.linger,
      scheduler: o.scheduler,
    });
    this.coalescer = o.coalesce === undefined ? undefined : new ReadCoalescer(this.pool, { ...o.coalesce, scheduler: o.scheduler });
    this.state$ = defer(() => concat(from([...this.current.values()]), this.states));
    this.protocolErrors$ = this.protocolErrors.asObservable();
    this.writer = new Writer({
      auth: o.auth,
      role: o.role,
      poolSize: o.writePoolSize,
      timeoutMs: o.operationTimeout,
      scheduler: o.scheduler,
      open: (label) => this.open(label, 1),
      getMany: (drfs) => this.getMany(drfs),
    });
  }

  write(drf: string, value: WriteValue, options?: WriteCallOptions): Observable<WriteResult> {
    return this.writer.write(drf, value, options);
  }

  writeMany(settings: SettingsInput, options?: WriteCallOptions): Observable<WriteResult[]> {
    return this.writer.writeMany(settings, options);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private readonly onState = (s: ConnectionState): void => {
    if (s.kind === 'closed') this.current.delete(s.connection);
    else this.current.set(s.connection, s);
    this.states.next(s);
  };

  /**
   * Open a connection. Its states go to `state$`, or, when `onState` is given, to
   * `onState` alone (a stream decides what reaches `state$`: a `closed` followed
   * by a retry is reported as `reconnecting`).
   */
  private open(label: string, attempt: number, onState?: (s: ConnectionState) => void): Observable<Connection> {
    const o = this.options;
    return connect({
      host: o.host,
      port: o.port,
      connectTimeout: o.connectTimeout,
      handshakeTimeout: o.handshakeTimeout,
      heartbeat: o.heartbeat,
      maxFrameBytes: o.maxFrameBytes,
      scheduler: o.scheduler,
      connectWith: o.connectWith,
      label,
      attempt,
      onState: onState ?? this.onState,
    }).pipe(tap((conn) => conn.protocolErrors$.subscribe((e) => this.protocolErrors.next(e))));
  }

  getMany(drfs: readonly string[], options?: ReadOptions): Observable<Reading[]> {
    return defer(() => this.batch(checkDrfList('getMany', drfs, false), options));
  }

  private batch(drfs: readonly string[], options: ReadOptions | undefined): Observable<Reading[]> {
    if (this.isClosed) throw new ClientClosedError();
    const timeoutMs = resolveReadOptions(options, this.options.operationTimeout);
    const prepared = prepareReads(drfs);
    return batchRead(this.pool, prepared, timeoutMs, this.options.scheduler);
  }

  /** One reading: through the coalescer, or a batch of one. */
  private single(fn: 'get' | 'read', drf: string, options: ReadOptions | undefined): Observable<Reading> {
    if (this.isClosed) throw new ClientClosedError();
    const checked = checkDrfArgument(fn, drf);
    const timeoutMs = resolveReadOptions(options, this.options.operationTimeout);
    const prepared = prepareRead(checked);
    if (this.coalescer !== undefined) return this.coalescer.read(prepared, timeoutMs);
    return batchRead(this.pool, [prepared], timeoutMs, this.options.scheduler).pipe(map((rs) => rs[0]!));
  }

  get(drf: string, options?: ReadOptions): Observable<Reading> {
    return defer(() => this.single('get', drf, options));
  }

  read(drf: string, options?: ReadOptions): Observable<ReadingValue> {
    // one Observable (not defer + map): a read is on the latency path
    return new Observable<ReadingValue>((subscriber) => {
      let source: Observable<Reading>;
      try {
        source = this.single('read', drf, options);
      } catch (e) {
        subscriber.error(e);
        return;
      }
      return source.subscribe(new ValueOfReading(subscriber));
    });
  }


  streamEvents(drfs: string | readonly string[], options?: StreamEventsOptions): Observable<StreamEvent> {
    return this.makeStream(drfs, options, true) as Observable<StreamEvent>;
  }

  stream(drfs: string | readonly string[], options?: StreamOptions): Observable<Reading> {
    return this.makeStream(drfs, options, false) as Observable<Reading>;
  }

  private makeStream(
    drfs: string | readonly string[],
    options: StreamEventsOptions | undefined,
    events: boolean,
  ): Observable<Reading | StreamEvent> {
    return new Observable<Reading | StreamEvent>((subscriber) => {
      if (this.isClosed) {
        subscriber.error(new ClientClosedError());
        return;
      }
      const fn = events ? 'streamEvents' : 'stream';
      let list: readonly string[];
      let resolved: ResolvedStreamOptions;
      try {
        list = checkDrfList(fn, drfs, true);
        // `stale` on stream() is refused here too: the type excludes it, untyped callers (and old docs) do not
        resolved = resolveStreamOptions(options, fn);
      } catch (e) {
        subscriber.error(e);
        return;
      }
      const closer = (e: unknown): void => subscriber.error(e);
      this.activeStreams.add(closer);
      let streamLabel: string | undefined;
      const ctx: StreamContext = {
        open: (label, attempt, onState) => this.open(label, attempt, onState),
        nextLabel: () => (streamLabel = `stream#${++this.streamCount}`),
        state: this.onState,
        scheduler: this.options.scheduler,
      };
      // stream(): readings straight to the subscriber (no wrapper on the hot path)
      const sub = events
        ? runStream(ctx, list, resolved).subscribe({
            next: (it) => subscriber.next('kind' in it ? it : { kind: 'reading', reading: it }),
            error: (e: unknown) => subscriber.error(e),
            complete: () => subscriber.complete(),
          })
        : runStream(ctx, list, resolved, false).subscribe(subscriber as Subscriber<Reading>);
      return () => {
        this.activeStreams.delete(closer);
        sub.unsubscribe();
        // ended while waiting to reconnect (unsubscribe, close(), attempts used up),
        // or between a lost connection and its `reconnecting`: no connection will
        // report `closed`, so do it here; state$ must not keep an entry for a
        // stream that is gone
        if (streamLabel !== undefined && this.current.has(streamLabel)) {
          this.onState({ kind: 'closed', connection: streamLabel, reason: undefined });
        }
      };
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pool.close();
    this.writer.close();
    const err = new ClientClosedError();
    for (const c of [...this.activeStreams]) c(err);
    this.activeStreams.clear();
  }
}

/**
 * Create a DPM client. Options are validated (`ConfigError` naming a bad
 * option); the environment is ignored (see the module-level `read`/`get`/… for
 * the environment-configured global client).
 *
 * @example
 * ```ts
 * const client = dpm({ host: 'localhost', port: 6802, poolSize: 2 });
 * client.getMany(['M:OUTTMP', 'G:AMANDA']).subscribe((rs) => console.log(rs.map((r) => r.value)));
 * ```
 */
export function dpm(options: DpmOptions = {}): DpmClient {
  return new Client(options);
}

