import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { AuthenticationError } from '../../../lib/auth/authentication-error.js';
import type { GssApi } from '../../../lib/auth/gssapi.js';
import { kerberos, type KerberosAuth } from '../../../lib/auth/kerberos.js';
import { dpm, type DpmClient } from '../../../lib/dpm/client.js';
import type { WriteResult } from '../../../lib/dpm/write/index.js';
import { authHookFromOptions, startSimulator, type SimAuthHook, type SimulatorHandle } from '../../../lib/sim/index.js';
import { useRealm } from '../../support/kerberos-fixture.js';
import { until } from '../../support/until.js';

const PRIV = -4335;

const CONFIG = {
  users: { alice: { roles: ['testing'], classes: 1 } },
  roles: { testing: ['Z:ACLTST'] },
  devices: { 'Z:TEXTDEV': 1, 'Z:RAWDEV': 2 },
};

interface HookStats {
  authenticates: number;
  settings: string[];
}

/** Wraps a hook to count Authenticate_requests and record authorized settings (device.property.field). */
function recording(inner: SimAuthHook): { hook: SimAuthHook; stats: HookStats } {
  const stats: HookStats = { authenticates: 0, settings: [] };
  return {
    stats,
    hook: {
      openConnection: (info) => {
        const c = inner.openConnection(info);
        return {
          handleAuthenticate: (t) => {
            stats.authenticates++;
            return c.handleAuthenticate(t);
          },
          handleEnableSettings: (m, msg) => c.handleEnableSettings(m, msg),
          authorizeSetting: (s) => {
            stats.settings.push(`${s.device}.${s.request.property}.${s.request.field ?? ''}`);
            return c.authorizeSetting(s);
          },
          get principal() {
            return c.principal;
          },
          close: () => c.close?.(),
        };
      },
    },
  };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('dpm/write: Kerberos-authenticated writes against the simulator (loopback KDC)', function () {
  this.timeout(20_000);
  const fx = useRealm();
  let sim: SimulatorHandle | undefined;
  let stats: HookStats;
  const clients: DpmClient[] = [];

  const auth = (o: { gssapi?: GssApi; ccache?: string } = {}): KerberosAuth =>
    kerberos({ realm: fx.realm.realm, requiredRealm: fx.realm.realm, ...o });
  const client = (o: { role?: string; auth?: KerberosAuth } = {}): DpmClient => {
    const c = dpm({ host: sim!.host, port: sim!.port, auth: o.auth ?? auth(), ...(o.role !== undefined ? { role: o.role } : {}) });
    clients.push(c);
    return c;
  };
  const startSim = async (keytab = `FILE:${fx.realm.keytab}`): Promise<void> => {
    const r = recording(await authHookFromOptions({ authConfig: CONFIG, keytab, serviceName: fx.realm.serviceName }));
    stats = r.stats;
    sim = await startSimulator({ auth: r.hook });
  };
  const codes = (rs: readonly WriteResult[]): number[] => rs.map((r) => r.status.code);

  beforeEach(async () => {
    await startSim();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim?.close();
    sim = undefined;
  });

  it('a successful write is seen by a later read', async () => {
    const c = client({ role: 'testing' });
    const r = await firstValueFrom(c.write('Z:ACLTST', 33.25));
    expect(r.success, r.status.toString()).to.equal(true);
    expect(await firstValueFrom(c.read('Z:ACLTST.SETTING'))).to.equal(33.25);
  });

  it('writeMany: mixed results in one ApplySettings round trip', async () => {
    const c = client({ role: 'testing' });
    const rs = await firstValueFrom(
      c.writeMany([
        { drf: 'Z:ACLTST', value: 5 }, // role allowlist
        { drf: 'Z:ARRAY1K[0:1]', value: [1, 2] }, // not allowed
        { drf: 'Z:NOSUCH', value: 1 }, // unknown device (add stage)
        { drf: 'Z:TEXTDEV', value: 'hello' }, // class mask
      ]),
    );
    expect(codes(rs)).to.deep.equal([0, PRIV, -3312, 0]);
    expect(rs.map((r) => r.success)).to.deep.equal([true, false, false, true]);
    expect(stats.settings).to.deep.equal(['Z:ACLTST.SETTING.SCALED', 'Z:ARRAY1K.SETTING.SCALED', 'Z:TEXTDEV.SETTING.SCALED']);
    expect(await firstValueFrom(c.read('Z:TEXTDEV.SETTING'))).to.equal('hello');
  });

  describe('authorization paths (§9.5)', () => {
    it('role held and device in its allowlist → allowed', async () => {
      expect((await firstValueFrom(client({ role: 'testing' }).write('Z:ACLTST', 1))).status.code).to.equal(0);
    });
    it('no role, device without a matching class mask → DPM_PRIV', async () => {
      expect((await firstValueFrom(client().write('Z:ACLTST', 1))).status.code).to.equal(PRIV);
    });
    it('a role the user does not hold → DPM_PRIV', async () => {
      expect((await firstValueFrom(client({ role: 'admin' }).write('Z:ACLTST', 1))).status.code).to.equal(PRIV);
    });
    it('device not in the role allowlist (class mask does not match either) → DPM_PRIV', async () => {
      expect((await firstValueFrom(client({ role: 'testing' }).write('Z:RAWDEV.RAW', Uint8Array.of(1)))).status.code).to.equal(PRIV);
    });
    it('class-mask fallback (no role) → allowed', async () => {
      expect((await firstValueFrom(client().write('Z:TEXTDEV', 'via class'))).status.code).to.equal(0);
    });
    it('both paths denied → DPM_PRIV', async () => {
      expect((await firstValueFrom(client({ role: 'testing' }).write('Z:ARRAY1K[0]', 1))).status.code).to.equal(PRIV);
    });
  });

  it('no ticket: AuthenticationError no-credentials before any connection', async () => {
    const e = await failure(firstValueFrom(client({ auth: auth({ ccache: fx.realm.emptyCcache() }) }).write('Z:ACLTST', 1)));
    expect(e).to.be.instanceOf(AuthenticationError).with.property('reason', 'no-credentials');
    expect(sim!.totalConnections).to.equal(0);
  });

  it('wrong service key (simulator keytab with another key): AuthenticationError DPM_PRIV, connection discarded', async function () {
    const exec = promisify(execFile);
    let listing: string;
    try {
      listing = (await exec('klist', ['-kte', fx.realm.keytab], { env: { ...process.env, ...fx.realm.env } })).stdout;
    } catch {
      this.skip();
    }
    const entries = [...listing.matchAll(/^\s*(\d+)\s.*\s(\S+@\S+)\s+\(([\w-]+)\)\s*$/gm)].map((m) => ({ kvno: m[1]!, principal: m[2]!, enctype: m[3]! }));
    expect(entries.length).to.be.above(0);
    const wrong = join(fx.realm.dir, 'wrong.keytab');
    const script = entries.map((e) => `addent -password -p ${e.principal} -k ${e.kvno} -e ${e.enctype}\nnot-the-service-password\n`).join('') + `wkt ${wrong}\nquit\n`;
    await new Promise<void>((resolve, reject) => {
      const child = execFile('ktutil', [], { env: { ...process.env, ...fx.realm.env } }, (err) => (err ? reject(err) : resolve()));
      child.stdin!.end(script);
    });
    await sim!.close();
    await startSim(`FILE:${wrong}`);
    const e = await failure(firstValueFrom(client({ role: 'testing' }).write('Z:ACLTST', 1)));
    expect(e).to.be.instanceOf(AuthenticationError).with.property('status', PRIV);
    await until(() => sim!.connections === 0, { what: 'the refused connection to be closed' });
  });

  it('tampered MIC: EnableSettings refused with DPM_PRIV → AuthenticationError', async () => {
    const gss = fx.gss;
    const tampered: GssApi = {
      ...gss,
      getMic: (ctx, msg) => {
        const mic = gss.getMic(ctx, msg).slice();
        mic[mic.length - 1] = mic[mic.length - 1]! ^ 0x01;
        return mic;
      },
    };
    const e = await failure(firstValueFrom(client({ role: 'testing', auth: auth({ gssapi: tampered }) }).write('Z:ACLTST', 1)));
    expect(e).to.be.instanceOf(AuthenticationError).with.property('status', PRIV);
    expect((e as AuthenticationError).message).to.match(/EnableSettings refused/);
  });

  it('alarm block: expanded into per-field settings in order, applied to the device', async () => {
    const c = client({ role: 'testing' });
    const r = await firstValueFrom(c.write('Z:ACLTST.DIGITAL', { tries_needed: 4, nominal: 1, mask: 0xff, alarm_enable: true }));
    expect(r.success, r.status.toString()).to.equal(true);
    expect(stats.settings).to.deep.equal([
      'Z:ACLTST.DIGITAL.NOM',
      'Z:ACLTST.DIGITAL.MASK',
      'Z:ACLTST.DIGITAL.ALARM_ENABLE',
      'Z:ACLTST.DIGITAL.TRIES_NEEDED',
    ]);
    expect(await firstValueFrom(c.read('Z:ACLTST.DIGITAL'))).to.deep.include({ nominal: 1, mask: 0xff, alarmEnable: true, triesNeeded: 4 });
  });

  it('verification reads the value back through the normal read path', async () => {
    const c = client({ role: 'testing' });
    const r = await firstValueFrom(c.write('Z:ACLTST', 2.5, { verify: { tolerance: 1e-9, delayMs: 10 } }));
    expect(r.verified).to.deep.equal({ ok: true, readback: 2.5 });
    const denied = await firstValueFrom(c.write('Z:ARRAY1K[0]', 1, { verify: true }));
    expect(denied.verified).to.equal(undefined);
  });

  it('write-connection reuse: a second write does not re-authenticate; a role change does', async () => {
    const c = client({ role: 'testing' });
    await firstValueFrom(c.write('Z:ACLTST', 1));
    expect(stats.authenticates).to.equal(2); // service-name query + AP-REQ
    await firstValueFrom(c.writeMany({ 'Z:ACLTST': 2, 'Z:TEXTDEV': 'x' }));
    await firstValueFrom(c.write('Z:ACLTST', 3));
    expect(stats.authenticates).to.equal(2);
    expect(sim!.totalConnections).to.equal(1);
    await firstValueFrom(c.write('Z:TEXTDEV', 'y', { role: 'other' }));
    expect(stats.authenticates).to.equal(4);
  });

  it('a principal change in the ticket cache (kinit as another user) means a fresh, re-authenticated connection', async () => {
    const bobPassword = 'bob-password-1';
    await fx.realm.kadmin(`addprinc -pw ${bobPassword} bob@${fx.realm.realm}`);
    const ccache = `FILE:${join(fx.realm.dir, 'switch.ccache')}`;
    await fx.realm.kinit({ ccache });
    const c = client({ auth: auth({ ccache }) });
    expect((await firstValueFrom(c.write('Z:TEXTDEV', 'alice'))).success).to.equal(true);
    await fx.realm.kinit({ ccache, principal: `bob@${fx.realm.realm}`, password: bobPassword });
    const r = await firstValueFrom(c.write('Z:TEXTDEV', 'bob'));
    // bob is not a console user of the simulator: refused, on a second authenticated connection
    expect(r.status.code).to.equal(PRIV);
    expect(stats.authenticates).to.equal(4);
    expect(sim!.totalConnections).to.equal(2);
  });
});
