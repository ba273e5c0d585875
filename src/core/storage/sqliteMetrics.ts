import type { MetricCount, MetricsStore } from '../metrics/recorder';
import type { SqliteDatabase } from './database';

/** The daily counts in the embedded database: one upsert per (day, key), a batch per transaction. */
export class SqliteMetricsStore implements MetricsStore {
  private readonly addAll;

  constructor(private readonly db: SqliteDatabase) {
    const upsert = db.prepare('INSERT INTO metrics_daily (day, key, count) VALUES (?, ?, ?) ON CONFLICT (day, key) DO UPDATE SET count = count + excluded.count');
    this.addAll = db.transaction((counts: MetricCount[]) => {
      for (const c of counts) upsert.run(c.day, c.key, c.count);
    });
  }

  add(counts: MetricCount[]): void {
    if (counts.length && this.db.open) this.addAll(counts);
  }

  read(from: string, to: string): MetricCount[] {
    return this.db.prepare<[string, string], MetricCount>('SELECT day, key, count FROM metrics_daily WHERE day >= ? AND day <= ? ORDER BY day, key').all(from, to);
  }

  purgeBefore(day: string): number {
    return this.db.prepare('DELETE FROM metrics_daily WHERE day < ?').run(day).changes;
  }
}
