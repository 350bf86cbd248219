import { expect } from 'chai';
import { join } from 'node:path';
import { DPM_GSS_FLAGS, MIC_MESSAGE } from '../../../lib/auth/kerberos.js';
import { DPM_PRIV } from '../../../lib/sim/auth/authorize.js';
import { checkAcceptorKeytab, SimAuthSession } from '../../../lib/sim/auth/session.js';
import { AuthenticationError } from '../../../lib/auth/authentication-error.js';
import { useRealm } from '../../support/kerberos-fixture.js';

describe('sim/auth/session: insecure mode (no Kerberos)', function () {
  it('is off by default and announces daeset/bd@<host>', function () {
    const s = new SimAuthSession();
    expect(s.insecure).to.equal(false);
    expect(s.serviceName).to.match(/^daeset\/bd@.+/);
  });
  it('accepts any token and MIC as the named principal', async function () {
    const s = new SimAuthSession({ insecureAcceptAnyPrincipal: 'alice@FNAL.GOV', serviceName: 'daeset/bd@demo' });
    expect(s.insecure).to.equal(true);
    expect(await s.handleAuthenticate(new Uint8Array(0))).to.deep.equal({ kind: 'reply', serviceName: 'daeset/bd@demo' });
    expect(await s.handleAuthenticate(Uint8Array.of(1, 2, 3))).to.deep.equal({ kind: 'reply', serviceName: 'daeset/bd@demo' });
    expect(s.handleEnableSettings(Uint8Array.of(9), MIC_MESSAGE)).to.equal(0);
    expect(s.principal).to.equal('alice@FNAL.GOV');
  });
  it('insecure mode grants the identity only to a list that ran the authentication exchange', async function () {
    const skipped = new SimAuthSession({ insecureAcceptAnyPrincipal: 'alice@FNAL.GOV', serviceName: 'daeset/bd@demo' });
    expect(skipped.handleEnableSettings(Uint8Array.of(9), MIC_MESSAGE)).to.equal(0);
    expect(skipped.principal).to.equal(undefined);
    const onlyServiceName = new SimAuthSession({ insecureAcceptAnyPrincipal: 'alice@FNAL.GOV', serviceName: 'daeset/bd@demo' });
    await onlyServiceName.handleAuthenticate(new Uint8Array(0));
    expect(onlyServiceName.handleEnableSettings(Uint8Array.of(9), MIC_MESSAGE)).to.equal(0);
    expect(onlyServiceName.principal).to.equal(undefined);
  });
  it('EnableSettings without a context answers 0 and stays anonymous (fidelity)', function () {
    const s = new SimAuthSession({ serviceName: 'daeset/bd@x' });
    expect(s.handleEnableSettings(Uint8Array.of(1, 2, 3), MIC_MESSAGE)).to.equal(0);
    expect(s.principal).to.equal(undefined);
  });
});

describe('sim/auth/session: acceptor against a real KDC', function () {
  const fx = useRealm();

  it('round 1 announces the service name; round 2 accepts; EnableSettings sets the principal', async function () {
    const s = new SimAuthSession({ serviceName: fx.realm.serviceName });
    try {
      expect(await s.handleAuthenticate(new Uint8Array(0))).to.deep.equal({ kind: 'reply', serviceName: 'daeset/bd@localhost' });
      const init = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null);
      const r = await s.handleAuthenticate(init.token);
      expect(r).to.deep.equal({ kind: 'reply', serviceName: 'daeset/bd@localhost' });
      expect(s.contextPrincipal).to.equal(fx.realm.userPrincipal);
      expect(s.principal).to.equal(undefined);
      expect(s.handleEnableSettings(fx.gss.getMic(init.context, MIC_MESSAGE), MIC_MESSAGE)).to.equal(0);
      expect(s.principal).to.equal(fx.realm.userPrincipal);
      init.context.dispose();
    } finally {
      s.dispose();
    }
    expect(s.principal).to.equal(undefined);
  });

  it('a bad MIC → DPM_PRIV and no identity', async function () {
    const s = new SimAuthSession({ serviceName: fx.realm.serviceName });
    const init = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null);
    await s.handleAuthenticate(init.token);
    const mic = fx.gss.getMic(init.context, MIC_MESSAGE);
    expect(s.handleEnableSettings(mic, Uint8Array.of(0x31, 0x32, 0x33, 0x30))).to.equal(DPM_PRIV);
    expect(s.principal).to.equal(undefined);
    init.context.dispose();
    s.dispose();
  });

  it('a garbage token → Status DPM_PRIV with the GSS error attached', async function () {
    const errors: string[] = [];
    const s = new SimAuthSession({ serviceName: fx.realm.serviceName, onError: (e) => errors.push(e.message) });
    const r = await s.handleAuthenticate(Uint8Array.of(0x60, 1, 2, 3));
    expect(r.kind).to.equal('status');
    expect(r.kind === 'status' && r.status).to.equal(DPM_PRIV);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('gss_accept_sec_context failed');
    s.dispose();
  });

  it('a keytab without the service key → DPM_PRIV', async function () {
    const s = new SimAuthSession({ serviceName: fx.realm.serviceName, keytab: `FILE:${join(fx.realm.dir, 'missing.keytab')}` });
    const init = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null);
    const r = await s.handleAuthenticate(init.token);
    expect(r.kind === 'status' && r.status).to.equal(DPM_PRIV);
    init.context.dispose();
    s.dispose();
  });

  it('a mutual-auth client cannot complete: the reply never carries the AP-REP (fidelity)', async function () {
    const s = new SimAuthSession({ serviceName: fx.realm.serviceName });
    const init = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS | 2, null);
    expect(init.complete).to.equal(false);
    const r = await s.handleAuthenticate(init.token);
    expect(r).to.deep.equal({ kind: 'reply', serviceName: 'daeset/bd@localhost' });
    expect(Object.keys(r)).to.not.include('token');
    init.context.dispose();
    s.dispose();
  });

  it('checkAcceptorKeytab reports a usable keytab and rejects a missing one', async function () {
    expect(await checkAcceptorKeytab({ keytab: `FILE:${fx.realm.keytab}`, principal: fx.realm.servicePrincipal })).to.equal(
      fx.realm.servicePrincipal,
    );
    try {
      await checkAcceptorKeytab({ keytab: `FILE:${join(fx.realm.dir, 'missing.keytab')}` });
      expect.fail('should reject');
    } catch (e) {
      expect(e).to.be.instanceOf(AuthenticationError);
      expect((e as AuthenticationError).message).to.contain('missing.keytab');
    }
  });
});
