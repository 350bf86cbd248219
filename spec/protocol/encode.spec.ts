import { expect } from 'chai';
import { decodeReply, decodeRequest } from '../../lib/protocol/decode.js';
import {
  encodeReply,
  encodeReplyFrame,
  encodeReplyFrames,
  encodeRequest,
  encodeRequestFrame,
  encodeRequestFrames,
} from '../../lib/protocol/encode.js';
import { EncodeError } from '../../lib/protocol/errors.js';
import type { EncodableReply, EncodableRequest } from '../../lib/protocol/messages.js';
import { fromHex, inputMessage, loadVectors, toHex, type MessageVector } from './vectors.js';

function encode(direction: 'request' | 'reply', msg: unknown): Uint8Array {
  return direction === 'request' ? encodeRequest(msg as EncodableRequest) : encodeReply(msg as EncodableReply);
}

function expectEncodeError(fn: () => unknown, field?: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(EncodeError);
    if (field !== undefined) expect((e as EncodeError).field).to.equal(field);
    return;
  }
  throw new Error('expected an EncodeError');
}

describe('protocol/encode', () => {
  describe('dpm-messages.json: encodes to exactly its bytes', () => {
    for (const v of loadVectors<MessageVector>('dpm-messages.json')) {
      if (v.type === 'frames') {
        it(`${v.name} (frames, batch encoder)`, () => {
          const msgs = v.frames!.map((f) => inputMessage(f.type, f.fields));
          const bytes =
            v.direction === 'request'
              ? encodeRequestFrames(msgs as unknown as EncodableRequest[])
              : encodeReplyFrames(msgs as unknown as EncodableReply[]);
          expect(toHex(bytes)).to.equal(v.hex);
        });
        continue;
      }
      it(v.name, () => {
        const msg = inputMessage(v.type, v.fields);
        expect(toHex(encode(v.direction, msg))).to.equal(v.hex);
        const framed =
          v.direction === 'request'
            ? encodeRequestFrame(msg as unknown as EncodableRequest)
            : encodeReplyFrame(msg as unknown as EncodableReply);
        const len = v.hex.length / 2;
        expect(toHex(framed)).to.equal(len.toString(16).padStart(8, '0') + v.hex);
      });
    }
  });

  it('writes NaN canonically whatever its bits', () => {
    const nan = new Float64Array(new Uint8Array([0, 0, 0, 0, 0, 0, 0xf8, 0xff]).buffer)[0]!;
    const hex = toHex(encodeReply({ type: 'Scalar_reply', ref_id: 1, timestamp: 0, cycle: 0, status: 0, data: nan }));
    expect(hex.endsWith('287ff8000000000000')).to.equal(true);
    expect(toHex(encodeReply({ type: 'Scalar_reply', ref_id: 1, timestamp: 0, cycle: 0, status: 0, data: 0 / 0 }))).to.equal(hex);
  });

  it('encodes UTF-8 by byte length and decodes it back', () => {
    const s = 'é€😀 M:OUTTMP';
    const bytes = encodeRequest({ type: 'AddToList_request', list_id: 1, ref_id: 1, drf_request: s });
    expect(toHex(bytes)).to.contain(Buffer.from(s, 'utf8').toString('hex'));
    expect(decodeRequest(bytes)).to.deep.equal({ type: 'AddToList_request', list_id: 1, ref_id: 1, drf_request: s });
  });

  it('accepts bigint and ArrayLike inputs', () => {
    const bytes = encodeReply({
      type: 'TimedScalarArray_reply',
      ref_id: 5n,
      timestamp: 1700000000123n,
      cycle: 0,
      status: 0,
      data: new Float64Array([1, 2]),
      micros: [1n, 2],
    });
    const m = decodeReply(bytes);
    expect(m).to.deep.equal({
      type: 'TimedScalarArray_reply',
      ref_id: 5,
      timestamp: 1700000000123,
      cycle: 0,
      status: 0,
      data: new Float64Array([1, 2]),
      micros: [1, 2],
    });
  });

  describe('range and type checks', () => {
    const cases: [string, () => unknown, string][] = [
      ['int32 too big', () => encodeRequest({ type: 'ClearList_request', list_id: 2 ** 31 }), 'ClearList_request.list_id'],
      ['int32 not an integer', () => encodeRequest({ type: 'ClearList_request', list_id: 1.5 }), 'ClearList_request.list_id'],
      ['int16 too small', () => encodeReply({ type: 'StartList_reply', list_id: 1, status: -32769 }), 'StartList_reply.status'],
      [
        'int64 unsafe number',
        () => encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: 2 ** 53 }),
        'RemoveFromList_request.ref_id',
      ],
      [
        'int64 bigint beyond range',
        () => encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: 2n ** 63n }),
        'RemoveFromList_request.ref_id',
      ],
      [
        'missing required field',
        () => encodeRequest({ type: 'RemoveFromList_request', list_id: 1 } as unknown as EncodableRequest),
        'RemoveFromList_request.ref_id',
      ],
      ['unknown type', () => encodeRequest({ type: 'OpenList_reply', list_id: 1 } as unknown as EncodableRequest), 'type'],
      [
        'lone surrogate',
        () => encodeRequest({ type: 'OpenList_request', location: 'a\uD800b' }),
        'OpenList_request.location',
      ],
      [
        'struct field out of range',
        () => encodeReply({ type: 'ApplySettings_reply', status: [{ ref_id: 1, status: 0 }, { ref_id: 2, status: 40000 }] }),
        'ApplySettings_reply.status[1].status',
      ],
    ];
    for (const [name, fn, field] of cases) it(name, () => expectEncodeError(fn, field));
  });

  it('int64 boundaries round-trip as bigint encodes / number decodes', () => {
    for (const v of [0, 1, -1, 127, 128, -128, -129, 2 ** 31, -(2 ** 31) - 1, 2 ** 47, -(2 ** 47) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      const a = encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: v });
      const b = encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: BigInt(v) });
      expect(toHex(a)).to.equal(toHex(b));
      expect(decodeRequest(a)).to.deep.equal({ type: 'RemoveFromList_request', list_id: 1, ref_id: v });
    }
    expect(toHex(encodeRequest({ type: 'RemoveFromList_request', list_id: 1, ref_id: -(2n ** 63n) }))).to.contain(
      '188000000000000000',
    );
  });

  it('frame prefix matches body length', () => {
    const f = encodeReplyFrame({ type: 'OpenList_reply', list_id: 4711 });
    expect(toHex(f)).to.equal('00000016' + toHex(fromHex('53444402510314b13a703a12349e510212e820121267')));
  });
});
