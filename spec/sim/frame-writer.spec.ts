import { expect } from 'chai';
import { createServer, connect, type Socket } from 'node:net';
import { FrameWriter } from '../../lib/sim/frame-writer.js';
import { TimerGroup, realScheduler } from '../../lib/sim/scheduler.js';
import { sleep } from '../support/raw-client.js';

async function pair(): Promise<{ server: Socket; client: Socket; close: () => Promise<void> }> {
  const srv = createServer();
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  const server = await accepted;
  return {
    server,
    client,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

describe('sim/frame-writer', () => {
  it('batches frames queued in one turn into one write, in order', async () => {
    const p = await pair();
    const timers = new TimerGroup(realScheduler);
    try {
      const w = new FrameWriter(p.server, {}, timers);
      const got: Buffer[] = [];
      p.client.on('data', (d: Buffer) => got.push(d));
      for (let i = 0; i < 100; i++) w.enqueue(Uint8Array.of(i));
      await sleep(50);
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
      await sleep(300);
      const stuck = produced;
      expect(w.congested).to.equal(true);
      await sleep(200);
      expect(produced).to.equal(stuck); // nothing more while the peer is not reading
      expect(stuck * chunk.length).to.be.below(64 * 1024 * 1024);
      p.client.resume();
      await sleep(200);
      expect(produced).to.be.greaterThan(stuck);
      w.close();
    } finally {
      timers.cancelAll();
      await p.close();
    }
  });
});
