/**
 * Helpers for the CLI specs: an in-memory {@link CliIO}, a closed port, and child-process runs
 * of the entry files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../lib/cli/io.js';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../lib/sim/index.js';
import { activeResources, waitForNoLeaks } from '../support/leaks.js';

/** A {@link CliIO} that records what a tool writes and lets the test interrupt it. */
export interface MemoryIO extends CliIO {
  /** Everything written to stdout. */
  out(): string;
  /** Everything written to stderr. */
  err(): string;
  /** stdout split into non-empty lines. */
  lines(): string[];
  /** Simulates Ctrl-C. */
  interrupt(): void;
  /** Number of interrupt handlers currently registered. */
  handlers(): number;
}

/** An in-memory IO; `tty` makes stdout a terminal. */
export function memoryIO(o: { tty?: boolean; env?: Record<string, string>; columns?: number } = {}): MemoryIO {
  let out = '';
  let err = '';
  const hs = new Set<() => void>();
  return {
    stdout: { write: (s: string) => ((out += s), true), isTTY: o.tty === true, columns: o.columns ?? 100 },
    stderr: { write: (s: string) => ((err += s), true), isTTY: false },
    env: o.env ?? {},
    onInterrupt(h) {
      hs.add(h);
      return () => hs.delete(h);
    },
    out: () => out,
    err: () => err,
    lines: () => out.split('\n').filter((l) => l !== ''),
    interrupt: () => [...hs].forEach((h) => h()),
    handlers: () => hs.size,
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** Absolute path of an entry file in lib/cli. */
export function entry(name: string): string {
  return fileURLToPath(new URL(`../../lib/cli/${name}`, import.meta.url));
}

/** A child process running an entry file with tsx, and what it printed. */
export interface ChildRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node --import tsx lib/cli/<name> args...` with `env` added to the process's. */
export function runEntry(name: string, args: readonly string[], env: Record<string, string> = {}): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', entry(name), ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, NO_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once `pred()` holds (polling every 20 ms) or rejects after `ms`. */
export async function until(pred: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((r) => setTimeout(r, 20));
  }
}

/** The simulator of {@link useCliSim}, and the arguments that point a tool at it. */
export interface CliSim {
  /** The simulator of the running test. */
  readonly sim: SimulatorHandle;
  /** `['--host', '127.0.0.1', '--port', String(sim.port)]`. */
  readonly at: string[];
}

/**
 * Gives each test of the calling `describe` a fresh simulator (`port: 0` plus `options`, which
 * may be computed when the test starts) and checks the test left nothing open.
 *
 * The resource snapshot is taken before the simulator starts, and the simulator is closed in the
 * same `afterEach` hook as, and before, the leak check: the check can never run before the
 * close, whatever order other hooks are registered in. Anything else a test opens it closes
 * itself (try/finally), before its end.
 */
export function useCliSim(options: SimulatorOptions | (() => SimulatorOptions | Promise<SimulatorOptions>) = {}, leakWaitMs = 1500): CliSim {
  let sim: SimulatorHandle | undefined;
  let before: string[] = [];
  // Synchronous prelude: the snapshot is taken before mocha arms this hook's own timer.
  beforeEach(async function () {
    before = activeResources();
    const o = typeof options === 'function' ? await options() : options;
    sim = await startSimulator({ port: 0, ...o });
  });
  afterEach(async function () {
    const s = sim;
    sim = undefined;
    await s?.close();
    const left = await waitForNoLeaks([...before, 'Timeout'], leakWaitMs); // 'Timeout': this hook's own mocha timer
    if (left.length > 0) {
      const title = this.currentTest?.fullTitle() ?? '';
      throw new Error(`resources left after "${title}": ${left.join(', ')} (before: ${before.join(', ')}; now: ${activeResources().join(', ')})`);
    }
  });
  return {
    get sim(): SimulatorHandle {
      if (sim === undefined) throw new Error('useCliSim: no simulator outside a test');
      return sim;
    },
    get at(): string[] {
      return ['--host', '127.0.0.1', '--port', String(this.sim.port)];
    },
  };
}
