/**
 * The service under test for `npm run bench`, in its own process so the load
 * generator does not share its event loop. Reports its port and, on request,
 * its memory over IPC.
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';

const app = createApp(loadConfig({ SQLITE_PATH: process.env.BENCH_SQLITE ?? ':memory:', LOG_LEVEL: 'silent' }), { echo: true });
app.listen(0, '127.0.0.1').then((url) => {
  process.send?.({ type: 'ready', url, journal: String(app.db?.pragma('journal_mode', { simple: true })) });
});
process.on('message', (m: { type?: string }) => {
  if (m?.type === 'memory') process.send?.({ type: 'memory', rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
  if (m?.type === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: u.user + u.system });
  }
  if (m?.type === 'stop') void app.close().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
