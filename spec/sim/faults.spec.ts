import { expect } from 'chai';
import { useSim, useVirtualSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { RawDpmClient } from '../support/raw-client.js';
import { quietWindow, until } from '../support/until.js';
import { encodeReplyFrame } from '../../lib/protocol/index.js';
import { needsFrameExactWrites, resolveFaults, type FaultOptions } from '../../lib/sim/faults.js';

describe('sim/faults: resolveFaults', () => {
  it('takes an object or a function of the connection index', () => {
    expect(resolveFaults(undefined, 0)).to.deep.equal({});
    expect(resolveFaults({ noHeartbeats: true }, 5)).to.deep.equal({ noHeartbeats: true });
    const f = (i: number): FaultOptions | undefined => (i === 0 ? { dropAfterFrames: 1 } : undefined);
    expect(resolveFaults(f, 0)).to.deep.equal({ dropAfterFrames: 1 });
    expect(resolveFaults(f, 1)).to.deep.equal({});
    expect(needsFrameExactWrites({ noHeartbeats: true })).to.equal(false);
    expect(needsFrameExactWrites({ oneByteWrites: true })).to.equal(true);
    expect(needsFrameExactWrites({ trickleAfterFrames: 3 })).to.equal(true);
  });
});

describe('sim/faults: over sockets', () => {
  let faults: FaultOptions | ((i: number) => FaultOptions) = {};
  const h = useSim(() => ({ heartbeatMs: 50, faults }));
  const withFaults = (f: typeof faults): void => {
    faults = f;
  };
  afterEach(() => withFaults({}));

  describe('httpError', () => {
    before(() => withFaults({ httpError: 'HTTP/1.1 503 Service Unavailable' }));
    it('answers the handshake with the configured HTTP status line and closes', async () => {
      const c = await h.open({ waitOpen: false });
      await c.waitClosed();
      expect(c.framingError?.category).to.equal('http_error');
      expect(c.framingError?.statusLine).to.equal('HTTP/1.1 503 Service Unavailable');
    });
  });

  describe('closeOnHandshake', () => {
    before(() => withFaults({ closeOnHandshake: true }));
    it('closes without a byte', async () => {
      const c = await h.open({ waitOpen: false });
      await c.waitClosed();
      expect(c.bytesIn).to.equal(0);
    });
  });

  describe('faulting only the first connection (function form)', () => {
    before(() => withFaults((i) => (i === 0 ? { httpError: 'HTTP/1.1 502 Bad Gateway' } : {})));
    it('lets a reconnect succeed', async () => {
      const a = await h.open({ waitOpen: false });
      await a.waitClosed();
      expect(a.framingError?.statusLine).to.equal('HTTP/1.1 502 Bad Gateway');
      const b = await h.open();
      expect(b.listId).to.be.within(4096, 6143);
    });
  });

  describe('dropAfterFrames', () => {
    before(() => withFaults({ dropAfterFrames: 2 }));
    it('closes cleanly between frames after N frames', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'G:AMANDA@p,10']]);
      await c.waitClosed();
      expect(c.frames).to.equal(2);
      expect(c.framingError).to.equal(undefined);
    });
  });

  describe('dropAfterFrames + dropMidFrame', () => {
    before(() => withFaults({ dropAfterFrames: 1, dropMidFrame: true }));
    it('writes half a frame, then closes (a close inside a frame)', async () => {
      const c = await h.open();
      await c.waitClosed();
      expect(c.frames).to.equal(1);
      expect(c.framingError?.category).to.equal('truncated');
    });
  });

  describe('dropAfterMs', () => {
    before(() => withFaults({ dropAfterMs: 120 }));
    it('closes about T ms after the handshake', async () => {
      const t0 = Date.now();
      const c = await h.open();
      await c.waitClosed();
      expect(Date.now() - t0).to.be.within(100, 1000);
      expect(c.framingError).to.equal(undefined);
    });
  });

  describe('dropAfterMs + dropMidFrame', () => {
    before(() => withFaults({ dropAfterMs: 60, dropMidFrame: true }));
    it('closes inside a frame', async () => {
      const c = await h.open();
      await c.waitClosed();
      expect(c.framingError?.category).to.equal('truncated');
    });
  });

  describe('oneByteWrites', () => {
    before(() => withFaults({ oneByteWrites: true }));
    it('delivers the same replies in 1-byte writes', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'M:OUTTMP@I']]);
      await replyFor(c, 'Scalar_reply', 1);
      expect(c.chunksIn).to.be.greaterThan(20);
      expect(c.decodeErrors).to.have.length(0);
    });
  });

  describe('garbageFrameAfterFrames', () => {
    before(() => withFaults({ garbageFrameAfterFrames: 1 }));
    it('sends one well-framed undecodable frame; the stream goes on', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'M:OUTTMP@I']]);
      await replyFor(c, 'Scalar_reply', 1);
      expect(c.decodeErrors).to.have.length(1);
      expect(c.decodeErrors[0]!.fatal).to.equal(false);
      expect(c.framingError).to.equal(undefined);
    });
  });

  describe('oversizedLengthAfterFrames', () => {
    before(() => withFaults({ oversizedLengthAfterFrames: 1 }));
    it('sends a length prefix over the limit (a fatal framing error for the client)', async () => {
      const c = await h.open();
      await until(() => c.framingError !== undefined, { what: 'a framing error' }); // at the first heartbeat
      expect(c.framingError?.category).to.equal('bad_frame_length');
    });
  });

  describe('replyDelayMs', () => {
    before(() => withFaults({ replyDelayMs: 150 }));
    it('delays every frame after OpenList_reply, keeping order', async () => {
      const c = await h.open();
      const t0 = Date.now();
      addAndStart(c, [[1, 'M:OUTTMP@I']]);
      await replyFor(c, 'Scalar_reply', 1);
      expect(Date.now() - t0).to.be.at.least(140);
      expect(c.replies.map((m) => m.type).filter((t) => t !== 'ListStatus_reply')).to.deep.equal([
        'OpenList_reply',
        'DeviceInfo_reply',
        'StartList_reply',
        'Scalar_reply',
      ]);
    });
  });

  it('connections without faults are unaffected', async () => {
    const c = await RawDpmClient.connect(h.sim.port);
    addAndStart(c, [[1, 'M:OUTTMP@I']]);
    await replyFor(c, 'Scalar_reply', 1);
    c.close();
  });
});

/**
 * After the bytes a fault lets through have arrived, how long a stalled connection is watched for
 * more: the simulator has already produced (in virtual time) everything it would send, and its
 * writes reach a loopback socket within an event-loop turn or two, so a byte that should not come
 * would arrive well within this window. No event can say "nothing more will come" from a server
 * that stopped talking, hence a (short) real-time window.
 */
const STALLED_QUIET_MS = 100;

describe('sim/faults: over sockets, in virtual time', () => {
  let faults: FaultOptions = {};
  // (the simulator starts in a beforeEach: each block sets its faults in a `before`)
  const h = useVirtualSim(() => ({ heartbeatMs: 50, faults }));

  describe('noHeartbeats', () => {
    before(() => (faults = { noHeartbeats: true }));
    after(() => (faults = {}));
    it('sends no ListStatus_reply', async () => {
      const c = await h.open();
      h.vs.advance(1000); // 20 heartbeat periods
      await c.barrier();
      expect(c.replies.map((m) => m.type)).to.deep.equal(['OpenList_reply']);
    });
  });

  describe('stallAfterFrames', () => {
    before(() => (faults = { stallAfterFrames: 1 }));
    after(() => (faults = {}));
    it('keeps the socket open but sends nothing after N frames', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'G:AMANDA@p,10']]);
      h.vs.advance(1000); // 100 readings and heartbeats that must not be sent
      await quietWindow(STALLED_QUIET_MS);
      expect(c.frames).to.equal(1);
      expect(c.isClosed).to.equal(false);
    });
  });

  describe('trickleAfterFrames', () => {
    before(() => (faults = { trickleAfterFrames: 1, trickleIntervalMs: 20 }));
    after(() => (faults = {}));
    it('starts a 4096-byte frame after N frames and then sends one byte of it per interval, nothing else', async () => {
      const c = await h.open();
      const base = encodeReplyFrame({ type: 'OpenList_reply', list_id: c.listId }).length; // the one frame
      await until(() => c.bytesIn >= base + 4, { what: 'the 4-byte length prefix' });
      addAndStart(c, [[1, 'G:AMANDA@p,10']]);
      h.vs.advance(200); // 10 intervals; readings and heartbeats must not be sent
      await until(() => c.bytesIn >= base + 4 + 10, { what: 'ten trickled bytes' });
      await quietWindow(STALLED_QUIET_MS);
      // 4 prefix bytes + one byte per 20 ms; the frame cannot complete for 80 s
      expect(c.bytesIn - base).to.equal(4 + 10);
      expect(c.frames).to.equal(1);
      expect(c.isClosed).to.equal(false);
    });
  });
});
