import { randomBytes } from 'node:crypto';
import { conversationPseudonym } from '../../privacy/pseudonym';
import {
  markParams,
  PSEUDONYM_PURPOSE,
  reviewGroup,
  unansweredRow,
  UPSERT_MARK_SQL,
  type ReviewOptions,
  type ReviewRow,
  type UnansweredItem,
  type UnansweredLog,
  type UnansweredRow,
  type UnansweredSummary,
} from '../unansweredLog';
import { ORPHAN_MARKS_SQL, type GroupMark, type UnansweredGroup } from '../unansweredReview';
import type { PgDatabase } from './pgDatabase';

/** Buffered as given: the pseudonym needs the key, which may have to come from the database first. */
type Pending = { item: UnansweredItem; at: Date };

// PostgreSQL text cannot hold NUL; it carries no meaning in a question anyway.
const noNul = (s: string | null) => (s === null ? null : s.replaceAll('\u0000', ''));

/**
 * The unanswered-question log in PostgreSQL, written like the SQLite one: in
 * small batches (one multi-row INSERT each) off the visitor's turn. This is a
 * maintenance log, not the visitor's record: a batch that fails (database
 * down) is reported to onError and dropped rather than held in memory.
 */
export class PgUnansweredLog implements UnansweredLog {
  private buffer: Pending[] = [];
  private key: Promise<Buffer> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress; flushes queue behind it so close() waits for everything. */
  private writing: Promise<void> = Promise.resolve();
  private static readonly BATCH = 32;
  private static readonly DELAY_MS = 250;

  constructor(
    private readonly db: PgDatabase,
    private readonly onError: (err: Error) => void = () => undefined,
    /** Keys the conversation pseudonyms (from LOG_ID_SECRET); without it, a random key kept in the database. */
    key?: Buffer,
  ) {
    if (key) this.key = Promise.resolve(key);
  }

  /** The configured key, or the one every instance shares in the database (created by the first). */
  private pseudonymKey(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((err: Error) => {
      this.key = undefined; // the database may be back next time
      throw err;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    const created = await this.db.query<{ key: Buffer }>(
      `WITH i AS (INSERT INTO pseudonym_key (purpose, key) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING RETURNING key)
       SELECT key FROM i UNION ALL SELECT key FROM pseudonym_key WHERE purpose = $1`,
      [PSEUDONYM_PURPOSE, randomBytes(32)],
    );
    if (created.rows[0]) return created.rows[0].key;
    // Another instance created it while this statement ran (its snapshot did not see the row): read it now.
    const { rows } = await this.db.query<{ key: Buffer }>('SELECT key FROM pseudonym_key WHERE purpose = $1', [PSEUDONYM_PURPOSE]);
    return rows[0]!.key;
  }

  record(item: UnansweredItem): void {
    this.buffer.push({ item, at: item.at ?? new Date() });
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

  private async insert(pending: Pending[]): Promise<void> {
    const key = await this.pseudonymKey();
    const rows: UnansweredRow[] = pending.map((p) => unansweredRow({ ...p.item, at: p.at }, key));
    await this.db.query(
      `INSERT INTO unanswered (text, normalized, channel, best_candidate, best_score, created_at, conversation_pseudonym)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[], $7::text[])`,
      [
        rows.map((r) => noNul(r.text)),
        rows.map((r) => noNul(r.normalized)),
        rows.map((r) => noNul(r.channel)),
        rows.map((r) => noNul(r.bestCandidate)),
        rows.map((r) => r.bestScore),
        rows.map((r) => r.at),
        rows.map((r) => r.conversation),
      ],
    );
  }

  async forgetConversation(channel: string, conversationId: string): Promise<number> {
    this.buffer = this.buffer.filter((p) => p.item.channel !== channel || p.item.conversationId !== conversationId);
    // A batch being written may hold this conversation's rows: delete after it lands.
    await this.writing;
    const key = await this.pseudonymKey();
    const { rowCount } = await this.db.query('DELETE FROM unanswered WHERE conversation_pseudonym = $1', [conversationPseudonym(key, channel, conversationId)]);
    // A mark is about a group's words: once no row of the group is left, it goes too (retention catches one left by a failure here).
    if (rowCount) await this.db.query(ORPHAN_MARKS_SQL);
    return rowCount ?? 0;
  }

  async top(limit: number): Promise<UnansweredSummary[]> {
    return this.review(limit);
  }

  // The closest entry: the latest row of the group that has one (a question matched to nothing does not hide it).
  async review(limit: number, options: ReviewOptions = {}): Promise<UnansweredGroup[]> {
    await this.flush();
    const { rows } = await this.db.query<ReviewRow>(
      `SELECT u.normalized, MAX(u.text) AS example, COUNT(*)::int AS count, MAX(u.created_at) AS last,
              (SELECT best_candidate FROM unanswered u2 WHERE u2.normalized = u.normalized AND u2.best_candidate IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1) AS best,
              m.kind, m.entry_id, m.marked_by, m.marked_at
         FROM unanswered u LEFT JOIN unanswered_mark m ON m.normalized = u.normalized
        WHERE NOT $2::boolean OR m.kind IS NOT NULL
        GROUP BY u.normalized, m.kind, m.entry_id, m.marked_by, m.marked_at ORDER BY count DESC, last DESC LIMIT $1`,
      [limit, Boolean(options.markedOnly)],
    );
    return rows.map(reviewGroup);
  }

  async mark(normalized: string, mark: GroupMark): Promise<void> {
    await this.db.query(UPSERT_MARK_SQL, [...markParams(normalized, mark), mark.at]);
  }
}
