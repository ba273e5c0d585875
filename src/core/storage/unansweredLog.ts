import { conversationPseudonym } from '../privacy/pseudonym';
import { scrubPersonalData } from '../privacy/scrub';
import { storedKey, type SqliteDatabase } from './database';

export { scrubPersonalData };

export interface UnansweredItem {
  text: string;
  channel: string;
  /** Stored only as a keyed pseudonym, so "forget me" can find the row. */
  conversationId?: string;
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
  /** "Forget me": every question logged from this conversation, buffered or stored; resolves with how many rows went. */
  forgetConversation(channel: string, conversationId: string): number | Promise<number>;
}

/** What the key of the stored pseudonyms is for (a database-kept key is found under it). */
export const PSEUDONYM_PURPOSE = 'unanswered-conversation';

/** What every store keeps of an unanswered question: scrubbed (contact details and names are not needed to improve the knowledge base), capped text and its grouping key. */
export function unansweredRow(item: UnansweredItem, key: Buffer): UnansweredRow {
  const text = scrubPersonalData(item.text).slice(0, 500);
  const normalized = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const conversation = item.conversationId ? conversationPseudonym(key, item.channel, item.conversationId) : null;
  return { text, normalized, channel: item.channel, bestCandidate: item.bestCandidate ?? null, bestScore: item.bestScore ?? null, at: item.at ?? new Date(), conversation };
}

export interface UnansweredRow {
  text: string;
  normalized: string;
  channel: string;
  bestCandidate: string | null;
  bestScore: number | null;
  at: Date;
  /** The conversation's keyed pseudonym (null when the caller gave no conversation). */
  conversation: string | null;
}

/**
 * The questions the bot could not answer, for the knowledge-base maintainers
 * (`npm run kb:unanswered`). Rows are written in small batches, one transaction
 * each, off the visitor's turn: this is a maintenance log, not the visitor's
 * record, so a crash may lose at most the last quarter second of it.
 */
export class SqliteUnansweredLog implements UnansweredLog {
  private readonly insertAll;
  private readonly key: Buffer;
  private buffer: UnansweredRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private static readonly BATCH = 32;
  private static readonly DELAY_MS = 250;

  constructor(
    private readonly db: SqliteDatabase,
    /** A failed background write must never crash the service; it is reported here. */
    private readonly onError: (err: Error) => void = () => undefined,
    /** Keys the conversation pseudonyms (from LOG_ID_SECRET); without it, a random key kept in the database. */
    key?: Buffer,
  ) {
    this.key = key ?? storedKey(db, PSEUDONYM_PURPOSE);
    const insert = db.prepare(
      'INSERT INTO unanswered (text, normalized, channel, best_candidate, best_score, created_at, conversation_pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertAll = db.transaction((rows: UnansweredRow[]) => {
      for (const r of rows) insert.run(r.text, r.normalized, r.channel, r.bestCandidate, r.bestScore, r.at.getTime(), r.conversation);
    });
  }

  record(item: UnansweredItem): void {
    this.buffer.push(unansweredRow(item, this.key));
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

  forgetConversation(channel: string, conversationId: string): number {
    const conversation = conversationPseudonym(this.key, channel, conversationId);
    this.buffer = this.buffer.filter((r) => r.conversation !== conversation);
    if (!this.db.open) return 0;
    return this.db.prepare('DELETE FROM unanswered WHERE conversation_pseudonym = ?').run(conversation).changes;
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
