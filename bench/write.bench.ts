// Settings round trip on a warm, Kerberos-authenticated write connection (loopback KDC,
// in-process simulator). Prints:
//   write_round_trip_median <n> us   (median of 1000 sequential client.write calls after 500 warm-up writes)
// or `write_round_trip_median skipped (<reason>)` when no KDC / GSSAPI addon is available here.
import { firstValueFrom } from 'rxjs';
import { kerberos } from '../lib/auth/kerberos.js';
import { loadGssapi } from '../lib/auth/gssapi.js';
import { dpm } from '../lib/index.js';
import { startSimulator, kerberosAuthHook } from '../lib/sim/index.js';
import { parseAuthConfig } from '../lib/sim/auth/config.js';
import { applyEnv, startKdc } from '../spec/support/kdc.js';

const N = 1000;
/** Writes before measuring: the connection is authenticated and the JIT has settled. */
const WARM_UP = 500;

/**
 * Runs the write bench.
 *
 * @example
 * ```ts
 * await (await import('./write.bench.js')).default();
 * ```
 */
export default async function writeBench(): Promise<void> {
  try {
    loadGssapi();
  } catch {
    console.log('write_round_trip_median skipped (no GSSAPI addon)');
    return;
  }
  const started = await startKdc();
  if (!started.ok) {
    console.log('write_round_trip_median skipped (no KDC)');
    return;
  }
  const realm = started.realm;
  const restore = applyEnv(realm.env);
  const config = parseAuthConfig({ users: { alice: { roles: ['bench'] } }, roles: { bench: ['Z:ACLTST'] } });
  const sim = await startSimulator({ auth: kerberosAuthHook({ config, serviceName: realm.serviceName, keytab: `FILE:${realm.keytab}` }) });
  const client = dpm({
    host: sim.host,
    port: sim.port,
    role: 'bench',
    auth: kerberos({ realm: realm.realm, requiredRealm: realm.realm }),
  });
  try {
    for (let i = 0; i < WARM_UP; i++) {
      const r = await firstValueFrom(client.write('Z:ACLTST', i));
      if (!r.success) throw new Error(`bench write failed: ${r.status.toString()}`);
    }
    const us: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      await firstValueFrom(client.write('Z:ACLTST', i));
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    us.sort((a, b) => a - b);
    console.log(`write_round_trip_median ${Math.round(us[Math.floor(N / 2)]!)} us`);
  } finally {
    client.close();
    await sim.close();
    restore();
    await realm.stop();
  }
}
