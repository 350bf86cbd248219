import { expect } from 'chai';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { Outbox, type OutboxOptions, type OutboxSocket } from '../../lib/web/outbox.js';

/** A socket whose backlog the test sets and whose write callbacks the test releases. */
class FakeSocket implements OutboxSocket {
  bufferedAmount = 0;
  readonly frames: unknown[][] = [];
  private readonly pending: ((err?: Error) => void)[] = [];
  send(data: string, cb: (err?: Error) => void): void {
    this.frames.push(JSON.parse(data) as unknown[]);
    this.pending.push(cb);
  }
  /** Completes the oldest `n` writes. */
  written(n = this.pending.length): void {
    for (const cb of this.pending.splice(0, n)) cb();
  }
  get items(): unknown[] {
    return this.frames.flat();
  }
}

function setup(over: Partial<OutboxOptions> = {}): { out: Outbox; socket: FakeSocket; sched: VirtualTimeScheduler; gaveUp: string[]; advance(ms: number): void } {
  const sched = new VirtualTimeScheduler(VirtualAction, Infinity);
  const socket = new FakeSocket();
  const gaveUp: string[] = [];
  const out = new Outbox(socket, {
    highWaterBytes: 1000,
    maxFrameBytes: 10_000,
    maxHeldControl: 5,
    stallMs: 5000,
    onGiveUp: (why) => gaveUp.push(why),
    scheduler: sched,
    flushScheduler: sched,
    ...over,
  });
  // virtual time moves `ms` forward (a no-op action marks the target frame)
  const advance = (ms: number): void => {
    sched.schedule(() => undefined, ms);
    sched.maxFrames = sched.frame + ms;
    sched.flush();
  };
  return { out, socket, sched, gaveUp, advance };
}

const r = (id: number, k: number, v: number): string => JSON.stringify([id, k, 0, 0, 0, 's', v]);

describe('web/outbox', () => {
  it('sends the items of one burst in one frame, in order', () => {
    const { out, socket, advance } = setup();
    out.control('{"t":"hello"}');
    out.reading(1, 0, r(1, 0, 1));
    out.reading(1, 0, r(1, 0, 2)); // not backed up: nothing is replaced
    out.reading(2, 3, r(2, 3, 9));
    expect(socket.frames).to.have.length(0);
    advance(0);
    expect(socket.frames).to.deep.equal([[{ t: 'hello' }, [1, 0, 0, 0, 0, 's', 1], [1, 0, 0, 0, 0, 's', 2], [2, 3, 0, 0, 0, 's', 9]]]);
    expect(out.stats()).to.include({ sent: 4, frames: 1, dropped: 0, held: 0, congested: false });
  });

  it('splits a large burst into frames of at most maxFrameBytes characters', () => {
    const { out, socket, advance } = setup({ maxFrameBytes: 100 });
    for (let i = 0; i < 20; i++) out.reading(1, i, r(1, i, i));
    advance(0);
    expect(socket.frames.length).to.be.greaterThan(3);
    expect(socket.items).to.have.length(20);
    expect(socket.items.map((x) => (x as number[])[1])).to.deep.equal([...Array(20).keys()]);
  });

  it('while backed up keeps only the newest reading per device, counts the rest as dropped, keeps control items in order', () => {
    const { out, socket, advance } = setup();
    out.reading(1, 0, r(1, 0, 0));
    advance(0);
    socket.bufferedAmount = 5000; // the peer stopped reading
    for (let n = 1; n <= 10; n++) {
      for (let k = 0; k < 5; k++) out.reading(1, k, r(1, k, n));
      if (n === 3) out.control('{"t":"end","id":9}');
      advance(0);
    }
    out.heartbeat('{"t":"hb","dropped":1}');
    out.heartbeat('{"t":"hb","dropped":2}');
    expect(socket.frames).to.have.length(1);
    const s = out.stats();
    expect(s).to.include({ congested: true, held: 7, dropped: 45 });
    expect(s.maxHeld).to.equal(7);
    // the socket drains: everything held goes out at once, the newest values behind the control item
    socket.bufferedAmount = 0;
    socket.written();
    expect(socket.frames).to.have.length(2);
    expect(socket.frames[1]).to.deep.equal([
      { t: 'end', id: 9 },
      [1, 0, 0, 0, 0, 's', 10],
      [1, 1, 0, 0, 0, 's', 10],
      [1, 2, 0, 0, 0, 's', 10],
      [1, 3, 0, 0, 0, 's', 10],
      [1, 4, 0, 0, 0, 's', 10],
      { t: 'hb', dropped: 2 },
    ]);
    expect(out.stats()).to.include({ congested: false, held: 0, dropped: 45 });
    // and normal service resumes
    out.reading(1, 0, r(1, 0, 11));
    advance(0);
    expect(socket.frames[2]).to.deep.equal([[1, 0, 0, 0, 0, 's', 11]]);
  });

  it('replaces held metadata and states without counting them as dropped readings', () => {
    const { out, socket, advance } = setup();
    out.control('{"t":"hello"}');
    advance(0);
    socket.bufferedAmount = 5000;
    out.meta(1, 0, '{"t":"meta","n":1}');
    out.state(1, '{"t":"state","n":1}');
    out.meta(1, 0, '{"t":"meta","n":2}');
    out.state(1, '{"t":"state","n":2}');
    advance(0);
    expect(out.stats()).to.include({ held: 2, dropped: 0 });
    socket.bufferedAmount = 0;
    socket.written();
    expect(socket.frames[1]).to.deep.equal([
      { t: 'meta', n: 2 },
      { t: 'state', n: 2 },
    ]);
  });

  it('gives up a peer that lets control items pile up (overflow), and sends nothing more', () => {
    const { out, socket, gaveUp, advance } = setup({ maxHeldControl: 5 });
    out.control('{"t":"hello"}');
    advance(0);
    socket.bufferedAmount = 5000;
    for (let i = 0; i < 5; i++) out.control(`{"t":"error","id":${i}}`);
    advance(0);
    expect(gaveUp).to.deep.equal([]);
    out.control('{"t":"error","id":99}');
    expect(gaveUp).to.deep.equal(['overflow']);
    socket.bufferedAmount = 0;
    socket.written();
    out.reading(1, 0, r(1, 0, 1));
    advance(10_000);
    expect(socket.frames).to.have.length(1);
    expect(out.stats().held).to.equal(0);
  });

  it('gives up a peer backed up with no write completing for stallMs', () => {
    const { out, socket, gaveUp, advance } = setup({ stallMs: 5000 });
    out.reading(1, 0, r(1, 0, 0));
    advance(0);
    socket.bufferedAmount = 5000;
    out.reading(1, 0, r(1, 0, 1));
    advance(0);
    expect(out.stats().congested).to.equal(true);
    advance(4000);
    out.reading(1, 0, r(1, 0, 2)); // new data is no progress
    advance(900);
    expect(gaveUp).to.deep.equal([]);
    advance(200);
    expect(gaveUp).to.deep.equal(['stall']);
  });

  it('a completed write while backed up postpones the stall', () => {
    const { out, socket, gaveUp, advance } = setup({ stallMs: 5000 });
    for (let i = 0; i < 3; i++) {
      out.reading(1, i, r(1, i, 0));
      advance(0);
    }
    socket.bufferedAmount = 5000;
    out.reading(1, 0, r(1, 0, 1));
    advance(0);
    advance(4000);
    socket.written(1); // one write completes; the backlog is still high
    advance(4000);
    expect(gaveUp).to.deep.equal([]);
    socket.written(1);
    advance(4000);
    expect(gaveUp).to.deep.equal([]);
    advance(1500);
    expect(gaveUp).to.deep.equal(['stall']);
  });

  it('close() drops everything and cancels the stall timer', () => {
    const { out, socket, gaveUp, sched, advance } = setup();
    out.reading(1, 0, r(1, 0, 0));
    advance(0);
    socket.bufferedAmount = 5000;
    out.reading(1, 0, r(1, 0, 1));
    advance(0);
    expect(sched.actions.filter((a) => !a.closed)).to.have.length(1); // the stall timer
    out.close();
    expect(sched.actions.filter((a) => !a.closed)).to.have.length(0);
    advance(100_000);
    expect(gaveUp).to.deep.equal([]);
    socket.written();
    expect(socket.frames).to.have.length(1);
    expect(out.stats()).to.include({ held: 0, bufferedBytes: 0 });
  });
});
