describe('tmp', () => {
  beforeEach(function () { console.log('be sync', process.getActiveResourcesInfo()); });
  beforeEach(async function () { await Promise.resolve(); console.log('be async', process.getActiveResourcesInfo()); });
  afterEach(function () { console.log('ae sync', process.getActiveResourcesInfo()); });
  afterEach(async function () { await Promise.resolve(); console.log('ae async', process.getActiveResourcesInfo()); });
  it('nothing async', async () => { await new Promise((r) => setTimeout(r, 10)); });
  it('leaky', async () => { setTimeout(() => undefined, 3000); });
});
