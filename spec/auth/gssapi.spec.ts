import { expect } from 'chai';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { GSS_FLAGS, GSS_STATUS, loadGssapi } from '../../lib/auth/gssapi.js';
import { DPM_GSS_FLAGS, MIC_MESSAGE } from '../../lib/auth/kerberos.js';
import { applyEnv } from '../support/kdc.js';
import { useRealm } from '../support/kerberos-fixture.js';

async function rejection(p: Promise<unknown>): Promise<AuthenticationError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(AuthenticationError);
    return e as AuthenticationError;
  }
  expect.fail('expected a rejection');
}

describe('auth/gssapi: loader', function () {
  it('reports a missing addon as AuthenticationError binding-missing with an install hint', function () {
    try {
      loadGssapi('/nonexistent/acsys_gssapi.node');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(AuthenticationError);
      const err = e as AuthenticationError;
      expect(err.code).to.equal('AUTH_ERROR');
      expect(err.reason).to.equal('binding-missing');
      expect(err.message).to.contain('libkrb5-dev').and.to.contain('npm run build:native');
    }
  });
});

describe('auth/gssapi: against a real MIT KDC', function () {
  const fx = useRealm();

  it('starts the realm quickly', function () {
    console.log(`      realm ${fx.realm.realm} on 127.0.0.1:${fx.realm.port} up in ${fx.startupMs} ms`);
    expect(fx.startupMs).to.be.below(10000);
  });

  it('reads the default initiator credential from the ccache', async function () {
    const c = await fx.gss.credentials('initiate');
    expect(c.name).to.equal(fx.realm.userPrincipal);
    expect(c.lifetime).to.be.greaterThan(3000).and.at.most(3600);
  });

  it('establishes a context in one AP-REQ (no mutual) and the acceptor learns the client', async function () {
    const init = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null);
    try {
      expect(init.complete).to.equal(true);
      expect(init.token.length).to.be.greaterThan(500);
      expect(init.flags & GSS_FLAGS.MUTUAL).to.equal(0);
      expect(init.flags & DPM_GSS_FLAGS).to.equal(DPM_GSS_FLAGS);
      const acc = await fx.gss.acceptSecContext(null, init.token);
      try {
        expect(acc.complete).to.equal(true);
        expect(acc.token.length).to.equal(0);
        expect(acc.peer).to.equal(fx.realm.userPrincipal);
        const ci = fx.gss.inquireContext(init.context);
        const ai = fx.gss.inquireContext(acc.context);
        expect(ci).to.include({ open: true, initiator: true, source: fx.realm.userPrincipal, target: fx.realm.servicePrincipal });
        expect(ai).to.include({ open: true, initiator: false, source: fx.realm.userPrincipal });

        const mic = fx.gss.getMic(init.context, MIC_MESSAGE);
        expect(mic.length).to.equal(28);
        expect([mic[0], mic[1]]).to.deep.equal([0x04, 0x04]);
        expect(fx.gss.verifyMic(acc.context, MIC_MESSAGE, mic).supplementary).to.equal(0);

        // Replaying the same MIC is a *successful* verification with the DUPLICATE_TOKEN bit.
        expect(fx.gss.verifyMic(acc.context, MIC_MESSAGE, mic).supplementary & GSS_STATUS.DUPLICATE_TOKEN).to.not.equal(0);

        // Tampered MIC and tampered message both fail with BAD_SIG.
        const badMic = Uint8Array.from(mic);
        badMic[badMic.length - 1]! ^= 0xff;
        const mic2 = fx.gss.getMic(init.context, MIC_MESSAGE);
        expect(() => fx.gss.verifyMic(acc.context, MIC_MESSAGE, badMic)).to.throw(AuthenticationError, /invalid Message Integrity Check/);
        try {
          fx.gss.verifyMic(acc.context, Uint8Array.of(0x31, 0x32, 0x33, 0x35), mic2);
          expect.fail('should throw');
        } catch (e) {
          const err = e as AuthenticationError;
          expect(err.reason).to.equal('gss-failure');
          expect(err.gss).to.include({ call: 'gss_verify_mic', major: GSS_STATUS.BAD_SIG });
        }
      } finally {
        acc.context.dispose();
      }
    } finally {
      init.context.dispose();
    }
    expect(init.context.disposed).to.equal(true);
    expect(() => fx.gss.getMic(init.context, MIC_MESSAGE)).to.throw(AuthenticationError, /disposed/);
  });

  it('does not block the event loop while waiting for the KDC (and reports kdc-unreachable)', async function () {
    // A fake KDC inside this process: if the GSS call blocked the event loop it could never see
    // the TGS-REQ; it closes the connection on the first bytes, so the call then fails fast.
    let sawRequest = false;
    const fake = createServer((sock) => {
      sock.once('data', () => {
        sawRequest = true;
        sock.destroy();
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    const fakePort = (fake.address() as AddressInfo).port;
    const conf = join(fx.realm.dir, 'fake-kdc.conf');
    writeFileSync(conf, readFileSync(fx.realm.env.KRB5_CONFIG, 'utf8').replace(`127.0.0.1:${fx.realm.port}`, `127.0.0.1:${fakePort}`));
    const ccache = fx.realm.emptyCcache();
    await fx.realm.kinit({ ccache }); // TGT only; the service ticket must come from the (fake) KDC
    const restore = applyEnv({ KRB5_CONFIG: conf, KRB5CCNAME: ccache });
    try {
      const t0 = Date.now();
      const err = await rejection(fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null));
      expect(sawRequest).to.equal(true);
      expect(err.reason).to.equal('kdc-unreachable');
      expect(Date.now() - t0).to.be.below(10000);
    } finally {
      restore();
      await new Promise((r) => fake.close(r));
    }
  });

  it('no ticket (empty ccache, no client keytab) → no-credentials', async function () {
    const restore = applyEnv({ KRB5CCNAME: fx.realm.emptyCcache() });
    try {
      const err = await rejection(fx.gss.credentials('initiate'));
      expect(err.reason).to.equal('no-credentials');
      expect(err.gss?.major).to.equal(GSS_STATUS.NO_CRED);
      expect(err.message).to.match(/No Kerberos credentials available/);
    } finally {
      restore();
    }
  });

  it('unknown service principal → unknown-service with MIT text', async function () {
    const err = await rejection(fx.gss.initSecContext(null, `daeset/bd/otherhost@${fx.realm.realm}`, DPM_GSS_FLAGS, null));
    expect(err.reason).to.equal('unknown-service');
    expect(err.message).to.contain(`Server daeset/bd/otherhost@${fx.realm.realm} not found in Kerberos database`);
  });

  it('a stale service keytab (the KDC moved to the next kvno) → acceptor failure', async function () {
    const svc = `daeset/bd/stalehost@${fx.realm.realm}`;
    const stale = join(fx.realm.dir, 'stale.keytab');
    await fx.realm.kadmin(`addprinc -randkey ${svc}`, `ktadd -k ${stale} ${svc}`);
    copyFileSync(stale, join(fx.realm.dir, 'stale-copy.keytab'));
    await fx.realm.kadmin(`ktadd -k ${join(fx.realm.dir, 'rotated.keytab')} ${svc}`);
    const init = await fx.gss.initSecContext(null, svc, DPM_GSS_FLAGS, null);
    try {
      const err = await rejection(fx.gss.acceptSecContext(null, init.token, { keytab: `FILE:${join(fx.realm.dir, 'stale-copy.keytab')}` }));
      expect(err.gss?.call).to.equal('gss_accept_sec_context');
      expect(err.message).to.match(/kvno \d+ not found in keytab|keytab is likely out of date/);
    } finally {
      init.context.dispose();
    }
  });

  it('a garbage token to the acceptor → DEFECTIVE_TOKEN', async function () {
    const err = await rejection(fx.gss.acceptSecContext(null, Uint8Array.of(1, 2, 3, 4)));
    expect(err.gss?.major).to.equal(GSS_STATUS.DEFECTIVE_TOKEN);
  });

  it('an expired ticket → expired', async function () {
    this.timeout(15000);
    const ccache = fx.realm.emptyCcache();
    await fx.realm.kinit({ ccache, lifetime: '2s' });
    const restore = applyEnv({ KRB5CCNAME: ccache });
    try {
      expect((await fx.gss.credentials('initiate')).lifetime).to.be.at.most(2);
      // the ticket expires by libkrb5's clock (the system's, in whole seconds; no virtual time
      // there): wait for the expiry itself, trying to initiate a context until that is refused
      // (the 2 s lifetime; 10 s at most)
      let err2: AuthenticationError | undefined;
      for (const end = Date.now() + 10_000; err2 === undefined; ) {
        err2 = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null).then(
          () => undefined,
          (e: unknown) => e as AuthenticationError,
        );
        if (err2 === undefined && Date.now() > end) expect.fail('the 2 s ticket still usable after 10 s');
        if (err2 === undefined) await new Promise((r) => setTimeout(r, 100)); // (polling GSSAPI)
      }
      expect(err2).to.be.instanceOf(AuthenticationError);
      expect(err2.reason).to.equal('expired');
      const err = await rejection(fx.gss.credentials('initiate'));
      expect(err.reason).to.equal('expired');
    } finally {
      restore();
    }
  });

  it('an explicit credential store overrides the environment', async function () {
    const restore = applyEnv({ KRB5CCNAME: fx.realm.emptyCcache() });
    try {
      const c = await fx.gss.credentials('initiate', { ccache: fx.realm.ccache });
      expect(c.name).to.equal(fx.realm.userPrincipal);
      const s = await fx.gss.initSecContext(null, fx.realm.servicePrincipal, DPM_GSS_FLAGS, null, { ccache: fx.realm.ccache });
      const a = await fx.gss.acceptSecContext(null, s.token, { keytab: `FILE:${fx.realm.keytab}` });
      expect(a.peer).to.equal(fx.realm.userPrincipal);
      s.context.dispose();
      a.context.dispose();
    } finally {
      restore();
    }
  });
});
