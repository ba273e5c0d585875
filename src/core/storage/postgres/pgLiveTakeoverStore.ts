import {
  LIVE_MESSAGE_MAX_CHARS,
  LIVE_TRANSCRIPT_LIMIT,
  type LiveMessage,
  type LiveTakeover,
  type LiveTakeoverStore,
  type StartResult,
} from '../../handoff/liveTakeover';
import type { PgDatabase } from './pgDatabase';

interface TakeoverRow {
  request_id: string;
  channel: string;
  conversation_id: string;
  staff: string;
  started_at: Date;
  staff_seen_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
}

interface MessageRow {
  id: string;
  request_id: string;
  sender: LiveMessage['from'];
  staff: string | null;
  text: string;
  crisis: boolean;
  at: Date;
}

const UNIQUE_VIOLATION = '23505';
const TAKEOVER = 'SELECT request_id, channel, conversation_id, staff, started_at, staff_seen_at, ended_at, ended_by FROM live_takeover';

// PostgreSQL text cannot hold NUL; it carries no meaning in a chat line anyway.
const noNul = (s: string) => s.replaceAll('\u0000', '');

function toTakeover(r: TakeoverRow): LiveTakeover {
  return {
    requestId: r.request_id,
    channel: r.channel,
    conversationId: r.conversation_id,
    staff: r.staff,
    startedAt: r.started_at.toISOString(),
    staffSeenAt: r.staff_seen_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : undefined,
    endedBy: r.ended_by ?? undefined,
  };
}

function toMessage(r: MessageRow): LiveMessage {
  return {
    seq: Number(r.id),
    requestId: r.request_id,
    from: r.sender,
    staff: r.staff ?? undefined,
    text: r.text,
    crisis: r.crisis ? true : undefined,
    at: r.at.toISOString(),
  };
}

/**
 * Live takeovers in PostgreSQL, shared by every instance: whichever instance
 * gets the visitor's next message sees that a person is connected. As in
 * SQLite, a partial unique index (one row with ended_at NULL per conversation)
 * makes "one live takeover per conversation" atomic across instances.
 */
export class PgLiveTakeoverStore implements LiveTakeoverStore {
  constructor(private readonly db: PgDatabase) {}

  async start(requestId: string, channel: string, conversationId: string, staff: string): Promise<StartResult> {
    let row: TakeoverRow | undefined;
    try {
      // ON CONFLICT names only the primary key: a clash on the per-conversation index still raises.
      ({
        rows: [row],
      } = await this.db.query<TakeoverRow>(
        `INSERT INTO live_takeover (request_id, channel, conversation_id, staff, started_at, staff_seen_at)
         VALUES ($1, $2, $3, $4, now(), now())
         ON CONFLICT (request_id) DO UPDATE SET staff = excluded.staff, started_at = excluded.started_at,
           staff_seen_at = excluded.staff_seen_at, ended_at = NULL, ended_by = NULL
         RETURNING *`,
        [requestId, channel, conversationId, staff],
      ));
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      const live = await this.liveFor(channel, conversationId);
      return { ok: false, reason: 'conversation-live', staff: live?.staff ?? 'someone' };
    }
    return { ok: true, takeover: toTakeover(row!) };
  }

  async end(requestId: string, actor: string): Promise<LiveTakeover | undefined> {
    const { rows } = await this.db.query<TakeoverRow>(
      'UPDATE live_takeover SET ended_at = now(), ended_by = $2 WHERE request_id = $1 AND ended_at IS NULL RETURNING *',
      [requestId, actor],
    );
    return rows[0] ? toTakeover(rows[0]) : undefined;
  }

  async get(requestId: string): Promise<LiveTakeover | undefined> {
    const { rows } = await this.db.query<TakeoverRow>(`${TAKEOVER} WHERE request_id = $1`, [requestId]);
    return rows[0] ? toTakeover(rows[0]) : undefined;
  }

  async liveFor(channel: string, conversationId: string): Promise<LiveTakeover | undefined> {
    const { rows } = await this.db.query<TakeoverRow>(`${TAKEOVER} WHERE channel = $1 AND conversation_id = $2 AND ended_at IS NULL`, [channel, conversationId]);
    return rows[0] ? toTakeover(rows[0]) : undefined;
  }

  async liveRequestIds(): Promise<Set<string>> {
    const { rows } = await this.db.query<{ request_id: string }>('SELECT request_id FROM live_takeover WHERE ended_at IS NULL');
    return new Set(rows.map((r) => r.request_id));
  }

  async touch(requestId: string): Promise<void> {
    await this.db.query('UPDATE live_takeover SET staff_seen_at = now() WHERE request_id = $1 AND ended_at IS NULL', [requestId]);
  }

  async append(message: Omit<LiveMessage, 'seq' | 'at'>, limit = LIVE_TRANSCRIPT_LIMIT): Promise<LiveMessage> {
    const clean = noNul(message.text);
    const text = clean.length > LIVE_MESSAGE_MAX_CHARS ? `${clean.slice(0, LIVE_MESSAGE_MAX_CHARS)}…` : clean;
    const row = await this.db.transaction(async (client) => {
      const { rows } = await client.query<MessageRow>(
        'INSERT INTO live_message (request_id, sender, staff, text, crisis, at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING *',
        [message.requestId, message.from, message.staff ?? null, text, Boolean(message.crisis)],
      );
      // Bounded: keep the newest `limit` lines of this request.
      await client.query(
        `DELETE FROM live_message WHERE request_id = $1 AND id NOT IN
           (SELECT id FROM live_message WHERE request_id = $1 ORDER BY id DESC LIMIT $2)`,
        [message.requestId, limit],
      );
      return rows[0]!;
    });
    return { ...message, text, seq: Number(row.id), at: row.at.toISOString(), crisis: message.crisis ? true : undefined };
  }

  async messages(requestId: string, afterSeq = 0): Promise<LiveMessage[]> {
    const { rows } = await this.db.query<MessageRow>('SELECT * FROM live_message WHERE request_id = $1 AND id > $2 ORDER BY id', [requestId, afterSeq]);
    return rows.map(toMessage);
  }

  async purgeEndedBefore(cutoff: Date): Promise<number> {
    // Separate statements in one transaction: a line both ended and orphaned is counted once.
    return this.db.transaction(async (client) => {
      const ended = await client.query(
        `WITH t AS (DELETE FROM live_takeover WHERE ended_at IS NOT NULL AND ended_at < $1 RETURNING request_id)
         DELETE FROM live_message WHERE request_id IN (SELECT request_id FROM t)`,
        [cutoff],
      );
      // Lines whose request the queue's own retention already deleted.
      const orphans = await client.query('DELETE FROM live_message m WHERE NOT EXISTS (SELECT 1 FROM handoff_request r WHERE r.id = m.request_id)');
      await client.query('DELETE FROM live_takeover t WHERE ended_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM handoff_request r WHERE r.id = t.request_id)');
      return (ended.rowCount ?? 0) + (orphans.rowCount ?? 0);
    });
  }

  async deleteConversation(channel: string, conversationId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH t AS (DELETE FROM live_takeover WHERE channel = $1 AND conversation_id = $2 RETURNING request_id),
       m AS (DELETE FROM live_message WHERE request_id IN (SELECT request_id FROM t) RETURNING 1)
       SELECT count(*)::int AS n FROM m`,
      [channel, conversationId],
    );
    return rows[0]?.n ?? 0;
  }
}
