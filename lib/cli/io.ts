/**
 * The injectable input/output of the command-line tools: stdout, stderr, the environment and
 * the user's interrupt (Ctrl-C). `processIO()` binds them to the real process; tests pass their own.
 *
 * @module
 */

/**
 * Where a tool writes: a stream-like object (`process.stdout` fits).
 *
 * @example
 * ```ts
 * const out: CliOutput = { write: (s) => { chunks.push(s); return true; }, isTTY: false };
 * ```
 */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True when the output is a terminal (cursor and colour codes allowed). */
  readonly isTTY?: boolean;
  /** Terminal width in columns, when known. */
  readonly columns?: number;
}

/**
 * Everything a tool's `main` touches outside itself.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIO());
 * ```
 */
export interface CliIO {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** The environment (`NO_COLOR`, `TERM`, `PACSYS_DPM_HOST`, `PACSYS_DPM_PORT`, `KRB5CCNAME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls `handler` when the user interrupts (SIGINT), stdout is closed by the reader
   * (`EPIPE`, e.g. `| head`), or — for a tool started by `npx`/`npm run` — that npm process is
   * gone (`npx acsys-sim & … kill $!` must not leave the tool running); returns a function that
   * removes the handler.
   */
  onInterrupt(handler: () => void): () => void;
}

let epipeGuarded = false;

/** How often a tool started by npm checks that npm is still there. */
const PARENT_POLL_MS = 500;

/**
 * Calls `handler` once the process's parent has changed, when the process was started by npm
 * (`npx`, `npm exec`, `npm run`: `npm_command` is set). Killing npm kills only its shell, not the
 * tool, which is handed to init: this is how the tool notices. Returns a function that stops
 * watching. A tool started otherwise is not watched (`nohup tool &` must survive its shell).
 */
function watchNpmParent(handler: () => void): () => void {
  if (process.env['npm_command'] === undefined) return () => undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    handler();
  }, PARENT_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The real process's IO: `process.stdout`/`stderr`/`env`; SIGINT, stdout `EPIPE` and (started by
 * npm) the end of the npm process as interrupts.
 * While a handler is registered, SIGINT no longer kills the process (the tool stops itself).
 *
 * @example
 * ```ts
 * const io = processIO();
 * io.stdout.write('hello\n');
 * ```
 */
export function processIO(): CliIO {
  if (!epipeGuarded) {
    // A reader that went away (`acget … | head -1`) is not a crash: ignore EPIPE on stdout.
    epipeGuarded = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(handler) {
      const onSignal = (): void => handler();
      const onError = (e: NodeJS.ErrnoException): void => {
        if (e.code === 'EPIPE') handler();
      };
      process.on('SIGINT', onSignal);
      process.stdout.on('error', onError);
      const unwatch = watchNpmParent(handler);
      return () => {
        process.off('SIGINT', onSignal);
        process.stdout.off('error', onError);
        unwatch();
      };
    },
  };
}
