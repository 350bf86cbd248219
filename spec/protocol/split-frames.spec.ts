import { expect } from 'chai';
import { from, lastValueFrom, toArray } from 'rxjs';
import { splitFrames } from '../../lib/protocol/split-frames.js';
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
});
