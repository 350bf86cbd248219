import { expect } from 'chai';
import { AcsysError } from '../../lib/errors/acsys-error.js';
import { ListError } from '../../lib/dpm/list-error.js';
import { AcnetStatus } from '../../lib/status/index.js';

describe('dpm/list-error', () => {
  it('carries the list status and the readings', () => {
    const e = new ListError(AcnetStatus.fromWord(-3312), 'StartList refused');
    expect(e).to.be.instanceOf(AcsysError);
    expect(e.code).to.equal('LIST_ERROR');
    expect(e.status.name).to.equal('DBM_NOPROP');
    expect(e.readings).to.deep.equal([]);
  });
});
