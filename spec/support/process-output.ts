/**
 * The whole output of a child process and its exit code, once it has closed.
 *
 * @example
 * ```ts
 * const r = await processOutput(spawn('node', ['-v'], { stdio: ['ignore', 'pipe', 'pipe'] }));
 * console.log(r.code, r.stdout);
 * ```
 */
import type { ChildProcess } from 'node:child_process';

export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collects `child`'s stdout and stderr (both must be pipes); rejects if it cannot start. */
export function processOutput(child: ChildProcess): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
