/**
 * Fault suite (issue #8, "Reliability, measured"): every fault the simulator can
 * inject, over real sockets, through the public client API. Each test asserts the
 * typed error (or the promised reconnect and in-band gap report), that value
 * readings are never duplicated nor reordered and that no loss is silent, and —
 * through `checkLeaks` — that no socket or timer is left open afterwards.
 */
import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { HandshakeError } from '../../lib/errors/handshake-error.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ProtocolError } from '../../lib/protocol/errors.js';
import type { Reading } from '../../lib/dpm/reading.js';
import type { FaultOptions } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';
import {
  duplicates,
  endedWithin,
  gapReadings,
  nonIncreasing,
  okReadings,
  record,
  silentLosses,
  stateKinds,
  until,
  withSim,
} from './helpers.js';

/** A 15 Hz clock-event stream (the simulator's event 0F) and a 10 Hz periodic one. */
const E15 = 'M:OUTTMP@e,0F';
const P10 = 'G:AMANDA@p,100';
const DRFS = [E15, P10];

function expectCleanSequence(rs: readonly Reading[]): void {
  expect(duplicates(rs), 'duplicated readings').to.deep.equal([]);
  expect(nonIncreasing(rs), 'reordered readings').to.deep.equal([]);
  expect(silentLosses(rs, E15, 1000 / 15), 'silent losses').to.deep.equal([]);
}

function protocolCause(e: unknown): ProtocolError {
  expect(e).to.be.instanceOf(ConnectionLost);
  const cause = (e as ConnectionLost).cause;
  expect(cause, 'ConnectionLost.cause').to.be.instanceOf(ProtocolError);
  return cause as ProtocolError;
}

describe('reliability/faults (simulator faults, real sockets, public API)', function () {
  this.timeout(15_000);
  checkLeaks(2500);

  describe('HTTP error at handshake', () => {
    const LINE = 'HTTP/1.1 503 Service Unavailable';

    it('a stream fails with HandshakeError carrying the status line', async () => {
      await withSim({ faults: { httpError: LINE } }, async (sim, client) => {
        const rec = record(client, E15);
        await endedWithin(rec, 3000);
        expect(rec.error).to.be.instanceOf(HandshakeError);
        const e = rec.error as HandshakeError;
        expect(e.category).to.equal('http_error');
        expect(e.statusLine).to.equal(LINE);
        expect(e.message).to.contain('503');
        expect(rec.readings).to.have.length(0);
        expect(sim.totalConnections).to.equal(1);
      });
    });

    it('a one-shot read fails with the same HandshakeError (not a timeout)', async () => {
      await withSim({ faults: { httpError: LINE } }, async (_sim, client) => {
        const e = await firstValueFrom(client.read('M:OUTTMP')).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).to.be.instanceOf(HandshakeError);
        expect((e as HandshakeError).statusLine).to.equal(LINE);
      });
    });

    it('with reconnect and maxAttempts 2: three attempts, then the HandshakeError', async () => {
      await withSim({ faults: { httpError: LINE } }, async (sim, client) => {
        const rec = record(client, E15, { reconnect: { initialDelay: 100, maxAttempts: 2 } });
        await endedWithin(rec, 5000);
        expect(rec.error).to.be.instanceOf(HandshakeError);
        expect(sim.totalConnections).to.equal(3);
        // never connected, so there is no gap to report in-band
        expect(gapReadings(rec.readings)).to.have.length(0);
        expect(stateKinds(rec.events).filter((k) => k === 'reconnecting')).to.have.length(2);
      });
    });
    it('a silent close of the handshake (bare DPM) is HandshakeError "truncated"', async () => {
      await withSim({ faults: { closeOnHandshake: true } }, async (_sim, client) => {
        const rec = record(client, E15);
        await endedWithin(rec, 3000);
        expect(rec.error).to.be.instanceOf(HandshakeError);
        expect((rec.error as HandshakeError).category).to.equal('truncated');
      });
    });

    it('a reconnecting stream rides over a refused attempt: drop, HTTP 503, then data again', async () => {
      const faults = (i: number) => (i === 0 ? { dropAfterMs: 250 } : i === 1 ? { httpError: LINE } : {});
      await withSim({ faults }, async (sim, client) => {
        const rec = record(client, E15, { reconnect: { initialDelay: 100 } });
        await until(() => sim.totalConnections === 3 && okReadings(rec.readings).length > 0, 4000, 'the third connection');
        const gapAt = rec.readings.indexOf(gapReadings(rec.readings)[0]!);
        await until(() => okReadings(rec.readings.slice(gapAt)).length >= 3, 3000, 'readings after the reconnect');
        rec.subscription.unsubscribe();
        expect(rec.error).to.equal(undefined);
        // one gap reading: the refused attempt never had a connection to lose
        expect(gapReadings(rec.readings)).to.have.length(1);
        const reasons = rec.events.flatMap((e) => (e.kind === 'state' && e.state.kind === 'reconnecting' ? [e.state.reason] : []));
        expect(reasons.map((r) => r?.constructor.name)).to.deep.equal(['ConnectionLost', 'HandshakeError']);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('drop mid-frame', () => {
    it('without reconnect: ConnectionLost(protocol) caused by a fatal ProtocolError "truncated"', async () => {
      await withSim({ faults: (i) => (i === 0 ? { dropAfterFrames: 12, dropMidFrame: true } : {}) }, async (_sim, client) => {
        const rec = record(client, DRFS);
        await endedWithin(rec, 3000);
        expect((rec.error as ConnectionLost).reason).to.equal('protocol');
        const cause = protocolCause(rec.error);
        expect(cause.category).to.equal('truncated');
        expect(cause.fatal).to.equal(true);
        expect(okReadings(rec.readings).length).to.be.greaterThan(2);
        expectCleanSequence(rec.readings);
        // a framing error is not an "undecodable frame": nothing on protocolErrors$
        expect(rec.protocolErrors).to.have.length(0);
      });
    });

    it('with reconnect: gap readings (ACNET_RETRY) for every device, replay, no duplicate, no silent loss', async () => {
      await withSim({ faults: (i) => (i === 0 ? { dropAfterFrames: 12, dropMidFrame: true } : {}) }, async (sim, client) => {
        const rec = record(client, DRFS, { reconnect: { initialDelay: 100 } });
        await until(() => gapReadings(rec.readings).length > 0, 3000, 'the gap readings');
        const gapAt = rec.readings.indexOf(gapReadings(rec.readings)[0]!);
        await until(() => okReadings(rec.readings.slice(gapAt)).length >= 6, 3000, 'readings after the reconnect');
        rec.subscription.unsubscribe();
        expect(rec.error).to.equal(undefined);
        expect(sim.totalConnections).to.equal(2);
        expect(gapReadings(rec.readings).map((r) => r.drf).sort()).to.deep.equal([...DRFS].sort());
        const kinds = stateKinds(rec.events);
        const r = kinds.indexOf('reconnecting');
        expect(r).to.be.greaterThan(0);
        expect(kinds.slice(r)).to.include.ordered.members(['reconnecting', 'connecting', 'open']);
        const reason = rec.events.find((e) => e.kind === 'state' && e.state.kind === 'reconnecting');
        expect(reason?.kind === 'state' && reason.state.kind === 'reconnecting' ? reason.state.reason : undefined).to.be.instanceOf(ConnectionLost);
        for (const d of DRFS) expect(okReadings(rec.readings.slice(gapAt)).some((x) => x.drf === d), `${d} resumed`).to.equal(true);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('drop between frames', () => {
    it('without reconnect: ConnectionLost (closed/reset), not a protocol error', async () => {
      await withSim({ faults: (i) => (i === 0 ? { dropAfterFrames: 12 } : {}) }, async (_sim, client) => {
        const rec = record(client, DRFS);
        await endedWithin(rec, 3000);
        expect(rec.error).to.be.instanceOf(ConnectionLost);
        expect(['closed', 'reset']).to.include((rec.error as ConnectionLost).reason);
        expect((rec.error as ConnectionLost).cause).not.to.be.instanceOf(ProtocolError);
        expect(okReadings(rec.readings).length).to.be.greaterThan(2);
        expect(gapReadings(rec.readings)).to.have.length(0);
        expectCleanSequence(rec.readings);
      });
    });

    it('with reconnect (drop after a time, on two connections in a row): two gaps, three connections, clean sequence', async () => {
      await withSim({ faults: (i) => (i < 2 ? { dropAfterMs: 250 } : {}) }, async (sim, client) => {
        const rec = record(client, DRFS, { reconnect: { initialDelay: 100, factor: 1 } });
        await until(() => gapReadings(rec.readings).length >= 4, 4000, 'two gaps');
        const lastGap = rec.readings.lastIndexOf(gapReadings(rec.readings).at(-1)!);
        await until(() => okReadings(rec.readings.slice(lastGap)).length >= 6, 3000, 'readings after the last reconnect');
        rec.subscription.unsubscribe();
        expect(rec.error).to.equal(undefined);
        expect(sim.totalConnections).to.equal(3);
        expect(stateKinds(rec.events).filter((k) => k === 'reconnecting')).to.have.length(2);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('heartbeat stop and stall', () => {
    it('heartbeats stopped but data flowing: data is proof of life, no ConnectionLost', async () => {
      await withSim({ faults: { noHeartbeats: true } }, async (_sim, client) => {
        const rec = record(client, E15);
        // 19 readings at 15 Hz span 1.2 s of the simulator's clock: 3 × the 400 ms watchdog
        await until(() => rec.error !== undefined || okReadings(rec.readings).length >= 19, 10_000, '19 readings (or an error)');
        rec.subscription.unsubscribe();
        expect(rec.error).to.equal(undefined);
        expect(okReadings(rec.readings).length).to.be.greaterThan(10);
        expectCleanSequence(rec.readings);
      });
    });

    it('stall (socket open, nothing sent, no heartbeats): the watchdog fails the stream with ConnectionLost(heartbeat)', async () => {
      await withSim({ faults: (i) => (i === 0 ? { stallAfterFrames: 8, noHeartbeats: true } : {}) }, async (_sim, client) => {
        const rec = record(client, E15);
        await until(() => rec.readings.length > 0, 2000, 'the first reading');
        await endedWithin(rec, 3000);
        const lastReadingAt = Date.now() - (rec.readings.at(-1)!.timestamp?.getTime() ?? 0);
        expect(rec.error).to.be.instanceOf(ConnectionLost);
        expect((rec.error as ConnectionLost).reason).to.equal('heartbeat');
        // failed one watchdog period (400 ms) after the last frame, not much later
        expect(lastReadingAt).to.be.within(300, 1500);
        expect(okReadings(rec.readings).length).to.be.greaterThan(0);
        expectCleanSequence(rec.readings);
        expect(stateKinds(rec.events)).to.include('closed');
      });
    });

    it('stall with reconnect: ConnectionLost(heartbeat) becomes a gap and a new connection', async () => {
      await withSim({ faults: (i) => (i === 0 ? { stallAfterFrames: 8, noHeartbeats: true } : {}) }, async (sim, client) => {
        const rec = record(client, E15, { reconnect: { initialDelay: 100 } });
        await until(() => gapReadings(rec.readings).length === 1, 3000, 'the gap reading');
        const gapAt = rec.readings.indexOf(gapReadings(rec.readings)[0]!);
        await until(() => okReadings(rec.readings.slice(gapAt)).length >= 3, 3000, 'readings after the reconnect');
        rec.subscription.unsubscribe();
        const re = rec.events.find((e) => e.kind === 'state' && e.state.kind === 'reconnecting');
        expect(re?.kind === 'state' && re.state.kind === 'reconnecting' ? (re.state.reason as ConnectionLost).reason : undefined).to.equal('heartbeat');
        expect(sim.totalConnections).to.equal(2);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('trickle: bytes arrive, frames do not', () => {
    it('a frame that never completes is silence: the watchdog fails the stream with ConnectionLost(heartbeat)', async () => {
      await withSim({ faults: (i) => (i === 0 ? { trickleAfterFrames: 8, trickleIntervalMs: 20 } : {}) }, async (_sim, client) => {
        const rec = record(client, E15);
        await until(() => rec.readings.length > 0, 2000, 'the first reading');
        await endedWithin(rec, 3000);
        expect(rec.error).to.be.instanceOf(ConnectionLost);
        expect((rec.error as ConnectionLost).reason).to.equal('heartbeat');
        const lastReadingAt = Date.now() - (rec.readings.at(-1)!.timestamp?.getTime() ?? 0);
        expect(lastReadingAt).to.be.within(300, 1500); // one watchdog period (400 ms) after the last frame
        expectCleanSequence(rec.readings);
      });
    });

    it('with reconnect: a gap and a new connection', async () => {
      await withSim({ faults: (i) => (i === 0 ? { trickleAfterFrames: 8, trickleIntervalMs: 20 } : {}) }, async (sim, client) => {
        const rec = record(client, E15, { reconnect: { initialDelay: 100 } });
        await until(() => gapReadings(rec.readings).length === 1, 3000, 'the gap reading');
        const gapAt = rec.readings.indexOf(gapReadings(rec.readings)[0]!);
        await until(() => okReadings(rec.readings.slice(gapAt)).length >= 3, 3000, 'readings after the reconnect');
        rec.subscription.unsubscribe();
        expect(sim.totalConnections).to.equal(2);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('garbage frame', () => {
    it('is reported on protocolErrors$ (non-fatal) and the stream goes on without a gap or a loss', async () => {
      // 0F at 5 Hz so that one lost reading (a 400 ms gap) stands out from timer jitter
      await withSim({ clockEvents: { '0F': 5 }, faults: (i) => (i === 0 ? { garbageFrameAfterFrames: 5 } : {}) }, async (sim, client) => {
        const rec = record(client, E15);
        await until(() => rec.protocolErrors.length === 1, 3000, 'the protocol error');
        const at = rec.readings.length;
        await until(() => rec.readings.length >= at + 3, 3000, 'readings after the garbage frame');
        rec.subscription.unsubscribe();
        expect(rec.error).to.equal(undefined);
        const pe = rec.protocolErrors[0]!;
        expect(pe).to.be.instanceOf(AcsysError);
        expect(pe.category).to.equal('bad_header');
        expect(pe.fatal).to.equal(false);
        expect(sim.totalConnections).to.equal(1);
        expect(gapReadings(rec.readings)).to.have.length(0);
        expect(duplicates(rec.readings)).to.deep.equal([]);
        expect(nonIncreasing(rec.readings)).to.deep.equal([]);
        // the garbage frame was an extra frame: no reading is missing around it
        expect(silentLosses(rec.readings, E15, 200, 1.5)).to.deep.equal([]);
        expect(at, 'readings before the garbage frame').to.be.greaterThan(0);
      });
    });
  });

  describe('oversized length', () => {
    it('0x7FFFFFF0: ConnectionLost(protocol) caused by a fatal ProtocolError "bad_frame_length"', async () => {
      await withSim({ faults: { oversizedLengthAfterFrames: 8 } }, async (_sim, client) => {
        const rec = record(client, E15);
        await endedWithin(rec, 3000);
        const cause = protocolCause(rec.error);
        expect(cause.category).to.equal('bad_frame_length');
        expect(cause.fatal).to.equal(true);
        expectCleanSequence(rec.readings);
      });
    });

    it('one byte over the client\'s maxFrameBytes, and a zero length: bad_frame_length as well', async () => {
      for (const oversizedLength of [1025, 0]) {
        await withSim(
          { faults: { oversizedLengthAfterFrames: 6, oversizedLength } },
          async (_sim, client) => {
            const rec = record(client, E15);
            await endedWithin(rec, 3000);
            expect(protocolCause(rec.error).category, `length ${oversizedLength}`).to.equal('bad_frame_length');
          },
          { maxFrameBytes: 1024 },
        );
      }
    });

    it('with reconnect: fatal framing error → gap, reconnect, data again', async () => {
      await withSim({ faults: (i) => (i === 0 ? { oversizedLengthAfterFrames: 8 } : {}) }, async (sim, client) => {
        const rec = record(client, E15, { reconnect: { initialDelay: 100 } });
        await until(() => gapReadings(rec.readings).length === 1, 3000, 'the gap reading');
        const gapAt = rec.readings.indexOf(gapReadings(rec.readings)[0]!);
        await until(() => okReadings(rec.readings.slice(gapAt)).length >= 3, 3000, 'readings after the reconnect');
        rec.subscription.unsubscribe();
        expect(sim.totalConnections).to.equal(2);
        expectCleanSequence(rec.readings);
      });
    });
  });

  describe('pooled one-shot reads over a faulty first connection', () => {
    const cases: [string, FaultOptions, number][] = [
      ['stall (watchdog)', { stallAfterFrames: 1, noHeartbeats: true }, 2],
      ['drop between frames', { dropAfterFrames: 1 }, 2],
      ['drop mid-frame', { dropAfterFrames: 1, dropMidFrame: true }, 2],
      ['oversized length', { oversizedLengthAfterFrames: 1 }, 2],
      ['garbage frame (not fatal: same connection)', { garbageFrameAfterFrames: 1 }, 1],
    ];
    for (const [name, fault, connections] of cases) {
      it(`${name}: the read succeeds within its deadline, on ${connections} connection(s)`, async () => {
        await withSim({ faults: (i) => (i === 0 ? fault : {}) }, async (sim, client) => {
          sim.setDevice('M:OUTTMP', 42.5);
          const t0 = Date.now();
          expect(await firstValueFrom(client.read('M:OUTTMP'))).to.equal(42.5);
          expect(Date.now() - t0).to.be.lessThan(2000);
          expect(await firstValueFrom(client.read('M:OUTTMP'))).to.equal(42.5);
          expect(sim.totalConnections).to.equal(connections);
        });
      });
    }
  });

  describe('1-byte delivery', () => {
    // Liveness counts complete frames: a 9 KB frame (Z:ARRAY1K) written one byte per event-loop
    // turn by the in-process simulator can take longer than the 400 ms watchdog of the other
    // fault tests on a loaded machine. These tests are about reassembly, so they use 5 s.
    const slowFrames = { heartbeat: 5000 };
    it('a stream delivered one byte per write gives the same readings as a normal one', async () => {
      // connection 0 trickles; connection 1 is normal; both subscribe to the same 15 Hz event
      await withSim({ faults: (i) => (i === 0 ? { oneByteWrites: true } : {}) }, async (sim, client) => {
        sim.setDevice('M:OUTTMP', 72.5);
        const slow = record(client, [E15, 'G:AMANDA@e,0F']);
        await until(() => sim.totalConnections === 1, 1000, 'the first connection');
        const fast = record(client, [E15, 'G:AMANDA@e,0F']);
        await until(() => okReadings(slow.readings).length >= 20, 6000, '20 trickled readings');
        slow.subscription.unsubscribe();
        fast.subscription.unsubscribe();
        expect(slow.error).to.equal(undefined);
        expect(slow.protocolErrors).to.have.length(0);
        expectCleanSequence(slow.readings);
        expectCleanSequence(fast.readings);
        // same cycle on both connections → same value and metadata. The simulator derives
        // `cycle` from wall time per list (not from the clock-event count), so two lists on
        // one tick can differ by a few ms, and in rare cases one cycle number names adjacent
        // ticks: timestamps within one tick period, G:AMANDA (10 s sine, ±10) within 1.0.
        const key = (r: Reading): string => `${r.drf}@${r.cycle}`;
        const fastBy = new Map(okReadings(fast.readings).map((r) => [key(r), r]));
        let common = 0;
        for (const r of okReadings(slow.readings)) {
          const f = fastBy.get(key(r));
          if (f === undefined) continue;
          common++;
          expect(r.valueType, key(r)).to.equal(f.valueType);
          if (r.drf === E15) expect(r.value, key(r)).to.equal(f.value);
          else expect(r.value as number, key(r)).to.be.closeTo(f.value as number, 1.0);
          expect(Math.abs((r.timestamp?.getTime() ?? 0) - (f.timestamp?.getTime() ?? 0)), key(r)).to.be.at.most(70);
          expect(r.meta, key(r)).to.deep.equal(f.meta);
        }
        expect(common, 'readings of the same cycle on both connections').to.be.greaterThan(5);
        expect(okReadings(slow.readings).filter((r) => r.drf === E15).every((r) => r.value === 72.5)).to.equal(true);
      }, slowFrames);
    });

    it('one-shot reads and getMany through a 1-byte connection', async () => {
      await withSim({ faults: { oneByteWrites: true } }, async (sim, client) => {
        sim.setDevice('M:OUTTMP', 12.25);
        expect(await firstValueFrom(client.read('M:OUTTMP'))).to.equal(12.25);
        const rs = await firstValueFrom(client.getMany(['M:OUTTMP', 'Z:TEXTDEV', 'Z:ARRAY1K']));
        expect(rs.map((r) => r.status.isFailure)).to.deep.equal([false, false, false]);
        expect(rs[0]!.value).to.equal(12.25);
        expect((rs[2]!.value as Float64Array).length).to.equal(1024);
      }, slowFrames);
    });
  });
});
