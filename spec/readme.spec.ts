// README.md runs as copied: every code block that imports the package is extracted from the
// README and run, exactly as written, as a program (`node --import tsx block.ts`) against a
// running simulator, with nothing but PACSYS_DPM_HOST/PACSYS_DPM_PORT set — and, for the blocks
// that write, a Kerberos ticket from a throwaway KDC whose service key the simulator holds (as a
// user with `kinit` against a simulator started with --auth-config and --keytab).
//
// Examples and README tell one story: each block names its file in examples/, which holds the
// same code word for word after a comment header, and every example is in the README.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../lib/sim/index.js';
import { useRealm } from './support/kerberos-fixture.js';
import { exampleBody, isSample, readmeBlocks, type ReadmeBlock } from './support/readme-blocks.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms from the last output to the exit. */
  tailMs: number;
}

/** The environment a user has: theirs, minus anything that points acsys-rx or Kerberos elsewhere. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('npm_') || k.startsWith('PACSYS_') || k.startsWith('KRB5') || k === 'ACSYS_GSSAPI_BINDING') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function runFile(file: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let last = Date.now();
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (last = Date.now())));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), (last = Date.now())));
    // a sample that does not end by itself is a failure (the README promises scripts that exit)
    const kill = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr, tailMs: Date.now() - last });
    });
  });
}

const lines = (s: string): string[] => s.trim().split('\n');
const NUM = String.raw`-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;

/** What each sample, named by its example file, must print; and the simulator it runs against. */
interface Expectation {
  /** Needs a Kerberos ticket: runs against the test KDC. */
  readonly kerberos?: boolean;
  /** Options of the simulator the sample runs against (beyond port 0, and the Kerberos ones). */
  readonly sim?: SimulatorOptions;
  /** Checks stdout and stderr, and the simulator afterwards. */
  check(r: Run, sim: SimulatorHandle): void;
}

const quiet = (r: Run): void => {
  expect(r.stderr).to.equal('');
};

const EXPECT: Record<string, Expectation> = {
  'read-one': {
    check: (r) => {
      quiet(r);
      expect(r.stdout).to.match(new RegExp(`^M:OUTTMP = ${NUM} DegF\\nread at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\n$`));
    },
  },
  'own-client': {
    check: (r) => {
      quiet(r);
      expect(r.stdout).to.match(new RegExp(`^G:AMANDA = ${NUM}\\n$`));
    },
  },
  'get-many': {
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      expect(out).to.have.length(5);
      expect(out[0]).to.match(/^M:OUTTMP {3}-?\d+\.\d{3} DegF$/);
      expect(out[1]).to.match(/^G:AMANDA {3}-?\d+\.\d{3} V$/);
      expect(out[2]).to.match(/^Z:ARRAY1K {2}\[1024 values\] first=-?\d+\.\d{3}$/);
      expect(out.slice(3)).to.deep.equal(['Z:TEXTDEV  "Hello from the DPM simulator"', 'Z:NOTFND   ERROR DBM_NOPROP']);
    },
  },
  'concurrent-reads': {
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      expect(out).to.have.length(4);
      expect(out[0]).to.match(new RegExp(`^M:OUTTMP  ${NUM}$`));
      expect(out[1]).to.match(new RegExp(`^G:AMANDA  ${NUM}$`));
      expect(out[2]).to.equal('Z:NOTFND  failed: DeviceError');
      expect(out[3]).to.match(new RegExp(`^sum ${NUM}$`));
    },
  },
  'stream-operators': {
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      expect(out).to.have.length(6);
      for (const l of out) expect(l).to.match(/^(M:OUTTMP|G:AMANDA)@p,100=-?\d+\.\d{3}( {2}(M:OUTTMP|G:AMANDA)@p,100=-?\d+\.\d{3})?$/);
      expect(out.at(-1)).to.contain('M:OUTTMP@p,100=').and.contain('G:AMANDA@p,100=');
      expect(r.stdout).to.not.contain('Z:NOTFND');
    },
  },
  'logger-read': {
    check: (r) => {
      quiet(r);
      const [first, second] = lines(r.stdout);
      // Z:LOGDEV logs every 100 ms: an hour is 36,000 points (±1 at the window edges)
      const m = /^Z:LOGDEV: (\d+) points from (\S+) to (\S+)$/.exec(first ?? '');
      expect(m, first).to.not.equal(null);
      expect(Number(m![1])).to.be.within(35_999, 36_001);
      expect(Date.parse(m![3]!) - Date.parse(m![2]!)).to.be.within(3_599_000, 3_600_000);
      const c = /^last 5 minutes: (\d+) points$/.exec(second ?? '');
      expect(c, second).to.not.equal(null);
      expect(Number(c![1])).to.be.within(2_999, 3_001);
    },
  },
  'device-object': {
    kerberos: true,
    check: (r, sim) => {
      quiet(r);
      expect(lines(r.stdout)).to.have.length(4);
      expect(lines(r.stdout)[0]).to.match(/^M:OUTTMP = -?\d+\.\d DegF$/);
      expect(lines(r.stdout).slice(1)).to.deep.equal(['streamed 3 readings of M:OUTTMP.READING@p,200', 'write 42: ok, setting now 42', 'after off(): on = false']);
      expect(sim.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 42 });
    },
  },
  'derived-signal': {
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      expect(out).to.have.length(5);
      for (const l of out) expect(l).to.match(/^temp=-?\d+\.\d\d amps=-?\d+\.\d{3} product=-?\d+\.\d{3}$/);
    },
  },
  'connection-state': {
    // the simulator drops the first connection 300 ms after its handshake: the stream reconnects
    sim: { faults: (i) => (i === 0 ? { dropAfterMs: 300 } : {}) },
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      const states = out.filter((l) => l.startsWith('state stream#1: ')).map((l) => l.split(' ')[2]);
      expect(states).to.deep.equal(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']);
      expect(out).to.include('gap: ACNET_RETRY');
      expect(out.filter((l) => l.startsWith('reading ') || l.startsWith('gap: '))).to.have.length(8);
      expect(out.find((l) => l.includes('reconnecting'))).to.match(/^state stream#1: reconnecting in 200 ms \(/);
    },
  },
  'handle-errors': {
    check: (r) => {
      expect(r.stdout).to.match(new RegExp(`^M:OUTTMP: ${NUM}\\n$`));
      expect(lines(r.stderr)).to.deep.equal(['Z:NOTFND: DBM_NOPROP', 'DRF_ERROR: unterminated range "[" at position 8 in "M:OUTTMP["']);
    },
  },
  'in-process': {
    check: (r) => {
      quiet(r);
      expect(lines(r.stdout)).to.have.length(2);
      expect(lines(r.stdout)[0]).to.match(new RegExp(`^M:OUTTMP = ${NUM}$`));
      expect(lines(r.stdout)[1]).to.equal('G:AMANDA: ACNET_OK, Z:NOTFND: DBM_NOPROP');
    },
  },
  'simulator-faults': {
    check: (r) => {
      quiet(r);
      const out = lines(r.stdout);
      expect(out[0]).to.match(/^Z:MYDEV = \d\.\d V$/);
      expect(out.slice(1)).to.deep.equal([
        'Z:BROKEN: DBM_NOPROP',
        'HandshakeError http_error: HTTP/1.1 503 Service Unavailable',
        'TimeoutError: missing M:OUTTMP',
      ]);
    },
  },
  'write-setting': {
    kerberos: true,
    check: (r, sim) => {
      quiet(r);
      expect(lines(r.stdout)).to.deep.equal(['Z:ACLTST: applied ACNET_OK verified=true', 'Z:ACLTST: applied ACNET_OK', 'Z:TEXTDEV: applied ACNET_OK']);
      expect(sim.getDevice('Z:ACLTST')?.setting).to.deep.include({ value: 13 });
      expect(sim.getDevice('Z:TEXTDEV')?.setting).to.deep.include({ value: 'hello' });
    },
  },
};

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const samples = readmeBlocks(readme).filter(isSample);

describe('README.md samples run as copied', function () {
  this.timeout(40_000);
  let dir = '';

  before(() => {
    // inside the repository: tsconfig's `paths` map `acsys-rx` to the sources, and package.json's
    // "type": "module" makes a .ts file an ES module (top-level await), as in a user's project
    mkdirSync(join(root, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(root, '.tmp', 'readme-'));
  });
  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('the README has the samples this test knows, each naming its example file', () => {
    expect(samples.map((b) => b.example ?? `(none before line ${b.line})`)).to.have.members(Object.keys(EXPECT));
  });

  it('examples and README tell one story: each example file is its README sample word for word', () => {
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts') && f !== 'demo.ts');
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).to.deep.equal(samples.map((b) => b.example).sort());
    for (const b of samples) {
      const text = readFileSync(join(root, 'examples', `${b.example!}.ts`), 'utf8');
      expect(exampleBody(text), `examples/${b.example!}.ts vs README line ${b.line}`).to.equal(b.code);
    }
  });

  async function runSample(b: ReadmeBlock, extraSim: SimulatorOptions, env: Record<string, string>): Promise<void> {
    const want = EXPECT[b.example ?? ''];
    if (want === undefined) throw new Error(`README line ${b.line}: a sample without an expectation in spec/readme.spec.ts`);
    const file = join(dir, `${b.example!}.ts`);
    writeFileSync(file, b.code);
    const sim = await startSimulator({ port: 0, ...want.sim, ...extraSim });
    try {
      const r = await runFile(file, { PACSYS_DPM_HOST: sim.host, PACSYS_DPM_PORT: String(sim.port), ...env });
      expect({ code: r.code, signal: r.signal }, `README line ${b.line} (${b.example!})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.deep.equal({
        code: 0,
        signal: null,
      });
      want.check(r, sim);
      // done when it has printed: nothing (pooled sockets, linger or watchdog timers, write
      // connections) keeps the process alive, though no sample closes the module-level client
      expect(r.tailMs, 'ms from the last output to the exit').to.be.below(2500);
    } finally {
      await sim.close();
    }
  }

  describe('reading samples (PACSYS_DPM_HOST/PORT only)', () => {
    for (const b of samples.filter((s) => EXPECT[s.example ?? '']?.kerberos !== true)) {
      it(`${b.example ?? '?'} (README line ${b.line})`, () => runSample(b, {}, {}));
    }
  });

  describe('writing samples (PACSYS_DPM_HOST/PORT and a Kerberos ticket; the simulator holds the service key)', () => {
    // realm FNAL.GOV: kerberos()'s defaults, as at Fermilab; the user is alice@FNAL.GOV
    const fx = useRealm({ realm: 'FNAL.GOV' });
    for (const b of samples.filter((s) => EXPECT[s.example ?? '']?.kerberos === true)) {
      it(`${b.example ?? '?'} (README line ${b.line})`, () =>
        runSample(
          b,
          { authConfig: join(root, 'examples', 'sim-auth.json'), keytab: `FILE:${fx.realm.keytab}`, serviceName: fx.realm.serviceName },
          // what `kinit` leaves a user with: a krb5.conf and a ticket cache
          { KRB5_CONFIG: fx.realm.env.KRB5_CONFIG, KRB5CCNAME: fx.realm.env.KRB5CCNAME, KRB5_CLIENT_KTNAME: fx.realm.env.KRB5_CLIENT_KTNAME },
        ));
    }
  });
});
