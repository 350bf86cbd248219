/**
 * The simulator under many connections, over real sockets: periodic streams on many
 * connections each keep their rate with drift-free timestamps, and while fast streams
 * saturate their sockets a new connection's handshake is answered and a quiet list keeps
 * its heartbeats. Bounds are generous (a loaded 2-core machine); the speed targets are in
 * `bench/sim.bench.ts`.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { useSim, addAndStart } from '../support/sim-harness.js';
import { sleep, type RawDpmClient } from '../support/raw-client.js';
import { encodeRequestFrames, HANDSHAKE_REQUEST, type ReplyMessage } from '../../lib/protocol/index.js';

type Scalar = Extract<ReplyMessage, { type: 'Scalar_reply' }>;

/** Bytes received by every {@link fastSink}. */
let sunk = 0;

/** A connection that starts `Z:FAST` and then reads and discards everything, as fast as it can. */
function fastSink(port: number): Socket {
  const s = connect({ port, host: '127.0.0.1', noDelay: true });
  let opened = false;
  s.on('connect', () => s.write(HANDSHAKE_REQUEST));
  s.on('data', (d: Buffer) => {
    sunk += d.length;
    if (opened) return;
    opened = true; // the first bytes are the OpenList_reply
    s.write(
      encodeRequestFrames([
        { type: 'AddToList_request', list_id: 0, ref_id: 1, drf_request: 'Z:FAST@p,1000' },
        { type: 'StartList_request', list_id: 0 },
      ]),
    );
  });
  s.on('error', () => undefined);
  return s;
}

describe('sim: many connections', function () {
  this.timeout(60_000);

  describe('periodic streams', () => {
    const h = useSim();

    it('50 connections at @p,10 each get ~100 readings/s, timestamps a whole number of periods apart', async () => {
      const clients: RawDpmClient[] = [];
      for (let i = 0; i < 50; i++) clients.push(await h.open());
      for (const c of clients) {
        c.mark();
        addAndStart(c, [[1, 'M:OUTTMP@p,10']]);
      }
      await sleep(300); // every list started
      const from = clients.map((c) => c.replies.length);
      const t0 = Date.now();
      await sleep(2000);
      const secs = (Date.now() - t0) / 1000;
      for (const [i, c] of clients.entries()) {
        const data = c.replies.slice(from[i]).filter((m): m is Scalar => m.type === 'Scalar_reply');
        expect(data.length / secs, `connection ${i}`).to.be.within(50, 130);
        for (let k = 1; k < data.length; k++) {
          const dt = Number(data[k]!.timestamp) - Number(data[k - 1]!.timestamp);
          expect(dt > 0 && dt % 10 === 0, `connection ${i}: ${dt} ms between two readings`).to.equal(true);
          expect(Number(data[k]!.cycle)).to.be.at.least(Number(data[k - 1]!.cycle));
        }
      }
    });

    it('a connection gets all the readings of its requests, each at its own rate, in one stream', async () => {
      const c = await h.open();
      c.mark();
      addAndStart(c, [
        [1, 'M:OUTTMP@p,5'],
        [2, 'M:OUTTMP@p,20'],
        [3, 'G:AMANDA@p,50'],
      ]);
      await sleep(300);
      const from = c.replies.length;
      const t0 = Date.now();
      await sleep(1500);
      const secs = (Date.now() - t0) / 1000;
      const rate = (ref: number): number => c.replies.slice(from).filter((m) => m.type === 'Scalar_reply' && m.ref_id === ref).length / secs;
      expect(rate(1)).to.be.within(100, 260);
      expect(rate(2)).to.be.within(25, 65);
      expect(rate(3)).to.be.within(10, 26);
      expect(c.decodeErrors).to.have.length(0);
    });
  });

  describe('fairness while fast streams saturate their sockets', () => {
    const h = useSim({ heartbeatMs: 200 });
    const sinks: Socket[] = [];
    afterEach(() => {
      for (const s of sinks.splice(0)) s.destroy();
    });

    it('a new connection is answered and a quiet list keeps its heartbeats', async () => {
      const quiet = await h.open();
      quiet.mark();
      for (let i = 0; i < 40; i++) sinks.push(fastSink(h.sim.port));
      // until every sink is connected and the fast streams push data as fast as this process reads it
      const end = Date.now() + 20_000;
      while (h.sim.connections < 41 && Date.now() < end) await sleep(50);
      expect(h.sim.connections).to.equal(41);
      const s0 = sunk;
      await sleep(500);
      expect(sunk - s0).to.be.above(10_000_000);
      const t0 = Date.now();
      const late = await h.open({ timeoutMs: 5000 });
      const handshakeMs = Date.now() - t0;
      expect(late.listId).to.be.at.least(4096);
      expect(handshakeMs).to.be.below(3000);
      // the quiet list: a heartbeat every 200 ms, none missing for long
      const beats = (): number => quiet.since().filter((m) => m.type === 'ListStatus_reply').length;
      const before = beats();
      await sleep(1500);
      expect(beats() - before).to.be.at.least(3);
      // the late list too
      late.mark();
      await late.waitFor((m) => m.type === 'ListStatus_reply', 3000);
    });
  });
});
