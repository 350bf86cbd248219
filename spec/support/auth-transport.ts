/**
 * An in-memory {@link AuthTransport} that feeds the client's requests straight into a simulator
 * {@link SimAuthSession}, optionally tampering with them, and records what crossed the "wire".
 *
 * @example
 * ```ts
 * const t = loopbackTransport(new SimAuthSession({ serviceName: realm.serviceName }));
 * await kerberos({ realm: 'ACSYS.TEST', requiredRealm: 'ACSYS.TEST' }).authenticate(t);
 * ```
 */
import type { AuthReply, AuthTransport } from '../../lib/auth/kerberos.js';
import type { SimAuthSession } from '../../lib/sim/auth/session.js';

/** One message that crossed the loopback. */
export type WireEvent =
  | { dir: 'request'; type: 'Authenticate_request'; token: Uint8Array }
  | { dir: 'request'; type: 'EnableSettings_request'; MIC: Uint8Array; message: Uint8Array }
  | { dir: 'reply'; reply: AuthReply };

/** Options of {@link loopbackTransport}. */
export interface LoopbackOptions {
  tamperToken?: (token: Uint8Array) => Uint8Array;
  tamperMic?: (mic: Uint8Array) => Uint8Array;
  /** Replaces the simulator's round-1 service name. */
  serviceName?: string;
}

/** Builds the loopback transport; `log` lists every request and reply in order. */
export function loopbackTransport(sim: SimAuthSession, o: LoopbackOptions = {}): AuthTransport & { log: WireEvent[] } {
  const log: WireEvent[] = [];
  const reply = (r: AuthReply): AuthReply => {
    log.push({ dir: 'reply', reply: r });
    return r;
  };
  return {
    log,
    async authenticate(token) {
      const t = token.length > 0 && o.tamperToken ? o.tamperToken(token) : token;
      log.push({ dir: 'request', type: 'Authenticate_request', token: t });
      const r = await sim.handleAuthenticate(t);
      if (r.kind === 'status') return reply({ type: 'Status_reply', status: r.status });
      return reply({ type: 'Authenticate_reply', serviceName: o.serviceName ?? r.serviceName });
    },
    async enableSettings(mic, message) {
      const m = o.tamperMic ? o.tamperMic(mic) : mic;
      log.push({ dir: 'request', type: 'EnableSettings_request', MIC: m, message });
      return reply({ type: 'Status_reply', status: sim.handleEnableSettings(m, message) });
    },
  };
}
