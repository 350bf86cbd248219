import { expect } from 'chai';
import { ListIdPool, FIRST_LIST_ID, LIST_ID_COUNT } from '../../lib/sim/list-ids.js';

describe('sim/list-ids', () => {
  it('hands out 4096…6143, then nothing; freed ids come back', () => {
    const p = new ListIdPool();
    const ids = Array.from({ length: LIST_ID_COUNT }, () => p.allocate());
    expect(ids[0]).to.equal(FIRST_LIST_ID);
    expect(ids.at(-1)).to.equal(6143);
    expect(new Set(ids).size).to.equal(2048);
    expect(p.allocate()).to.equal(undefined);
    p.release(5000);
    expect(p.allocate()).to.equal(5000);
  });
});
