/**
 * **INSECURE, demos and tests only**: a stand-in for `kerberos()` that needs no ticket and no
 * GSS library. It runs the three DPM rounds with a dummy token and MIC, which only a simulator
 * started in its insecure mode accepts (`startSimulator({ insecureSettings: 'alice@FNAL.GOV' })`,
 * `acsys-sim --insecure-settings alice@FNAL.GOV`, or `insecureSettings: true`). A real DPM
 * refuses it with `DPM_PRIV`. Never the default.
 *
 * @module
 */
import { AuthenticationError } from '../../auth/authentication-error.js';
import { MIC_MESSAGE, type AuthReply, type AuthTransport, type KerberosAuth, type KerberosSession } from '../../auth/kerberos.js';

const DUMMY = new TextEncoder().encode('acsys-rx INSECURE simulator auth (not a Kerberos token)');

function refused(round: string, reply: AuthReply): AuthenticationError {
  const status = reply.type === 'Status_reply' ? reply.status : undefined;
  const got = reply.type === 'other' ? reply.received : reply.type;
  return new AuthenticationError(
    'server-refused',
    `insecure simulator auth refused at ${round} (got ${got}${status !== undefined ? ` ${status}` : ''}); ` +
      'the server is not a simulator in insecure mode',
    status !== undefined ? { status } : {},
  );
}

/**
 * A {@link KerberosAuth} that claims `principal` without Kerberos (`insecure: true` marks it).
 * Use it only against a simulator started with its insecure option.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ insecureSettings: 'alice@FNAL.GOV' });
 * const client = dpm({ host: sim.host, port: sim.port, auth: insecureSimulatorAuth('alice@FNAL.GOV') });
 * await firstValueFrom(client.write('Z:ACLTST', 42));
 * ```
 */
export function insecureSimulatorAuth(principal: string): KerberosAuth & { readonly insecure: true } {
  if (typeof principal !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(principal)) {
    throw new TypeError(`insecureSimulatorAuth: expected a principal like alice@FNAL.GOV, got ${JSON.stringify(principal)}`);
  }
  return {
    kind: 'kerberos',
    insecure: true,
    principal,
    realm: null,
    requiredRealm: null,
    resolve: () => Promise.resolve({ principal, lifetime: Infinity, expiresAt: new Date(8.64e15) }),
    async authenticate(transport: AuthTransport): Promise<KerberosSession> {
      const r1 = await transport.authenticate(new Uint8Array(0));
      if (r1.type !== 'Authenticate_reply') throw refused('Authenticate (service name)', r1);
      const serviceName = r1.serviceName ?? '';
      const r2 = await transport.authenticate(DUMMY);
      if (r2.type !== 'Authenticate_reply') throw refused('Authenticate (token)', r2);
      const r3 = await transport.enableSettings(DUMMY, MIC_MESSAGE);
      if (r3.type !== 'Status_reply' || r3.status !== 0) throw refused('EnableSettings', r3);
      return { principal, serviceName, servicePrincipal: serviceName };
    },
  };
}
