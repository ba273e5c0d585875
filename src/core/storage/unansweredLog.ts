import { conversationPseudonym } from '../privacy/pseudonym';
import { scrubPersonalData } from '../privacy/scrub';
import { storedKey, type SqliteDatabase } from './database';
import { groupId, markOf, ORPHAN_MARKS_SQL, type GroupMark, type MarkRow, type UnansweredGroup } from './unansweredReview';

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
  /** "Forget me": every question logged from this conversation, buffered or stored (and marks on groups left empty); resolves with how many rows went. */
  forgetConversation(channel: string, conversationId: string): number | Promise<number>;
  /** The staff review: the groups, most frequent first (or only the marked ones), each with its mark. */
  review(limit: number, options?: ReviewOptions): UnansweredGroup[] | Promise<UnansweredGroup[]>;
  /** Mark a group (given by its words); an earlier mark of it is replaced. */
  mark(normalized: string, mark: GroupMark): void | Promise<void>;
}

export interface ReviewOptions {
  markedOnly?: boolean;
}

/** One group as the review query gives it, in either store. */
export type ReviewRow = Partial<MarkRow> & { normalized: string; example: string; count: number; last: number | Date; best: string | null };

export function reviewGroup(r: ReviewRow): UnansweredGroup {
  const mark = markOf(r);
  return { normalized: r.normalized, example: r.example, count: Number(r.count), lastSeen: new Date(r.last), bestCandidate: r.best, ...(mark ? { mark } : {}) };
}

/** Both stores write a mark with this statement ($1…$6, each once and in order: SQLite reads them as plain ?). */
export const UPSERT_MARK_SQL = `INSERT INTO unanswered_mark (group_id, normalized, kind, entry_id, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (group_id) DO UPDATE SET kind = excluded.kind, entry_id = excluded.entry_id, marked_by = excluded.marked_by, marked_at = excluded.marked_at`;

export function markParams(normalized: string, mark: GroupMark): [string, string, string, string | null, string] {
  return [groupId(normalized), normalized, mark.kind, mark.kind === 'add-to-entry' ? (mark.entryId ?? null) : null, mark.by];
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
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM unanswered WHERE conversation_pseudonym = ?').run(conversation).changes;
      // A mark is about a group's words: once no row of the group is left, it goes too.
      if (n > 0) this.db.prepare(ORPHAN_MARKS_SQL).run();
      return n;
    })();
  }

  top(limit: number): UnansweredSummary[] {
    return this.review(limit);
  }

  // The closest entry: the latest row of the group that has one (a question matched to nothing does not hide it).
  review(limit: number, options: ReviewOptions = {}): UnansweredGroup[] {
    this.flush();
    return this.db
      .prepare<[number, number], ReviewRow>(
        `SELECT u.normalized, MAX(u.text) AS example, COUNT(*) AS count, MAX(u.created_at) AS last,
                (SELECT best_candidate FROM unanswered u2 WHERE u2.normalized = u.normalized AND u2.best_candidate IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1) AS best,
                m.kind, m.entry_id, m.marked_by, m.marked_at
           FROM unanswered u LEFT JOIN unanswered_mark m ON m.normalized = u.normalized
          WHERE ? = 0 OR m.kind IS NOT NULL
          GROUP BY u.normalized ORDER BY count DESC, last DESC LIMIT ?`,
      )
      .all(options.markedOnly ? 1 : 0, limit)
      .map(reviewGroup);
  }

  mark(normalized: string, mark: GroupMark): void {
    this.db.prepare(UPSERT_MARK_SQL.replace(/\$\d/g, '?')).run(...markParams(normalized, mark), mark.at.getTime());
  }
}
