/**
 * Simulator backpressure (options doc of `outputLimitBytes`): a client that stops reading
 * must not make the simulator's memory grow. Repetitive replies are coalesced to the latest
 * per request while the output is congested; a peer that stays stuck is closed.
 */
import { expect } from 'chai';
import { useSim, useVirtualSim, addAndStart, replyFor } from '../support/sim-harness.js';
import type { RawDpmClient } from '../support/raw-client.js';
import { advanceUntil, turn, until as untilHolds } from '../support/until.js';
import type { ReplyMessage } from '../../lib/protocol/index.js';
import type { SimConnectionStats, SimulatorHandle } from '../../lib/sim/index.js';

/** 1000 requests on 0F: 50 arrays of 1024 doubles (fill the kernel buffers fast) and 950 settable scalars. */
const ARRAYS = 50;
const REQUESTS: [number, string][] = Array.from({ length: 1000 }, (_, i) => [i + 1, i < ARRAYS ? 'Z:ARRAY1K@e,0F' : 'Z:ACLTST@e,0F']);

function statsOf(sim: SimulatorHandle, c: RawDpmClient): SimConnectionStats {
  const s = sim.connectionStats().find((x) => x.listId === c.listId);
  if (s === undefined) throw new Error(`no connection with list ${c.listId}`);
  return s;
}

const until = (cond: () => boolean, timeoutMs: number, what: string): Promise<void> => untilHolds(cond, { timeout: timeoutMs, what });

/** One 0F occurrence (15 Hz), in ms. */
const TICK_0F = 67;

describe('sim: backpressure on a client that stops reading', function () {
  this.timeout(30_000);

  describe('coalescing', () => {
    // virtual time: each 0F occurrence (1000 replies) is a step of the test
    const h = useVirtualSim({ heartbeatMs: 500 });

    it('queued bytes stay bounded while paused; after resume data flows again, with the latest values, in order', async () => {
      const c = await h.open();
      h.sim.setDevice('Z:ACLTST', 1, 'setting');
      c.mark();
      addAndStart(c, REQUESTS);
      await replyFor(c, 'StartList_reply');
      h.vs.advance(TICK_0F);
      await replyFor(c, 'Scalar_reply', 1000);
      c.socket.pause();
      await advanceUntil(h.vs, TICK_0F, () => statsOf(h.sim, c).droppedReplies > 0, { what: 'coalescing to start' });
      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        const s = statsOf(h.sim, c);
        samples.push(s.queuedBytes);
        expect(s.pendingReplies).to.be.at.most(REQUESTS.length);
        h.vs.advance(100);
        await turn();
      }
      const s1 = statsOf(h.sim, c);
      expect(s1.congested).to.equal(true);
      expect(Math.max(...samples)).to.be.below(1024 * 1024); // ~one tick's batch, far under the 4 MiB limit
      expect(samples[samples.length - 1]).to.be.at.most(samples[0]!); // not growing
      expect(s1.droppedReplies).to.be.above(1000); // 1000 requests × 15 Hz held back to one each
      h.sim.setDevice('Z:ACLTST', 42, 'setting');
      h.vs.advance(300); // 4-5 occurrences read the new value while the client still does not read
      await turn();
      expect(h.sim.connections).to.equal(1);
      const mark = c.replies.length;
      c.socket.resume();
      // every scalar request delivers the latest value, and replies keep flowing after
      await until(
        () => {
          const seen = new Set<number>();
          for (const m of c.replies.slice(mark)) if (m.type === 'Scalar_reply' && m.data === 42) seen.add(m.ref_id);
          return seen.size === REQUESTS.length - ARRAYS;
        },
        10_000,
        'the latest value of every request',
      );
      const lastCycle = Math.max(...c.replies.filter((m) => m.type === 'Scalar_reply').map((m) => (m as Extract<ReplyMessage, { type: 'Scalar_reply' }>).cycle));
      await advanceUntil(h.vs, TICK_0F, () => c.replies.some((m) => m.type === 'Scalar_reply' && m.cycle > lastCycle + 2), { what: 'live data after the backlog' });
      // per request, cycles only increase: holding back never reorders
      const last = new Map<number, number>();
      for (const m of c.replies) {
        if (m.type !== 'Scalar_reply' && m.type !== 'ScalarArray_reply') continue;
        const prev = last.get(m.ref_id);
        if (prev !== undefined) expect(m.cycle, `ref ${m.ref_id}`).to.be.above(prev);
        last.set(m.ref_id, m.cycle);
      }
      expect(c.decodeErrors).to.have.length(0);
      expect(c.framingError).to.equal(undefined);
      expect(statsOf(h.sim, c).pendingReplies).to.be.at.most(REQUESTS.length);
    });
  });

  describe('closing a stuck peer', () => {
    const h = useSim({ heartbeatMs: 500, outputStallMs: 500 });

    it('a socket refusing data for outputStallMs is closed; a reading client on the same simulator is not', async () => {
      const stuck = await h.open();
      const reader = await h.open();
      addAndStart(stuck, REQUESTS);
      addAndStart(reader, REQUESTS);
      await replyFor(stuck, 'StartList_reply');
      await replyFor(reader, 'StartList_reply');
      stuck.socket.pause();
      await until(() => statsOf(h.sim, stuck).congested, 10_000, 'congestion');
      const t0 = Date.now();
      // a paused socket does not see the close until it reads again
      await until(() => h.sim.connectionStats().every((x) => x.listId !== stuck.listId), 5000, 'the stuck connection to be closed');
      expect(Date.now() - t0).to.be.at.least(300);
      stuck.socket.resume();
      await stuck.waitClosed(5000);
      await reader.barrier(10_000); // still served
      expect(reader.isClosed).to.equal(false);
      expect(h.sim.connections).to.equal(1);
    });
  });

  describe('byte limit', () => {
    const h = useSim({ heartbeatMs: 500, outputLimitBytes: 256 * 1024 });

    it('replies that are never dropped (immediate reads) close the connection beyond outputLimitBytes', async () => {
      const c = await h.open();
      addAndStart(c, REQUESTS);
      await replyFor(c, 'StartList_reply');
      c.socket.pause();
      await until(() => statsOf(h.sim, c).congested && statsOf(h.sim, c).droppedReplies > 0, 10_000, 'congestion');
      // 10 × 20 immediate 8 KiB replies (1.6 MB, never dropped) against a 256 KiB limit
      for (let i = 0; i < 10; i++) {
        addAndStart(
          c,
          Array.from({ length: 20 }, (_, k) => [5000 + k, 'Z:ARRAY1K@I'] as [number, string]),
        );
      }
      await until(() => h.sim.connections === 0, 5000, 'the connection to be closed');
      c.socket.resume();
      await c.waitClosed(5000);
    });
  });
});
