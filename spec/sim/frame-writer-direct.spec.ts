/**
 * The frame writer's direct path (`reserve`/`commit`): frames encoded straight into its
 * buffer, mixed with ordinary frames, go out in order and in one `socket.write` per turn.
 */
import { expect } from 'chai';
import { FrameWriter } from '../../lib/sim/frame-writer.js';
import { socketPair } from '../support/socket-pair.js';
import { TimerGroup, realScheduler } from '../../lib/sim/scheduler.js';
import { ScalarFrameEncoder } from '../../lib/sim/fast-scalar-frame.js';
import { decodeReply, encodeReplyFrame, FrameSplitter, type ReplyMessage } from '../../lib/protocol/index.js';
import { turn, until } from '../support/until.js';

const pair = socketPair;

describe('sim/frame-writer: direct encoding', () => {
  it('frames committed in one turn, between ordinary frames, go out in order in one socket write', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      let writes = 0;
      const write = p.server.write.bind(p.server) as (b: Uint8Array) => boolean;
      p.server.write = ((b: Uint8Array) => {
        writes++;
        return write(b);
      }) as typeof p.server.write;
      const got: ReplyMessage[] = [];
      const splitter = new FrameSplitter((body) => got.push(decodeReply(body)));
      p.client.on('data', (d: Buffer) => splitter.push(d));
      const w = new FrameWriter(p.server, {}, timers);
      expect(w.direct).to.equal(true);
      const enc = new ScalarFrameEncoder(7);
      w.enqueue(encodeReplyFrame({ type: 'ListStatus_reply', list_id: 4096, status: 0 }));
      for (let i = 0; i < 500; i++) {
        const buf = w.reserve(enc.maxFrameBytes);
        w.commit(enc.write(buf, w.reservedAt, 1_700_000_000_000 + i, i, i / 2));
        if (i === 250) w.enqueue(encodeReplyFrame({ type: 'ListStatus_reply', list_id: 4097, status: 0 }));
      }
      await until(() => got.length === 502, { what: '502 frames at the client' });
      expect(writes).to.equal(1);
      expect(w.written).to.equal(502);
      expect(got).to.have.length(502);
      expect(got[0]).to.deep.include({ type: 'ListStatus_reply', list_id: 4096 });
      expect(got[252]).to.deep.include({ type: 'ListStatus_reply', list_id: 4097 });
      const scalars = got.filter((m) => m.type === 'Scalar_reply');
      expect(scalars.map((m) => Number(m.cycle))).to.deep.equal(Array.from({ length: 500 }, (_, i) => i));
      expect(scalars.map((m) => Number(m.timestamp) - 1_700_000_000_000)).to.deep.equal(Array.from({ length: 500 }, (_, i) => i));
      expect(scalars[3]).to.deep.include({ ref_id: 7, status: 0, data: 1.5 });
      w.close();
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });

  it('a new buffer is taken when the current one is full; nothing already queued is overwritten', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      const chunks: Buffer[] = [];
      const collect = (d: Buffer): number => chunks.push(d);
      p.client.on('data', collect);
      const w = new FrameWriter(p.server, {}, timers);
      const enc = new ScalarFrameEncoder(1);
      let frames = 0;
      for (let round = 0; round < 3; round++) {
        // ~200 KiB per turn: several buffers
        for (let i = 0; i < 4000; i++) {
          const buf = w.reserve(enc.maxFrameBytes);
          w.commit(enc.write(buf, w.reservedAt, 1_700_000_000_000, frames++, 0.5));
        }
        await turn(); // the next event-loop turn: the writer flushes, the next round starts
      }
      const got: ReplyMessage[] = [];
      const splitter = new FrameSplitter((body) => got.push(decodeReply(body)));
      p.client.off('data', collect);
      for (const c of chunks) splitter.push(c);
      p.client.on('data', (d: Buffer) => splitter.push(d));
      await until(() => got.length === frames, { what: `${frames} frames at the client` });
      expect(got.map((m) => Number((m as { cycle: number }).cycle))).to.deep.equal(Array.from({ length: frames }, (_, i) => i));
      w.close();
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });

  it('is off with faults that need frame-exact writes or delay replies', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      expect(new FrameWriter(p.server, { oneByteWrites: true }, timers).direct).to.equal(false);
      expect(new FrameWriter(p.server, { replyDelayMs: 10 }, timers).direct).to.equal(false);
      expect(new FrameWriter(p.server, { dropAfterFrames: 5 }, timers).direct).to.equal(false);
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });
});
