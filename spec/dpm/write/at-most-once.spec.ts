import { expect } from 'chai';
import fc from 'fast-check';
import { Subscription, firstValueFrom, lastValueFrom, takeUntil, timeout, timer, TimeoutError, toArray } from 'rxjs';
import { dpm, type DpmClient } from '../../../lib/dpm/client.js';
import { insecureSimulatorAuth, type WriteResult } from '../../../lib/dpm/write/index.js';
import {
  authHookFromOptions,
  generateCatalogue,
  startSimulator,
  type FaultOptions,
  type SimAuthHook,
  type SimSettingRecord,
  type SimulatorHandle,
  type SimulatorOptions,
} from '../../../lib/sim/index.js';
import { until } from '../../support/until.js';

const ALICE = 'alice@FNAL.GOV';

/** The simulator's insecure hook for ALICE, counting the Authenticate requests it receives. */
async function countingAuth(): Promise<{ hook: SimAuthHook; authenticates: () => number }> {
  const base = await authHookFromOptions({ insecureSettings: ALICE });
  let n = 0;
  const hook: SimAuthHook = {
    openConnection: (info) => {
      const c = base.openConnection(info);
      return {
        handleAuthenticate: (token) => {
          n++;
          return c.handleAuthenticate(token);
        },
        handleEnableSettings: (mic, message) => c.handleEnableSettings(mic, message),
        authorizeSetting: (setting) => c.authorizeSetting(setting),
        get principal() {
          return c.principal;
        },
        close: () => c.close?.(),
      };
    },
  };
  return { hook, authenticates: () => n };
}

/**
 * Resolves once the simulator has seen every connection close. TCP delivers a peer's bytes before
 * its close, so by then the simulator has processed every request the client sent: a setting
 * re-sent late would be in the records.
 */
const allClosed = (sim: SimulatorHandle): Promise<void> => until(() => sim.connections === 0, { what: `the simulator to see every connection close (${sim.connections} open)` });

/** A simulator in its insecure mode that records every setting it processes. */
async function recordingSim(o: SimulatorOptions = {}): Promise<{ sim: SimulatorHandle; records: SimSettingRecord[]; sub: Subscription }> {
  const sim = await startSimulator({ insecureSettings: ALICE, heartbeatMs: 60_000, ...o });
  const records: SimSettingRecord[] = [];
  const sub = sim.settings$.subscribe((r) => records.push(r));
  return { sim, records, sub };
}

const appliedCount = (records: readonly SimSettingRecord[], device: string): number => records.filter((r) => r.device === device && r.status === 0).length;

/**
 * Frames the simulator writes before the ApplySettings_reply of a write of `n` settings on a fresh
 * connection: OpenList_reply, 2 × Authenticate_reply, Status_reply (EnableSettings), n ×
 * DeviceInfo_reply, StartList_reply.
 */
const framesBeforeReply = (n: number): number => 4 + n + 1;

describe('dpm/write: at most once (simulator with faults, real sockets)', function () {
  this.timeout(30_000);
  let env: Awaited<ReturnType<typeof recordingSim>> | undefined;
  let client: DpmClient | undefined;
  afterEach(async () => {
    client?.close();
    client = undefined;
    env?.sub.unsubscribe();
    await env?.sim.close();
    env = undefined;
  });
  const open = async (o: SimulatorOptions = {}, timeoutMs = 5000): Promise<{ sim: SimulatorHandle; records: SimSettingRecord[] }> => {
    env = await recordingSim(o);
    client = dpm({ host: env.sim.host, port: env.sim.port, auth: insecureSimulatorAuth(ALICE), timeouts: { operation: timeoutMs } });
    return env;
  };

  it('reply delayed, connection dropped after the server applied the setting: applied once, outcome unknown, never re-sent', async () => {
    // replies of connection 0 are delayed 600 ms: the setting arrives (and is applied) at about
    // 4 × 600 ms after the handshake, its reply would leave at about 5 × 600 ms; the drop at
    // 2 700 ms falls between the two
    const { sim, records } = await open({ faults: (i) => (i === 0 ? { replyDelayMs: 600, dropAfterMs: 2700 } : {}) }, 10_000);
    // the write completes with its one result: nothing of it (no retry, no timer) is left to run
    const rs = await lastValueFrom(client!.write('Z:ACLTST.CONTROL', 'RESET').pipe(toArray()));
    expect(rs).to.have.length(1);
    const r = rs[0]!;
    expect(records.map((x) => [x.connection, x.device, x.status])).to.deep.equal([[0, 'Z:ACLTST', 0]]);
    expect(r.outcome).to.equal('unknown');
    expect(r.success).to.equal(false);
    expect(r.status.name).to.equal('ACNET_DISCONNECTED');
    expect(r.message).to.match(/outcome unknown: connection lost after the setting was sent .*it may have been applied/);
    await allClosed(sim);
    expect(sim.totalConnections).to.equal(1); // no second connection, no second ApplySettings
    expect(appliedCount(records, 'Z:ACLTST')).to.equal(1);
  });

  it('connection dropped exactly when the ApplySettings_reply would leave: applied once, outcome unknown', async () => {
    const { sim, records } = await open({ faults: (i) => (i === 0 ? { dropInsteadOfReply: 'ApplySettings_reply' } : {}) });
    const r = await firstValueFrom(client!.write('Z:ACLTST', 41.5));
    expect(r.outcome).to.equal('unknown');
    expect(appliedCount(records, 'Z:ACLTST')).to.equal(1);
    expect(sim.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 41.5 });
    expect(sim.totalConnections).to.equal(1);
    // the client goes on: the next write uses a fresh connection and succeeds
    const r2 = await firstValueFrom(client!.write('Z:ACLTST', 42.5));
    expect(r2.outcome).to.equal('applied');
    expect(appliedCount(records, 'Z:ACLTST')).to.equal(2);
  });

  it('connection dropped before ApplySettings was sent: retried on a fresh connection, applied once, success', async () => {
    const { sim, records } = await open({ faults: (i) => (i === 0 ? { dropAfterFrames: framesBeforeReply(1) - 1 } : {}) });
    const r = await firstValueFrom(client!.write('Z:ACLTST', 7));
    expect(r.outcome).to.equal('applied');
    expect(r.success).to.equal(true);
    expect(sim.totalConnections).to.equal(2);
    expect(records.map((x) => [x.connection, x.status])).to.deep.equal([[1, 0]]);
  });

  it('writeMany: a lost answer makes every setting of that batch unknown; nothing is re-sent', async () => {
    const { sim, records } = await open({ faults: (i) => (i === 0 ? { dropInsteadOfReply: 'ApplySettings_reply' } : {}) });
    const rs = await firstValueFrom(client!.writeMany({ 'Z:ACLTST': 3, 'Z:TEXTDEV': 'at most once', 'Z:ARRAY1K[0:1]': [1, 2] }));
    expect(rs.map((r) => r.outcome)).to.deep.equal(['unknown', 'unknown', 'unknown']);
    expect(records.filter((x) => x.status === 0)).to.have.length(3);
    expect(sim.totalConnections).to.equal(1);
  });

  it('writeMany split into frames: after a batch with a lost answer, the later batches are not sent', async () => {
    const cat = generateCatalogue(10_000, { includeDefaults: false });
    for (const d of cat.devices) d.setting = { kind: 'scalar', value: 0 };
    const { sim, records } = await open({ catalogue: cat, faults: (i) => (i === 0 ? { dropInsteadOfReply: 'ApplySettings_reply' } : {}) });
    const rs = await firstValueFrom(client!.writeMany(cat.devices.map((d, i) => ({ drf: d.name, value: i }))));
    const unknown = rs.filter((r) => r.outcome === 'unknown').length;
    const notSent = rs.filter((r) => r.outcome === 'not-applied');
    expect(unknown).to.be.greaterThan(0);
    expect(unknown + notSent.length).to.equal(10_000);
    expect(rs.slice(0, unknown).every((r) => r.outcome === 'unknown')).to.equal(true); // the first batch, in request order
    expect(notSent.every((r) => r.status.name === 'ACNET_RETRY' && /not sent: the outcome of an earlier setting/.test(r.message ?? ''))).to.equal(true);
    expect(records).to.have.length(unknown); // the server saw the first batch only
    expect(sim.totalConnections).to.equal(1);
  });

  it('verify on an unknown outcome reads the device back, so the caller learns what the device holds', async () => {
    await open({ faults: (i) => (i === 0 ? { dropInsteadOfReply: 'ApplySettings_reply' } : {}) });
    const r = await firstValueFrom(client!.write('Z:ACLTST', 43.25, { verify: true }));
    expect(r.outcome).to.equal('unknown');
    expect(r.verified).to.deep.equal({ ok: true, readback: 43.25 });
  });

  it('alarm block: a lost answer for a field makes the block unknown; its later fields are not sent', async () => {
    const { records } = await open({ faults: (i) => (i === 0 ? { dropInsteadOfReply: 'ApplySettings_reply' } : {}) });
    const r = await firstValueFrom(client!.write('Z:ACLTST.ANALOG', { minimum: 1, maximum: 9 }));
    expect(r.outcome).to.equal('unknown');
    expect(r.fields?.map((f) => [f.drf, f.outcome])).to.deep.equal([['Z:ACLTST.ANALOG.MIN', 'unknown']]);
    expect(records.map((x) => x.drf)).to.deep.equal(['Z:ACLTST.ANALOG.MIN@N']);
  });

  it('property: drops at random points of the exchange never apply a setting twice, and every result agrees with the server', async function () {
    this.timeout(180_000);
    const DEVICES = ['Z:ACLTST', 'Z:TEXTDEV', 'Z:ARRAY1K', 'Z:RAWDEV'] as const;
    let run = 0;
    const seen = { applied: 0, 'not-applied': 0, unknown: 0 };
    const fault = fc.oneof(
      fc.constant<FaultOptions>({}),
      fc.record<FaultOptions>({ dropAfterFrames: fc.integer({ min: 1, max: 10 }), dropMidFrame: fc.boolean() }),
      fc.constant<FaultOptions>({ dropInsteadOfReply: 'ApplySettings_reply' }),
      fc.constant<FaultOptions>({ dropInsteadOfReply: 'StartList_reply' }),
      fc.record<FaultOptions>({ dropAfterMs: fc.integer({ min: 0, max: 40 }), replyDelayMs: fc.integer({ min: 0, max: 15 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fault, fault, async (n, f0, f1) => {
        run++;
        const env2 = await recordingSim({ faults: (i) => (i === 0 ? f0 : i === 1 ? f1 : {}) });
        const c = dpm({ host: env2.sim.host, port: env2.sim.port, auth: insecureSimulatorAuth(ALICE), timeouts: { operation: 2000 } });
        try {
          const values = DEVICES.slice(0, n).map((d, k) => {
            const v = run * 10 + k;
            return d === 'Z:TEXTDEV' ? `run ${v}` : d === 'Z:RAWDEV' ? Uint8Array.of(v & 255, 1, 2, 3, 4, 5, 6, 7) : d === 'Z:ARRAY1K' ? [v] : v;
          });
          const rs: WriteResult[] =
            n === 1
              ? [await firstValueFrom(c.write(DEVICES[0], values[0]!))]
              : await firstValueFrom(c.writeMany(DEVICES.slice(0, n).map((d, k) => ({ drf: d === 'Z:ARRAY1K' ? 'Z:ARRAY1K[0]' : d, value: values[k]! }))));
          c.close();
          await allClosed(env2.sim); // a late record (a second application) is in by then
          const failedConns = [f0, f1].flatMap((f, i) => (f.dropAfterFrames !== undefined || f.dropAfterMs !== undefined || f.dropInsteadOfReply !== undefined ? [i] : []));
          rs.forEach((r, k) => {
            seen[r.outcome]++;
            const applied = appliedCount(env2.records, DEVICES[k]!);
            expect(applied, `${DEVICES[k]} applied ${applied} times`).to.be.at.most(1);
            if (r.outcome === 'applied') expect(applied).to.equal(1);
            if (r.outcome === 'not-applied') expect(applied).to.equal(0);
            if (r.outcome === 'unknown') {
              // only when a connection carrying the request was dropped
              const rec = env2.records.find((x) => x.device === DEVICES[k]);
              expect(failedConns).to.include(rec?.connection ?? failedConns[failedConns.length - 1]);
            }
          });
          expect(env2.records.length).to.be.at.most(n);
        } finally {
          c.close();
          env2.sub.unsubscribe();
          await env2.sim.close();
        }
      }),
      {
        numRuns: 60,
        examples: [
          [1, {}, {}],
          [2, { dropInsteadOfReply: 'ApplySettings_reply' }, {}],
          [3, { dropAfterFrames: 3 }, { dropAfterFrames: 3 }],
        ],
      },
    );
    // every kind of result was met (and checked against the server)
    expect(seen.applied).to.be.greaterThan(0);
    expect(seen['not-applied']).to.be.greaterThan(0);
    expect(seen.unknown).to.be.greaterThan(0);
  });

  it('unsubscribing during authentication: no ApplySettings reaches the server, the socket is closed', async () => {
    const auth = await countingAuth();
    const { sim, records } = await open({ faults: { replyDelayMs: 300 }, auth: auth.hook });
    let got: unknown;
    const sub = client!.write('Z:ACLTST', 99).subscribe({ next: (r) => (got = r), error: (e: unknown) => (got = e) });
    await until(() => auth.authenticates() === 2, { what: 'the second Authenticate request' }); // its reply is pending
    expect(sim.connections).to.equal(1);
    sub.unsubscribe();
    await allClosed(sim);
    expect(records).to.deep.equal([]);
    expect(got).to.equal(undefined);
    expect(sim.connections).to.equal(0);
    expect(sim.getDevice('Z:ACLTST')?.setting).to.not.deep.equal({ kind: 'scalar', value: 99 });
  });

  it('timeout() and takeUntil() compose with writes: before sending, the server sees no setting', async () => {
    const { sim, records } = await open({ faults: { replyDelayMs: 300 } });
    const e = await firstValueFrom(client!.write('Z:ACLTST', 98).pipe(timeout(400))).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).to.be.instanceOf(TimeoutError);
    const r = await lastValueFrom(client!.write('Z:ACLTST', 97).pipe(takeUntil(timer(400))), { defaultValue: 'cancelled' });
    expect(r).to.equal('cancelled');
    await allClosed(sim);
    expect(records).to.deep.equal([]);
    expect(sim.connections).to.equal(0);
  });

  it('unsubscribing after ApplySettings was sent: the setting stays applied (once), the result is dropped, the connection closed', async () => {
    // the reply to ApplySettings is delayed by the fault; unsubscribe while it is in flight
    const { sim, records } = await open({ faults: { replyDelayMs: 150 } });
    const sub = client!.write('Z:ACLTST', 96).subscribe();
    const applied = await firstValueFrom(sim.settings$);
    sub.unsubscribe();
    expect(applied.status).to.equal(0);
    await allClosed(sim);
    expect(records).to.have.length(1);
    expect(sim.connections).to.equal(0);
  });

  it('close() of the client fails a write in flight with ClientClosedError and leaves nothing open', async () => {
    const { sim } = await open({ faults: { replyDelayMs: 200 } });
    const p = firstValueFrom(client!.write('Z:ACLTST', 95)).then(
      () => undefined,
      (e: unknown) => e,
    );
    await until(() => sim.connections === 1, { what: 'the write to connect' }); // in flight: its replies are delayed
    client!.close();
    expect(await p).to.have.property('code', 'CLIENT_CLOSED');
    await allClosed(sim);
  });
});
