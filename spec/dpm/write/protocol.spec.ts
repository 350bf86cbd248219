import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { dpm } from '../../../lib/dpm/client.js';
import { insecureSimulatorAuth } from '../../../lib/dpm/write/index.js';
import { AuthenticationError } from '../../../lib/auth/authentication-error.js';
import { ClientClosedError } from '../../../lib/errors/client-closed-error.js';
import type { EncodableReply, RequestMessage } from '../../../lib/protocol/index.js';
import { fakeDpm, type FakeConn, type FakeDpm } from '../../support/fake-dpm.js';
import { until } from '../../support/until.js';

const PRIV = -4335;
const hb = (c: FakeConn): EncodableReply => ({ type: 'ListStatus_reply', list_id: c.listId, status: 0 });

/** A DPM stand-in answering the auth rounds (each preceded by a heartbeat) and settings. */
function settingsServer(o: { apply?: (refs: number[]) => EncodableReply[] | undefined; authStatus?: number } = {}): (req: RequestMessage, c: FakeConn) => void {
  return (req, c) => {
    switch (req.type) {
      case 'Authenticate_request':
        if (o.authStatus !== undefined && req.token.length > 0) {
          c.send([hb(c), { type: 'Status_reply', ref_id: 0, timestamp: Date.now(), cycle: 0, status: o.authStatus }]);
        } else c.send([hb(c), { type: 'Authenticate_reply', serviceName: 'daeset/bd@fake' }]);
        return;
      case 'EnableSettings_request':
        c.send([hb(c), { type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: -1, status: 0 }]);
        return;
      case 'AddToList_request':
        if (!req.drf_request.startsWith('#')) c.list.set(req.ref_id, req.drf_request);
        return;
      case 'ClearList_request':
        c.list.clear();
        return;
      case 'StartList_request': {
        const out: EncodableReply[] = [];
        for (const [ref, drf] of c.list) {
          if (drf.startsWith('Z:BAD')) out.push({ type: 'Status_reply', ref_id: ref, timestamp: Date.now(), cycle: 0, status: -3312 });
          else out.push({ type: 'DeviceInfo_reply', ref_id: ref, di: ref, name: drf.split('.')[0]!, description: 'fake' });
        }
        out.push({ type: 'StartList_reply', list_id: c.listId, status: 0 });
        c.send(out);
        return;
      }
      case 'ApplySettings_request': {
        const refs = [...(req.raw_array ?? []), ...(req.scaled_array ?? []), ...(req.text_array ?? [])].map((s) => s.ref_id);
        const out = o.apply ? o.apply(refs) : [{ type: 'ApplySettings_reply' as const, status: refs.map((ref_id) => ({ ref_id, status: 0 })) }];
        if (out) c.send([hb(c), ...out]);
        return;
      }
      default:
        return;
    }
  };
}

describe('dpm/write: wire sequence against a scripted DPM (§9.2, §9.4)', function () {
  let fake: FakeDpm | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('authenticates skipping heartbeats, then StopList, ClearList, #ROLE, AddToList(@N), StartList; ApplySettings(user_name); StopList', async () => {
    fake = await fakeDpm({ onRequest: settingsServer() });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV'), role: 'testing' });
    try {
      const rs = await firstValueFrom(client.writeMany([{ drf: 'Z:ACLTST', value: 1 }, { drf: 'Z:TEXTDEV', value: 'x' }, { drf: 'Z:BAD', value: 2 }]));
      expect(rs.map((r) => [r.drf, r.status.code])).to.deep.equal([['Z:ACLTST', 0], ['Z:TEXTDEV', 0], ['Z:BAD', -3312]]);
      const again = await firstValueFrom(client.write('Z:ACLTST', 3));
      expect(again.success).to.equal(true);
      expect(fake.conns).to.have.length(1);
      const reqs = fake.conns[0]!.requests;
      // the final StopList is sent after the reply
      await until(() => reqs.filter((r) => r.type === 'ApplySettings_request' || r.type === 'StopList_request').length === 6, { what: 'the final StopList' });
      const types = reqs.map((r) => (r.type === 'AddToList_request' ? `Add(${r.ref_id},${r.drf_request})` : r.type.replace('_request', '')));
      expect(types).to.deep.equal([
        'Authenticate',
        'Authenticate',
        'EnableSettings',
        'StopList',
        'ClearList',
        'Add(0,#ROLE:testing)',
        'Add(1,Z:ACLTST.SETTING@N)',
        'Add(2,Z:TEXTDEV.SETTING@N)',
        'Add(3,Z:BAD.SETTING@N)',
        'StartList',
        'ApplySettings',
        'StopList',
        // the second write: same authenticated connection, fresh ref_ids
        'StopList',
        'ClearList',
        'Add(0,#ROLE:testing)',
        'Add(4,Z:ACLTST.SETTING@N)',
        'StartList',
        'ApplySettings',
        'StopList',
      ]);
      const apply = reqs.find((r) => r.type === 'ApplySettings_request');
      expect(apply).to.deep.include({ user_name: 'alice@FNAL.GOV' });
      // only added refs are applied (ref 3 failed at StartList)
      expect(apply).to.deep.include({ scaled_array: [{ ref_id: 1, data: [1] }], text_array: [{ ref_id: 2, data: ['x'] }] });
    } finally {
      client.close();
    }
  });

  it('a ref-0 SettingStatus is the global status of refs without their own', async () => {
    fake = await fakeDpm({ onRequest: settingsServer({ apply: (refs) => [{ type: 'ApplySettings_reply', status: [{ ref_id: refs[0]!, status: 0 }, { ref_id: 0, status: PRIV }] }] }) });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV') });
    try {
      const rs = await firstValueFrom(client.writeMany({ 'Z:A': 1, 'Z:B': 2 }));
      expect(rs.map((r) => r.status.code)).to.deep.equal([0, PRIV]);
    } finally {
      client.close();
    }
  });

  it('no ApplySettings_reply before the deadline → ACNET_REQTMO, outcome unknown, and the connection is discarded', async () => {
    let first = true;
    fake = await fakeDpm({
      onRequest: settingsServer({
        apply: (refs) => {
          if (first) {
            first = false;
            return undefined;
          }
          return [{ type: 'ApplySettings_reply', status: refs.map((ref_id) => ({ ref_id, status: 0 })) }];
        },
      }),
    });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV'), timeouts: { operation: 300 } });
    try {
      const r = await firstValueFrom(client.write('Z:ACLTST', 1));
      expect(r.success).to.equal(false);
      expect(r.status.name).to.equal('ACNET_REQTMO');
      expect(r.outcome).to.equal('unknown');
      expect(r.message).to.match(/^outcome unknown: no reply within 300 ms after the setting was sent; it may have been applied/);
      expect(fake.conns[0]!.requests.filter((q) => q.type === 'ApplySettings_request')).to.have.length(1);
      const r2 = await firstValueFrom(client.write('Z:ACLTST', 1));
      expect(r2.success).to.equal(true);
      expect(fake.conns).to.have.length(2);
    } finally {
      client.close();
    }
  });

  it('close() during a write in flight: ClientClosedError at once, the socket closed', async () => {
    fake = await fakeDpm({ onRequest: settingsServer({ apply: () => undefined }) });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV') });
    const t0 = Date.now();
    const p = firstValueFrom(client.write('Z:ACLTST', 1)).then(
      () => undefined,
      (err: unknown) => err,
    );
    setTimeout(() => client.close(), 100);
    expect(await p).to.be.instanceOf(ClientClosedError);
    expect(Date.now() - t0).to.be.below(1000);
    const socket = fake.conns[0]!.socket;
    await until(() => socket.readableEnded || socket.destroyed, { what: 'the server to see the socket close' });
    expect(await firstValueFrom(client.writeMany([])).catch((e: unknown) => e)).to.be.instanceOf(ClientClosedError);
  });

  it('a refused auth round is an AuthenticationError carrying the status; the connection is discarded', async () => {
    fake = await fakeDpm({ onRequest: settingsServer({ authStatus: PRIV }) });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV') });
    try {
      const e = await firstValueFrom(client.write('Z:ACLTST', 1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(AuthenticationError);
      expect((e as AuthenticationError).status).to.equal(PRIV);
      const socket = fake.conns[0]!.socket;
      await until(() => socket.destroyed || socket.readableEnded, { what: 'the server to see the socket close' });
    } finally {
      client.close();
    }
  });

  it('an auth round without reply times out with AuthenticationError', async () => {
    fake = await fakeDpm({ onRequest: (req, c) => (req.type === 'Authenticate_request' ? c.send([hb(c)]) : undefined) });
    const client = dpm({ host: '127.0.0.1', port: fake.port, auth: insecureSimulatorAuth('alice@FNAL.GOV'), timeouts: { operation: 300 } });
    try {
      const e = await firstValueFrom(client.write('Z:ACLTST', 1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(AuthenticationError).with.property('message').that.matches(/within 300 ms/);
    } finally {
      client.close();
    }
  });
});
