import { expect } from 'chai';
import { from, lastValueFrom, of, toArray, type Observable } from 'rxjs';
import { decodeReplies, decodeRequests, type DecodedFrame } from '../../lib/protocol/decode-frames.js';
import { splitFrames } from '../../lib/protocol/split-frames.js';
import { encodeReply, encodeRequest } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { ReplyMessage } from '../../lib/protocol/messages.js';
import { fromHex, loadVectors, toJsonForm, type InvalidVector, type MessageVector } from './vectors.js';

interface Outcome {
  items: DecodedFrame<ReplyMessage>[];
  error?: unknown;
}

function collect(obs: Observable<DecodedFrame<ReplyMessage>>): Promise<Outcome> {
  return new Promise((resolve) => {
    const items: DecodedFrame<ReplyMessage>[] = [];
    obs.subscribe({
      next: (x) => items.push(x),
      error: (error: unknown) => resolve({ items, error }),
      complete: () => resolve({ items }),
    });
  });
}

/** The client's receive pipeline, fed `bytes` either at once or one byte at a time. */
function clientPipeline(bytes: Uint8Array, byteByByte: boolean) {
  const chunks = byteByByte ? Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)) : [bytes];
  return from(chunks).pipe(splitFrames({ detectHttp: true }), decodeReplies({ expectOpenListFirst: true }));
}

describe('protocol/decode-frames', () => {
  describe('dpm-invalid.json (frame layer) through the client pipeline', () => {
    for (const v of loadVectors<InvalidVector>('dpm-invalid.json')) {
      if (v.layer !== 'frame') continue;
      for (const byteByByte of [false, true]) {
        it(`${v.name} [${v.phase}] → ${v.category}${byteByByte ? ' (1-byte chunks)' : ''}`, async () => {
          const r = await collect(clientPipeline(fromHex(v.hex), byteByByte));
          expect(r.error).to.be.instanceOf(ProtocolError);
          expect((r.error as ProtocolError).category).to.equal(v.category);
          expect((r.error as ProtocolError).fatal).to.equal(true);
          if (v.phase === 'handshake') {
            expect(r.items).to.deep.equal([]);
          } else {
            expect(r.items.length).to.be.at.least(1);
            const first = r.items[0]!;
            expect(first.ok && first.message.type).to.equal('OpenList_reply');
          }
        });
      }
    }
  });

  it('a first frame that fails to decode fails the opening with its own category', async () => {
    const body = fromHex('53444401510314b13a703a12349e510212e820121267'); // version 1
    const framed = new Uint8Array([0, 0, 0, body.length, ...body]);
    const r = await collect(clientPipeline(framed, false));
    expect((r.error as ProtocolError).category).to.equal('bad_header');
    expect((r.error as ProtocolError).fatal).to.equal(true);
  });

  it('a later undecodable frame is reported and the stream goes on (not fatal)', async () => {
    const open = encodeReply({ type: 'OpenList_reply', list_id: 1 });
    const bad = fromHex('53444402510314b13a703a12349e510212e820121267ff'); // trailing byte
    const ok = encodeReply({ type: 'ListStatus_reply', list_id: 1, status: 0 });
    const frames = [open, bad, ok];
    const r = await collect(of(...frames).pipe(decodeReplies({ expectOpenListFirst: true })));
    expect(r.error).to.equal(undefined);
    expect(r.items.map((x) => (x.ok ? x.message.type : x.error.category))).to.deep.equal([
      'OpenList_reply',
      'trailing_bytes',
      'ListStatus_reply',
    ]);
    const failed = r.items[1]!;
    expect(!failed.ok && failed.frame.length).to.equal(bad.length);
    expect(!failed.ok && failed.error.fatal).to.equal(false);
  });

  describe('dpm-messages.json framed entries decode to their messages', () => {
    for (const v of loadVectors<MessageVector>('dpm-messages.json')) {
      if (v.type !== 'frames') continue;
      it(v.name, async () => {
        const bytes = fromHex(v.hex);
        const frames$ = of(bytes).pipe(splitFrames());
        const items =
          v.direction === 'reply'
            ? await lastValueFrom(frames$.pipe(decodeReplies(), toArray()))
            : await lastValueFrom(frames$.pipe(decodeRequests(), toArray()));
        expect(items.map((x) => (x.ok ? toJsonForm(x.message) : x.error.category))).to.deep.equal(
          v.frames!.map((f) => ({ type: f.type, ...f.fields })),
        );
      });
    }
  });

  it('decodeRequests reports undecodable frames', async () => {
    const good = encodeRequest({ type: 'StopList_request', list_id: 3 });
    const items = await lastValueFrom(of(good.subarray(0, 10), good).pipe(decodeRequests(), toArray()));
    expect(items.map((x) => (x.ok ? x.message.type : x.error.category))).to.deep.equal(['truncated', 'StopList_request']);
  });
});
