import { expect } from 'chai';
import { useSim, addAndStart, replyFor } from '../support/sim-harness.js';
import { SimStatus, defaultAuthHook, DEFAULT_SERVICE_NAME, type SimAuthHook, type SettingToAuthorize } from '../../lib/sim/index.js';
import { sleep } from '../support/raw-client.js';
import { parseDrf } from '../../lib/drf/parse.js';

const setting: SettingToAuthorize = { refId: 1, device: 'Z:ACLTST', request: parseDrf('Z:ACLTST.SETTING@N'), role: undefined };

describe('sim/auth-hook: defaultAuthHook (unit)', () => {
  it('secure: service name for an empty token, DPM_PRIV for a token and for every setting; EnableSettings 0', () => {
    const c = defaultAuthHook({ insecure: false }).openConnection({ connectionIndex: 0, listId: 4096 });
    expect(c.handleAuthenticate(new Uint8Array())).to.deep.equal({ kind: 'reply', serviceName: DEFAULT_SERVICE_NAME });
    expect(c.handleAuthenticate(Uint8Array.of(1))).to.deep.equal({ kind: 'status', status: SimStatus.DPM_PRIV });
    expect(c.handleEnableSettings(Uint8Array.of(1), Uint8Array.of(0x31))).to.equal(0);
    expect(c.authorizeSetting(setting)).to.equal(SimStatus.DPM_PRIV);
    expect(c.principal).to.equal(undefined);
  });
  it('insecure: any token accepted, every setting allowed', () => {
    const c = defaultAuthHook({ insecure: true, serviceName: 'a/b@h' }).openConnection({ connectionIndex: 0, listId: 4096 });
    expect(c.handleAuthenticate(Uint8Array.of(1, 2))).to.deep.equal({ kind: 'reply', serviceName: 'a/b@h' });
    expect(c.authorizeSetting(setting)).to.equal(0);
    expect(c.principal).to.be.a('string');
  });
});

describe('sim/auth-hook: over a socket with the default hook', () => {
  const h = useSim();
  it('Authenticate round 1 → Authenticate_reply {serviceName}, no token; a token → Status_reply ref 0 DPM_PRIV', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'Authenticate_request', list_id: c.listId, token: new Uint8Array() });
    expect(await replyFor(c, 'Authenticate_reply')).to.deep.equal({ type: 'Authenticate_reply', serviceName: DEFAULT_SERVICE_NAME });
    c.mark();
    c.send({ type: 'Authenticate_request', list_id: c.listId, token: Uint8Array.of(1, 2, 3) });
    expect(await replyFor(c, 'Status_reply')).to.include({ ref_id: 0, status: SimStatus.DPM_PRIV, cycle: 0 });
  });
  it('EnableSettings → Status_reply {ref 0, status 0, timestamp 0, cycle -1}', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'EnableSettings_request', list_id: c.listId, MIC: Uint8Array.of(1), message: Buffer.from('1234') });
    expect(await replyFor(c, 'Status_reply')).to.deep.equal({ type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: -1, status: 0 });
  });
});

/**
 * The custom hook's own latency: an authentication backend that answers after the requests behind
 * the Authenticate_request have arrived. An input of the test (what makes the ordering matter),
 * not a wait of the test, which waits for the replies themselves.
 */
const SLOW_BACKEND_MS = 30;

describe('sim/auth-hook: a custom asynchronous hook', () => {
  const calls: SettingToAuthorize[] = [];
  const hook: SimAuthHook = {
    openConnection: () => ({
      handleAuthenticate: async () => {
        await sleep(SLOW_BACKEND_MS);
        return { kind: 'reply', serviceName: 'svc/x@host' };
      },
      handleEnableSettings: async () => 0,
      authorizeSetting: async (s) => {
        calls.push(s);
        return s.role === 'testing' ? 0 : SimStatus.DPM_PRIV;
      },
    }),
  };
  const h = useSim({ auth: hook });
  it('keeps replies in request order and passes device and role to authorizeSetting', async () => {
    const c = await h.open();
    c.mark();
    c.send({ type: 'Authenticate_request', list_id: c.listId, token: new Uint8Array() });
    c.send({ type: 'AddToList_request', list_id: c.listId, ref_id: 0, drf_request: '#ROLE:testing' });
    addAndStart(c, [[1, 'Z:ACLTST.SETTING@N']]);
    c.send({ type: 'ApplySettings_request', user_name: 'u', list_id: c.listId, scaled_array: [{ ref_id: 1, data: [5] }] });
    const r = await replyFor(c, 'ApplySettings_reply');
    expect(r.status).to.deep.equal([{ ref_id: 1, status: 0 }]);
    expect(c.since().map((m) => m.type)).to.deep.equal(['Authenticate_reply', 'DeviceInfo_reply', 'StartList_reply', 'ApplySettings_reply']);
    expect(calls[0]).to.include({ refId: 1, device: 'Z:ACLTST', role: 'testing' });
    expect(h.sim.getDevice('Z:ACLTST')?.setting).to.deep.equal({ kind: 'scalar', value: 5 });
  });
});
