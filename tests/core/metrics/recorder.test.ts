import { HandoffService } from '../../../src/core/handoff/handoffService';
import { SqliteHandoffStore } from '../../../src/core/handoff/sqliteHandoffStore';
import { handoffMetrics } from '../../../src/core/metrics/handoffMetrics';
import { minuteBucket, metricKeys } from '../../../src/core/metrics/events';
import { MetricsRecorder, type MetricCount, type MetricsStore } from '../../../src/core/metrics/recorder';
import { buildReport, quantile } from '../../../src/core/metrics/report';
import { RetentionJob } from '../../../src/core/retention';
import { openDatabase, type SqliteDatabase } from '../../../src/core/storage/database';
import { SqliteMetricsStore } from '../../../src/core/storage/sqliteMetrics';

const DAY = 86_400_000;

/** The SQLite store, with every batch it was given noted. */
function counted(db: SqliteDatabase): { store: MetricsStore; batches: MetricCount[][] } {
  const inner = new SqliteMetricsStore(db);
  const batches: MetricCount[][] = [];
  return {
    batches,
    store: {
      add: (counts) => {
        batches.push(counts);
        return inner.add(counts);
      },
      read: (from, to) => inner.read(from, to),
      purgeBefore: (day) => inner.purgeBefore(day),
    },
  };
}

const rows = (db: SqliteDatabase) => db.prepare('SELECT day, key, count FROM metrics_daily ORDER BY day, key').all();

describe('MetricsRecorder on SQLite', () => {
  it('when events are counted, then nothing is written until the flush, and then one upsert per day and key carries their sum', async () => {
    const db = openDatabase(':memory:');
    const { store, batches } = counted(db);
    const metrics = new MetricsRecorder(store, { flushMs: 60_000 });
    for (let i = 0; i < 50; i++) metrics.count({ kind: 'conversation' }, '2025-03-01');
    metrics.count({ kind: 'answer', outcome: 'answered' }, '2025-03-01');
    metrics.count({ kind: 'conversation' }, '2025-03-02');
    expect(rows(db)).toEqual([]);
    await metrics.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(3);
    expect(rows(db)).toEqual([
      { day: '2025-03-01', key: 'answer:answered', count: 1 },
      { day: '2025-03-01', key: 'conversations', count: 50 },
      { day: '2025-03-02', key: 'conversations', count: 1 },
    ]);
    // A second batch adds to the stored rows.
    metrics.count({ kind: 'conversation' }, '2025-03-01');
    await metrics.flush();
    expect(db.prepare("SELECT count FROM metrics_daily WHERE day = '2025-03-01' AND key = 'conversations'").get()).toEqual({ count: 51 });
    await metrics.flush();
    expect(batches).toHaveLength(2);
  });

  it('when counts wait in memory, then they reach the database on their own after the flush interval', async () => {
    const db = openDatabase(':memory:');
    const metrics = new MetricsRecorder(new SqliteMetricsStore(db), { flushMs: 20 });
    metrics.count({ kind: 'sms-opt-out' }, '2025-03-01');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(rows(db)).toEqual([{ day: '2025-03-01', key: 'sms-opt-out', count: 1 }]);
  });

  it('when a write fails, then its counts are kept and written with the next flush, and the error is reported, not thrown at the caller', async () => {
    const db = openDatabase(':memory:');
    const inner = new SqliteMetricsStore(db);
    let failures = 1;
    const errors: string[] = [];
    const store: MetricsStore = {
      add: (c) => {
        if (failures-- > 0) throw new Error('disk full');
        inner.add(c);
      },
      read: (f, t) => inner.read(f, t),
      purgeBefore: (d) => inner.purgeBefore(d),
    };
    const metrics = new MetricsRecorder(store, { flushMs: 60_000, onError: (e) => errors.push(e.message) });
    metrics.count({ kind: 'conversation' }, '2025-03-01');
    await expect(metrics.flush()).rejects.toThrow('disk full');
    metrics.count({ kind: 'conversation' }, '2025-03-01');
    await metrics.close();
    expect(rows(db)).toEqual([{ day: '2025-03-01', key: 'conversations', count: 2 }]);
    expect(await metrics.read('2025-03-01', '2025-03-01')).toEqual([{ day: '2025-03-01', key: 'conversations', count: 2 }]);
    expect(errors).toEqual([]);
  });

  it('when an event happens late in the evening in Boston, then it counts on that Boston day, not on the next UTC day', async () => {
    const db = openDatabase(':memory:');
    const at = Date.parse('2025-03-10T03:30:00Z'); // 11:30 pm in Boston, March 9
    const boston = new MetricsRecorder(new SqliteMetricsStore(db), { timeZone: 'America/New_York', now: () => at });
    const utc = new MetricsRecorder(new SqliteMetricsStore(db), { timeZone: 'UTC', now: () => at });
    expect(boston.today()).toBe('2025-03-09');
    expect(utc.today()).toBe('2025-03-10');
    boston.count({ kind: 'crisis', tier: 'suicide' });
    await boston.flush();
    expect(rows(db)).toEqual([{ day: '2025-03-09', key: 'crisis:suicide', count: 1 }]);
  });

  it('when the retention sweep runs, then days older than METRICS_RETENTION_DAYS go and younger ones stay, past DATA_RETENTION_DAYS too', async () => {
    const db = openDatabase(':memory:');
    const now = Date.parse('2025-06-15T12:00:00Z');
    const metrics = new MetricsRecorder(new SqliteMetricsStore(db), { timeZone: 'UTC', now: () => now });
    const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
    metrics.count({ kind: 'conversation' }, day(400));
    metrics.count({ kind: 'conversation' }, day(396));
    metrics.count({ kind: 'conversation' }, day(395));
    metrics.count({ kind: 'conversation' }, day(40));
    await metrics.flush();
    // The job's own retention is DATA_RETENTION_DAYS (30); the metrics purger carries its own 395.
    const job = new RetentionJob([metrics.purger(395)], 30 * DAY, { now: () => now });
    const report = await job.runOnce();
    expect(report.purged).toEqual({ 'metrics-daily': 2 });
    expect((rows(db) as MetricCount[]).map((r) => r.day)).toEqual([day(395), day(40)]);
  });

  it('when a reason or tier is not a plain word, then it is stored as "other": no free text reaches the table', () => {
    expect(metricKeys({ kind: 'handoff', reason: 'call me at 617-555-0142' })).toEqual(['handoff:other']);
    expect(metricKeys({ kind: 'crisis', tier: 'withdrawal-emergency' })).toEqual(['crisis:withdrawal-emergency']);
    expect(metricKeys({ kind: 'screening', stage: 'completed', level: 'iop' })).toEqual(['screening:completed', 'screening:completed:iop']);
  });
});

describe('the report counts', () => {
  it('when durations are counted, then they fall in buckets exact to the minute below an hour and coarser after', () => {
    expect([0, 12.7, 59, 61, 239, 241, 1439, 1500, 20_000, -3, Number.NaN].map(minuteBucket)).toEqual([0, 12, 59, 60, 235, 240, 1425, 1500, 18_720, 0, 0]);
  });

  it('when a histogram is read, then the median and the 90th percentile are its nearest-rank values', () => {
    // 1, 2, ..., 10 minutes, once each.
    const h = new Map(Array.from({ length: 10 }, (_, i) => [i + 1, 1] as [number, number]));
    expect(quantile(h, 0.5)).toBe(5);
    expect(quantile(h, 0.9)).toBe(9);
    expect(quantile(new Map([[7, 3]]), 0.9)).toBe(7);
    expect(quantile(new Map(), 0.5)).toBeNull();
  });

  it('when a period is reported, then every day is listed, zeros included, and the totals add the days up', () => {
    const report = buildReport(
      [
        { day: '2025-03-01', key: 'conversations', count: 3 },
        { day: '2025-03-03', key: 'conversations', count: 2 },
        { day: '2025-03-03', key: 'handoff:fallback', count: 1 },
        { day: '2025-03-01', key: 'claim-minutes:4', count: 1 },
        { day: '2025-03-03', key: 'claim-minutes:10', count: 1 },
        { day: '2025-03-03', key: 'claim-minutes:30', count: 1 },
        { day: '2025-02-28', key: 'conversations', count: 9 },
      ],
      '2025-03-01',
      '2025-03-03',
      'UTC',
    );
    expect(report.days.map((d) => [d.day, d.conversations])).toEqual([
      ['2025-03-01', 3],
      ['2025-03-02', 0],
      ['2025-03-03', 2],
    ]);
    expect(report.total).toMatchObject({ conversations: 5, handoffsByReason: { fallback: 1 }, minutesToClaim: { count: 3, median: 10, p90: 30 } });
    expect(report.days[2]!.minutesToClaim).toEqual({ count: 2, median: 10, p90: 30 });
    expect(report.days[1]!.minutesToResolve).toEqual({ count: 0, median: null, p90: null });
  });

  it('when a request is filed, claimed and resolved, then its reason and the minutes to claim and to resolve are counted, with no request id', async () => {
    const db = openDatabase(':memory:');
    const metrics = new MetricsRecorder(new SqliteMetricsStore(db), { timeZone: 'UTC' });
    const handoffs = new HandoffService(new SqliteHandoffStore(db));
    handoffs.addNotifier(handoffMetrics(metrics));
    const r = await handoffs.create({ reason: 'screening-completed', priority: 'normal', channel: 'webchat', conversationId: 'c-1', conversationReference: {}, phone: '+16175550142' });
    await handoffs.claim(r.id, 'maria');
    await handoffs.resolve(r.id, 'maria');
    await metrics.flush();
    const stored = rows(db) as MetricCount[];
    expect(stored.map((s) => s.key).sort()).toEqual(['claim-minutes:0', 'handoff:screening-completed', 'resolve-minutes:0']);
    expect(JSON.stringify(stored)).not.toContain(r.id);
    expect(JSON.stringify(stored)).not.toContain('5550142');
  });
});
