import { scrubPersonalData } from '../privacy/scrub';
import type { SqliteDatabase } from './database';

export { scrubPersonalData };

export interface UnansweredItem {
  text: string;
  channel: string;
  bestCandidate?: string;
  bestScore?: number;
  at?: Date;
}

export interface UnansweredSummary {
  normalized: string;
  example: string;
  count: number;
  lastSeen: Date;
  bestCandidate: string | null;
}

/** SQLite answers at once; the PostgreSQL log answers with promises (callers await either). */
export interface UnansweredLog {
  record(item: UnansweredItem): void;
  top(limit: number): UnansweredSummary[] | Promise<UnansweredSummary[]>;
  /** Write what is buffered (at shutdown). */
  flush(): void | Promise<void>;
}

/** What every store keeps of an unanswered question: scrubbed (contact details and names are not needed to improve the knowledge base), capped text and its grouping key. */
export function unansweredRow(item: UnansweredItem): { text: string; normalized: string; channel: string; bestCandidate: string | null; bestScore: number | null; at: Date } {
  const text = scrubPersonalData(item.text).slice(0, 500);
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return { text, normalized, channel: item.channel, bestCandidate: item.bestCandidate ?? null, bestScore: item.bestScore ?? null, at: item.at ?? new Date() };
}

/**
 * The questions the bot could not answer, for the knowledge-base maintainers
 * (`npm run kb:unanswered`). Rows are written in small batches, one transaction
 * each, off the visitor's turn: this is a maintenance log, not the visitor's
 * record, so a crash may lose at most the last quarter second of it.
 */
export class SqliteUnansweredLog implements UnansweredLog {
  private readonly insertAll;
  private buffer: unknown[][] = [];
  private timer: NodeJS.Timeout | undefined;
  private static readonly BATCH = 32;
  private static readonly DELAY_MS = 250;

  constructor(
    private readonly db: SqliteDatabase,
    /** A failed background write must never crash the service; it is reported here. */
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    const insert = db.prepare(
      'INSERT INTO unanswered (text, normalized, channel, best_candidate, best_score, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertAll = db.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(...row);
    });
  }

  record(item: UnansweredItem): void {
    const r = unansweredRow(item);
    this.buffer.push([r.text, r.normalized, r.channel, r.bestCandidate, r.bestScore, r.at.getTime()]);
    if (this.buffer.length >= SqliteUnansweredLog.BATCH) this.flush();
    else
      this.timer ??= setTimeout(() => {
        try {
          this.flush();
        } catch (err) {
          this.onError(err as Error);
        }
      }, SqliteUnansweredLog.DELAY_MS).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0 || !this.db.open) return;
    const rows = this.buffer;
    this.buffer = [];
    this.insertAll(rows);
  }

  top(limit: number): UnansweredSummary[] {
    this.flush();
    const rows = this.db
      .prepare<[number], { normalized: string; example: string; count: number; last: number; best: string | null }>(
        `SELECT normalized, MAX(text) AS example, COUNT(*) AS count, MAX(created_at) AS last,
                (SELECT best_candidate FROM unanswered u2 WHERE u2.normalized = u.normalized ORDER BY created_at DESC LIMIT 1) AS best
           FROM unanswered u GROUP BY normalized ORDER BY count DESC, last DESC LIMIT ?`,
      )
      .all(limit);
    return rows.map((r) => ({ normalized: r.normalized, example: r.example, count: r.count, lastSeen: new Date(r.last), bestCandidate: r.best }));
  }
}
