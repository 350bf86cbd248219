/**
 * Mocha fixture: the system's Chromium (Debian's `chromium`, never a downloaded one), driven by
 * playwright-core, headless, with a fresh profile per `describe` block.
 *
 * Skips (never passes silently) when no Chromium is installed, printing the reason; with
 * `ACSYS_REQUIRE_BROWSER=1` (CI) a missing browser fails instead. `ACSYS_CHROMIUM` names the
 * executable when it is not in a usual place.
 *
 * @example
 * ```ts
 * describe('page', function () {
 *   const browser = useChromium();
 *   it('loads', async () => { const page = await browser.context.newPage(); await page.goto(url); });
 * });
 * ```
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The flags every run uses: headless, no sandbox (containers), no network chatter of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable, or `undefined` when none is installed. */
export function findChromium(): string | undefined {
  const env = process.env['ACSYS_CHROMIUM'];
  if (env !== undefined && env !== '') return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** A running browser with a fresh profile; `close()` ends it and removes the profile. */
export interface Chromium {
  readonly context: BrowserContext;
  readonly executable: string;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with {@link CHROMIUM_FLAGS} and a new `--user-data-dir`.
 *
 * @example
 * ```ts
 * const b = await launchChromium('/usr/bin/chromium');
 * await b.close();
 * ```
 */
export async function launchChromium(executable: string, viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'acsys-chromium-'));
  try {
    // playwright passes the profile as --user-data-dir
    const context = await chromium.launchPersistentContext(profile, { executablePath: executable, headless: true, args: CHROMIUM_FLAGS, viewport, timeout: 60_000 });
    return {
      context,
      executable,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Registers before/after hooks that launch and close Chromium; skips the block when there is
 * none (unless `ACSYS_REQUIRE_BROWSER=1`).
 *
 * @example
 * ```ts
 * const browser = useChromium();
 * ```
 */
export function useChromium(): { context: BrowserContext } {
  const fx = {} as { context: BrowserContext };
  let b: Chromium | undefined;
  before(async function () {
    this.timeout(90_000);
    const exe = findChromium();
    if (exe === undefined) {
      const reason = 'no Chromium installed (apt-get install chromium, or set ACSYS_CHROMIUM)';
      if (process.env['ACSYS_REQUIRE_BROWSER'] === '1') throw new Error(`browser tests required but: ${reason}`);
      console.log(`      [skip] ${reason}`);
      this.skip();
    }
    b = await launchChromium(exe);
    fx.context = b.context;
  });
  after(async function () {
    this.timeout(30_000);
    await b?.close();
    b = undefined;
  });
  return fx;
}
