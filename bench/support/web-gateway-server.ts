// A gateway in its own process (run with --expose-gc), so that its memory can be measured
// alone: argv host port; prints `{"port":N}` once listening; on stdin, `mem` answers with the
// heap after a full GC and the RSS, `stats` with the gateway's counters; exits when stdin closes.
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dpm } from '../../lib/dpm/client.js';
import { startGateway } from '../../lib/web/index.js';

const [host, port] = [process.argv[2]!, Number(process.argv[3])];
const client = dpm({ host, port });
const gw = await startGateway({
  client,
  page: true,
  pagesDir: join(dirname(fileURLToPath(import.meta.url)), 'web-page'),
  limits: { maxDrfs: 100_000, maxLists: 100_000 },
});
process.stdout.write(`${JSON.stringify({ port: gw.port, url: gw.url, wsUrl: gw.wsUrl })}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'mem') {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  } else if (line === 'stats') {
    const s = gw.stats();
    process.stdout.write(`${JSON.stringify({ clients: s.clients, lists: s.lists, readings: s.readings, dropped: s.dropped })}\n`);
  }
});
lines.on('close', () => {
  void gw.close().then(() => {
    client.close();
    process.exit(0);
  });
});
