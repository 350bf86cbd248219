import { expect } from 'chai';
import * as drf from '../../lib/drf/index.js';

describe('drf/index', () => {
  it('exports the stable names', () => {
    for (const name of [
      'parseDrf', 'toCanonical', 'ensureImmediate', 'writeTarget', 'deviceName', 'withEvent', 'withRange', 'withProperty',
      'withField', 'stripEvent', 'replaceEvent', 'sameDevice', 'deviceKey', 'requestKey', 'oneShot', 'writeRequest',
      'DrfError', 'serveInfo', 'dpmStatusFor', 'parseForServer', 'parseListProperty', 'isValidDrf',
    ]) {
      expect(drf, name).to.have.property(name).that.is.a('function');
    }
  });
  it('works end to end', () => {
    expect(drf.toCanonical('M_OUTTMP@p,1000')).to.equal('M:OUTTMP.SETTING@p,1000');
    expect(drf.ensureImmediate('M:OUTTMP')).to.equal('M:OUTTMP@I');
    expect(drf.writeTarget('M:OUTTMP')).to.equal('M:OUTTMP.SETTING@N');
  });
});
