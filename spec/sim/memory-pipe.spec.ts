import { expect } from 'chai';
import { once } from 'node:events';
import { memoryPipe } from '../../lib/sim/memory-pipe.js';

describe('sim/memory-pipe', () => {
  it('what one end writes, the other reads, in order, both ways', async () => {
    const [a, b] = memoryPipe();
    const gotB: number[] = [];
    const gotA: number[] = [];
    b.on('data', (d: Buffer) => gotB.push(...d));
    a.on('data', (d: Buffer) => gotA.push(...d));
    a.write(new Uint8Array([1, 2]));
    a.write(new Uint8Array([3]));
    b.write(new Uint8Array([9]));
    await new Promise((r) => setImmediate(r));
    expect(gotB).to.deep.equal([1, 2, 3]);
    expect(gotA).to.deep.equal([9]);
    a.destroy();
  });

  it('backpressure: a write returns false while the reader does not read, and drain follows when it does', async () => {
    const [a, b] = memoryPipe();
    const chunk = new Uint8Array(64 * 1024);
    let ok = true;
    let writes = 0;
    while (ok && writes < 100) {
      ok = a.write(chunk);
      writes++;
    }
    expect(ok).to.equal(false); // b is paused (no reader): the buffers filled up
    expect(writes).to.be.lessThan(100);
    const drained = once(a, 'drain');
    let read = 0;
    b.on('data', (d: Buffer) => (read += d.length));
    await drained;
    expect(read).to.be.greaterThan(0);
    a.destroy();
  });

  it('end() ends the other side; destroy() closes both ends', async () => {
    const [a, b] = memoryPipe();
    b.resume();
    const ended = once(b, 'end');
    a.end();
    await ended;
    const [c, d] = memoryPipe();
    const closed = Promise.all([once(c, 'close'), once(d, 'close')]);
    c.destroy();
    await closed;
    expect(c.destroyed && d.destroyed).to.equal(true);
  });

  it('has the socket-only methods as no-ops and names its peer', () => {
    const [a] = memoryPipe();
    expect(a.ref()).to.equal(a);
    expect(a.unref()).to.equal(a);
    expect(a.setNoDelay()).to.equal(a);
    expect(a.setKeepAlive()).to.equal(a);
    expect(a.remoteAddress).to.equal('in-process');
    a.destroy();
  });
});
