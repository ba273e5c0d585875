import { MetricsRecorder } from '../../../../src/core/metrics/recorder';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgMetricsStore } from '../../../../src/core/storage/postgres/pgMetrics';
import { RetentionJob } from '../../../../src/core/retention';
import { usePgSchema, withAdmin } from '../../../helpers/pg';

const DAY = 86_400_000;
const schema = usePgSchema('metrics');
let dbs: PgDatabase[] = [];

function recorder(now = Date.now()): MetricsRecorder {
  const db = new PgDatabase(schema().url);
  dbs.push(db);
  return new MetricsRecorder(new PgMetricsStore(db), { timeZone: 'UTC', flushMs: 60_000, now: () => now });
}

afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
  await withAdmin((c) => c.query(`TRUNCATE ${schema().schema}.metrics_daily`).catch(() => undefined));
});

describe('MetricsRecorder on PostgreSQL', () => {
  it('when two instances count the same events, then their batches add up in one row per day and key', async () => {
    const a = recorder();
    const b = recorder();
    for (let i = 0; i < 3; i++) a.count({ kind: 'answer', outcome: 'did-you-mean' }, '2025-03-01');
    b.count({ kind: 'answer', outcome: 'did-you-mean' }, '2025-03-01');
    b.count({ kind: 'screening', stage: 'completed', level: 'php' }, '2025-03-02');
    await Promise.all([a.flush(), b.flush()]);
    a.count({ kind: 'answer', outcome: 'did-you-mean' }, '2025-03-01');
    expect(await a.read('2025-03-01', '2025-03-02')).toEqual([
      { day: '2025-03-01', key: 'answer:did-you-mean', count: 5 },
      { day: '2025-03-02', key: 'screening:completed', count: 1 },
      { day: '2025-03-02', key: 'screening:completed:php', count: 1 },
    ]);
    expect(await a.read('2025-03-02', '2025-03-02')).toHaveLength(2);
  });

  it('when the retention sweep runs, then only the days older than METRICS_RETENTION_DAYS go', async () => {
    const now = Date.parse('2025-06-15T12:00:00Z');
    const metrics = recorder(now);
    const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
    metrics.count({ kind: 'conversation' }, day(396));
    metrics.count({ kind: 'conversation' }, day(395));
    metrics.count({ kind: 'conversation' }, day(40));
    await metrics.flush();
    const report = await new RetentionJob([metrics.purger(395)], 30 * DAY, { now: () => now }).runOnce();
    expect(report.purged).toEqual({ 'metrics-daily': 1 });
    expect((await metrics.read(day(500), day(0))).map((r) => r.day)).toEqual([day(395), day(40)]);
  });
});
