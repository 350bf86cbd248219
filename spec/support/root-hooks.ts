// Root hooks for the whole run: after the last test, nothing the tests opened
// (sockets, servers, timers, child processes) may still be alive. Mocha runs with
// `exit: true` so a leak can never hang CI; this hook turns a leak into a failure
// that names what was left instead.
import { activeResources, waitForNoLeaks } from './leaks.js';

let baseline: string[] = [];

export const mochaHooks = {
  beforeAll(): void {
    baseline = activeResources();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(10_000);
    const left = await waitForNoLeaks([...baseline, 'Timeout'], 5_000);
    if (left.length > 0) {
      throw new Error(`handles still open after the whole run: ${left.join(', ')}`);
    }
  },
};
