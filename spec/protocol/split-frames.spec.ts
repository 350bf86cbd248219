import { expect } from 'chai';
import { from, lastValueFrom, materialize, toArray } from 'rxjs';
import { MAX_FRAME_BATCH, splitFrameBatches, splitFrames } from '../../lib/protocol/split-frames.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import { fromHex, loadVectors, toHex, type MessageVector } from './vectors.js';

describe('protocol/split-frames', () => {
  for (const v of loadVectors<MessageVector>('dpm-messages.json')) {
    if (v.type !== 'frames') continue;
    it(`${v.name}: splits the stream into its frames`, async () => {
      const bytes = fromHex(v.hex);
      const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 30), bytes.subarray(30)];
      const frames = await lastValueFrom(from(chunks).pipe(splitFrames(), toArray()));
      expect(frames.map(toHex)).to.deep.equal(v.frames!.map((f) => f.hex));
    });
  }

  it('errors the Observable on a framing error', async () => {
    const err = await lastValueFrom(from([fromHex('0000000101'), fromHex('00000000')]).pipe(splitFrames(), toArray())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ProtocolError);
    expect((err as ProtocolError).category).to.equal('bad_frame_length');
    expect((err as ProtocolError).offset).to.equal(5);
  });

  it('errors with truncated when the source completes inside a frame', async () => {
    const err = await lastValueFrom(from([fromHex('00000002aa')]).pipe(splitFrames())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ProtocolError).category).to.equal('truncated');
  });

  it('splitFrameBatches: one batch per chunk that completes frames, none for a chunk that completes none', async () => {
    // frames: [aa], [bb cc], [dd]; chunk 1 ends inside frame 2, chunk 2 inside frame 3's prefix
    const stream = fromHex('00000001aa' + '00000002bbcc' + '00000001dd');
    const chunks = [stream.subarray(0, 7), stream.subarray(7, 8), stream.subarray(8, 13), stream.subarray(13)];
    const batches = await lastValueFrom(from(chunks).pipe(splitFrameBatches(), toArray()));
    expect(batches.map((b) => b.map(toHex))).to.deep.equal([['aa'], ['bbcc'], ['dd']]);
  });

  it('splitFrameBatches: the frames a failing chunk completed come first, then the error', async () => {
    const notes = await lastValueFrom(from([fromHex('00000001aa00000001bb00000000')]).pipe(splitFrameBatches(), materialize(), toArray()));
    expect(notes.map((n) => n.kind)).to.deep.equal(['N', 'E']);
    expect(notes[0]!.kind === 'N' ? notes[0]!.value.map(toHex) : []).to.deep.equal(['aa', 'bb']);
    expect(notes[1]!.kind === 'E' ? (notes[1]!.error as ProtocolError).category : '').to.equal('bad_frame_length');
  });

  it('splitFrameBatches: a chunk with many frames is handed on in batches of at most MAX_FRAME_BATCH, in order', async () => {
    const n = 2 * MAX_FRAME_BATCH + 5;
    const chunk = new Uint8Array(5 * n);
    for (let i = 0; i < n; i++) chunk.set([0, 0, 0, 1, i & 0xff], 5 * i);
    const batches = await lastValueFrom(from([chunk]).pipe(splitFrameBatches(), toArray()));
    expect(batches.map((b) => b.length)).to.deep.equal([MAX_FRAME_BATCH, MAX_FRAME_BATCH, 5]);
    expect(batches.flat().map((f) => f[0])).to.deep.equal(Array.from({ length: n }, (_, i) => i & 0xff));
  });
});
