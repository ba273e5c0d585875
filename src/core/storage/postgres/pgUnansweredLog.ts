import { unansweredRow, type UnansweredItem, type UnansweredLog, type UnansweredSummary } from '../unansweredLog';
import type { PgDatabase } from './pgDatabase';

type Row = ReturnType<typeof unansweredRow>;

// PostgreSQL text cannot hold NUL; it carries no meaning in a question anyway.
const noNul = (s: string | null) => (s === null ? null : s.replaceAll('\u0000', ''));

/**
 * The unanswered-question log in PostgreSQL, written like the SQLite one: in
 * small batches (one multi-row INSERT each) off the visitor's turn. This is a
 * maintenance log, not the visitor's record: a batch that fails (database
 * down) is reported to onError and dropped rather than held in memory.
 */
export class PgUnansweredLog implements UnansweredLog {
  private buffer: Row[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress; flushes queue behind it so close() waits for everything. */
  private writing: Promise<void> = Promise.resolve();
  private static readonly BATCH = 32;
  private static readonly DELAY_MS = 250;

  constructor(
    private readonly db: PgDatabase,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  record(item: UnansweredItem): void {
    this.buffer.push(unansweredRow(item));
    if (this.buffer.length >= PgUnansweredLog.BATCH) this.flush().catch(this.onError);
    else this.timer ??= setTimeout(() => this.flush().catch(this.onError), PgUnansweredLog.DELAY_MS).unref();
  }

  /** Write what is buffered; resolves once every earlier write has finished too. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return this.writing;
    const rows = this.buffer;
    this.buffer = [];
    const write = this.writing.then(() => this.insert(rows));
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async insert(rows: Row[]): Promise<void> {
    await this.db.query(
      `INSERT INTO unanswered (text, normalized, channel, best_candidate, best_score, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[])`,
      [
        rows.map((r) => noNul(r.text)),
        rows.map((r) => noNul(r.normalized)),
        rows.map((r) => noNul(r.channel)),
        rows.map((r) => noNul(r.bestCandidate)),
        rows.map((r) => r.bestScore),
        rows.map((r) => r.at),
      ],
    );
  }

  async top(limit: number): Promise<UnansweredSummary[]> {
    await this.flush();
    const { rows } = await this.db.query<{ normalized: string; example: string; count: number; last: Date; best: string | null }>(
      `SELECT normalized, MAX(text) AS example, COUNT(*)::int AS count, MAX(created_at) AS last,
              (SELECT best_candidate FROM unanswered u2 WHERE u2.normalized = u.normalized ORDER BY created_at DESC, id DESC LIMIT 1) AS best
         FROM unanswered u GROUP BY normalized ORDER BY count DESC, last DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ normalized: r.normalized, example: r.example, count: r.count, lastSeen: r.last, bestCandidate: r.best }));
  }
}
