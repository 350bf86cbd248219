import { expect } from 'chai';
import fc from 'fast-check';
import { FrameSplitter } from '../../lib/protocol/frame-splitter.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import { fromHex, loadVectors, toHex, type MessageVector } from './vectors.js';

/** Pushes `bytes` split at `cuts` and returns the frames (hex) and the error, if any. */
function run(bytes: Uint8Array, cuts: number[], opts?: ConstructorParameters<typeof FrameSplitter>[1]) {
  const frames: string[] = [];
  const s = new FrameSplitter((f) => frames.push(toHex(f)), opts);
  let error: unknown;
  try {
    let prev = 0;
    for (const c of [...cuts, bytes.length]) {
      s.push(bytes.subarray(prev, c));
      prev = c;
    }
    s.end();
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

const everyByte = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('protocol/frame-splitter', () => {
  describe('dpm-messages.json framed entries split exactly', () => {
    for (const v of loadVectors<MessageVector>('dpm-messages.json')) {
      if (v.type !== 'frames') continue;
      const bytes = fromHex(v.hex);
      const expected = v.frames!.map((f) => f.hex);
      it(`${v.name} (one chunk)`, () => {
        expect(run(bytes, [])).to.deep.equal({ frames: expected, error: undefined });
      });
      it(`${v.name} (1-byte chunks)`, () => {
        expect(run(bytes, everyByte(bytes.length).slice(1))).to.deep.equal({ frames: expected, error: undefined });
      });
    }
  });

  it('hands out zero-copy views for frames inside one chunk', () => {
    const chunk = fromHex('0000000101' + '000000020203');
    const got: Uint8Array[] = [];
    new FrameSplitter((f) => got.push(f)).push(chunk);
    expect(got.map(toHex)).to.deep.equal(['01', '0203']);
    expect(got[0]!.buffer).to.equal(chunk.buffer);
    expect(got[1]!.byteOffset).to.equal(chunk.byteOffset + 9);
  });

  it('rejects length 0 and lengths above the limit (fatal, sticky)', () => {
    const r = run(fromHex('00000000'), []);
    expect((r.error as ProtocolError).category).to.equal('bad_frame_length');
    const s = new FrameSplitter(() => {}, { maxFrameLength: 4 });
    s.push(fromHex('0000000401020304'));
    expect(() => s.push(fromHex('00000005'))).to.throw(ProtocolError).with.property('category', 'bad_frame_length');
    expect(() => s.push(fromHex('00'))).to.throw(ProtocolError).with.property('offset', 8);
    expect(() => s.end()).to.throw(ProtocolError).with.property('category', 'bad_frame_length');
  });

  it('accepts exactly the limit (1 MiB by default)', () => {
    const r = run(fromHex('00100000'), []);
    expect((r.error as ProtocolError).category).to.equal('truncated'); // not bad_frame_length
    const r2 = run(fromHex('00100001'), []);
    expect((r2.error as ProtocolError).category).to.equal('bad_frame_length');
  });

  it('end() inside a prefix or a body is truncated; between frames is clean', () => {
    expect((run(fromHex('000000'), []).error as ProtocolError).category).to.equal('truncated');
    expect((run(fromHex('0000000201'), []).error as ProtocolError).category).to.equal('truncated');
    expect(run(fromHex('000000020102'), [3]).error).to.equal(undefined);
    expect(run(new Uint8Array(0), []).error).to.equal(undefined);
  });

  describe('HTTP refusal (detectHttp)', () => {
    const resp = 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
    const bytes = new TextEncoder().encode(resp);
    for (const [name, cuts] of [
      ['one chunk', []],
      ['1-byte chunks', everyByte(bytes.length).slice(1)],
      ['cut inside HTTP', [2]],
    ] as const) {
      it(`reports the status line (${name})`, () => {
        const r = run(bytes, [...cuts], { detectHttp: true });
        expect(r.error).to.be.instanceOf(ProtocolError);
        expect((r.error as ProtocolError).category).to.equal('http_error');
        expect((r.error as ProtocolError).statusLine).to.equal('HTTP/1.1 404 Not Found');
        expect(r.frames).to.deep.equal([]);
      });
    }
    it('reports on end() when the peer closes before CRLFCRLF', () => {
      const s = new FrameSplitter(() => {}, { detectHttp: true });
      s.push(new TextEncoder().encode('HTTP/1.0 500 Oops\r\nX: y'));
      expect(() => s.end()).to.throw(ProtocolError).with.property('statusLine', 'HTTP/1.0 500 Oops');
    });
    it('gives up after 4096 bytes', () => {
      const s = new FrameSplitter(() => {}, { detectHttp: true });
      s.push(new TextEncoder().encode('HTTP/1.1 400 Bad\r\n'));
      expect(() => s.push(new Uint8Array(5000).fill(0x41))).to.throw(ProtocolError).with.property('category', 'http_error');
    });
    it('only the first 4 bytes are checked', () => {
      const http = new TextEncoder().encode('HTTP');
      const r = run(new Uint8Array([0, 0, 0, 4, ...http, 0x48, 0x54, 0x54, 0x50]), [], { detectHttp: true });
      expect(r.frames).to.deep.equal(['48545450']);
      expect((r.error as ProtocolError).category).to.equal('bad_frame_length');
    });
    it('without detectHttp, HTTP is just a too-large length', () => {
      expect((run(bytes, []).error as ProtocolError).category).to.equal('bad_frame_length');
    });
  });

  it('a 1 MiB frame pushed 1 byte at a time completes', function () {
    this.timeout(20000);
    const len = 1048576;
    const bytes = new Uint8Array(4 + len);
    bytes[1] = 0x10; // length 0x00100000
    for (let i = 4; i < bytes.length; i++) bytes[i] = i & 0xff;
    let got: Uint8Array | undefined;
    const s = new FrameSplitter((f) => (got = f));
    for (let i = 0; i < bytes.length; i++) s.push(bytes.subarray(i, i + 1));
    s.end();
    expect(got!.length).to.equal(len);
    expect(Buffer.compare(got!, bytes.subarray(4))).to.equal(0);
  });

  it('property: any chunking gives the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (bodies, rawCuts) => {
          const total = bodies.reduce((a, b) => a + 4 + b.length, 0);
          const bytes = new Uint8Array(total);
          let p = 0;
          for (const b of bodies) {
            new DataView(bytes.buffer).setUint32(p, b.length);
            bytes.set(b, p + 4);
            p += 4 + b.length;
          }
          const cuts = [...new Set(rawCuts.map((c) => (total === 0 ? 0 : c % (total + 1))))].sort((a, b) => a - b);
          const r = run(bytes, cuts);
          expect(r.error).to.equal(undefined);
          expect(r.frames).to.deep.equal(bodies.map(toHex));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: arbitrary bytes in arbitrary chunks only give frames or a ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (bytes, rawCuts, http) => {
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const r = run(bytes, cuts, { detectHttp: http, maxFrameLength: 64 });
        if (r.error !== undefined) expect(r.error).to.be.instanceOf(ProtocolError);
      }),
      { numRuns: 500 },
    );
  });
});
