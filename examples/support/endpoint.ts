// Where the examples find DPM: PACSYS_DPM_HOST / PACSYS_DPM_PORT when given, otherwise an
// embedded simulator on a free local port (closed by `close()`).
import { startSimulator, type SimulatorOptions } from '../../lib/sim/index.js';

/** A DPM endpoint for an example. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** True when this process started the simulator. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

/**
 * The DPM endpoint to use: `PACSYS_DPM_HOST`/`PACSYS_DPM_PORT` (port default 6802) or an embedded simulator.
 *
 * @example
 * ```ts
 * const ep = await endpoint();
 * const client = dpm({ host: ep.host, port: ep.port });
 * ```
 */
export async function endpoint(simOptions: SimulatorOptions = {}): Promise<Endpoint> {
  const host = process.env['PACSYS_DPM_HOST'];
  if (host) {
    return { host, port: Number(process.env['PACSYS_DPM_PORT'] ?? 6802), embedded: false, close: async () => undefined };
  }
  const sim = await startSimulator({ port: 0, ...simOptions });
  return { host: sim.host, port: sim.port, embedded: true, close: () => sim.close() };
}
