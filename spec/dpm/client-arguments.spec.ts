import { expect } from 'chai';
import { firstValueFrom, type Observable } from 'rxjs';
import * as acsys from '../../lib/index.js';
import { dpm, device, type DpmClient } from '../../lib/index.js';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ArgumentError } from '../../lib/errors/argument-error.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { checkLeaks } from '../support/leaks.js';

/** What a call gave: a synchronous throw, or the Observable's first value / error. */
async function outcome(call: () => Observable<unknown>): Promise<{ sync: boolean; error: unknown }> {
  let o: Observable<unknown>;
  try {
    o = call();
  } catch (e) {
    return { sync: true, error: e };
  }
  try {
    await firstValueFrom(o);
    return { sync: false, error: undefined };
  } catch (e) {
    return { sync: false, error: e };
  }
}

// Deliberately untyped calls, as from JavaScript or through `any`.
type Loose = Record<string, (...args: unknown[]) => Observable<unknown>>;

describe('dpm: wrong JavaScript types at every public entry point', () => {
  let sim: SimulatorHandle;
  let client: DpmClient;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    client = dpm({ host: sim.host, port: sim.port, linger: 0 });
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });
  checkLeaks();

  const sparse = ['M:OUTTMP', 'G:AMANDA'];
  delete (sparse as string[])[0];

  const cases: [string, (c: Loose) => Observable<unknown>, typeof ArgumentError | typeof ConfigError, string][] = [
    ['getMany("x")', (c) => c['getMany']!('x'), ArgumentError, 'drfs'],
    ['getMany(null)', (c) => c['getMany']!(null), ArgumentError, 'drfs'],
    ['getMany(undefined)', (c) => c['getMany']!(undefined), ArgumentError, 'drfs'],
    ['getMany([42])', (c) => c['getMany']!([42]), ArgumentError, 'drfs[0]'],
    ['getMany(array with a hole)', (c) => c['getMany']!(sparse), ArgumentError, 'drfs[0]'],
    ['getMany(drfs, { timeout: 0 })', (c) => c['getMany']!(['M:OUTTMP'], { timeout: 0 }), ConfigError, 'timeout'],
    ['getMany(drfs, "fast")', (c) => c['getMany']!(['M:OUTTMP'], 'fast'), ConfigError, 'options'],
    ['read(42)', (c) => c['read']!(42), ArgumentError, 'drf'],
    ['read(undefined)', (c) => c['read']!(undefined), ArgumentError, 'drf'],
    ['read(["M:OUTTMP"])', (c) => c['read']!(['M:OUTTMP']), ArgumentError, 'drf'],
    ['read(drf, { timeout: -1 })', (c) => c['read']!('M:OUTTMP', { timeout: -1 }), ConfigError, 'timeout'],
    ['get({})', (c) => c['get']!({}), ArgumentError, 'drf'],
    ['get(drf, { bogus: 1 })', (c) => c['get']!('M:OUTTMP', { bogus: 1 }), ConfigError, 'bogus'],
    ['stream(null)', (c) => c['stream']!(null), ArgumentError, 'drfs'],
    ['stream(42)', (c) => c['stream']!(42), ArgumentError, 'drfs'],
    ['stream([null])', (c) => c['stream']!([null]), ArgumentError, 'drfs[0]'],
    ['stream(array with a hole)', (c) => c['stream']!(sparse), ArgumentError, 'drfs[0]'],
    ['stream(drf, 5)', (c) => c['stream']!('M:OUTTMP@p,1000', 5), ConfigError, 'options'],
    ['stream(drf, { reconect: true })', (c) => c['stream']!('M:OUTTMP@p,1000', { reconect: true }), ConfigError, 'reconect'],
    ['streamEvents({})', (c) => c['streamEvents']!({}), ArgumentError, 'drfs'],
    ['streamEvents(drf, { stale: 5 })', (c) => c['streamEvents']!('M:OUTTMP@p,1000', { stale: 5 }), ConfigError, 'stale'],
  ];

  for (const [what, call, type, arg] of cases) {
    it(`client.${what}: ${type.name} (${arg}) as the Observable's error, nothing sent`, async () => {
      const r = await outcome(() => call(client as unknown as Loose));
      expect(r.sync, 'a function returning an Observable must not throw').to.equal(false);
      expect(r.error).to.be.instanceOf(type);
      expect(r.error).to.be.instanceOf(AcsysError);
      expect((r.error as { argument?: string; option?: string }).argument ?? (r.error as ConfigError).option).to.equal(arg);
      expect(sim.totalConnections).to.equal(0);
    });
  }

  it('client.write / writeMany with wrong types: typed errors (AcsysError) as the Observable\'s error, nothing sent', async () => {
    const c = client as unknown as Loose;
    for (const call of [() => c['write']!(42, 1), () => c['write']!('Z:ACLTST', undefined, 5), () => c['writeMany']!(null), () => c['writeMany']!('x')]) {
      const r = await outcome(call);
      expect(r.sync).to.equal(false);
      expect(r.error).to.be.instanceOf(AcsysError);
    }
    const d = device('Z:ACLTST', client) as unknown as Loose;
    const r = await outcome(() => d['control']!('BOGUS'));
    expect(r.error).to.be.instanceOf(ArgumentError).with.property('argument', 'command');
    expect(sim.totalConnections).to.equal(0);
  });

  it('device(): a bad name or client throws a typed error at once (it returns a Device, not an Observable)', () => {
    const d = device as unknown as (...a: unknown[]) => unknown;
    for (const name of [undefined, null, 42, {}]) expect(() => d(name)).to.throw(AcsysError);
    expect(() => d('M:OUTTMP', 42)).to.throw(ArgumentError).with.property('argument', 'client');
    expect(() => d('M:OUTTMP', 'localhost')).to.throw(ArgumentError).with.property('argument', 'client');
    const dv = device('M:OUTTMP', client) as unknown as { drf(...a: unknown[]): string };
    expect(() => dv.drf(42)).to.throw(ArgumentError).with.property('argument', 'property');
    expect(() => dv.drf('STATUS', {})).to.throw(ArgumentError).with.property('argument', 'field');
  });

  const deviceCases: [string, (d: Loose) => Observable<unknown>, string][] = [
    ['get(42)', (d) => d['get']!(42), 'property'],
    ['stream(42)', (d) => d['stream']!(42), 'event'],
    ['statusField(null)', (d) => d['statusField']!(null), 'field'],
  ];
  for (const [what, call, arg] of deviceCases) {
    it(`device(…).${what}: ArgumentError (${arg}) as the Observable's error, nothing sent`, async () => {
      const r = await outcome(() => call(device('M:OUTTMP', client) as unknown as Loose));
      expect(r.sync).to.equal(false);
      expect(r.error).to.be.instanceOf(ArgumentError).with.property('argument', arg);
      expect(sim.totalConnections).to.equal(0);
    });
  }

  it('device(…).stream(event, bad options): ConfigError, nothing sent', async () => {
    const r = await outcome(() => device('M:OUTTMP', client).stream('p,1000', { reconnect: { initialDelay: 0 } }));
    expect(r.error).to.be.instanceOf(ConfigError).with.property('option', 'reconnect.initialDelay');
    expect(sim.totalConnections).to.equal(0);
  });

  it('the module-level functions (lib/index.ts) deliver the same typed errors, without a synchronous throw', async () => {
    const m = acsys as unknown as Loose;
    const calls: [string, unknown[]][] = [
      ['read', [42]],
      ['get', [null]],
      ['getMany', ['M:OUTTMP']],
      ['stream', [undefined]],
    ];
    try {
      for (const [fn, args] of calls) {
        const r = await outcome(() => m[fn]!(...args));
        expect(r.sync, fn).to.equal(false);
        expect(r.error, fn).to.be.instanceOf(ArgumentError);
      }
    } finally {
      acsys.closeGlobalClient();
    }
  });

  it('dpm() with options of a wrong type throws ConfigError (a constructor, not an Observable)', () => {
    const d = dpm as unknown as (o: unknown) => unknown;
    for (const o of ['x', 42, null, { poolSize: '4' }]) expect(() => d(o)).to.throw(ConfigError);
  });
});
