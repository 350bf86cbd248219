/**
 * Simulator request-side fuzz: one `startSimulator({ port: 0 })` receives garbage and
 * malformed handshakes and ~20 000 random and mutated request frames over many
 * connections, while a well-behaved client streams `M:OUTTMP@p,100` on its own
 * connection. Asserts: no uncaught exception / unhandled rejection, the well-behaved
 * stream never stalls, an undecodable request frame closes its connection without a
 * reply (`dpm-behaviour.md` §11 item 9), every hostile connection ends (no wedge), a
 * fresh read works afterwards, heap flat after GC, and `close()` leaves no handles.
 * Prints the figures.
 *
 * Seed: SIM_FUZZ_SEED (default 11). Frames: SIM_FUZZ_FRAMES (default 20 000).
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeRequest, encodeRequest, HANDSHAKE_REQUEST, type EncodableRequest } from '../../lib/protocol/index.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { MAX_SERVER_FRAME } from '../../lib/sim/connection.js';
import { frame, mutatedBody, Rng } from '../support/hostile-server.js';
import { activeResources, waitForNoLeaks } from '../support/leaks.js';
import { RawDpmClient } from '../support/raw-client.js';
import { until } from '../support/until.js';
import { addAndStart, readOnce } from '../support/sim-harness.js';

const SEED = Number(process.env['SIM_FUZZ_SEED'] ?? 11);
const TOTAL = Number(process.env['SIM_FUZZ_FRAMES'] ?? 20_000);
const WORKERS = 24;
/** Most decodable frames sent on one connection before the client closes it itself. */
const MAX_DECODABLE_PER_CONN = 40;
const HEADER = Uint8Array.from([0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70, 0x3a]);

/** `global.gc` when node runs with --expose-gc, else the same function obtained through V8 flags. */
function getGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) return g;
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

function fmt(m: ReadonlyMap<string, number>): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

// ---------------------------------------------------------------------------
// Raw sockets (handshake phase)
// ---------------------------------------------------------------------------

interface RawSock {
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): Buffer;
  /** True once the server ended or reset its side before we did. */
  readonly serverClosed: boolean;
  readonly closed: Promise<void>;
}

async function rawSock(port: number): Promise<RawSock> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  const chunks: Buffer[] = [];
  let weEnded = false;
  let serverClosed = false;
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  socket.on('end', () => {
    if (!weEnded) serverClosed = true;
  });
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      if (!weEnded) serverClosed = true;
      resolve();
    }),
  );
  const origEnd = socket.end.bind(socket);
  const origDestroy = socket.destroy.bind(socket);
  socket.end = ((...args: Parameters<Socket['end']>) => {
    weEnded = true;
    return origEnd(...args);
  }) as Socket['end'];
  socket.destroy = ((e?: Error) => {
    weEnded = true;
    return origDestroy(e);
  }) as Socket['destroy'];
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => Buffer.concat(chunks),
    get serverClosed() {
      return serverClosed;
    },
    closed,
  };
}

async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let t: NodeJS.Timeout | undefined;
  const r = await Promise.race([p.then(() => true), new Promise<boolean>((res) => (t = setTimeout(() => res(false), ms)))]);
  clearTimeout(t);
  return r;
}

interface HandshakeCase {
  readonly kind: string;
  readonly bytes: Uint8Array;
  /** Expected first line of the answer, or 'silent' (nothing sent, server closes after our FIN). */
  readonly expect: string;
  /** Half-close after writing (an incomplete handshake). */
  readonly endAfter: boolean;
}

const VALID_HS = Buffer.from(HANDSHAKE_REQUEST);
const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function handshakeCase(rng: Rng): HandshakeCase {
  const s400 = 'HTTP/1.1 400 Bad Request';
  switch (rng.int(14)) {
    case 0: {
      // random bytes then an empty line: a malformed request line
      const b = Buffer.concat([Buffer.from(rng.bytes(1 + rng.int(2000))).map((x) => (x === 0x0d ? 0x20 : x)), Buffer.from('\r\n\r\n')]);
      return { kind: 'random+crlfcrlf', bytes: b, expect: s400, endAfter: false };
    }
    case 1:
      return { kind: 'random-then-fin', bytes: Buffer.from(rng.bytes(1 + rng.int(4000))).map((x) => (x === 0x0d ? 0x20 : x)), expect: 'any', endAfter: true };
    case 2:
      return { kind: 'partial-line', bytes: VALID_HS.subarray(0, 1 + rng.int(VALID_HS.length - 2)), expect: 'silent', endAfter: true };
    case 3:
      return { kind: 'long-request-line', bytes: latin1(`GET /${'a'.repeat(9000 + rng.int(200_000))} HTTP/1.1\r\n\r\n`), expect: s400, endAfter: false };
    case 4:
      return {
        kind: 'long-header',
        bytes: latin1(`GET /dpm HTTP/1.1\r\nX-Junk: ${'b'.repeat(9000 + rng.int(50_000))}\r\n\r\n`),
        expect: s400,
        endAfter: false,
      };
    case 5:
      return { kind: 'wrong-path', bytes: latin1(`GET /${rng.pick(['', 'dpm2', 'DPM', 'dpm/', 'x'.repeat(50)])} HTTP/1.1\r\nContent-Type: application/pc\r\n\r\n`), expect: 'HTTP/1.1 404 Not Found', endAfter: false };
    case 6:
      return {
        kind: 'wrong-content-type',
        bytes: latin1(`GET /dpm HTTP/1.1\r\nContent-Type: ${rng.pick(['text/plain', 'application/json', 'application/PC', '', 'application/pc; x=1'])}\r\n\r\n`),
        expect: s400,
        endAfter: false,
      };
    case 7:
      return { kind: 'wrong-method', bytes: latin1(`${rng.pick(['POST', 'get', 'PUT', 'GETT'])} /dpm HTTP/1.1\r\n\r\n`), expect: s400, endAfter: false };
    case 8:
      return { kind: 'wrong-protocol', bytes: latin1(`GET /dpm ${rng.pick(['HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'FOO'])}\r\n\r\n`), expect: s400, endAfter: false };
    case 9:
      return { kind: 'no-crlfcrlf-then-fin', bytes: latin1('GET /dpm HTTP/1.1\r\nContent-Type: application/pc\r\n'), expect: 'silent', endAfter: true };
    case 10:
      return { kind: 'lf-only-then-fin', bytes: latin1('GET /dpm HTTP/1.1\nContent-Type: application/pc\n\n'), expect: 'silent', endAfter: true };
    case 11:
      return { kind: 'bare-empty-line', bytes: latin1('\r\n\r\n'), expect: s400, endAfter: false };
    case 12:
      return { kind: 'malformed-header', bytes: latin1(`GET /dpm HTTP/1.1\r\n${rng.pick(['NoColon', ': v', 'A:b', '\0\0'])}\r\n\r\n`), expect: s400, endAfter: false };
    default:
      return { kind: 'nul-bytes-then-fin', bytes: new Uint8Array(1 + rng.int(8000)), expect: 'any', endAfter: true };
  }
}

// ---------------------------------------------------------------------------
// Request corpus
// ---------------------------------------------------------------------------

const HOSTILE_DRFS = [
  '',
  ' ',
  'M:OUTTMP',
  'M:OUTTMP@p,0',
  'M:OUTTMP@p,1',
  'M:OUTTMP@q,0',
  'M:OUTTMP@p,-5',
  'M:OUTTMP@p,99999999999999999999999',
  'M:OUTTMP@e,ff',
  'M:OUTTMP@e,02,e,0',
  'M:OUTTMP@e,',
  'M:OUTTMP@s,M:OUTTMP,0,=,1',
  'M:OUTTMP@I',
  'M:OUTTMP@N',
  'M:OUTTMP@U',
  'M:OUTTMP[0:2147483647]',
  'M:OUTTMP[-1:]',
  'M:OUTTMP[99999999999999999999]',
  'M:OUTTMP[:]',
  'M:OUTTMP.RAW[0:65535]@I',
  'M:OUTTMP<-LOGGER:0:9999999999999',
  'M:OUTTMP<-LOGGER:1:0',
  'M:OUTTMP<-LOGGERDURATION:99999999999',
  'M:OUTTMP<-LOGGERSINGLE:0:0',
  'M:OUTTMP@I<-LOGGER:0:1',
  'M:OUTTMP<-FTP',
  'M:OUTTMP<-SRFILE:x',
  'M:OUTTMP<-',
  'M:OUTTMP<-<-<-',
  '#ROLE:testing',
  '#:',
  '#ROLE:',
  `#${'A'.repeat(1000)}:B`,
  `M:OUTTMP.${'X'.repeat(10_000)}`,
  'Z:ACLTST.SETTING@N',
  'Z:ACLTST.SETTING[0:1]@I',
  'G:AMANDA.STATUS@I',
  'M:OUTTMP.ANALOG.ALARM@I',
  'M:OUTTMP.DIGITAL.ALARM.NOM@I',
  'M:OUTTMP\u0000',
  'M\u0000:OUTTMP',
  '\u{1F600}'.repeat(1000),
  'M:OUTTMP'.repeat(2000),
  `Z:${'Z'.repeat(60_000)}`,
  '0:0',
  ':',
  '@',
  '[',
  '.',
  'M:OUTTMP@p,100,true',
  'M:OUTTMP@E,0F,H,1000',
  'M|OUTTMP',
  'M_OUTTMP',
  'm:outtmp@p,1000',
  '\uFFFD\uFFFE\uFFFF',
];

function randomString(rng: Rng, max: number): string {
  const n = rng.int(max);
  let s = '';
  const alphabet = 'M:OUTTMP@pPeEqQsSiInNuU,.[]<->:0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ#_ \u00e9\u4e2d\u{1F600}';
  const chars = [...alphabet];
  for (let i = 0; i < n; i++) s += rng.int(8) === 0 ? String.fromCharCode(rng.int(0xd800)) : rng.pick(chars);
  return s;
}

function randomRef(rng: Rng): number | bigint {
  switch (rng.int(6)) {
    case 0:
      return rng.pick([0, -1, 2 ** 31 - 1, -(2 ** 31), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
    case 1:
      return rng.pick([2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n]);
    default:
      return 1 + rng.int(8);
  }
}

function randomDoubles(rng: Rng): number[] {
  const n = rng.int(4) === 0 ? rng.int(5000) : rng.int(8);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick([NaN, Infinity, -Infinity, -0, 1e308, -1e-308, rng.next() * 200 - 100, 72.5]));
  return out;
}

/** A decodable but hostile request (a valid encoding with nasty contents). */
function hostileRequest(rng: Rng, listId: number): EncodableRequest {
  const lid = rng.int(4) === 0 ? rng.int(2 ** 31) - 2 ** 30 : listId;
  switch (rng.int(12)) {
    case 0:
    case 1:
    case 2:
      return { type: 'AddToList_request', list_id: lid, ref_id: randomRef(rng), drf_request: rng.pick(HOSTILE_DRFS) };
    case 3:
      return { type: 'AddToList_request', list_id: lid, ref_id: randomRef(rng), drf_request: randomString(rng, 200) };
    case 4:
      return rng.int(2) === 0
        ? { type: 'StartList_request', list_id: lid }
        : { type: 'StartList_request', list_id: lid, model: rng.pick(['', 'LOGGER:0:9999999999999', 'SRFILE:x', 'LIVEDATA', 'garbage<-', randomString(rng, 40)]) };
    case 5: {
      const m: EncodableRequest = { type: 'ApplySettings_request', user_name: randomString(rng, 30), list_id: lid };
      if (rng.int(2) === 0) m.raw_array = Array.from({ length: rng.int(6) }, () => ({ ref_id: randomRef(rng), data: rng.bytes(rng.int(3) === 0 ? rng.int(20_000) : rng.int(16)) }));
      if (rng.int(2) === 0) m.scaled_array = Array.from({ length: rng.int(6) }, () => ({ ref_id: randomRef(rng), data: randomDoubles(rng) }));
      if (rng.int(2) === 0) m.text_array = Array.from({ length: rng.int(6) }, () => ({ ref_id: randomRef(rng), data: Array.from({ length: rng.int(4) }, () => randomString(rng, 100)) }));
      return m;
    }
    case 6:
      return { type: 'Authenticate_request', list_id: lid, token: rng.bytes(rng.int(3) === 0 ? 0 : rng.int(4000)) };
    case 7:
      return { type: 'EnableSettings_request', list_id: lid, MIC: rng.bytes(rng.int(64)), message: rng.bytes(rng.int(256)) };
    case 8:
      return { type: 'RemoveFromList_request', list_id: lid, ref_id: randomRef(rng) };
    case 9:
      return rng.int(2) === 0 ? { type: 'ClearList_request', list_id: lid } : { type: 'StopList_request', list_id: lid };
    case 10:
      return rng.int(2) === 0 ? { type: 'ServiceDiscovery_request' } : { type: 'OpenList_request', location: randomString(rng, 20) };
    default:
      return { type: 'AddToList_request', list_id: lid, ref_id: randomRef(rng), drf_request: rng.pick(['M:OUTTMP@p,1', 'M:OUTTMP<-LOGGER:0:9999999999999', 'G:AMANDA@p,1']) };
  }
}

/** Valid encodings of every request type (the mutation corpus). */
function requestCorpus(listId: number): Uint8Array[] {
  const msgs: EncodableRequest[] = [
    { type: 'ServiceDiscovery_request' },
    { type: 'OpenList_request' },
    { type: 'OpenList_request', location: 'DPM01' },
    { type: 'AddToList_request', list_id: listId, ref_id: 1, drf_request: 'M:OUTTMP@p,1000' },
    { type: 'AddToList_request', list_id: listId, ref_id: 2, drf_request: 'Z:ACLTST.SETTING@I' },
    { type: 'Authenticate_request', list_id: listId, token: new Uint8Array(0) },
    { type: 'Authenticate_request', list_id: listId, token: Uint8Array.from([1, 2, 3, 4]) },
    { type: 'EnableSettings_request', list_id: listId, MIC: Uint8Array.from([5, 6]), message: Uint8Array.from([7, 8, 9]) },
    { type: 'RemoveFromList_request', list_id: listId, ref_id: 1 },
    { type: 'StartList_request', list_id: listId },
    { type: 'StartList_request', list_id: listId, model: 'LOGGER:0:1' },
    { type: 'ClearList_request', list_id: listId },
    { type: 'StopList_request', list_id: listId },
    {
      type: 'ApplySettings_request',
      user_name: 'fuzz',
      list_id: listId,
      raw_array: [{ ref_id: 2, data: Uint8Array.from([0, 1]) }],
      scaled_array: [{ ref_id: 2, data: [1.5, 2.5] }],
      text_array: [{ ref_id: 3, data: ['x', 'yz'] }],
    },
  ];
  return msgs.map((m) => encodeRequest(m));
}

/** One generated frame: its wire bytes, the generator kind, and whether the codec decodes it. */
interface GenFrame {
  readonly bytes: Uint8Array;
  readonly kind: string;
  readonly decodable: boolean;
  /** A bad length prefix (0 or over 128 KiB): the splitter refuses it. */
  readonly badLength: boolean;
}

function decodes(body: Uint8Array): boolean {
  try {
    decodeRequest(body);
    return true;
  } catch {
    return false;
  }
}

function withBody(kind: string, body: Uint8Array): GenFrame {
  return { bytes: frame(body), kind, decodable: decodes(body), badLength: false };
}

function genFrame(rng: Rng, corpus: readonly Uint8Array[], listId: number): GenFrame {
  const r = rng.int(100);
  if (r < 45) {
    const m = mutatedBody(rng, corpus);
    return withBody(m.kind, m.body);
  }
  if (r < 70) return withBody('hostile-valid', encodeRequest(hostileRequest(rng, listId)));
  if (r < 76) {
    // unknown message id: header, a random int16 id, then the fields of a valid message
    const base = rng.pick(corpus);
    const idLen = base[11]! & 0x0f;
    const rest = base.subarray(12 + idLen);
    const b = new Uint8Array(HEADER.length + 3 + rest.length);
    b.set(HEADER);
    b.set([0x12, rng.int(256), rng.int(256)], HEADER.length);
    b.set(rest, HEADER.length + 3);
    return withBody('unknown-message-id', b);
  }
  if (r < 82) {
    // bad UTF-8 in the DRF string (same byte length, so the string length field stays right)
    const body = Buffer.from(encodeRequest({ type: 'AddToList_request', list_id: listId, ref_id: 1, drf_request: 'M:OUTTMP@p,1000' }));
    const at = body.indexOf('M:OUTTMP');
    const bad = rng.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80], [0xc0, 0xaf]]);
    body.set(bad, at + rng.int(8 - bad.length + 1));
    return withBody('bad-utf8', body);
  }
  if (r < 88) {
    // huge count / length: four 0xff-ish bytes somewhere after the header
    const b = Uint8Array.from(rng.pick(corpus));
    const at = HEADER.length + rng.int(Math.max(1, b.length - HEADER.length - 3));
    b.set(rng.pick([[0x7f, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff], [0x80, 0, 0, 0], [0, 0x10, 0, 0]]).slice(0, b.length - at), at);
    return withBody('huge-count', b);
  }
  if (r < 92) {
    // wrong field ids: rewrite a byte that follows a field tag with a random id
    const b = Uint8Array.from(rng.pick(corpus));
    for (let i = 0; i < 1 + rng.int(3); i++) b[HEADER.length + 3 + rng.int(Math.max(1, b.length - HEADER.length - 3))] = rng.int(256);
    return withBody('wrong-field-id', b);
  }
  if (r < 94) {
    const body = rng.bytes(1 + rng.int(64));
    return { bytes: frame(body, 0), kind: 'length-0', decodable: false, badLength: true };
  }
  if (r < 96) {
    // a length over 128 KiB: sometimes just the prefix, sometimes with the body behind it
    const len = MAX_SERVER_FRAME + 1 + rng.int(4 * MAX_SERVER_FRAME);
    const body = rng.int(2) === 0 ? rng.bytes(16) : new Uint8Array(Math.min(len, 200 * 1024));
    return { bytes: frame(body, len), kind: 'length>128KiB', decodable: false, badLength: true };
  }
  if (r < 98) {
    // a length that does not match the body: the rest of the stream is misframed
    const body = rng.pick(corpus);
    const len = Math.max(1, body.length + rng.pick([-5, -1, 1, 7, 1000]));
    const f = frame(body, len);
    return { bytes: f, kind: 'length-mismatch', decodable: len === body.length && decodes(body), badLength: false };
  }
  return withBody('random', rng.bytes(1 + rng.int(300)));
}

// ---------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------

describe('simulator request-side fuzz', function () {
  this.timeout(60_000);

  it('survives garbage handshakes and ~20 000 hostile request frames; others keep streaming; no leak', async () => {
    const started = Date.now();
    const gc = getGc();
    const rng = new Rng(SEED);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const resourcesBefore = activeResources();
    let sim: SimulatorHandle | undefined;
    let good: RawDpmClient | undefined;
    const clients = new Set<RawDpmClient>();
    const raws = new Set<Socket>();
    const intervals: NodeJS.Timeout[] = [];

    const hsOutcomes = new Map<string, number>();
    const hsFailures: string[] = [];
    const frameKinds = new Map<string, number>();
    const closeReasons = new Map<string, number>();
    const replyTypes = new Map<string, number>();
    const violations: string[] = [];
    let framesSent = 0;
    let decodableSent = 0;
    let fuzzConnections = 0;
    let silentChecked = 0;
    let slowlorisClosed = 0;
    let heapBefore = 0;
    let heapAfter = 0;
    let maxGap = 0;
    let goodScalars = 0;
    const gapsDuringFuzz: number[] = [];
    try {
      sim = await startSimulator({ port: 0 });
      let phase = 'start';
      if (process.env['SIM_FUZZ_DEBUG'] !== undefined) {
        const s0 = sim;
        intervals.push(setInterval(() => console.error(`[${phase}] frames ${framesSent} conns ${fuzzConnections} open ${s0.connections} ends ${fmt(closeReasons)} hs ${[...hsOutcomes.values()].reduce((a, b) => a + b, 0)}`), 1000));
      }
      const port = sim.port;

      // --- the well-behaved client -------------------------------------------------
      good = await RawDpmClient.connect(port);
      let lastData = 0;
      let measuring = false;
      good.socket.on('data', () => {
        const now = Date.now();
        if (measuring && lastData > 0) {
          const gap = now - lastData;
          gapsDuringFuzz.push(gap);
          if (gap > maxGap) maxGap = gap;
        }
        lastData = now;
      });
      addAndStart(good, [[1, 'M:OUTTMP@p,100']]);
      await good.collect((m) => m.type === 'Scalar_reply', 3, 3000);

      // --- slowloris: valid handshake minus its last byte, one byte every 100 ms ----
      const slowloris = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const s = await rawSock(port);
          raws.add(s.socket);
          let i = 0;
          const t = setInterval(() => {
            if (s.socket.destroyed || i >= VALID_HS.length - 1) return;
            s.socket.write(VALID_HS.subarray(i, i + 1));
            i++;
          }, 100);
          intervals.push(t);
          return { s, t, startedAt: Date.now() };
        }),
      );

      // --- warm-up, then heap baseline ------------------------------------------------
      const corpus = requestCorpus(4096);
      const runFuzz = async (frames: number): Promise<void> => {
        let budget = frames;
        const worker = async (): Promise<void> => {
          while (budget > 0) {
            const batch: GenFrame[] = [];
            for (;;) {
              const f = genFrame(rng, corpus, 4096);
              batch.push(f);
              if (!f.decodable || batch.length >= MAX_DECODABLE_PER_CONN || rng.int(30) === 0) break;
            }
            budget -= batch.length;
            await fuzzConnection(port, batch);
          }
        };
        await Promise.all(Array.from({ length: WORKERS }, () => worker()));
      };

      const fuzzConnection = async (port: number, batch: readonly GenFrame[]): Promise<void> => {
        const c = await RawDpmClient.connect(port);
        clients.add(c);
        fuzzConnections++;
        c.mark();
        const last = batch[batch.length - 1]!;
        const endsBad = !last.decodable;
        for (const f of batch) bump(frameKinds, f.kind);
        framesSent += batch.length;
        decodableSent += batch.filter((f) => f.decodable).length;
        const onlyBad = batch.length === 1 && endsBad;
        c.sendRaw(Buffer.concat(batch.map((f) => f.bytes)));
        if (last.kind === 'length-mismatch' && !last.decodable) {
          // misframed: the server may rightly wait for the rest of a frame; after our FIN it must close
          c.socket.end();
          if (await within(c.closed, 5000)) bump(closeReasons, 'server: closed after client FIN (misframed stream)');
          else {
            violations.push(`connection not closed 5 s after a FIN on a misframed stream (${batch.length} frames)`);
            bump(closeReasons, 'NOT CLOSED after FIN (wedge)');
          }
        } else if (endsBad) {
          const closedInTime = await within(c.closed, 5000);
          if (!closedInTime) {
            violations.push(`connection not closed 5 s after an undecodable frame (${last.kind}; ${batch.length} frames)`);
            bump(closeReasons, `NOT CLOSED (wedge) after ${last.kind}`);
          } else {
            bump(closeReasons, last.badLength ? 'server: bad frame length' : 'server: undecodable frame');
          }
          if (onlyBad) {
            silentChecked++;
            const after = c.since();
            if (after.length > 0 || c.decodeErrors.length > 0 || c.framingError !== undefined) {
              violations.push(`reply to an undecodable frame (${last.kind}): ${after.map((m) => m.type).join(', ')} ${c.framingError?.message ?? ''}`);
            }
          }
        } else {
          // all decodable: the connection must stay open and usable. A round trip behind the batch
          // (its reply comes after the server processed every frame of it) shows both.
          let answered = true;
          await Promise.race([c.barrier(5000).catch(() => (answered = false)), c.closed]);
          if (!c.isClosed && !answered) violations.push(`no answer to a request after decodable-only frames (${batch.map((f) => f.kind).join(', ')})`);
          if (c.isClosed) {
            bump(closeReasons, 'server: closed a decodable-only connection');
            violations.push(`the server closed a connection that sent only decodable requests (${batch.map((f) => f.kind).join(', ')})`);
          }
          else bump(closeReasons, 'client closed (all frames decodable)');
          c.close();
          await c.closed;
        }
        for (const m of c.since()) bump(replyTypes, m.type);
        c.close();
        clients.delete(c);
      };

      // --- handshake garbage on many connections -------------------------------------
      const hsOne = async (): Promise<void> => {
        const hc = handshakeCase(rng);
        const s = await rawSock(port);
        raws.add(s.socket);
        s.socket.write(hc.bytes);
        if (hc.endAfter) s.socket.end();
        const t0 = Date.now();
        const ok = await within(s.closed, 3000);
        if (process.env['SIM_FUZZ_DEBUG'] !== undefined && Date.now() - t0 > 500) console.error(`slow handshake case ${hc.kind}: ${Date.now() - t0} ms`);
        const got = s.received();
        const line = got.subarray(0, Math.max(0, got.indexOf('\r\n'))).toString('latin1');
        const outcome = !ok ? 'NOT CLOSED' : got.length === 0 ? 'closed silently' : line || `${got.length} bytes`;
        bump(hsOutcomes, `${hc.kind} → ${outcome}`);
        if (!ok) hsFailures.push(`${hc.kind}: not closed within 3 s`);
        else if (hc.expect === 'silent' && got.length > 0) hsFailures.push(`${hc.kind}: expected silence, got ${JSON.stringify(line)}`);
        else if (hc.expect !== 'silent' && hc.expect !== 'any' && line !== hc.expect) hsFailures.push(`${hc.kind}: expected ${hc.expect}, got ${JSON.stringify(line)}`);
        if (!hc.endAfter && !s.serverClosed) hsFailures.push(`${hc.kind}: the server did not close`);
        s.socket.destroy();
        raws.delete(s.socket);
      };
      const hsWorkers = Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 40; i++) await hsOne();
      });
      phase = 'handshakes';
      await Promise.all(hsWorkers);
      phase = 'fuzz';

      await runFuzz(1000); // warm-up (JIT, pools)
      heapBefore = heapAfterGc(gc);
      measuring = true;
      await runFuzz(TOTAL - 1000);
      measuring = false;

      // --- slowloris connections: cut by the handshake timeout (5 s) ------------------
      for (const { s, t, startedAt } of slowloris) {
        const ok = await within(s.closed, Math.max(0, startedAt + 7000 - Date.now()));
        clearInterval(t);
        if (ok && s.received().length === 0) slowlorisClosed++;
        else violations.push(`slowloris connection ${ok ? 'got an answer' : 'still open after 7 s'}`);
        s.socket.destroy();
        raws.delete(s.socket);
      }

      // --- the well-behaved stream kept going; a fresh read works ----------------------
      goodScalars = good.replies.filter((m) => m.type === 'Scalar_reply').length;
      expect(good.isClosed, 'well-behaved client closed').to.equal(false);
      const fresh = await RawDpmClient.connect(port);
      clients.add(fresh);
      const r = await readOnce(fresh, 7, 'M:OUTTMP@I');
      expect(r.type).to.equal('Scalar_reply');
      fresh.close();
      await fresh.closed;
      clients.delete(fresh);

      // every hostile connection is gone: only the well-behaved one is left
      await until(() => sim!.connections <= 1, { timeout: 5000, what: `the simulator to close every hostile connection (${sim.connections} open)` }).catch(() => undefined);
      expect(sim.connections, 'connections still open on the simulator').to.equal(1);
      good.close();
      await good.closed;
      heapAfter = heapAfterGc(gc);
    } finally {
      for (const c of clients) c.close();
      for (const s of raws) s.destroy();
      for (const t of intervals) clearInterval(t);
      good?.close();
      await sim?.close();
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    // mocha arms this test's own timeout timer only after the test function returned its promise
    const left = await waitForNoLeaks([...resourcesBefore, 'Timeout'], 3000);

    const sorted = [...gapsDuringFuzz].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    console.log(
      [
        `      seed ${SEED}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `      handshakes: ${[...hsOutcomes.values()].reduce((a, b) => a + b, 0)} connections — ${fmt(hsOutcomes)}`,
        `      slowloris: ${slowlorisClosed}/6 cut by the handshake timeout, nothing sent`,
        `      request frames sent: ${framesSent} (${decodableSent} decodable) on ${fuzzConnections} connections`,
        `      frame kinds: ${fmt(frameKinds)}`,
        `      connection ends: ${fmt(closeReasons)}`,
        `      undecodable-only connections checked for silence: ${silentChecked}`,
        `      replies to hostile clients: ${fmt(replyTypes)}`,
        `      well-behaved stream: ${goodScalars} Scalar_reply; data gap during fuzz max ${maxGap} ms, p99 ${p99} ms`,
        `      heap after GC: ${mb(heapBefore)} after warm-up, ${mb(heapAfter)} at the end`,
      ].join('\n'),
    );
    expect(uncaught, 'uncaught exceptions / unhandled rejections').to.deep.equal([]);
    expect(hsFailures, 'handshake outcomes').to.deep.equal([]);
    expect(violations, 'request-side violations').to.deep.equal([]);
    expect(left, 'handles left after sim.close()').to.deep.equal([]);
    expect(maxGap, 'longest pause of the well-behaved stream (ms)').to.be.lessThan(1500);
    expect(heapAfter - heapBefore, 'heap growth after GC').to.be.lessThan(16 * 1048576);
  });
});
