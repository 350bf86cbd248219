/**
 * Mocha fixture: one throwaway KDC realm per `describe` block, with the realm's KRB5_* variables
 * exported into `process.env` for the block's duration (MIT re-reads them whenever it creates a
 * krb5 context, so no child process is needed) and restored afterwards.
 *
 * Skips (never passes silently) when the MIT tools or the addon are missing, printing the reason;
 * with `ACSYS_REQUIRE_KERBEROS=1` those conditions fail instead (use it in CI).
 *
 * @example
 * ```ts
 * describe('x', function () {
 *   const fx = useRealm();
 *   it('y', async function () { fx.realm.userPrincipal; fx.gss.credentials('initiate'); });
 * });
 * ```
 */
import { loadGssapi, type GssApi } from '../../lib/auth/gssapi.js';
import { AuthenticationError } from '../../lib/auth/authentication-error.js';
import { applyEnv, startKdc, type KdcOptions, type TestRealm } from './kdc.js';

/** The live objects of {@link useRealm}; valid inside `it` blocks. */
export interface RealmFixture {
  realm: TestRealm;
  gss: GssApi;
  /** Milliseconds the realm took to come up. */
  startupMs: number;
}

function skipOrFail(ctx: Mocha.Context, reason: string): never {
  if (process.env.ACSYS_REQUIRE_KERBEROS === '1') throw new Error(`Kerberos tests required but: ${reason}`);
  console.log(`      [skip] ${reason}`);
  ctx.skip();
}

/** Registers before/after hooks that start and stop a realm; returns the fixture object. */
export function useRealm(options: KdcOptions = {}): RealmFixture {
  const fx = {} as RealmFixture;
  let restore: (() => void) | undefined;
  before(async function () {
    this.timeout(15000);
    let gss: GssApi;
    try {
      gss = loadGssapi();
    } catch (e) {
      if (e instanceof AuthenticationError && e.reason === 'binding-missing') skipOrFail(this, e.message);
      throw e;
    }
    const t0 = Date.now();
    const started = await startKdc(options);
    if (!started.ok) skipOrFail(this, started.reason);
    fx.realm = started.realm;
    fx.gss = gss;
    fx.startupMs = Date.now() - t0;
    restore = applyEnv(started.realm.env);
  });
  after(async function () {
    this.timeout(15000);
    restore?.();
    restore = undefined;
    await fx.realm?.stop();
  });
  return fx;
}
