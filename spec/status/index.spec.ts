import { expect } from 'chai';
import * as status from '../../lib/status/index.js';

describe('status/index', () => {
  it('exports the public API', () => {
    for (const name of ['AcnetStatus', 'Status', 'DeviceError', 'facilities', 'statusEntries', 'facilityEntry', 'statusEntry', 'statusEntryByName']) {
      expect(status, name).to.have.property(name);
    }
    for (const name of ['ACNET_REQTMO', 'ACNET_RETRY', 'DPM_PRIV', 'DPM_BAD_REQUEST', 'DBM_NOPROP', 'DPM_PEND', 'DPM_BAD_EVENT',
      'DPM_INVALID_DATASOURCE', 'DPM_BAD_DATASOURCE_FORMAT', 'ACNET_NO_NODE']) {
      expect(status, name).to.have.property(name).that.is.instanceOf(status.AcnetStatus);
    }
    expect(status.Status.OK.isSuccess).to.equal(true);
  });
});
