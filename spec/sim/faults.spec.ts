import { expect } from 'chai';
import { useSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { RawDpmClient, sleep } from '../support/raw-client.js';
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

  describe('noHeartbeats', () => {
    before(() => withFaults({ noHeartbeats: true }));
    it('sends no ListStatus_reply', async () => {
      const c = await h.open();
      await sleep(250);
      expect(c.replies.map((m) => m.type)).to.deep.equal(['OpenList_reply']);
    });
  });

  describe('stallAfterFrames', () => {
    before(() => withFaults({ stallAfterFrames: 1 }));
    it('keeps the socket open but sends nothing after N frames', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'G:AMANDA@p,10']]);
      await sleep(250);
      expect(c.frames).to.equal(1);
      expect(c.isClosed).to.equal(false);
    });
  });

  describe('trickleAfterFrames', () => {
    before(() => withFaults({ trickleAfterFrames: 1, trickleIntervalMs: 20 }));
    it('starts a 4096-byte frame after N frames and then sends one byte of it per interval, nothing else', async () => {
      const c = await h.open();
      addAndStart(c, [[1, 'G:AMANDA@p,10']]);
      await sleep(100);
      const before = c.bytesIn;
      await sleep(250);
      expect(c.frames).to.equal(1);
      expect(c.isClosed).to.equal(false);
      // 4 prefix bytes + one byte per 20 ms; the frame cannot complete for 80 s
      expect(c.bytesIn - before).to.be.within(6, 20);
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
      await sleep(100);
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
