import { expect } from 'chai';
import { rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { kerberos, MIC_MESSAGE, type AuthTransport } from '../../lib/auth/kerberos.js';
import { DPM_PRIV } from '../../lib/sim/auth/authorize.js';
import { SimAuthSession } from '../../lib/sim/auth/session.js';
import { loopbackTransport } from '../support/auth-transport.js';
import { applyEnv } from '../support/kdc.js';
import { useRealm } from '../support/kerberos-fixture.js';

async function authError(p: Promise<unknown>): Promise<AuthenticationError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(AuthenticationError);
    return e as AuthenticationError;
  }
  expect.fail('expected an AuthenticationError');
}

describe('auth/kerberos: client exchange against the simulator session (real KDC)', function () {
  const fx = useRealm();
  const opts = () => ({ realm: fx.realm.realm, requiredRealm: fx.realm.realm });
  let sim: SimAuthSession;
  beforeEach(function () {
    if (fx.realm === undefined) this.skip();
    sim = new SimAuthSession({ serviceName: fx.realm.serviceName });
  });
  afterEach(() => sim?.dispose());

  it('resolve() exposes the principal from the ccache', async function () {
    const auth = kerberos(opts());
    expect(auth.principal).to.equal(undefined);
    const c = await auth.resolve();
    expect(c.principal).to.equal(fx.realm.userPrincipal);
    expect(auth.principal).to.equal(fx.realm.userPrincipal);
    expect(c.expiresAt.getTime()).to.be.greaterThan(Date.now());
  });

  it('resolve() reads the ticket cache again only when it changed (kinit, kdestroy), not before every write', async function () {
    let calls = 0;
    const counting = { ...fx.gss, credentials: (...a: Parameters<typeof fx.gss.credentials>) => (calls++, fx.gss.credentials(...a)) };
    const ccache = `FILE:${join(fx.realm.dir, 'stamp.ccache')}`;
    await fx.realm.kinit({ ccache });
    const auth = kerberos({ ...opts(), ccache, gssapi: counting, cacheCredentials: true });
    await auth.resolve();
    await auth.resolve();
    await auth.resolve();
    expect(calls).to.equal(1);
    const path = ccache.slice('FILE:'.length);
    const before = statSync(path).mtimeMs;
    await fx.realm.kinit({ ccache });
    // a new ticket in the same clock tick of a coarse file system would keep the modification
    // time: make the change visible (what a later kinit would do) instead of waiting for a tick
    if (statSync(path).mtimeMs === before) utimesSync(path, new Date(), new Date(before + 1000));
    expect((await auth.resolve()).principal).to.equal(fx.realm.userPrincipal);
    expect(calls).to.equal(2);
    rmSync(ccache.slice('FILE:'.length));
    const e = await authError(auth.resolve());
    expect(e.reason).to.equal('no-credentials');
    expect(calls).to.equal(3);
    // with the test hook and no opt-in, every resolve reads the cache
    const uncached = kerberos({ ...opts(), gssapi: counting });
    await uncached.resolve();
    await uncached.resolve();
    expect(calls).to.equal(5);
  });

  it('runs the three rounds: service name, one AP-REQ, EnableSettings with a MIC over "1234"', async function () {
    const t = loopbackTransport(sim);
    const s = await kerberos(opts()).authenticate(t);
    expect(s).to.deep.equal({
      principal: fx.realm.userPrincipal,
      serviceName: 'daeset/bd@localhost',
      servicePrincipal: `daeset/bd/localhost@${fx.realm.realm}`,
    });
    expect(t.log.map((e) => (e.dir === 'request' ? e.type : e.reply.type))).to.deep.equal([
      'Authenticate_request',
      'Authenticate_reply',
      'Authenticate_request',
      'Authenticate_reply',
      'EnableSettings_request',
      'Status_reply',
    ]);
    const [r1, , r2, , es, st] = t.log;
    expect(r1?.dir === 'request' && r1.type === 'Authenticate_request' && r1.token.length).to.equal(0);
    expect(r2?.dir === 'request' && r2.type === 'Authenticate_request' && r2.token.length).to.be.greaterThan(500);
    expect(es?.dir === 'request' && es.type === 'EnableSettings_request' && Array.from(es.message)).to.deep.equal(Array.from(MIC_MESSAGE));
    expect(st?.dir === 'reply' && st.reply.type === 'Status_reply' && st.reply.status).to.equal(0);
    expect(sim.principal).to.equal(fx.realm.userPrincipal);
  });

  it('requires the user principal to be in requiredRealm (default FNAL.GOV) before any traffic', async function () {
    const t = loopbackTransport(sim);
    const err = await authError(kerberos({ realm: fx.realm.realm }).authenticate(t));
    expect(err.reason).to.equal('wrong-realm');
    expect(err.message).to.contain('not from the FNAL.GOV realm');
    expect(t.log).to.have.length(0);
  });

  it('requiredRealm null disables the realm check', async function () {
    expect((await kerberos({ realm: fx.realm.realm, requiredRealm: null }).resolve()).principal).to.equal(fx.realm.userPrincipal);
  });

  it('no ticket → no-credentials before any traffic', async function () {
    const restore = applyEnv({ KRB5CCNAME: fx.realm.emptyCcache() });
    try {
      const t = loopbackTransport(sim);
      const err = await authError(kerberos(opts()).authenticate(t));
      expect(err.reason).to.equal('no-credentials');
      expect(err.message).to.contain("Run 'kinit'");
      expect(t.log).to.have.length(0);
    } finally {
      restore();
    }
  });

  it('the ccache option selects the ticket cache', async function () {
    const restore = applyEnv({ KRB5CCNAME: fx.realm.emptyCcache() });
    try {
      const s = await kerberos({ ...opts(), ccache: fx.realm.ccache }).authenticate(loopbackTransport(sim));
      expect(s.principal).to.equal(fx.realm.userPrincipal);
    } finally {
      restore();
    }
  });

  it('service realm left at FNAL.GOV in a test realm → unknown-service naming the realm option', async function () {
    const err = await authError(kerberos({ requiredRealm: null }).authenticate(loopbackTransport(sim)));
    expect(err.reason).to.equal('unknown-service');
    expect(err.message).to.contain('krbtgt/FNAL.GOV').and.to.contain('realm');
  });

  it('a service name with no principal → unknown-service', async function () {
    const err = await authError(kerberos(opts()).authenticate(loopbackTransport(sim, { serviceName: 'daeset/bd@otherhost' })));
    expect(err.reason).to.equal('unknown-service');
  });

  it('an empty service name → no-service-name', async function () {
    const err = await authError(kerberos(opts()).authenticate(loopbackTransport(sim, { serviceName: '' })));
    expect(err.reason).to.equal('no-service-name');
  });

  it('a token the server cannot accept → server-refused carrying DPM_PRIV', async function () {
    const t = loopbackTransport(sim, { tamperToken: (tok) => tok.slice(0, tok.length - 8) });
    const err = await authError(kerberos(opts()).authenticate(t));
    expect(err.reason).to.equal('server-refused');
    expect(err.status).to.equal(DPM_PRIV);
    expect(sim.principal).to.equal(undefined);
  });

  it('a tampered MIC → EnableSettings refused with DPM_PRIV', async function () {
    const t = loopbackTransport(sim, {
      tamperMic: (m) => {
        const c = Uint8Array.from(m);
        c[c.length - 1]! ^= 1;
        return c;
      },
    });
    const err = await authError(kerberos(opts()).authenticate(t));
    expect(err.reason).to.equal('server-refused');
    expect(err.status).to.equal(DPM_PRIV);
    expect(sim.principal).to.equal(undefined);
  });

  it('an unexpected reply type → server-refused', async function () {
    const t: AuthTransport = {
      authenticate: async () => ({ type: 'other', received: 'StartList_reply' }),
      enableSettings: async () => ({ type: 'Status_reply', status: 0 }),
    };
    const err = await authError(kerberos(opts()).authenticate(t));
    expect(err.reason).to.equal('server-refused');
    expect(err.message).to.contain('Expected Authenticate_reply, got StartList_reply');
  });
});

describe('auth/kerberos: production defaults with a loopback FNAL.GOV realm', function () {
  const fx = useRealm({ realm: 'FNAL.GOV' });

  it('kerberos() with no options authenticates (service realm and required realm FNAL.GOV)', async function () {
    const sim = new SimAuthSession({ serviceName: fx.realm.serviceName });
    try {
      const s = await kerberos().authenticate(loopbackTransport(sim));
      expect(s.principal).to.equal('alice@FNAL.GOV');
      expect(s.servicePrincipal).to.equal('daeset/bd/localhost@FNAL.GOV');
      expect(sim.principal).to.equal('alice@FNAL.GOV');
    } finally {
      sim.dispose();
    }
  });
});
