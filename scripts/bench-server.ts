/**
 * The service under test for `npm run bench`, in its own process so the load
 * generator does not share its event loop. Reports its port once it listens
 * and its store answers (with PostgreSQL: once migrated) and, on request, its
 * memory and CPU time over IPC.
 *
 * BENCH_SQLITE: the SQLite file (with PostgreSQL, the instance's local alert outbox).
 * BENCH_DATABASE_URL: PostgreSQL for the shared stores instead of SQLite.
 */
// First, as in src/index.ts: the service's V8 heap flags (src/v8Heap.ts), so the benchmark measures what production runs.
import '../src/heapTuning';
import { performance } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';

const READY_TIMEOUT_MS = 30_000;

const createStart = performance.now();
const app = createApp(
  loadConfig({
    SQLITE_PATH: process.env.BENCH_SQLITE ?? ':memory:',
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    LOG_LEVEL: 'silent',
  }),
  { echo: true },
);
const createMs = performance.now() - createStart;

async function storeReady(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await app.stores.ready())) {
    if (Date.now() > deadline) throw new Error(`the ${app.stores.kind} store did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Promise.all([app.listen(0, '127.0.0.1'), storeReady()]).then(
  ([url]) => process.send?.({ type: 'ready', url, createMs, journal: app.db ? String(app.db.pragma('journal_mode', { simple: true })) : app.stores.kind }),
  (err: Error) => {
    console.error(`bench server: ${err.message}`);
    void app.close().finally(() => process.exit(1));
  },
);
process.on('message', (m: { type?: string; gc?: boolean }) => {
  if (m?.type === 'memory') {
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    process.send?.({ type: 'memory', rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, maxRss: process.resourceUsage().maxRSS * 1024 });
  }
  if (m?.type === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: u.user + u.system });
  }
  if (m?.type === 'stop') void app.close().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
