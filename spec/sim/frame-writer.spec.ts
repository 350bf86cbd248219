import { expect } from 'chai';
import { FrameWriter } from '../../lib/sim/frame-writer.js';
import { socketPair } from '../support/socket-pair.js';
import { TimerGroup, realScheduler } from '../../lib/sim/scheduler.js';
import { quietWindow, until } from '../support/until.js';

/**
 * How long a blocked producer is watched for more output: the writer is waiting for the socket's
 * 'drain', which cannot come while the peer is paused; a wrongly resumed producer would run within
 * an event-loop turn. ("Nothing happens" has no event, hence a short real-time window.)
 */
const BLOCKED_QUIET_MS = 100;

const pair = socketPair;

describe('sim/frame-writer', () => {
  it('batches frames queued in one turn into one write, in order', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      const w = new FrameWriter(p.server, {}, timers);
      const got: Buffer[] = [];
      p.client.on('data', (d: Buffer) => got.push(d));
      for (let i = 0; i < 100; i++) w.enqueue(Uint8Array.of(i));
      await until(() => got.reduce((n, d) => n + d.length, 0) >= 100, { what: '100 bytes at the peer' });
      expect(Array.from(Buffer.concat(got))).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
      expect(w.written).to.equal(100);
      expect(w.batchable).to.equal(true);
      w.close();
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });

  it('respects backpressure: a producer using onWritable stops while the peer does not read', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      p.client.pause();
      const w = new FrameWriter(p.server, {}, timers);
      let produced = 0;
      const chunk = Buffer.alloc(64 * 1024);
      const produce = (): void => {
        produced++;
        w.enqueue(chunk, 1);
        w.onWritable(produce);
      };
      w.onWritable(produce);
      // the socket refused data and waits for a 'drain' that cannot come while the peer is paused
      await until(() => p.server.writableNeedDrain && w.congested, { what: 'the socket to refuse data' });
      const stuck = produced;
      await quietWindow(BLOCKED_QUIET_MS);
      expect(produced).to.equal(stuck); // nothing more while the peer is not reading
      expect(w.congested).to.equal(true);
      expect(stuck * chunk.length).to.be.below(64 * 1024 * 1024);
      p.client.resume();
      await until(() => produced > stuck, { what: 'the producer to resume once the peer reads' });
      w.close();
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });
});
