// DPM wire codec benchmarks (lib/protocol). Prints `name value unit` lines:
//   scalar_reply_decode        decodeReply of one 53-byte Scalar_reply body     (msgs/s)
//   scalar_array_1024_decode   decodeReply of a ScalarArray_reply, 1024 doubles (MB/s of wire bytes)
//   add_to_list_request_encode encodeRequest of an AddToList_request            (msgs/s)
//   framing_64k_chunks         FrameSplitter over a reply stream cut into 64 KiB chunks (MB/s)
//                              stream: frames of a realistic mix (see `framingStream` below)
// Single-threaded; each case is warmed up, then timed for ~1.5 s.
import { decodeReply, encodeReply, encodeReplyFrame, encodeRequest, FrameSplitter } from '../lib/protocol/index.js';

const WARMUP_MS = 300;
const RUN_MS = 1500;

/** Calls `batch()` repeatedly; returns calls per second. */
function rate(batch: () => void, callsPerBatch: number): number {
  let t0 = performance.now();
  while (performance.now() - t0 < WARMUP_MS) batch();
  let calls = 0;
  t0 = performance.now();
  let t = t0;
  while (t - t0 < RUN_MS) {
    batch();
    calls += callsPerBatch;
    t = performance.now();
  }
  return (calls * 1000) / (t - t0);
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toString() : n.toFixed(1);
}

let sink = 0;

/** A reply stream mixing small and array replies, as a busy list would produce. */
function framingStream(): Uint8Array {
  const parts: Uint8Array[] = [];
  const arr = new Float64Array(1024).map((_, i) => i * 0.5);
  for (let i = 0; i < 64; i++) {
    parts.push(
      encodeReplyFrame({ type: 'ScalarArray_reply', ref_id: i, timestamp: 1700000000123 + i, cycle: 0, status: 0, data: arr }),
    );
    for (let j = 0; j < 16; j++) {
      parts.push(
        encodeReplyFrame({ type: 'Scalar_reply', ref_id: j, timestamp: 1700000000123 + j, cycle: 3, status: 0, data: j * 1.5 }),
      );
    }
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export default async function bench(): Promise<void> {
  // scalar_reply_decode
  {
    const body = encodeReply({ type: 'Scalar_reply', ref_id: 1, timestamp: 1700000000123, cycle: 3, status: 0, data: 72.5 });
    const n = 1000;
    const r = rate(() => {
      for (let i = 0; i < n; i++) {
        const m = decodeReply(body);
        if (m.type === 'Scalar_reply') sink += m.data;
      }
    }, n);
    console.log(`scalar_reply_decode ${fmt(r)} msgs/s`);
  }
  // scalar_array_1024_decode
  {
    const data = new Float64Array(1024).map((_, i) => Math.sin(i) * 1000);
    const body = encodeReply({ type: 'ScalarArray_reply', ref_id: 1, timestamp: 1700000000123, cycle: 3, status: 0, data });
    const n = 20;
    const r = rate(() => {
      for (let i = 0; i < n; i++) {
        const m = decodeReply(body);
        if (m.type === 'ScalarArray_reply') sink += m.data[1023]!;
      }
    }, n);
    console.log(`scalar_array_1024_decode ${fmt((r * body.length) / 1e6)} MB/s`);
  }
  // add_to_list_request_encode
  {
    const n = 1000;
    const r = rate(() => {
      for (let i = 0; i < n; i++) {
        sink += encodeRequest({ type: 'AddToList_request', list_id: 4711, ref_id: i + 1, drf_request: 'M:OUTTMP@p,1000' }).length;
      }
    }, n);
    console.log(`add_to_list_request_encode ${fmt(r)} msgs/s`);
  }
  // framing_64k_chunks
  {
    const stream = framingStream();
    const CHUNK = 65536;
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < stream.length; o += CHUNK) chunks.push(stream.subarray(o, Math.min(stream.length, o + CHUNK)));
    let frames = 0;
    const r = rate(() => {
      const s = new FrameSplitter((f) => {
        frames++;
        sink += f.length;
      });
      for (const c of chunks) s.push(c);
      s.end();
    }, 1);
    console.log(`framing_64k_chunks ${fmt((r * stream.length) / 1e6)} MB/s`);
    if (frames === 0) console.error('no frames');
  }
  if (sink === 0.123456) console.error(sink);
}
