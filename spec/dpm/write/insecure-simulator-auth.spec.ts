import { expect } from 'chai';
import { AuthenticationError } from '../../../lib/auth/authentication-error.js';
import type { AuthTransport } from '../../../lib/auth/kerberos.js';
import { insecureSimulatorAuth } from '../../../lib/dpm/write/insecure-simulator-auth.js';
import { defaultAuthHook, SimStatus, type SimAuthConnection } from '../../../lib/sim/index.js';

/** An AuthTransport answered by a simulator auth connection, in memory. */
function loopback(conn: SimAuthConnection): AuthTransport {
  return {
    async authenticate(token) {
      const r = await conn.handleAuthenticate(token);
      return r.kind === 'reply' ? { type: 'Authenticate_reply', serviceName: r.serviceName } : { type: 'Status_reply', status: r.status };
    },
    async enableSettings(mic, message) {
      return { type: 'Status_reply', status: await conn.handleEnableSettings(mic, message) };
    },
  };
}

const ALICE = 'alice@FNAL.GOV';

describe('dpm/write/insecure-simulator-auth (also acput --insecure-sim)', () => {
  it('completes the three rounds against an insecure simulator, which then allows settings', async () => {
    const conn = defaultAuthHook({ insecure: true }).openConnection({ connectionIndex: 0, listId: 1 });
    const s = await insecureSimulatorAuth(ALICE).authenticate(loopback(conn));
    expect(s.principal).to.equal(ALICE);
    expect(s.serviceName).to.be.a('string').and.not.equal('');
    expect(conn.principal).to.not.equal(undefined);
  });

  it('is refused by a secure simulator (DPM_PRIV), as by a real DPM', async () => {
    const conn = defaultAuthHook({ insecure: false }).openConnection({ connectionIndex: 0, listId: 1 });
    const e = await insecureSimulatorAuth(ALICE)
      .authenticate(loopback(conn))
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).to.be.instanceOf(AuthenticationError);
    expect((e as AuthenticationError).reason).to.equal('server-refused');
    expect((e as AuthenticationError).status).to.equal(SimStatus.DPM_PRIV);
  });

  it('needs no ticket', async () => {
    const c = await insecureSimulatorAuth(ALICE).resolve();
    expect(c.principal).to.equal(ALICE);
    expect(c.lifetime).to.be.greaterThan(0);
  });
});
