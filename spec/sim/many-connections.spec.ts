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
import type { RawDpmClient } from '../support/raw-client.js';
import { until } from '../support/until.js';
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

    it('50 connections at @p,10 each get their readings, timestamps a whole number of periods apart', async () => {
      const clients: RawDpmClient[] = [];
      for (let i = 0; i < 50; i++) clients.push(await h.open());
      for (const c of clients) {
        c.mark();
        addAndStart(c, [[1, 'M:OUTTMP@p,10']]);
      }
      const scalars = (c: RawDpmClient): Scalar[] => c.since().filter((m): m is Scalar => m.type === 'Scalar_reply');
      // a data-defined window: 100 readings on every connection (1 s of data at 100 Hz)
      await until(() => clients.every((c) => scalars(c).length >= 100), { what: '100 readings on each of 50 connections', timeout: 30_000 });
      for (const [i, c] of clients.entries()) {
        // after the first readings (the first comes at the start, off the period grid)
        const data = scalars(c).slice(5);
        for (let k = 1; k < data.length; k++) {
          const dt = Number(data[k]!.timestamp) - Number(data[k - 1]!.timestamp);
          expect(dt > 0 && dt % 10 === 0, `connection ${i}: ${dt} ms between two readings`).to.equal(true);
          expect(Number(data[k]!.cycle)).to.be.at.least(Number(data[k - 1]!.cycle));
        }
        // at most a few readings skipped (only the latest is kept while an output is congested)
        const span = Number(data.at(-1)!.timestamp) - Number(data[0]!.timestamp);
        expect(span / 10 + 1, `connection ${i}: periods covered by ${data.length} readings`).to.be.below(data.length * 1.5);
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
      const count = (ref: number): number => c.since().filter((m) => m.type === 'Scalar_reply' && m.ref_id === ref).length;
      // a data-defined window: 20 readings of the slowest request (1 s of data)
      await until(() => count(3) >= 20, { what: '20 readings of G:AMANDA@p,50', timeout: 20_000 });
      const slow = count(3);
      // the rates are 200, 50 and 20 Hz: 10 and 2.5 times the slowest
      expect(count(1) / slow).to.be.within(7, 13);
      expect(count(2) / slow).to.be.within(1.8, 3.2);
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
      await until(() => h.sim.connections === 41, { what: '41 connections at the simulator', timeout: 20_000 });
      const s0 = sunk;
      await until(() => sunk - s0 > 10_000_000, { what: '10 MB from the fast streams', timeout: 20_000 });
      const t0 = Date.now();
      const late = await h.open({ timeoutMs: 5000 });
      const handshakeMs = Date.now() - t0;
      expect(late.listId).to.be.at.least(4096);
      expect(handshakeMs).to.be.below(3000);
      // the quiet list: a heartbeat every 200 ms, none missing for long
      const beats = (): number => quiet.since().filter((m) => m.type === 'ListStatus_reply').length;
      const before = beats();
      // 3 heartbeats are due in 600 ms: 3 s is a deadline for a loaded machine, not a wait
      await until(() => beats() - before >= 3, { what: '3 more heartbeats on the quiet list', timeout: 3000 });
      // the late list too
      late.mark();
      await late.waitFor((m) => m.type === 'ListStatus_reply', 3000);
    });
  });
});
