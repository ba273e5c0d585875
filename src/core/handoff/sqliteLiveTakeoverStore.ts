import type { SqliteDatabase } from '../storage/database';
import {
  LIVE_MESSAGE_MAX_CHARS,
  LIVE_TRANSCRIPT_LIMIT,
  type LiveMessage,
  type LiveTakeover,
  type LiveTakeoverStore,
  type StaffSessionStore,
  type StartResult,
} from './liveTakeover';

interface TakeoverRow {
  request_id: string;
  channel: string;
  conversation_id: string;
  staff: string;
  started_at: number;
  staff_seen_at: number;
  ended_at: number | null;
  ended_by: string | null;
}

interface MessageRow {
  id: number;
  request_id: string;
  sender: LiveMessage['from'];
  staff: string | null;
  text: string;
  crisis: number;
  at: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toTakeover(r: TakeoverRow): LiveTakeover {
  return {
    requestId: r.request_id,
    channel: r.channel,
    conversationId: r.conversation_id,
    staff: r.staff,
    startedAt: iso(r.started_at),
    staffSeenAt: iso(r.staff_seen_at),
    endedAt: r.ended_at ? iso(r.ended_at) : undefined,
    endedBy: r.ended_by ?? undefined,
  };
}

function toMessage(r: MessageRow): LiveMessage {
  return {
    seq: r.id,
    requestId: r.request_id,
    from: r.sender,
    staff: r.staff ?? undefined,
    text: r.text,
    crisis: r.crisis ? true : undefined,
    at: iso(r.at),
  };
}

/** Live takeovers in SQLite: a partial unique index makes "one live takeover per conversation" atomic. */
export class SqliteLiveTakeoverStore implements LiveTakeoverStore {
  constructor(private readonly db: SqliteDatabase) {}

  async start(requestId: string, channel: string, conversationId: string, staff: string): Promise<StartResult> {
    const now = Date.now();
    try {
      this.db
        .prepare(
          `INSERT INTO live_takeover (request_id, channel, conversation_id, staff, started_at, staff_seen_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(request_id) DO UPDATE SET staff = excluded.staff, started_at = excluded.started_at,
             staff_seen_at = excluded.staff_seen_at, ended_at = NULL, ended_by = NULL`,
        )
        .run(requestId, channel, conversationId, staff, now, now);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      const live = await this.liveFor(channel, conversationId);
      return { ok: false, reason: 'conversation-live', staff: live?.staff ?? 'someone' };
    }
    return { ok: true, takeover: (await this.get(requestId))! };
  }

  async end(requestId: string, actor: string): Promise<LiveTakeover | undefined> {
    const changed = this.db
      .prepare('UPDATE live_takeover SET ended_at = ?, ended_by = ? WHERE request_id = ? AND ended_at IS NULL')
      .run(Date.now(), actor, requestId).changes;
    return changed === 1 ? this.get(requestId) : undefined;
  }

  async get(requestId: string): Promise<LiveTakeover | undefined> {
    const row = this.db.prepare<[string], TakeoverRow>('SELECT * FROM live_takeover WHERE request_id = ?').get(requestId);
    return row ? toTakeover(row) : undefined;
  }

  async liveFor(channel: string, conversationId: string): Promise<LiveTakeover | undefined> {
    const row = this.db
      .prepare<[string, string], TakeoverRow>('SELECT * FROM live_takeover WHERE channel = ? AND conversation_id = ? AND ended_at IS NULL')
      .get(channel, conversationId);
    return row ? toTakeover(row) : undefined;
  }

  async liveRequestIds(): Promise<Set<string>> {
    const rows = this.db.prepare<[], { request_id: string }>('SELECT request_id FROM live_takeover WHERE ended_at IS NULL').all();
    return new Set(rows.map((r) => r.request_id));
  }

  async touch(requestId: string): Promise<void> {
    this.db.prepare('UPDATE live_takeover SET staff_seen_at = ? WHERE request_id = ? AND ended_at IS NULL').run(Date.now(), requestId);
  }

  async append(message: Omit<LiveMessage, 'seq' | 'at'>, limit = LIVE_TRANSCRIPT_LIMIT): Promise<LiveMessage> {
    const text = message.text.length > LIVE_MESSAGE_MAX_CHARS ? `${message.text.slice(0, LIVE_MESSAGE_MAX_CHARS)}…` : message.text;
    const at = Date.now();
    const id = this.db.transaction(() => {
      const inserted = this.db
        .prepare('INSERT INTO live_message (request_id, sender, staff, text, crisis, at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(message.requestId, message.from, message.staff ?? null, text, message.crisis ? 1 : 0, at);
      // Bounded: keep the newest `limit` lines of this request.
      this.db
        .prepare(
          `DELETE FROM live_message WHERE request_id = ? AND id NOT IN
             (SELECT id FROM live_message WHERE request_id = ? ORDER BY id DESC LIMIT ?)`,
        )
        .run(message.requestId, message.requestId, limit);
      return Number(inserted.lastInsertRowid);
    })();
    return { ...message, text, seq: id, at: iso(at), crisis: message.crisis ? true : undefined };
  }

  async messages(requestId: string, afterSeq = 0): Promise<LiveMessage[]> {
    return this.db
      .prepare<[string, number], MessageRow>('SELECT * FROM live_message WHERE request_id = ? AND id > ? ORDER BY id')
      .all(requestId, afterSeq)
      .map(toMessage);
  }

  async purgeEndedBefore(cutoff: Date): Promise<number> {
    return this.db.transaction(() => {
      const ended = this.db
        .prepare<[number], { request_id: string }>('SELECT request_id FROM live_takeover WHERE ended_at IS NOT NULL AND ended_at < ?')
        .all(cutoff.getTime())
        .map((r) => r.request_id);
      let removed = 0;
      for (const id of ended) {
        removed += this.db.prepare('DELETE FROM live_message WHERE request_id = ?').run(id).changes;
        this.db.prepare('DELETE FROM live_takeover WHERE request_id = ?').run(id);
      }
      // Lines whose request the queue's own retention already deleted.
      removed += this.db.prepare('DELETE FROM live_message WHERE request_id NOT IN (SELECT id FROM handoff_request)').run().changes;
      this.db.prepare('DELETE FROM live_takeover WHERE ended_at IS NOT NULL AND request_id NOT IN (SELECT id FROM handoff_request)').run();
      return removed;
    })();
  }

  async deleteConversation(channel: string, conversationId: string): Promise<number> {
    return this.db.transaction(() => {
      const ids = this.db
        .prepare<[string, string], { request_id: string }>('SELECT request_id FROM live_takeover WHERE channel = ? AND conversation_id = ?')
        .all(channel, conversationId)
        .map((r) => r.request_id);
      let removed = 0;
      for (const id of ids) {
        removed += this.db.prepare('DELETE FROM live_message WHERE request_id = ?').run(id).changes;
        this.db.prepare('DELETE FROM live_takeover WHERE request_id = ?').run(id);
      }
      return removed;
    })();
  }
}

/** Console presence and logged-out sessions in SQLite. */
export class SqliteStaffSessionStore implements StaffSessionStore {
  constructor(private readonly db: SqliteDatabase) {}

  async seen(login: string, at = new Date()): Promise<void> {
    this.db
      .prepare('INSERT INTO staff_presence (login, seen_at) VALUES (?, ?) ON CONFLICT(login) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)')
      .run(login, at.getTime());
  }

  async anyoneSeenSince(cutoff: Date): Promise<boolean> {
    return Boolean(this.db.prepare('SELECT 1 FROM staff_presence WHERE seen_at >= ? LIMIT 1').get(cutoff.getTime()));
  }

  async gone(login: string): Promise<void> {
    this.db.prepare('DELETE FROM staff_presence WHERE login = ?').run(login);
  }

  async revoke(sessionId: string, expiresAt: Date): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM staff_session_revoked WHERE expires_at < ?').run(now);
      this.db.prepare('INSERT OR REPLACE INTO staff_session_revoked (session_id, expires_at) VALUES (?, ?)').run(sessionId, expiresAt.getTime());
    })();
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return Boolean(this.db.prepare('SELECT 1 FROM staff_session_revoked WHERE session_id = ?').get(sessionId));
  }
}
