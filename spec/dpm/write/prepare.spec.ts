import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { DrfError } from '../../../lib/drf/errors.js';
import { AcsysError } from '../../../lib/errors/acsys-error.js';
import { RequestTooLargeError } from '../../../lib/errors/request-too-large-error.js';
import { dpm, type DpmClient } from '../../../lib/dpm/client.js';
import { InvalidSettingError, insecureSimulatorAuth, prepareSetting, prepareSettings, splitIntoFrames, type PreparedSetting } from '../../../lib/dpm/write/index.js';
import { encodeRequestFrame, MAX_REQUEST_FRAME_BYTES } from '../../../lib/protocol/index.js';
import { applySettingsRequest } from '../../../lib/dpm/write/setting-value.js';
import { generateCatalogue, startSimulator, type SimSettingRecord, type SimulatorHandle } from '../../../lib/sim/index.js';

const ALICE = 'alice@FNAL.GOV';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('dpm/write/prepare: settings are checked before anything is sent', () => {
  describe('values that make no sense', () => {
    for (const [label, value] of [
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['an array holding NaN', [1, NaN, 3]],
      ['an array holding Infinity', [Infinity]],
      ['a Float64Array holding -Infinity', Float64Array.of(1, -Infinity)],
    ] as const) {
      it(`${label}: InvalidSettingError 'not-finite'`, () => {
        const e = thrown(() => prepareSetting('Z:ACLTST', value));
        expect(e).to.be.instanceOf(InvalidSettingError).and.instanceOf(AcsysError);
        expect(e).to.include({ reason: 'not-finite', drf: 'Z:ACLTST', code: 'INVALID_SETTING' });
        expect((e as Error).message).to.match(/is not a finite number \(nothing was sent\)$/);
      });
    }
    it('empty arrays and bytes: InvalidSettingError empty', () => {
      expect(thrown(() => prepareSetting('Z:ARRAY1K', []))).to.include({ reason: 'empty' });
      expect(thrown(() => prepareSetting('Z:RAWDEV', new Uint8Array(0)))).to.include({ reason: 'empty' });
      expect(thrown(() => prepareSetting('Z:ARRAY1K', new Float64Array(0)))).to.include({ reason: 'empty' });
    });
    it('mixed arrays, holes, booleans, objects, a non-string DRF: InvalidSettingError unsupported', () => {
      expect(thrown(() => prepareSetting('Z:ACLTST', [1, 'a']))).to.include({ reason: 'unsupported' });
      expect(thrown(() => prepareSetting('Z:ARRAY1K', [1, , 3]))).to.include({ reason: 'unsupported' });
      expect(thrown(() => prepareSetting('Z:ACLTST', true))).to.include({ reason: 'unsupported' });
      expect(thrown(() => prepareSetting('Z:ACLTST', null))).to.include({ reason: 'unsupported' });
      expect(thrown(() => prepareSetting(42, 1))).to.include({ reason: 'unsupported' });
    });
    it('unknown control words and bad alarm blocks', () => {
      expect(thrown(() => prepareSetting('Z:ACLTST.CONTROL', 'BANANA'))).to.include({ reason: 'control-command' });
      expect(thrown(() => prepareSetting('Z:ACLTST.ANALOG', { minimun: 1 }))).to.include({ reason: 'alarm-block' });
      expect(thrown(() => prepareSetting('Z:ACLTST.ANALOG', { minimum: NaN }))).to.include({ reason: 'alarm-block' });
      expect(thrown(() => prepareSetting('Z:ACLTST', { minimum: 1 }))).to.be.instanceOf(InvalidSettingError);
    });
    it('a bad DRF is a DrfError', () => {
      expect(thrown(() => prepareSetting('Z:ACLTST[', 1))).to.be.instanceOf(DrfError);
    });
    it('good values pass, in their wire categories', () => {
      expect(prepareSetting('Z:ACLTST', 1.5)).to.deep.include({ kind: 'plain' });
      expect(prepareSetting('Z:ACLTST.CONTROL', 'off')).to.have.nested.property('setting.payload.data[0]', 2);
      expect(prepareSetting('Z:ACLTST.ANALOG', { minimum: 0, maximum: 5 })).to.have.property('kind', 'alarm');
    });
  });

  describe('frame limit (128 KiB, dpm-behaviour.md §2.4)', () => {
    it('a scalar array of 20 000 doubles (160 kB) and a 10 MB text: RequestTooLargeError naming the sizes', () => {
      const big = thrown(() => prepareSetting('Z:ARRAY1K', new Float64Array(20_000)));
      expect(big).to.be.instanceOf(RequestTooLargeError).and.instanceOf(AcsysError);
      expect(big).to.include({ code: 'REQUEST_TOO_LARGE', drf: 'Z:ARRAY1K' });
      expect((big as RequestTooLargeError).bytes).to.be.greaterThan(160_000);
      expect((big as Error).message).to.match(/20000 numbers.*nothing was sent/);
      const text = thrown(() => prepareSetting('Z:TEXTDEV', 'x'.repeat(10_000_000)));
      expect(text).to.be.instanceOf(RequestTooLargeError);
      expect((text as RequestTooLargeError).bytes).to.be.greaterThan(10_000_000);
    });
    it('an enormous DRF: RequestTooLargeError', () => {
      expect(thrown(() => prepareSetting(`Z:ACLTST<-LOGGER:${'1'.repeat(200_000)}`, 1))).to.be.instanceOf(RequestTooLargeError);
    });
    it('an array of 14 000 doubles still fits (about the largest, dpm-behaviour.md §2.4)', () => {
      expect(() => prepareSetting('Z:ARRAY1K', new Float64Array(14_000))).to.not.throw();
    });
    it('splitIntoFrames: batches in order, each ApplySettings frame within the limit, exactly as encoded', () => {
      const settings = Array.from({ length: 10_000 }, (_, i): PreparedSetting => {
        const e = prepareSetting(`Z:GEN${String(i).padStart(5, '0')}`, i);
        if (e.kind !== 'plain') throw new Error('expected a plain setting');
        return e.setting;
      });
      const batches = splitIntoFrames(settings, ALICE);
      expect(batches.length).to.be.within(2, 4);
      expect(batches.flat()).to.deep.equal(settings);
      for (const b of batches) {
        const frame = encodeRequestFrame(applySettingsRequest(ALICE, 0x7fffffff, b.map((s) => [0x7fffffff, s.payload] as const)));
        expect(frame.length).to.be.at.most(MAX_REQUEST_FRAME_BYTES);
      }
    });
    it('prepareSettings refuses a batch whole when one setting is bad', () => {
      expect(thrown(() => prepareSettings({ 'Z:ACLTST': 1, 'Z:TEXTDEV': 'x'.repeat(200_000) }))).to.be.instanceOf(RequestTooLargeError);
      expect(thrown(() => prepareSettings([{ drf: 'Z:ACLTST', value: 1 }, { drf: 'Z:ACLTST', value: NaN }]))).to.be.instanceOf(InvalidSettingError);
      expect(thrown(() => prepareSettings('Z:ACLTST'))).to.be.instanceOf(InvalidSettingError);
      expect(thrown(() => prepareSettings([{ drf: 'Z:ACLTST' }]))).to.be.instanceOf(InvalidSettingError);
    });
  });
});

describe('dpm/write: refused before sending, against a simulator (real sockets)', function () {
  this.timeout(60_000);
  let sim: SimulatorHandle | undefined;
  let client: DpmClient | undefined;
  const records: SimSettingRecord[] = [];
  afterEach(async () => {
    client?.close();
    client = undefined;
    await sim?.close();
    sim = undefined;
    records.length = 0;
  });
  const start = async (catalogue?: ReturnType<typeof generateCatalogue>): Promise<SimulatorHandle> => {
    sim = await startSimulator({ insecureSettings: ALICE, ...(catalogue !== undefined ? { catalogue } : {}) });
    sim.settings$.subscribe((r) => records.push(r));
    client = dpm({ host: sim.host, port: sim.port, auth: insecureSimulatorAuth(ALICE) });
    return sim;
  };
  const failure = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('NaN, ±Infinity, arrays holding them, oversized arrays, 10 MB texts: typed errors, no connection opened, nothing recorded', async () => {
    const s = await start();
    const bad: [string, unknown, new (...a: never[]) => Error][] = [
      ['Z:ACLTST', NaN, InvalidSettingError],
      ['Z:ACLTST', Infinity, InvalidSettingError],
      ['Z:ACLTST', -Infinity, InvalidSettingError],
      ['Z:ARRAY1K', [1, NaN], InvalidSettingError],
      ['Z:ARRAY1K', Float64Array.of(Infinity), InvalidSettingError],
      ['Z:ARRAY1K', new Float64Array(20_000), RequestTooLargeError],
      ['Z:TEXTDEV', 'x'.repeat(10_000_000), RequestTooLargeError],
    ];
    for (const [drf, value, type] of bad) {
      expect(await failure(firstValueFrom(client!.write(drf, value as number)))).to.be.instanceOf(type);
    }
    expect(await failure(firstValueFrom(client!.writeMany([{ drf: 'Z:ACLTST', value: 1 }, { drf: 'Z:ACLTST', value: NaN }])))).to.be.instanceOf(InvalidSettingError);
    expect(s.totalConnections).to.equal(0);
    expect(records).to.deep.equal([]);
    expect(s.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 12.5 });
  });

  it('bad per-call options: ConfigError listing every problem, nothing sent', async () => {
    const s = await start();
    const e = await failure(firstValueFrom(client!.write('Z:ACLTST', 1, { role: 'a b', verify: { tolerance: -1 }, bogus: 1 } as never)));
    expect(e).to.have.property('code', 'CONFIG_ERROR');
    expect((e as Error).message).to.match(/bogus: unknown option.*role: expected a role name.*verify\.tolerance: expected a finite number/);
    expect(s.totalConnections).to.equal(0);
  });

  it('reads, getMany and streams of an enormous DRF: RequestTooLargeError, no connection, never retried', async () => {
    const s = await start();
    const huge = `M:OUTTMP<-LOGGER:${'9'.repeat(200_000)}`;
    expect(await failure(firstValueFrom(client!.read(huge)))).to.be.instanceOf(RequestTooLargeError);
    expect(await failure(firstValueFrom(client!.getMany(['M:OUTTMP', huge])))).to.be.instanceOf(RequestTooLargeError);
    expect(await failure(firstValueFrom(client!.stream(huge)))).to.be.instanceOf(RequestTooLargeError);
    expect(s.totalConnections).to.equal(0);
  });

  it('writeMany of 10 000 settings: split into frames that fit, each applied once, results in request order', async () => {
    const cat = generateCatalogue(10_000, { includeDefaults: false });
    for (const d of cat.devices) d.setting = { kind: 'scalar', value: 0 };
    const s = await start(cat);
    const settings = cat.devices.map((d, i) => ({ drf: d.name, value: i + 0.5 }));
    const rs = await firstValueFrom(client!.writeMany(settings));
    expect(rs.map((r) => r.drf)).to.deep.equal(settings.map((x) => x.drf));
    expect(rs.every((r) => r.outcome === 'applied')).to.equal(true);
    expect(records).to.have.length(10_000);
    expect(new Set(records.map((r) => r.device)).size).to.equal(10_000);
    expect(new Set(records.map((r) => r.listId)).size).to.equal(1); // one authenticated connection
    const applyRequests = new Set(records.map((r) => r.refId)).size;
    expect(applyRequests).to.equal(10_000);
    expect(s.getDevice('Z:GEN09999')?.setting).to.deep.equal({ kind: 'scalar', value: 9999.5 });
    expect(s.totalConnections).to.equal(1);
  });
});
