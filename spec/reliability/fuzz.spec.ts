/**
 * Fuzz (issue #8): a hostile server completes the handshake and then feeds the
 * client 100 000 random and mutated frames. Only typed errors (`AcsysError`
 * subclasses) may reach a subscriber; no uncaught exception or unhandled
 * rejection; bounded time; heap flat. Prints the figures.
 *
 * Seed: FUZZ_SEED (default 8). Frames: FUZZ_FRAMES (default 100 000).
 */
import { expect } from 'chai';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Subscription } from 'rxjs';
import { dpm } from '../../lib/dpm/client.js';
import type { Reading } from '../../lib/dpm/reading.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { encodeReplyFrame } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';
import { AcnetStatus } from '../../lib/status/acnet-status.js';
import { connect } from '../../lib/transport/connect.js';
import type { Connection } from '../../lib/transport/connection.js';
import { checkLeaks } from '../support/leaks.js';
import { frame, mutatedBody, Rng, startHostileServer, validBodies, type HostileConnection, type MutationKind } from '../support/hostile-server.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 8);
const TOTAL = Number(process.env['FUZZ_FRAMES'] ?? 100_000);
/** Share of the frames: connect() with valid lengths, streams with valid lengths, connections ending in a bad length. */
const SPLIT = { connect: 0.7, stream: 0.2, invalid: 0.1 };
const PER_CONNECT = 10_000;
const PER_STREAM = 1_000;
const PER_INVALID = 100;

const MESSAGE_LEVEL = new Set([
  'truncated',
  'bad_header',
  'wrong_protocol_id',
  'unknown_message_id',
  'wrong_field_count',
  'unknown_field_id',
  'duplicate_field',
  'missing_field',
  'bad_tag_or_length',
  'value_out_of_range',
  'invalid_utf8',
  'trailing_bytes',
]);
const REPLY_TYPES = new Set([
  'ServiceDiscovery_reply',
  'OpenList_reply',
  'AddToList_reply',
  'RemoveFromList_reply',
  'StartList_reply',
  'ListStatus_reply',
  'Status_reply',
  'DeviceInfo_reply',
  'Scalar_reply',
  'ScalarArray_reply',
  'Raw_reply',
  'Text_reply',
  'TextArray_reply',
  'AnalogAlarm_reply',
  'DigitalAlarm_reply',
  'BasicStatus_reply',
  'TimedScalarArray_reply',
  'ApplySettings_reply',
  'Authenticate_reply',
]);

/** `global.gc` when node runs with --expose-gc, else the same function obtained through V8 flags. */
function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]));
}

/** The sentinel that ends a valid-length feed: a heartbeat with an unlikely list id and status. */
const SENTINEL_LIST = 2_000_000_001;
const SENTINEL_STATUS = 4242;
/** The stream sentinel: a Scalar_reply for each ref with an unlikely value. */
const STREAM_SENTINEL = 4242.4242;

/** Writes `frames` to `c` in random-size slices (frames split anywhere), in batches so that backpressure applies. */
async function feed(c: HostileConnection, rng: Rng, frames: Iterable<Uint8Array>): Promise<void> {
  let batch: Uint8Array[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const all = Buffer.concat(batch);
    batch = [];
    size = 0;
    let at = 0;
    while (at < all.length && !c.closed) {
      const n = 1 + rng.int(rng.int(4) === 0 ? 8 : 4096);
      await c.write(all.subarray(at, at + n));
      at += n;
    }
  };
  for (const f of frames) {
    if (c.closed) return;
    batch.push(f);
    size += f.length;
    if (size > 32 * 1024) await flush();
  }
  if (size > 0) await flush();
}

interface Tally {
  frames: number;
  byMutation: Map<string, number>;
  replies: Map<string, number>;
  protocolErrors: Map<string, number>;
  fatal: Map<string, number>;
  readings: number;
  badValues: string[];
  untyped: unknown[];
}

function newTally(): Tally {
  return { frames: 0, byMutation: new Map(), replies: new Map(), protocolErrors: new Map(), fatal: new Map(), readings: 0, badValues: [], untyped: [] };
}

function fatalKey(e: unknown): string {
  if (!(e instanceof AcsysError)) return `UNTYPED ${String(e)}`;
  const cause = (e as Error).cause;
  const detail = e instanceof ConnectionLost ? `(${e.reason}${cause instanceof ProtocolError ? `: ${cause.category}` : cause instanceof Error ? `: ${cause.name} ${cause.message.slice(0, 60)}` : ''})` : '';
  return `${e.name}${detail}`;
}

/** Runs `run` until it calls `done`; fails (and unsubscribes) after `ms`. */
function within(what: string, ms: number, run: (done: (e?: unknown) => void) => Subscription): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`${what}: no end within ${ms} ms (hang)`));
    }, ms);
    const sub = run((e?: unknown) => {
      clearTimeout(t);
      if (e !== undefined) reject(e instanceof Error ? e : new Error(String(e)));
      else resolve();
    });
  });
}

describe('reliability/fuzz (hostile server, 100 000 random and mutated frames)', function () {
  this.timeout(90_000);
  checkLeaks(3000);

  it('only typed errors reach subscribers; no uncaught exception, no hang, heap flat', async () => {
    const gc = getGc();
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const t0 = Date.now();
    const tally = newTally();
    const rng = new Rng(SEED);
    let heapBefore = 0;
    let heapMid = 0;
    const phaseMs: number[] = [];
    const counts = {
      connect: Math.round(TOTAL * SPLIT.connect),
      stream: Math.round(TOTAL * SPLIT.stream),
      invalid: TOTAL - Math.round(TOTAL * SPLIT.connect) - Math.round(TOTAL * SPLIT.stream),
    };

    try {
      // ---- Phase A: connect(), every frame length valid: the connection must survive all of it
      {
        let toSend = counts.connect;
        const srv = await startHostileServer(async (c) => {
          const corpus = validBodies(c.listId);
          const n = Math.min(PER_CONNECT, toSend);
          toSend -= n;
          function* gen(): Generator<Uint8Array> {
            for (let i = 0; i < n; i++) {
              const { body, kind } = mutatedBody(rng, corpus);
              bump(tally.byMutation, kind);
              tally.frames++;
              yield frame(body);
            }
            yield encodeReplyFrame({ type: 'ListStatus_reply', list_id: SENTINEL_LIST, status: SENTINEL_STATUS });
          }
          await feed(c, rng, gen());
        });
        try {
          let first = true;
          while (toSend > 0) {
            await within('connect() feed', 30_000, (done) => {
              let conn: Connection | undefined;
              const inner: Subscription[] = [];
              const sub = connect({ host: '127.0.0.1', port: srv.port, heartbeat: 10_000 }).subscribe({
                next: (c) => {
                  conn = c;
                  inner.push(
                    c.protocolErrors$.subscribe((e) => {
                      if (!(e instanceof ProtocolError)) tally.untyped.push(e);
                      else if (e.fatal || !MESSAGE_LEVEL.has(e.category)) tally.badValues.push(`protocolErrors$ got ${e.category} fatal=${e.fatal}`);
                      bump(tally.protocolErrors, e instanceof ProtocolError ? e.category : 'UNTYPED');
                    }),
                    c.replies$.subscribe((m: ReplyMessage) => {
                      if (typeof m !== 'object' || m === null || !REPLY_TYPES.has(m.type)) tally.badValues.push(`reply ${JSON.stringify(m)}`);
                      bump(tally.replies, m.type);
                      if (m.type === 'ListStatus_reply' && m.list_id === SENTINEL_LIST && m.status === SENTINEL_STATUS) {
                        for (const s of inner) s.unsubscribe();
                        sub.unsubscribe();
                        done();
                      }
                    }),
                  );
                },
                error: (e: unknown) => {
                  bump(tally.fatal, `valid-length connection: ${fatalKey(e)}`);
                  if (!(e instanceof AcsysError)) tally.untyped.push(e);
                  for (const s of inner) s.unsubscribe();
                  done(new Error(`a valid-length connection failed: ${fatalKey(e)}${conn ? '' : ' (before open)'}`));
                },
              });
              return sub;
            });
            if (first) {
              first = false;
              heapBefore = heapAfterGc(gc);
            }
          }
        } finally {
          await srv.close();
          expect(srv.feederErrors, 'fuzz generator errors').to.deep.equal([]);
        }
        heapMid = heapAfterGc(gc);
      }

      phaseMs.push(Date.now() - t0);
      // ---- Phase B: client.stream() of three DRFs fed mutated replies for ref_ids 1–3
      {
        let toSend = counts.stream;
        const srv = await startHostileServer(async (c) => {
          const corpus = validBodies(c.listId);
          const n = Math.min(PER_STREAM, toSend);
          toSend -= n;
          function* gen(): Generator<Uint8Array> {
            for (let i = 0; i < n; i++) {
              const { body, kind } = mutatedBody(rng, corpus);
              bump(tally.byMutation, kind);
              tally.frames++;
              yield frame(body);
            }
            // for every ref: the feed may have ended one request (an AddToList_reply ≠ 0 does)
            for (const ref of [1, 2, 3]) {
              yield encodeReplyFrame({ type: 'Scalar_reply', ref_id: ref, timestamp: 1, cycle: 424242, status: 0, data: STREAM_SENTINEL });
            }
          }
          await feed(c, rng, gen());
        });
        const client = dpm({ host: '127.0.0.1', port: srv.port, linger: 0 });
        const drfs = ['M:OUTTMP@p,1000', 'G:AMANDA@p,1000', 'Z:ACLTST@p,1000'];
        const pe = client.protocolErrors$.subscribe((e) => bump(tally.protocolErrors, e instanceof ProtocolError ? e.category : 'UNTYPED'));
        try {
          while (toSend > 0) {
            await within('stream feed', 30_000, (done) => {
              const sub = client.stream(drfs).subscribe({
                next: (r: Reading) => {
                  tally.readings++;
                  if (typeof r !== 'object' || r === null || !drfs.includes(r.drf) || !(r.status instanceof AcnetStatus)) {
                    tally.badValues.push(`reading ${String(r)}`);
                  } else if ((r.valueType === undefined) !== (r.value === undefined)) {
                    tally.badValues.push(`reading ${r.drf} valueType ${String(r.valueType)} with value ${String(r.value)}`);
                  }
                  if (r?.value === STREAM_SENTINEL && r.cycle === 424242) {
                    bump(tally.fatal, 'stream: reached the end of its feed');
                    sub.unsubscribe();
                    done();
                  }
                },
                error: (e: unknown) => {
                  // a list-level Status_reply / failed StartList_reply in the feed legitimately ends a stream
                  bump(tally.fatal, `stream: ${fatalKey(e)}`);
                  if (!(e instanceof AcsysError)) tally.untyped.push(e);
                  done();
                },
                complete: () => {
                  bump(tally.fatal, 'stream: completed');
                  done();
                },
              });
              return sub;
            });
          }
        } finally {
          pe.unsubscribe();
          client.close();
          await srv.close();
          expect(srv.feederErrors, 'fuzz generator errors').to.deep.equal([]);
        }
      }

      phaseMs.push(Date.now() - t0 - phaseMs[0]!);
      // ---- Phase C: connections whose feed ends with an invalid frame length (fatal by design)
      {
        let toSend = counts.invalid;
        const srv = await startHostileServer(async (c) => {
          const corpus = validBodies(c.listId);
          const n = Math.min(PER_INVALID, toSend);
          toSend -= n;
          function* gen(): Generator<Uint8Array> {
            for (let i = 0; i < n - 1; i++) {
              const { body, kind } = mutatedBody(rng, corpus);
              bump(tally.byMutation, kind);
              tally.frames++;
              yield frame(body);
            }
            tally.frames++;
            const { body } = mutatedBody(rng, corpus);
            const k = rng.int(4);
            const kind: MutationKind | string = ['length-zero', 'length-over-limit', 'length-short', 'length-long'][k]!;
            bump(tally.byMutation, kind);
            if (k === 0) yield frame(new Uint8Array(0), 0);
            else if (k === 1) yield frame(body, (1 << 20) + 1 + rng.int(0x7fffffff));
            else if (k === 2) yield frame(body, Math.max(1, body.length - 1 - rng.int(body.length)));
            else yield frame(body, body.length + 1 + rng.int(64));
            yield rng.bytes(rng.int(64));
          }
          await feed(c, rng, gen());
          c.end();
        });
        try {
          while (toSend > 0) {
            await within('invalid-length feed', 15_000, (done) => {
              const inner: Subscription[] = [];
              return connect({ host: '127.0.0.1', port: srv.port, heartbeat: 10_000 }).subscribe({
                next: (c) => {
                  inner.push(
                    c.protocolErrors$.subscribe((e) => bump(tally.protocolErrors, e instanceof ProtocolError ? e.category : 'UNTYPED')),
                    c.replies$.subscribe((m) => bump(tally.replies, m.type)),
                  );
                },
                error: (e: unknown) => {
                  bump(tally.fatal, `invalid-length connection: ${fatalKey(e)}`);
                  if (!(e instanceof AcsysError)) tally.untyped.push(e);
                  for (const s of inner) s.unsubscribe();
                  done();
                },
                complete: () => {
                  bump(tally.fatal, 'invalid-length connection: completed');
                  done();
                },
              });
            });
          }
        } finally {
          await srv.close();
          expect(srv.feederErrors, 'fuzz generator errors').to.deep.equal([]);
        }
      }
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }

    const elapsed = Date.now() - t0;
    phaseMs.push(elapsed - phaseMs[0]! - phaseMs[1]!);
    const heapAfter = heapAfterGc(gc);
    const totalProtocolErrors = [...tally.protocolErrors.values()].reduce((a, b) => a + b, 0);
    const totalReplies = [...tally.replies.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        `      fuzz: seed ${SEED}, ${tally.frames} frames fed (${counts.connect} connect(), ${counts.stream} stream, ${counts.invalid} ending in a bad length) in ${(elapsed / 1000).toFixed(1)} s (phases ${phaseMs.map((m) => (m / 1000).toFixed(1)).join(' / ')} s)`,
        `      mutations: ${JSON.stringify(sorted(tally.byMutation))}`,
        `      decoded replies: ${totalReplies} ${JSON.stringify(sorted(tally.replies))}`,
        `      stream readings delivered: ${tally.readings}`,
        `      protocol errors (non-fatal, reported): ${totalProtocolErrors} ${JSON.stringify(sorted(tally.protocolErrors))}`,
        `      connection/stream endings: ${JSON.stringify(sorted(tally.fatal))}`,
        `      heap after GC: ${mb(heapBefore)} after warm-up, ${mb(heapMid)} after phase A, ${mb(heapAfter)} at the end`,
      ].join('\n'),
    );

    expect(uncaught, 'uncaught exceptions / unhandled rejections').to.deep.equal([]);
    expect(tally.untyped, 'untyped errors reaching a subscriber').to.deep.equal([]);
    expect(tally.badValues.slice(0, 5), 'malformed values emitted').to.deep.equal([]);
    expect(tally.frames).to.equal(TOTAL);
    expect(totalProtocolErrors + totalReplies).to.be.greaterThan(TOTAL * 0.8);
    expect(elapsed, 'whole fuzz duration').to.be.lessThan(60_000);
    // heap flat: what phases B and C leave is within a few MB of the warm-up figure
    expect(heapAfter - heapBefore, 'heap growth after GC').to.be.lessThan(8 * 1048576);
  });
});
