import { expect } from 'chai';
import { decodeReply, decodeRequest } from '../../lib/protocol/decode.js';
import { encodeReply, encodeRequest } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { EncodableReply, EncodableRequest } from '../../lib/protocol/messages.js';
import {
  fromHex,
  inputMessage,
  loadVectors,
  toHex,
  toJsonForm,
  type DecodeOnlyVector,
  type InvalidVector,
  type MessageVector,
} from './vectors.js';

function decode(direction: 'request' | 'reply', bytes: Uint8Array): unknown {
  return direction === 'request' ? decodeRequest(bytes) : decodeReply(bytes);
}

function expectProtocolError(fn: () => unknown, category: string): ProtocolError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    expect((e as ProtocolError).category).to.equal(category);
    return e as ProtocolError;
  }
  throw new Error(`expected a ProtocolError (${category}), nothing was thrown`);
}

describe('protocol/decode', () => {
  describe('dpm-messages.json: decodes to its fields', () => {
    for (const v of loadVectors<MessageVector>('dpm-messages.json')) {
      if (v.type === 'frames') continue;
      it(v.name, () => {
        const bytes = fromHex(v.hex);
        if (v.decode_error !== undefined) {
          expectProtocolError(() => decode(v.direction, bytes), v.decode_error);
          return;
        }
        const msg = decode(v.direction, bytes);
        expect(toJsonForm(msg)).to.deep.equal({ type: v.type, ...v.fields });
      });
    }
  });

  describe('dpm-invalid.json (message layer): rejected with its category', () => {
    for (const v of loadVectors<InvalidVector>('dpm-invalid.json')) {
      if (v.layer !== 'message') continue;
      it(`${v.name} → ${v.category}`, () => {
        const e = expectProtocolError(() => decode(v.direction!, fromHex(v.hex)), v.category);
        expect(e.offset).to.be.within(0, v.hex.length / 2);
      });
    }
  });

  describe('dpm-decode-only.json: decodes, re-encodes canonically', () => {
    for (const v of loadVectors<DecodeOnlyVector>('dpm-decode-only.json')) {
      it(v.name, () => {
        const msg = decode(v.direction, fromHex(v.hex));
        expect(toJsonForm(msg)).to.deep.equal({ type: v.type, ...v.fields });
        const again =
          v.direction === 'request'
            ? encodeRequest(msg as EncodableRequest)
            : encodeReply(msg as EncodableReply);
        expect(toHex(again)).to.equal(v.canonical_hex);
        const fromFields =
          v.direction === 'request'
            ? encodeRequest(inputMessage(v.type, v.fields) as unknown as EncodableRequest)
            : encodeReply(inputMessage(v.type, v.fields) as unknown as EncodableReply);
        expect(toHex(fromFields)).to.equal(v.canonical_hex);
      });
    }
  });

  it('decodes a body that is a sub-view of a larger buffer (offsets relative to the body)', () => {
    const body = fromHex('53444402510314b13a703a12349e510212e820121267');
    const big = new Uint8Array(100);
    big.set(body, 37);
    expect(decodeReply(big.subarray(37, 37 + body.length))).to.deep.equal({ type: 'OpenList_reply', list_id: 4711 });
    const e = expectProtocolError(() => decodeReply(big.subarray(37, 37 + body.length - 1)), 'truncated');
    expect(e.offset).to.be.at.most(body.length);
  });

  it('keeps a leading BOM in strings (no BOM stripping)', () => {
    const bytes = encodeReply({ type: 'Text_reply', ref_id: 1, timestamp: 2, cycle: 3, status: 0, data: '\uFEFFx' });
    expect((decodeReply(bytes) as { data: string }).data).to.equal('\uFEFFx');
  });
});
