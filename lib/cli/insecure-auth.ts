/**
 * A fake Kerberos "authentication" for `acput --insecure-sim` demos: it runs the three DPM rounds
 * with a dummy token and MIC, which only a simulator started with `insecureSettings: true`
 * accepts. Never use it against a real DPM (it would be refused with `DPM_PRIV`).
 *
 * @module
 */
import { AuthenticationError } from '../auth/authentication-error.js';
import { MIC_MESSAGE, type AuthReply, type AuthTransport, type KerberosAuth, type KerberosSession } from '../auth/kerberos.js';

/** The principal the demo auth claims. */
export const INSECURE_PRINCIPAL = 'insecure-demo@SIM';

const DUMMY = new TextEncoder().encode('acsys-rx insecure simulator demo');

function refused(round: string, reply: AuthReply): AuthenticationError {
  const status = reply.type === 'Status_reply' ? reply.status : undefined;
  const got = reply.type === 'other' ? reply.received : reply.type;
  return new AuthenticationError('server-refused', `insecure demo auth: ${round} answered ${got}${status !== undefined ? ` (status ${status})` : ''}`, {
    ...(status !== undefined ? { status } : {}),
  });
}

/**
 * A {@link KerberosAuth}-shaped object that needs no ticket and no GSS library; only an insecure
 * simulator accepts what it sends.
 *
 * @example
 * ```ts
 * const client = dpm({ host: sim.host, port: sim.port, auth: insecureSimAuth() });
 * ```
 */
export function insecureSimAuth(): KerberosAuth {
  return {
    kind: 'kerberos',
    principal: INSECURE_PRINCIPAL,
    realm: null,
    requiredRealm: null,
    resolve: () => Promise.resolve({ principal: INSECURE_PRINCIPAL, lifetime: 86_400, expiresAt: new Date(Date.now() + 86_400_000) }),
    async authenticate(transport: AuthTransport): Promise<KerberosSession> {
      const r1 = await transport.authenticate(new Uint8Array(0));
      if (r1.type !== 'Authenticate_reply') throw refused('Authenticate (service name)', r1);
      const serviceName = r1.serviceName ?? '';
      const r2 = await transport.authenticate(DUMMY);
      if (r2.type !== 'Authenticate_reply') throw refused('Authenticate (token)', r2);
      const r3 = await transport.enableSettings(DUMMY, MIC_MESSAGE);
      if (r3.type !== 'Status_reply' || r3.status !== 0) throw refused('EnableSettings', r3);
      return { principal: INSECURE_PRINCIPAL, serviceName, servicePrincipal: serviceName };
    },
  };
}
