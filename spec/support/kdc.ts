/**
 * Throwaway MIT Kerberos realm on loopback for the Kerberos tests (see
 * `shared/spec/kerberos-testing.md` §3). Nothing under `/etc` is read or written: every tool and
 * `libgssapi_krb5` is pointed at files in a fresh temporary directory by environment variables.
 *
 * @example
 * ```ts
 * const kdc = await startKdc();
 * if (!kdc.ok) this.skip(); // kdc.reason says which tool is missing
 * applyEnv(kdc.realm.env);
 * // ... GSS calls ...
 * await kdc.realm.stop();
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { processOutput, type ProcessOutput } from './process-output.js';

/** Environment variables that point MIT Kerberos at the throwaway realm. */
export interface KrbEnv {
  KRB5_CONFIG: string;
  KRB5_KDC_PROFILE: string;
  KRB5CCNAME: string;
  KRB5_KTNAME: string;
  KRB5_CLIENT_KTNAME: string;
  KRB5RCACHEDIR: string;
}

/** A running test realm. */
export interface TestRealm {
  /** Variables to export before any GSS call (or to pass to a child process). */
  readonly env: KrbEnv;
  readonly realm: string;
  readonly port: number;
  readonly dir: string;
  /** The user principal, already `kinit`-ed into {@link ccache}. */
  readonly userPrincipal: string;
  readonly userPassword: string;
  /** The service principal, e.g. `daeset/bd/localhost@ACSYS.TEST`. */
  readonly servicePrincipal: string;
  /** The service name the simulator announces for it, e.g. `daeset/bd@localhost`. */
  readonly serviceName: string;
  /** Path of the keytab holding {@link servicePrincipal} (no `FILE:` prefix). */
  readonly keytab: string;
  /** `FILE:` name of the user's ticket cache. */
  readonly ccache: string;
  /** Runs `kadmin.local` with the given queries (one per line). */
  kadmin(...queries: string[]): Promise<string>;
  /** `kinit` with the password on stdin into `ccache` (default: the realm's ccache). */
  kinit(options?: { principal?: string; password?: string; ccache?: string; lifetime?: string }): Promise<void>;
  /** Path of a new, empty ticket cache file name (nothing is written there). */
  emptyCcache(): string;
  /** Stops the KDC (SIGTERM, waits) and deletes the directory. Idempotent. */
  stop(): Promise<void>;
}

/** Result of {@link startKdc}: a realm, or the reason it cannot run here. */
export type KdcStart = { ok: true; realm: TestRealm } | { ok: false; reason: string };

/** Options of {@link startKdc}. */
export interface KdcOptions {
  realm?: string;
  user?: string;
  /** Service principal without realm, e.g. `daeset/bd/localhost`. */
  service?: string;
  /** `max_life` of the realm (default `1h`). */
  maxLife?: string;
}

const TOOLS = ['krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit'] as const;

function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, fsConstants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The reason the Kerberos tests must be skipped here, or `undefined` when all KDC tools exist. */
export function kdcSkipReason(): string | undefined {
  const missing = TOOLS.filter((t) => findTool(t) === undefined);
  if (missing.length === 0) return undefined;
  return (
    `MIT Kerberos tools not found (${missing.join(', ')}); install them with ` +
    '`apt-get install krb5-kdc krb5-admin-server krb5-user libkrb5-dev`'
  );
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<ProcessOutput> {
  const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = processOutput(child);
  child.stdin.end(input ?? '');
  return out;
}

async function runOk(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const r = await run(cmd, args, env, input);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr !== null ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => {
        s.close();
        resolve(false);
      });
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1');
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, '127.0.0.1');
  });
}

/** KDCs started by this process; killed on process exit so a crashed run leaves none behind. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Creates a realm in a temp dir, starts `krb5kdc` on a free loopback port, creates the user
 * (password) and service (keytab) principals, and `kinit`s the user. Returns `{ ok: false, reason }`
 * when the MIT tools are absent, so callers can `this.skip()` with the reason.
 *
 * @example
 * ```ts
 * const r = await startKdc({ realm: 'FNAL.GOV' });
 * ```
 */
export async function startKdc(options: KdcOptions = {}): Promise<KdcStart> {
  const reason = kdcSkipReason();
  if (reason !== undefined) return { ok: false, reason };
  const tool = (t: (typeof TOOLS)[number]): string => findTool(t) as string;

  const realm = options.realm ?? 'ACSYS.TEST';
  const userShort = options.user ?? 'alice';
  const serviceShort = options.service ?? 'daeset/bd/localhost';
  const maxLife = options.maxLife ?? '1h';
  const dir = mkdtempSync(join(tmpdir(), 'acsys-krb5-'));
  const port = await freePort();

  const env: KrbEnv = {
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5_KDC_PROFILE: join(dir, 'kdc.conf'),
    KRB5CCNAME: `FILE:${join(dir, 'ccache')}`,
    KRB5_KTNAME: `FILE:${join(dir, 'service.keytab')}`,
    KRB5_CLIENT_KTNAME: `FILE:${join(dir, 'no-client.keytab')}`,
    KRB5RCACHEDIR: dir,
  };
  writeFileSync(
    env.KRB5_CONFIG,
    `[libdefaults]
    default_realm = ${realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
    ticket_lifetime = 1h
    renew_lifetime = 0
    forwardable = false
    default_ccache_name = ${env.KRB5CCNAME}
    default_keytab_name = ${env.KRB5_KTNAME}

[realms]
    ${realm} = {
        kdc = 127.0.0.1:${port}
    }

[domain_realm]
    localhost = ${realm}
`,
  );
  writeFileSync(
    env.KRB5_KDC_PROFILE,
    `[kdcdefaults]
    kdc_listen = 127.0.0.1:${port}
    kdc_tcp_listen = 127.0.0.1:${port}

[realms]
    ${realm} = {
        database_name = ${join(dir, 'principal')}
        key_stash_file = ${join(dir, 'stash')}
        acl_file = ${join(dir, 'kadm5.acl')}
        max_life = ${maxLife}
        max_renewable_life = 0
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }

[logging]
    kdc = FILE:${join(dir, 'kdc.log')}
    admin_server = FILE:${join(dir, 'kadmin.log')}
    default = FILE:${join(dir, 'krb5.log')}
`,
  );
  writeFileSync(join(dir, 'kadm5.acl'), '');

  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  let kdc: ChildProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const child = kdc;
    if (child !== undefined && !exited(child)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await runOk(tool('kdb5_util'), ['-r', realm, 'create', '-s', '-P', randomBytes(18).toString('base64')], childEnv);
    const userPrincipal = `${userShort}@${realm}`;
    const servicePrincipal = `${serviceShort}@${realm}`;
    const userPassword = randomBytes(12).toString('base64');
    const keytab = join(dir, 'service.keytab');
    const kadmin = (...queries: string[]): Promise<string> =>
      runOk(tool('kadmin.local'), ['-r', realm], childEnv, queries.join('\n') + '\nquit\n');
    await kadmin(
      `addprinc -pw ${userPassword} ${userPrincipal}`,
      `addprinc -randkey ${servicePrincipal}`,
      `ktadd -k ${keytab} ${servicePrincipal}`,
    );

    const child = spawn(tool('krb5kdc'), ['-n', '-r', realm], { env: childEnv, stdio: 'ignore' });
    kdc = child;
    track(child);
    const deadline = Date.now() + 5000;
    for (;;) {
      if (exited(child)) throw new Error(`krb5kdc exited (${child.exitCode ?? child.signalCode}); see ${dir}/kdc.log`);
      if (await canConnect(port)) break;
      if (Date.now() > deadline) throw new Error(`krb5kdc not listening on 127.0.0.1:${port} after 5 s`);
      await new Promise((r) => setTimeout(r, 20));
    }

    let emptyCount = 0;
    const kinit: TestRealm['kinit'] = async (o = {}) => {
      const args = o.lifetime !== undefined ? ['-l', o.lifetime] : [];
      await runOk(
        tool('kinit'),
        [...args, o.principal ?? userPrincipal],
        { ...childEnv, KRB5CCNAME: o.ccache ?? env.KRB5CCNAME },
        `${o.password ?? userPassword}\n`,
      );
    };
    await kinit();

    const testRealm: TestRealm = {
      env,
      realm,
      port,
      dir,
      userPrincipal,
      userPassword,
      servicePrincipal,
      serviceName: serviceNameOf(serviceShort),
      keytab,
      ccache: env.KRB5CCNAME,
      kadmin,
      kinit,
      emptyCcache: () => `FILE:${join(dir, `empty-${++emptyCount}.ccache`)}`,
      stop,
    };
    return { ok: true, realm: testRealm };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `daeset/bd/localhost` → `daeset/bd@localhost` (how DPM announces its principal). */
function serviceNameOf(principalWithoutRealm: string): string {
  const i = principalWithoutRealm.lastIndexOf('/');
  return i < 0 ? principalWithoutRealm : `${principalWithoutRealm.slice(0, i)}@${principalWithoutRealm.slice(i + 1)}`;
}

/**
 * Sets the realm's variables in `process.env` and returns a function restoring the old values.
 * MIT reads these variables each time it creates a krb5 context (see the auth spec's notes), so
 * setting them before a GSS call is enough; they must not change while a GSS call is in flight.
 *
 * @example
 * ```ts
 * const restore = applyEnv(realm.env); ... ; restore();
 * ```
 */
export function applyEnv(env: Partial<KrbEnv>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
