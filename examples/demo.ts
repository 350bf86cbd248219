// `npm start`: an embedded DPM simulator and a live monitor of a few devices.
//
//   npm start                      # until Ctrl-C
//   npm start -- --count 20        # stop after 20 readings (also DEMO_COUNT=20)
//
// On a TTY the table is redrawn in place; otherwise one plain line per reading.
// Ctrl-C unsubscribes (the stream sends StopList and closes its socket) and exits 0.
// With PACSYS_DPM_HOST (and PACSYS_DPM_PORT) set it monitors that DPM instead of its own simulator.
import { Subject, takeUntil } from 'rxjs';
import { dpm, optionsFromEnv, type Reading } from 'acsys-rx';
import { startSimulator } from 'acsys-rx/sim';

function countArg(): number | undefined {
  const i = process.argv.indexOf('--count');
  const raw = i >= 0 ? process.argv[i + 1] : process.env['DEMO_COUNT'];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--count needs a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

function format(r: Reading): string {
  if (r.valueType === undefined) return `ERROR ${r.status.name}`;
  switch (r.valueType) {
    case 'scalar':
      return r.value.toFixed(3);
    case 'scalarArray':
      return `[${r.value.length}] ${Array.from(r.value.subarray(0, 3), (v) => v.toFixed(2)).join(' ')} …`;
    case 'text':
      return r.value;
    default:
      return r.valueType;
  }
}

const DEVICES = ['M:OUTTMP@p,500', 'G:AMANDA@p,500', 'Z:LOGDEV@p,1000', 'Z:ARRAY1K@p,1000'];
const limit = countArg();
const tty = process.stdout.isTTY === true;

const env = optionsFromEnv();
const sim = env.host === undefined ? await startSimulator({ port: 0 }) : undefined;
const client = dpm(sim ? { host: sim.host, port: sim.port } : env);
const stop$ = new Subject<void>();
const rows = new Map<string, string>();
let count = 0;
let drawn = 0;

function line(r: Reading): string {
  const name = (r.meta?.name ?? r.drf).padEnd(10);
  const value = format(r).padEnd(34);
  const units = (r.meta?.units ?? '').padEnd(6);
  return `${name} ${value} ${units} ${r.timestamp?.toISOString() ?? '-'}`;
}

function redraw(): void {
  if (drawn > 0) process.stdout.write(`\x1b[${drawn}A`);
  const lines = [`acsys-rx demo — ${sim ? 'embedded simulator' : `${env.host ?? ''}:${env.port ?? 6802}`} (Ctrl-C to stop)`, ...DEVICES.map((d) => rows.get(d) ?? `${d} …`)];
  for (const l of lines) process.stdout.write(`\x1b[2K${l}\n`);
  drawn = lines.length;
}

let finished = false;
async function finish(code: number): Promise<void> {
  if (finished) return;
  finished = true;
  stop$.next(); // unsubscribe: StopList + close
  client.close();
  await sim?.close();
  if (!tty) console.log(`stopped after ${count} readings`);
  process.exitCode = code;
}

process.once('SIGINT', () => void finish(0));
process.once('SIGTERM', () => void finish(0));

if (!tty) console.log(`monitoring ${DEVICES.join(', ')}`);
client
  .stream(DEVICES, { reconnect: true })
  .pipe(takeUntil(stop$))
  .subscribe({
    next: (r) => {
      count++;
      if (tty) {
        rows.set(r.drf, line(r));
        redraw();
      } else {
        console.log(line(r));
      }
      if (limit !== undefined && count >= limit) void finish(0);
    },
    error: (e: unknown) => {
      console.error(String(e));
      void finish(1);
    },
  });
