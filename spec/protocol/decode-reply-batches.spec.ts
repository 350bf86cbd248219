import { expect } from 'chai';
import { from, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { decodeReplyBatches, ReplyCursor } from '../../lib/protocol/decode-reply-batches.js';
import { encodeReply } from '../../lib/protocol/encode.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { FrameBatch } from '../../lib/protocol/split-frames.js';

const scalar = (ref: number) => encodeReply({ type: 'Scalar_reply', ref_id: ref, timestamp: 0, cycle: 0, status: 0, data: ref });
const drain = (c: ReplyCursor): string[] => {
  const out: string[] = [];
  for (let m = c.next(); m !== undefined; m = c.next()) out.push(m === null ? `bad:${c.error!.category}` : `${m.type}:${'ref_id' in m ? String(m.ref_id) : ''}`);
  return out;
};

describe('protocol/decode-reply-batches', () => {
  it('one cursor per batch, decoding each frame as it is read; an undecodable frame is null with its error, and reading goes on', () => {
    const batches: FrameBatch[] = [[scalar(1), scalar(2)], [new Uint8Array([1, 2, 3]), scalar(3)]];
    const seen: string[][] = [];
    from(batches)
      .pipe(decodeReplyBatches())
      .subscribe((cursor) => seen.push(drain(cursor)));
    expect(seen[0]).to.deep.equal(['Scalar_reply:1', 'Scalar_reply:2']);
    expect(seen[1]![0]).to.match(/^bad:/);
    expect(seen[1]![1]).to.equal('Scalar_reply:3');
  });

  it('emits the same cursor for every batch (reset), nothing decoded before it is read', () => {
    const cursors = new Set<ReplyCursor>();
    let remaining: number[] = [];
    from([[scalar(1)], [scalar(2), scalar(3)]] as FrameBatch[])
      .pipe(decodeReplyBatches(), toArray())
      .subscribe((cs) => cs.forEach((c) => cursors.add(c)));
    expect(cursors.size).to.equal(1);
    from([[scalar(1)], [scalar(2), scalar(3)]] as FrameBatch[])
      .pipe(decodeReplyBatches())
      .subscribe((c) => (remaining = [...remaining, c.remaining]));
    expect(remaining).to.deep.equal([1, 2]);
  });

  it('a decoder defect (not a ProtocolError) stops the batch and is reported as a fault', () => {
    const c = new ReplyCursor().reset([scalar(1), undefined as unknown as Uint8Array, scalar(2)]);
    expect(c.next()).to.not.equal(null);
    expect(c.next()).to.equal(null);
    expect(c.fault).to.not.equal(undefined);
    expect(c.fault).to.not.be.instanceOf(ProtocolError);
    expect(c.next()).to.equal(undefined);
  });

  it('passes batches, errors and completion through in time (marbles)', () => {
    new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    }).run(({ cold, expectObservable }) => {
      const err = new ProtocolError('bad_frame_length', 0, 'x', undefined, true);
      //   frames:  -a--b-#        (a: one frame, b: two)
      //   replies: -x--y-#        (each batch read when it arrives)
      const src = cold<FrameBatch>('-a--b-#', { a: [scalar(1)], b: [scalar(2), scalar(3)] }, err);
      expectObservable(src.pipe(decodeReplyBatches(), map(drain))).toBe('-x--y-#', { x: ['Scalar_reply:1'], y: ['Scalar_reply:2', 'Scalar_reply:3'] }, err);
      expectObservable(cold<FrameBatch>('-a|', { a: [scalar(4)] }).pipe(decodeReplyBatches(), map(drain))).toBe('-x|', { x: ['Scalar_reply:4'] });
    });
  });
});
