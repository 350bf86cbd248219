/**
 * Mocha helpers for simulator specs: a simulator per test, raw clients that are closed
 * afterwards, and request shorthands.
 *
 * @example
 * ```ts
 * const h = useSim({ heartbeatMs: 100 });
 * it('reads', async () => { const c = await h.open(); read(c, 1, 'M:OUTTMP@I'); });
 * ```
 */
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../lib/sim/index.js';
import type { ReplyMessage, ReplyOf, ReplyType } from '../../lib/protocol/index.js';
import { RawDpmClient, type RawConnectOptions } from './raw-client.js';
import { VirtualScheduler } from './virtual-scheduler.js';

/**
 * What {@link useSim} gives a test.
 *
 * @example
 * ```ts
 * const h: SimHarness = useSim();
 * ```
 */
export interface SimHarness {
  readonly sim: SimulatorHandle;
  open(options?: RawConnectOptions): Promise<RawDpmClient>;
}

/**
 * Starts a simulator before each test and closes it (and every client) after.
 *
 * @example
 * ```ts
 * const h = useSim({ heartbeatMs: 100 });
 * it('x', async () => { const c = await h.open(); });
 * ```
 */
export function useSim(options: SimulatorOptions | (() => SimulatorOptions) = {}): SimHarness {
  let sim: SimulatorHandle | undefined;
  const clients: RawDpmClient[] = [];
  beforeEach(async () => {
    sim = await startSimulator(typeof options === 'function' ? options() : options);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim?.close();
    sim = undefined;
  });
  return {
    get sim() {
      if (sim === undefined) throw new Error('no simulator running');
      return sim;
    },
    async open(o?: RawConnectOptions) {
      const c = await RawDpmClient.connect(sim!.port, o);
      clients.push(c);
      return c;
    },
  };
}

/**
 * Sends AddToList for each `[ref, drf]` then StartList, in one write.
 *
 * @example
 * ```ts
 * addAndStart(c, [[1, 'M:OUTTMP@p,1000']]);
 * ```
 */
export function addAndStart(c: RawDpmClient, entries: readonly (readonly [number, string])[], model?: string): void {
  c.send(
    ...entries.map(([ref, drf]) => ({ type: 'AddToList_request' as const, list_id: c.listId, ref_id: ref, drf_request: drf })),
    model === undefined ? { type: 'StartList_request', list_id: c.listId } : { type: 'StartList_request', list_id: c.listId, model },
  );
}

/**
 * Waits for the first reply of `type` for `ref` (at or after the client's mark).
 *
 * @example
 * ```ts
 * const r = await replyFor(c, 'Scalar_reply', 1); // typed as ScalarReply
 * ```
 */
export async function replyFor<T extends ReplyType>(c: RawDpmClient, type: T, ref?: number, timeoutMs = 3000): Promise<ReplyOf<T>> {
  const m = await c.waitFor((r: ReplyMessage) => r.type === type && (ref === undefined || ('ref_id' in r && r.ref_id === ref)), timeoutMs);
  return m as ReplyOf<T>;
}

/**
 * One-shot read: adds `drf` under `ref`, starts, and returns the first non-DeviceInfo reply for `ref`.
 *
 * @example
 * ```ts
 * const r = await readOnce(c, 1, 'M:OUTTMP@I');
 * ```
 */
export async function readOnce(c: RawDpmClient, ref: number, drf: string): Promise<ReplyMessage> {
  c.mark();
  addAndStart(c, [[ref, drf]]);
  return c.waitFor((r) => 'ref_id' in r && r.ref_id === ref && r.type !== 'DeviceInfo_reply');
}

/**
 * What {@link useVirtualSim} gives a test: the simulator's clock, which moves only on `vs.advance`.
 *
 * @example
 * ```ts
 * const h: VirtualSimHarness = useVirtualSim();
 * ```
 */
export interface VirtualSimHarness extends SimHarness {
  readonly vs: VirtualScheduler;
}

/**
 * {@link useSim} with a {@link VirtualScheduler} as the simulator's scheduler (a fresh one per
 * test, starting at the wall clock): every period, clock event and heartbeat of the simulator
 * runs only when the test advances time; the sockets stay real.
 *
 * @example
 * ```ts
 * const h = useVirtualSim({ heartbeatMs: 5000 });
 * it('ticks', async () => { const c = await h.open(); addAndStart(c, [[1, 'G:AMANDA@p,25']]); h.vs.advance(100); await c.barrier(); });
 * ```
 */
export function useVirtualSim(options: SimulatorOptions | (() => SimulatorOptions) = {}): VirtualSimHarness {
  let vs: VirtualScheduler | undefined;
  const h = useSim(() => {
    vs = new VirtualScheduler(Date.now());
    return { ...(typeof options === 'function' ? options() : options), scheduler: vs };
  });
  return {
    get sim() {
      return h.sim;
    },
    open: (o) => h.open(o),
    get vs() {
      if (vs === undefined) throw new Error('no simulator running');
      return vs;
    },
  };
}
