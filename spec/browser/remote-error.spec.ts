import { expect } from 'chai';
import { GatewayError } from '../../lib/browser/gateway-error.js';
import { errorFromWire } from '../../lib/browser/remote-error.js';
import { wireError } from '../../lib/browser/wire.js';
import { DrfError } from '../../lib/drf/errors.js';
import { parseDrf } from '../../lib/drf/parse.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { ConnectionLost } from '../../lib/errors/connection-lost.js';
import { AcnetStatus } from '../../lib/status/acnet-status.js';

describe('browser/remote-error', () => {
  it('rebuilds a DrfError with the same fields and message as the gateway’s', () => {
    let original: DrfError | undefined;
    try {
      parseDrf('M:OUTTMP.NOPE');
    } catch (e) {
      original = e as DrfError;
    }
    const back = errorFromWire(wireError(original));
    expect(back).to.be.instanceOf(DrfError);
    expect(back.message).to.equal(original!.message);
    expect(back).to.include({ input: original!.input, position: original!.position, part: original!.part, detail: original!.detail });
  });

  it('rebuilds a ListError with its status', () => {
    const original = new ListError(AcnetStatus.fromWord(-4335), 'StartList refused');
    const back = errorFromWire(wireError(original));
    expect(back).to.be.instanceOf(ListError);
    expect(back.message).to.equal(original.message);
    expect((back as ListError).status).to.equal(original.status);
  });

  it('limits and bad requests are GatewayErrors with their reason; the rest is upstream with the remote code', () => {
    const limit = errorFromWire({ code: 'LIMIT', message: 'too many subscriptions (limit 100)' });
    expect(limit).to.be.instanceOf(GatewayError).and.include({ reason: 'limit', remoteCode: 'LIMIT', message: 'too many subscriptions (limit 100)' });
    expect(errorFromWire({ code: 'BAD_REQUEST', message: 'x' })).to.include({ reason: 'bad_request' });
    const lost = errorFromWire(wireError(new ConnectionLost('closed', 'connection closed by the server')));
    expect(lost).to.be.instanceOf(GatewayError).and.include({ reason: 'upstream', remoteCode: 'CONNECTION_LOST', code: 'GATEWAY_ERROR' });
    expect(lost.message).to.match(/^gateway: /);
    // malformed DRF_ERROR fields: not trusted
    expect(errorFromWire({ code: 'DRF_ERROR', message: 'm', input: 'x', position: 1, part: 'nonsense' })).to.be.instanceOf(GatewayError);
  });
});
