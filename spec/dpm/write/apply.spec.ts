import { expect } from 'chai';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLost } from '../../../lib/errors/connection-lost.js';
import { applyBatch, type BatchReport } from '../../../lib/dpm/write/apply.js';
import type { PreparedSetting } from '../../../lib/dpm/write/prepare.js';
import type { WriteConnection } from '../../../lib/dpm/write/write-connection.js';
import type { ReplyMessage } from '../../../lib/protocol/index.js';
import { AcnetStatus } from '../../../lib/status/acnet-status.js';
import { FakeConnection } from '../../support/fake-connection.js';

const S = (drf: string, v: number): PreparedSetting => ({ drf, wire: `${drf}.SETTING@N`, payload: { kind: 'scaled', data: [v] } });
const info = (ref_id: number): ReplyMessage => ({ type: 'DeviceInfo_reply', ref_id, di: 1, name: 'Z:ACLTST', description: '' });
const started: ReplyMessage = { type: 'StartList_reply', list_id: 4096, status: 0 } as ReplyMessage;
const types = (c: FakeConnection): string[] => c.sent.map((batch) => batch.map((m) => m.type.replace('_request', '')).join('+'));

function setup(): { conn: FakeConnection; wc: WriteConnection; reports: BatchReport[]; errors: unknown[]; done: { value: boolean } } {
  const conn = new FakeConnection();
  return { conn, wc: { connection: conn, principal: 'alice@FNAL.GOV', role: undefined }, reports: [], errors: [], done: { value: false } };
}

describe('dpm/write/apply: one settings round trip as an Observable', () => {
  it('sends the adds, waits for validation, sends ApplySettings once, maps statuses, stops the list', () => {
    const { conn, wc, reports } = setup();
    applyBatch(wc, [S('Z:A', 1), S('Z:B', 2)], { timeoutMs: 1000 }).subscribe((r) => reports.push(r));
    expect(types(conn)).to.deep.equal(['StopList+ClearList+AddToList+AddToList+StartList']);
    conn.reply({ type: 'ListStatus_reply', list_id: 4096, status: 0 } as ReplyMessage); // heartbeats are skipped
    conn.reply(info(1));
    conn.reply(info(2));
    expect(conn.sent).to.have.length(1); // StartList_reply not yet seen
    conn.reply(started);
    expect(types(conn)[1]).to.equal('ApplySettings');
    conn.reply({ type: 'ApplySettings_reply', status: [{ ref_id: 1, status: 0 }, { ref_id: 2, status: -4335 }] } as ReplyMessage);
    expect(types(conn)[2]).to.equal('StopList');
    expect(reports).to.have.length(1);
    expect(reports[0]!.reusable).to.equal(true);
    expect(reports[0]!.results.map((r) => [r.drf, r.outcome, r.status.name])).to.deep.equal([
      ['Z:A', 'applied', 'ACNET_OK'],
      ['Z:B', 'not-applied', 'DPM_PRIV'],
    ]);
  });

  it('an add-stage error wins and its setting is not in ApplySettings', () => {
    const { conn, wc, reports } = setup();
    applyBatch(wc, [S('Z:A', 1), S('Z:NOPE', 2)], { timeoutMs: 1000 }).subscribe((r) => reports.push(r));
    conn.reply(info(1));
    conn.reply({ type: 'Status_reply', ref_id: 2, timestamp: 0, cycle: 0, status: -3312 } as ReplyMessage);
    conn.reply(started);
    const apply = conn.sent[1]![0]!;
    expect(apply).to.deep.include({ type: 'ApplySettings_request', scaled_array: [{ ref_id: 1, data: [1] }] });
    conn.reply({ type: 'ApplySettings_reply', status: [{ ref_id: 1, status: 0 }] } as ReplyMessage);
    expect(reports[0]!.results.map((r) => r.outcome)).to.deep.equal(['applied', 'not-applied']);
  });

  it('a connection lost before ApplySettings is an error (safe to retry); nothing was applied', () => {
    const { conn, wc, errors } = setup();
    const replies = new Subject<ReplyMessage>();
    (conn as unknown as { replies$: unknown }).replies$ = replies;
    applyBatch(wc, [S('Z:A', 1)], { timeoutMs: 1000 }).subscribe({ error: (e: unknown) => errors.push(e) });
    replies.error(new ConnectionLost('reset', 'test'));
    expect(errors[0]).to.be.instanceOf(ConnectionLost);
    expect(conn.sent.flat().some((m) => m.type === 'ApplySettings_request')).to.equal(false);
  });

  it('a connection already closed: ApplySettings is not sent, the failure is an error before sending', () => {
    const { conn, wc, errors } = setup();
    applyBatch(wc, [S('Z:A', 1)], { timeoutMs: 1000 }).subscribe({ error: (e: unknown) => errors.push(e) });
    conn.reply(info(1));
    conn.closed = true;
    conn.reply(started);
    expect(errors[0]).to.be.instanceOf(ConnectionLost);
    expect(conn.sent.flat().some((m) => m.type === 'ApplySettings_request')).to.equal(false);
  });

  it('a connection lost after ApplySettings: a result with outcome unknown, never an error', () => {
    const { conn, wc, reports, errors } = setup();
    const replies = new Subject<ReplyMessage>();
    (conn as unknown as { replies$: unknown }).replies$ = replies;
    applyBatch(wc, [S('Z:A', 1)], { timeoutMs: 1000 }).subscribe({ next: (r) => reports.push(r), error: (e: unknown) => errors.push(e) });
    replies.next(info(1));
    replies.next(started);
    replies.error(new ConnectionLost('closed', 'test'));
    expect(errors).to.deep.equal([]);
    expect(reports[0]!.reusable).to.equal(false);
    expect(reports[0]!.results[0]).to.deep.include({ outcome: 'unknown', success: false });
    expect(reports[0]!.results[0]!.status.name).to.equal('ACNET_DISCONNECTED');
    expect(conn.sent.flat().filter((m) => m.type === 'ApplySettings_request')).to.have.length(1);
  });

  it('deadlines in virtual time: no validation → ACNET_REQTMO not applied; no reply after sending → unknown', () => {
    const ts = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts.run(({ expectObservable }) => {
      const { wc } = setup();
      const outcome$ = applyBatch(wc, [S('Z:A', 1)], { timeoutMs: 100, scheduler: ts });
      expectObservable(outcome$, '^ 200ms !').toBe('100ms (r|)', {
        r: { reusable: false, results: [{ drf: 'Z:A', status: ACNET('ACNET_REQTMO'), success: false, outcome: 'not-applied', message: 'No reply from server within 100 ms; nothing was applied' }] },
      });
    });
    const ts2 = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
    ts2.run(({ expectObservable }) => {
      const { conn, wc } = setup();
      conn.onSend = (msgs, c) => {
        if (msgs.some((m) => m.type === 'StartList_request')) {
          ts2.schedule(() => {
            c.reply(info(1));
            c.reply(started);
          }, 30);
        }
      };
      const outcome$ = applyBatch(wc, [S('Z:A', 1)], { timeoutMs: 100, scheduler: ts2 });
      expectObservable(outcome$).toBe('100ms (r|)', {
        r: {
          reusable: false,
          results: [
            {
              drf: 'Z:A',
              status: ACNET('ACNET_REQTMO'),
              success: false,
              outcome: 'unknown',
              message: 'outcome unknown: no reply within 100 ms after the setting was sent; it may have been applied (it is not sent again; read the device back)',
            },
          ],
        },
      });
    });
  });
});

function ACNET(name: string): AcnetStatus {
  return AcnetStatus.fromName(name);
}
