import { expect } from 'chai';
import fc from 'fast-check';
import { decodeReply, decodeRequest } from '../../lib/protocol/decode.js';
import { encodeReply, encodeReplyFrame, encodeReplyFrameInto, encodeRequest } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { EncodableReply, EncodableRequest } from '../../lib/protocol/messages.js';
import { Kind, REPLIES, REQUESTS, type MessageDef } from '../../lib/protocol/schema.js';
import { toHex, toJsonForm } from './vectors.js';

const str = fc.string({ unit: 'binary', maxLength: 40 });
const i64 = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.maxSafeInteger());
const structOf = (data: fc.Arbitrary<unknown>, key: 'data' | 'status') =>
  fc.record({ ref_id: i64, [key]: data } as Record<string, fc.Arbitrary<unknown>>);

function arbOf(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind) {
    case Kind.I16:
      return fc.integer({ min: -32768, max: 32767 });
    case Kind.I32:
      return fc.integer();
    case Kind.I64:
      return i64;
    case Kind.Bool:
      return fc.boolean();
    case Kind.F64:
      return fc.double();
    case Kind.Str:
      return str;
    case Kind.Bin:
      return fc.uint8Array({ maxLength: 300 });
    case Kind.F64Typed:
      return fc.float64Array({ maxLength: 40 });
    case Kind.F64Arr:
      return fc.array(fc.double(), { maxLength: 10 });
    case Kind.I64Arr:
      return fc.array(i64, { maxLength: 10 });
    case Kind.StrArr:
      return fc.array(str, { maxLength: 5 });
    case Kind.RawSettingArr:
      return fc.array(structOf(fc.uint8Array({ maxLength: 20 }), 'data'), { maxLength: 3 });
    case Kind.ScaledSettingArr:
      return fc.array(structOf(fc.array(fc.double(), { maxLength: 4 }), 'data'), { maxLength: 3 });
    case Kind.TextSettingArr:
      return fc.array(structOf(fc.array(str, { maxLength: 3 }), 'data'), { maxLength: 3 });
    case Kind.SettingStatusArr:
      return fc.array(structOf(fc.integer({ min: -32768, max: 32767 }), 'status'), { maxLength: 3 });
  }
}

function arbMessage(def: MessageDef): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = { type: fc.constant(def.type) };
  for (const f of def.fields) model[f.name] = arbOf(f.kind);
  return fc.record(model, { requiredKeys: ['type', ...def.fields.filter((f) => f.required).map((f) => f.name)] });
}

const directions = [
  { name: 'request', defs: REQUESTS, enc: (m: unknown) => encodeRequest(m as EncodableRequest), dec: decodeRequest },
  { name: 'reply', defs: REPLIES, enc: (m: unknown) => encodeReply(m as EncodableReply), dec: decodeReply },
] as const;

/** Runs `fn` and asserts it either returns or throws a ProtocolError. */
function decodesOrProtocolError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  }
}

describe('protocol codec properties', () => {
  for (const d of directions) {
    for (const def of d.defs) {
      it(`${def.type}: decode(encode(m)) equals m, and re-encoding is identical`, () => {
        fc.assert(
          fc.property(arbMessage(def), (m) => {
            const bytes = d.enc(m);
            const back = d.dec(bytes);
            expect(toJsonForm(back)).to.deep.equal(toJsonForm(m));
            expect(toHex(d.enc(back))).to.equal(toHex(bytes));
          }),
          { numRuns: 150 },
        );
      });
    }
  }

  it('encodeReplyFrameInto writes exactly the bytes of encodeReplyFrame, at any offset, and nothing when it does not fit', () => {
    fc.assert(
      fc.property(fc.oneof(...REPLIES.map(arbMessage)), fc.nat(50), (m, at) => {
        const frame = encodeReplyFrame(m as unknown as EncodableReply);
        const buf = new Uint8Array(at + frame.length).fill(0xee);
        expect(encodeReplyFrameInto(m as unknown as EncodableReply, buf, at)).to.equal(at + frame.length);
        expect(toHex(buf.subarray(at))).to.equal(toHex(frame));
        expect(buf.subarray(0, at).every((b) => b === 0xee)).to.equal(true);
        const short = new Uint8Array(at + frame.length - 1).fill(0xee);
        expect(encodeReplyFrameInto(m as unknown as EncodableReply, short, at)).to.equal(-1);
        expect(short.every((b) => b === 0xee)).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it('int64 beyond the safe range: encodes from bigint, decode rejects with value_out_of_range', () => {
    const unsafe = fc.oneof(
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }),
      fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
    );
    fc.assert(
      fc.property(unsafe, (v) => {
        const bytes = encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: v });
        expect(() => decodeRequest(bytes)).to.throw(ProtocolError).with.property('category', 'value_out_of_range');
      }),
    );
  });

  it('arbitrary bytes only ever decode or throw ProtocolError', () => {
    const header = Uint8Array.of(0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70, 0x3a);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...header, ...tail]) : tail;
        decodesOrProtocolError(() => decodeRequest(bytes));
        decodesOrProtocolError(() => decodeReply(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  for (const d of directions) {
    it(`mutated valid ${d.name}s only ever decode or throw ProtocolError`, () => {
      const msg = fc.oneof(...d.defs.map(arbMessage));
      const mutation = fc.array(
        fc.tuple(fc.constantFrom('set', 'insert', 'delete', 'truncate'), fc.nat(), fc.integer({ min: 0, max: 255 })),
        { minLength: 1, maxLength: 4 },
      );
      fc.assert(
        fc.property(msg, mutation, (m, muts) => {
          const bytes = Array.from(d.enc(m));
          for (const [op, at, b] of muts) {
            const i = bytes.length === 0 ? 0 : at % bytes.length;
            if (op === 'set') bytes[i] = b;
            else if (op === 'insert') bytes.splice(i, 0, b);
            else if (op === 'delete') bytes.splice(i, 1);
            else bytes.length = i;
          }
          const mutated = Uint8Array.from(bytes);
          decodesOrProtocolError(() => decodeRequest(mutated));
          decodesOrProtocolError(() => decodeReply(mutated));
        }),
        { numRuns: 1500 },
      );
    });
  }
});
