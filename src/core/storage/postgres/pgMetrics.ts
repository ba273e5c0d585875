import type { MetricCount, MetricsStore } from '../../metrics/recorder';
import type { PgDatabase } from './pgDatabase';

/** The daily counts in PostgreSQL: one multi-row upsert per batch (instances add to the same rows). */
export class PgMetricsStore implements MetricsStore {
  constructor(private readonly db: PgDatabase) {}

  async add(counts: MetricCount[]): Promise<void> {
    if (!counts.length) return;
    await this.db.query(
      `INSERT INTO metrics_daily (day, key, count)
       SELECT * FROM unnest($1::date[], $2::text[], $3::bigint[])
       ON CONFLICT (day, key) DO UPDATE SET count = metrics_daily.count + excluded.count`,
      [counts.map((c) => c.day), counts.map((c) => c.key), counts.map((c) => c.count)],
    );
  }

  async read(from: string, to: string): Promise<MetricCount[]> {
    const { rows } = await this.db.query<MetricCount>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, key, count::float8 AS count FROM metrics_daily WHERE day BETWEEN $1::date AND $2::date ORDER BY day, key`,
      [from, to],
    );
    return rows;
  }

  async purgeBefore(day: string): Promise<number> {
    return (await this.db.query('DELETE FROM metrics_daily WHERE day < $1::date', [day])).rowCount ?? 0;
  }
}
