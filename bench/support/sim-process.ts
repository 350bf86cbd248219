// Starts bench/support/sim-server.ts (a simulator in its own Node process; `serverArgs`, e.g.
// `['--devices', '1000']`, are its arguments) and resolves
// with its address once it listens. `nodeArgs` are passed to that process's node (e.g.
// `--cpu-prof`); the environment variable SIM_NODE_ARGS adds more (space-separated), so
// a profile of the simulator under a bench's load needs no code change:
//   SIM_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- sim
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface SimProcess {
  readonly host: string;
  readonly port: number;
  /** Closes the simulator (stdin end) and resolves when the process exited. */
  stop(): Promise<void>;
}

export async function startSimProcess(nodeArgs: readonly string[] = [], serverArgs: readonly string[] = []): Promise<SimProcess> {
  const extra = (process.env.SIM_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, ...nodeArgs, '--import', 'tsx', join(here, 'sim-server.ts'), ...serverArgs], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as { host: string; port: number });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${String(code)}`)));
  });
  return {
    ...info,
    stop: () => {
      child.stdin.end();
      return exited;
    },
  };
}
