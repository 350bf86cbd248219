// Resource-leak check: compare process.getActiveResourcesInfo() before and after
// a test, waiting briefly for sockets and timers that are already closing.
export function activeResources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap' && r !== 'FSReqCallback');
}

function count(list: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of list) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Resources present now but not in `before` (by kind, with multiplicity). */
export function leakedSince(before: string[]): string[] {
  const b = count(before);
  const out: string[] = [];
  for (const [k, n] of count(activeResources())) {
    const extra = n - (b.get(k) ?? 0);
    for (let i = 0; i < extra; i++) out.push(k);
  }
  return out;
}

/** Wait up to `ms` for every resource opened since `before` to go away; returns what is left. */
export async function waitForNoLeaks(before: string[], ms = 1500): Promise<string[]> {
  const until = Date.now() + ms;
  let left = leakedSince(before);
  while (left.length > 0 && Date.now() < until) {
    await new Promise<void>((r) => setImmediate(r));
    await new Promise<void>((r) => setTimeout(r, 10));
    left = leakedSince(before);
  }
  return left;
}

/**
 * Install mocha hooks in the current `describe` that fail a test leaving a
 * socket, server or other handle behind (timers are counted as Node reports
 * them, which is approximate).
 *
 * Mocha runs a suite's `afterEach` hooks in registration order, so call
 * `checkLeaks()` AFTER registering the suite's own cleanup hooks (closing
 * servers, clients), or the check runs before the cleanup.
 *
 * @example
 * describe('client', () => { checkLeaks(); it(...) });
 */
export function checkLeaks(ms = 1500): void {
  let before: string[] = [];
  // A synchronous hook has no mocha timer; an async one has exactly one (armed
  // once it returns its promise), which the after-snapshot must not count.
  beforeEach(function () {
    before = activeResources();
  });
  afterEach(async function () {
    const left = await waitForNoLeaks([...before, 'Timeout'], ms);
    if (left.length > 0) {
      const title = this.currentTest?.fullTitle() ?? '';
      throw new Error(`resources left after "${title}": ${left.join(', ')} (before: ${before.join(', ')}; now: ${activeResources().join(', ')})`);
    }
  });
}
