import { expect } from 'chai';
import { useSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { kerberosAuthHook, SimStatus } from '../../lib/sim/index.js';
import { parseAuthConfig } from '../../lib/sim/auth/config.js';

describe('sim/kerberos-auth-hook: SimAuthSession + authorizeSetting behind the hook', () => {
  const config = parseAuthConfig({ users: { alice: { roles: ['tester'] } }, roles: { tester: ['Z:ACLTST'] } });
  // the auth module's loudly named insecure principal mode: no KDC needed for this wiring test
  const h = useSim({ auth: kerberosAuthHook({ config, serviceName: 'daeset/bd@localhost', insecureAcceptAnyPrincipal: 'alice@FNAL.GOV' }) });

  it('authenticates, enables settings, and authorizes per role and device', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'Authenticate_request', list_id: c.listId, token: new Uint8Array() });
    expect(await replyFor(c, 'Authenticate_reply')).to.deep.equal({ type: 'Authenticate_reply', serviceName: 'daeset/bd@localhost' });
    c.send({ type: 'Authenticate_request', list_id: c.listId, token: Uint8Array.of(1) });
    c.send({ type: 'EnableSettings_request', list_id: c.listId, MIC: Uint8Array.of(1), message: Buffer.from('1234') });
    expect(await replyFor(c, 'Status_reply', 0)).to.include({ status: 0, cycle: -1 });
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 0, drf_request: '#ROLE:tester' });
    addAndStart(c, [
      [1, 'Z:ACLTST.SETTING@N'],
      [2, 'Z:ARRAY1K.SETTING[0]@N'],
    ]);
    c.send({
      type: 'ApplySettings_request',
      user_name: 'alice@FNAL.GOV',
      list_id: c.listId,
      scaled_array: [
        { ref_id: 1, data: [3] },
        { ref_id: 2, data: [4] },
      ],
    });
    const r = await replyFor(c, 'ApplySettings_reply');
    expect(r.status).to.deep.equal([
      { ref_id: 1, status: 0 },
      { ref_id: 2, status: SimStatus.DPM_PRIV },
    ]);
    expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 3 });
  });
});
