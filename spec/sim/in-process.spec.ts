// A client on a simulator in the same process over an in-memory pipe (SimulatorHandle.openInProcess
// + dpm({ connectWith })): the same protocol, byte for byte, without TCP.
import { expect } from 'chai';
import { firstValueFrom, forkJoin, take, toArray } from 'rxjs';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { ConfigError } from '../../lib/errors/config-error.js';
import { dpm, insecureSimulatorAuth, type DpmClient } from '../../lib/index.js';
import { startSimulator, type SimulatorHandle } from '../../lib/sim/index.js';
import { until } from '../support/until.js';

describe('sim/in-process (openInProcess + connectWith)', () => {
  let sim: SimulatorHandle;
  let client: DpmClient | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, insecureSettings: 'alice@FNAL.GOV', heartbeatMs: 100 });
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await sim.close();
  });

  it('reads, getMany, streams and writes run over the pipe, not over TCP', async () => {
    sim.setDevice('M:OUTTMP', 71.5);
    const c = (client = dpm({ host: 'in-process', port: 1, connectWith: () => sim.openInProcess(), auth: insecureSimulatorAuth('alice@FNAL.GOV') }));
    expect(await firstValueFrom(c.read('M:OUTTMP'))).to.equal(71.5);
    const many = await firstValueFrom(c.getMany(['M:OUTTMP', 'G:AMANDA', 'Z:NOTFND']));
    expect(many.map((r) => r.status.name)).to.deep.equal(['ACNET_OK', 'ACNET_OK', 'DBM_NOPROP']);
    const concurrent = await firstValueFrom(forkJoin(['M:OUTTMP', 'G:AMANDA'].map((d) => c.get(d))));
    expect(concurrent.map((r) => r.drf)).to.deep.equal(['M:OUTTMP', 'G:AMANDA']);
    const streamed = await firstValueFrom(c.stream('M:OUTTMP@p,20').pipe(take(3), toArray()));
    expect(streamed.map((r) => r.value)).to.deep.equal([71.5, 71.5, 71.5]);
    const result = await firstValueFrom(c.write('Z:ACLTST', 42));
    expect(result.outcome).to.equal('applied');
    expect(sim.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 42 });
    // host 'in-process' port 1 cannot be reached over TCP: every connection went through the pipe
    expect(sim.totalConnections).to.be.greaterThan(0);
  });

  it('closing the client ends the simulator side; closing the simulator is a lost connection for the client', async () => {
    const c = (client = dpm({ connectWith: () => sim.openInProcess() }));
    const sub = c.stream('M:OUTTMP@p,1000').subscribe();
    await until(() => sim.connections === 1, { what: 'the in-process connection' });
    sub.unsubscribe();
    c.close();
    await until(() => sim.connections === 0, { what: 'the simulator side to close' });

    const c2 = (client = dpm({ connectWith: () => sim.openInProcess() }));
    let readings = 0;
    let err: unknown;
    c2.stream('M:OUTTMP@p,50').subscribe({ next: () => readings++, error: (e: unknown) => (err = e) });
    await until(() => readings >= 1, { what: 'a reading over the second connection' });
    await sim.close();
    await until(() => err !== undefined, { what: 'the stream to end' });
    expect(err).to.be.instanceOf(ConnectionLost);
    sim = await startSimulator({ port: 0 });
  });

  it('connectWith must be a function', () => {
    expect(() => dpm({ connectWith: 'sim' as never })).to.throw(ConfigError, /connectWith/);
  });
});
