import { expect } from 'chai';
import { newBackpressureStats } from '../../../lib/dpm/operators/backpressure-stats.js';

describe('dpm/operators/backpressure-stats', () => {
  it('starts at zero', () => {
    expect(newBackpressureStats()).to.deep.equal({ dropped: 0, queued: 0, maxQueued: 0, processed: 0 });
  });
});
