import { expect } from 'chai';
import { AcnetStatus } from '../../lib/status/acnet-status.js';
import * as C from '../../lib/status/constants.js';

describe('status/constants', () => {
  it('well-known statuses have the words the spec gives', () => {
    const expected: [AcnetStatus, string, number, number][] = [
      [C.Status.OK, 'ACNET_OK', 0, 0],
      [C.ACNET_REQTMO, 'ACNET_REQTMO', 1, -6],
      [C.ACNET_RETRY, 'ACNET_RETRY', 1, -1],
      [C.ACNET_PEND, 'ACNET_PEND', 1, 1],
      [C.ACNET_NO_NODE, 'ACNET_NO_NODE', 1, -30],
      [C.DIO_NOATT, 'DIO_NOATT', 14, -6],
      [C.DBM_NOPROP, 'DBM_NOPROP', 16, -13],
      [C.DPM_PEND, 'DPM_PEND', 17, 1],
      [C.DPM_PRIV, 'DPM_PRIV', 17, -17],
      [C.DPM_BAD_REQUEST, 'DPM_BAD_REQUEST', 17, -24],
      [C.DPM_BAD_RANGE, 'DPM_BAD_RANGE', 17, -28],
      [C.DPM_BAD_EVENT, 'DPM_BAD_EVENT', 17, -33],
      [C.DPM_INVALID_DATASOURCE, 'DPM_INVALID_DATASOURCE', 17, -42],
      [C.DPM_BAD_DATASOURCE_FORMAT, 'DPM_BAD_DATASOURCE_FORMAT', 17, -43],
    ];
    for (const [s, name, f, e] of expected) {
      expect([s.name, s.facility, s.errorNumber], name).to.deep.equal([name, f, e]);
    }
  });

  it('Status holds the same interned instances, frozen', () => {
    expect(Object.isFrozen(C.Status)).to.equal(true);
    for (const [k, v] of Object.entries(C.Status)) {
      expect(v).to.be.instanceOf(AcnetStatus);
      expect(v).to.equal(AcnetStatus.fromWord(v.code));
      if (k !== 'OK') expect(v.name, k).to.equal(k);
    }
    expect(C.Status.DPM_PRIV).to.equal(C.DPM_PRIV);
  });
});
