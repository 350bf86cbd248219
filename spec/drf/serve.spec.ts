import { expect } from 'chai';
import { DrfError } from '../../lib/drf/errors.js';
import { parseDrf } from '../../lib/drf/parse.js';
import { dpmStatusFor, parseForServer, serveInfo } from '../../lib/drf/serve.js';

function drfError(text: string): DrfError {
  try {
    parseDrf(text);
  } catch (e) {
    if (e instanceof DrfError) return e;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('drf/serve', () => {
  it('describes a request in the server’s terms', () => {
    const info = serveInfo('m:outtmp.volts@p,500<-LOGGER:1:2:MCRLOG');
    expect(info.device).to.equal('m:outtmp');
    expect(info.deviceKey).to.equal('M:OUTTMP');
    expect(info.deviceIndex).to.equal(null);
    expect(info.property).to.equal('READING');
    expect(info.field).to.equal('VOLTS');
    expect(info.effectiveField).to.equal('PRIMARY');
    expect(info.window).to.equal(null);
    expect(info.oneShot).to.equal(false);
    expect(info.historical).to.equal(true);
    expect(info.source).to.deep.equal({ name: 'LOGGER', raw: 'LOGGER:1:2:MCRLOG', startMs: 1, endMs: 2, node: 'MCRLOG' });
    expect(Object.isFrozen(info)).to.equal(true);
  });

  it('effective fields follow the server’s defaults', () => {
    expect(serveInfo('Z|ACLTST').effectiveField).to.equal('ALL');
    expect(serveInfo('Z:ACLTST.BIT_STATUS').effectiveField).to.equal('ALL');
    expect(serveInfo('Z&ACLTST').effectiveField).to.equal('SCALED');
    expect(serveInfo('Z~ACLTST').effectiveField).to.equal('SCALED');
    expect(serveInfo('Z~ACLTST.COMMON').effectiveField).to.equal('SCALED');
    expect(serveInfo('Z@ACLTST').effectiveField).to.equal('ALL');
    expect(serveInfo('Z:ACLTST.RAW').effectiveField).to.equal('RAW');
  });

  it('windows', () => {
    expect(serveInfo('B:A1[]').window).to.equal(null);
    expect(serveInfo('B:A1[3]').window).to.deep.equal({ unit: 'element', start: 3, count: 1 });
    expect(serveInfo('B:A1[2:5]').window).to.deep.equal({ unit: 'element', start: 2, count: 4 });
    expect(serveInfo('B:A1[2:]').window).to.deep.equal({ unit: 'element', start: 2, count: null });
    expect(serveInfo('B:A1[:5]').window).to.deep.equal({ unit: 'element', start: 0, count: 6 });
    expect(serveInfo('B:A1{4:8}').window).to.deep.equal({ unit: 'byte', start: 4, count: 8 });
    expect(serveInfo('B:A1{4}').window).to.deep.equal({ unit: 'byte', start: 4, count: 1 });
    expect(serveInfo('B:A1{:8}').window).to.deep.equal({ unit: 'byte', start: 0, count: 8 });
  });

  it('index devices and one-shot', () => {
    expect(serveInfo('#:1234@I')).to.include({ deviceKey: '0:1234', deviceIndex: 1234, oneShot: true });
    expect(serveInfo('0:1234').deviceIndex).to.equal(1234);
  });

  it('maps parse failures to DPM statuses (status.md §7)', () => {
    expect(dpmStatusFor(drfError('M:OUTTMP@X')).name).to.equal('DPM_BAD_EVENT');
    expect(dpmStatusFor(drfError('M:OUTTMP@p,1.5')).name).to.equal('DPM_BAD_EVENT');
    expect(dpmStatusFor(drfError('M:OUTTMP@')).name).to.equal('DPM_BAD_EVENT');
    expect(dpmStatusFor(drfError('M:OUTTMP<-FOO')).name).to.equal('DPM_INVALID_DATASOURCE');
    expect(dpmStatusFor(drfError('M:OUTTMP<-')).name).to.equal('DPM_INVALID_DATASOURCE');
    expect(dpmStatusFor(drfError('M:OUTTMP<-LOGGER:x')).name).to.equal('DPM_BAD_DATASOURCE_FORMAT');
    for (const t of ['M*OUTTMP', 'M:OUTTMP.FOO', 'B:A1[5:2]', 'M:OUTTMP.ON', 'M:OUTTMP.FOO.RAW', '']) {
      expect(dpmStatusFor(drfError(t)).name, t).to.equal('DPM_BAD_REQUEST');
    }
  });

  it('parseForServer', () => {
    const ok = parseForServer('M:OUTTMP');
    expect(ok.ok).to.equal(true);
    const bad = parseForServer('M:OUTTMP<-FOO');
    expect(bad.ok).to.equal(false);
    if (!bad.ok) {
      expect(bad.status.name).to.equal('DPM_INVALID_DATASOURCE');
      expect(bad.error).to.be.instanceOf(DrfError);
    }
  });
});
