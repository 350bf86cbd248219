import { expect } from 'chai';
import { parseClientMessage } from '../../lib/web/messages.js';

describe('web/messages', () => {
  it('accepts subscribe and unsubscribe (from a Buffer, as ws delivers them)', () => {
    expect(parseClientMessage(Buffer.from('{"op":"subscribe","id":1,"drfs":["M:OUTTMP@p,100"]}'), false)).to.deep.equal({
      kind: 'request',
      message: { op: 'subscribe', id: 1, drfs: ['M:OUTTMP@p,100'] },
    });
    expect(parseClientMessage('{"op":"unsubscribe","id":2147483647}', false)).to.deep.equal({ kind: 'request', message: { op: 'unsubscribe', id: 2147483647 } });
    expect(parseClientMessage([Buffer.from('{"op":"unsub'), Buffer.from('scribe","id":5}')], false)).to.deep.include({ kind: 'request' });
  });

  it('binary frames close with 1003, non-JSON with 1007, the rest with 1008 and a reason that says what was expected', () => {
    expect(parseClientMessage(Buffer.from([1, 2, 3]), true)).to.include({ kind: 'violation', code: 1003 });
    expect(parseClientMessage('hello', false)).to.deep.equal({ kind: 'violation', code: 1007, reason: 'not JSON' });
    const cases = [
      '[]',
      'null',
      '{"op":"write","id":1}',
      '{"op":"subscribe","id":0,"drfs":["M:OUTTMP"]}',
      '{"op":"subscribe","id":1.5,"drfs":["M:OUTTMP"]}',
      '{"op":"subscribe","id":2147483648,"drfs":["M:OUTTMP"]}',
      '{"op":"subscribe","id":1,"drfs":"M:OUTTMP"}',
      '{"op":"subscribe","id":1,"drfs":[1]}',
      '{"op":"unsubscribe","id":"1"}',
    ];
    for (const c of cases) {
      const p = parseClientMessage(c, false);
      expect(p, c).to.include({ kind: 'violation', code: 1008 });
      if (p.kind === 'violation') expect(Buffer.byteLength(p.reason), c).to.be.at.most(123);
    }
    const p = parseClientMessage('{"op":"subscribe","id":1,"drfs":"M:OUTTMP"}', false);
    expect(p.kind === 'violation' && p.reason).to.match(/^bad subscribe: expected/);
  });
});
