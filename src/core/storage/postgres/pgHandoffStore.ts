import { randomUUID } from 'node:crypto';
import {
  storedLanguage,
  type AuditEntry,
  type ClaimResult,
  type DeletedRequest,
  type HandoffRequest,
  type HandoffStatus,
  type HandoffStore,
  type NewHandoffRequest,
} from '../../handoff/handoffRequest';
import { newReference } from '../../handoff/reference';
import type { PgDatabase } from './pgDatabase';

interface Row {
  body: string;
  priority: number;
  status: HandoffStatus;
  claimed_by: string | null;
  claimed_at: Date | null;
  updated_at: Date;
  language: string | null;
}

const COLUMNS = 'body, priority, status, claimed_by, claimed_at, updated_at, language';
const UNIQUE_VIOLATION = '23505';

/**
 * The staff queue in PostgreSQL, shared by every instance: the same semantics,
 * audit and reference format as SqliteHandoffStore. Mutable columns (status,
 * claim) live in their own columns, so a claim is one conditional UPDATE: of
 * simultaneous claims from any number of instances, exactly one changes the row
 * (the others wait on its row lock, then find it no longer open). Each change
 * and its audit entry are written by one statement, so they commit together.
 */
export class PgHandoffStore implements HandoffStore {
  constructor(private readonly db: PgDatabase) {}

  private toRequest(row: Row): HandoffRequest {
    const r = JSON.parse(row.body) as HandoffRequest;
    // The column is the truth: a request can be escalated after it was created.
    r.priority = row.priority === 0 ? 'crisis' : 'normal';
    r.status = row.status;
    r.claimedBy = row.claimed_by ?? undefined;
    r.claimedAt = row.claimed_at ? row.claimed_at.toISOString() : undefined;
    r.updatedAt = row.updated_at.toISOString();
    r.language = storedLanguage(row.language);
    return r;
  }

  async create(input: NewHandoffRequest, actor = 'bot'): Promise<HandoffRequest> {
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      const request: HandoffRequest = {
        ...input,
        language: input.language ?? 'en',
        id: randomUUID(),
        reference: newReference(),
        status: 'open',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      try {
        await this.db.query(
          `WITH r AS (
             INSERT INTO handoff_request (id, reference, channel, conversation_id, priority, status, created_at, updated_at, body, language)
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7, $10) RETURNING id)
           INSERT INTO handoff_audit (request_id, actor, action, detail, at) SELECT id, $8, 'created', $9, $6 FROM r`,
          [request.id, request.reference, request.channel, request.conversationId, request.priority === 'crisis' ? 0 : 1, now, JSON.stringify(request), actor, request.reason, request.language],
        );
        return request;
      } catch (err) {
        // A reference is 6 of 31 characters: a clash is rare, and a fresh one fixes it.
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw err;
      }
    }
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_request WHERE id = $1`, [id]);
    return rows[0] ? this.toRequest(rows[0]) : undefined;
  }

  async listActive(): Promise<HandoffRequest[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM handoff_request WHERE status IN ('open', 'claimed') ORDER BY priority ASC, created_at ASC, id ASC`,
    );
    return rows.map((r) => this.toRequest(r));
  }

  async claim(id: string, staff: string): Promise<ClaimResult> {
    const { rows } = await this.db.query<Row>(
      `WITH c AS (
         UPDATE handoff_request SET status = 'claimed', claimed_by = $2, claimed_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'open'
          RETURNING id, ${COLUMNS}),
       a AS (INSERT INTO handoff_audit (request_id, actor, action, at) SELECT id, $2, 'claimed', now() FROM c)
       SELECT ${COLUMNS} FROM c`,
      [id, staff],
    );
    if (rows[0]) return { ok: true, request: this.toRequest(rows[0]) };
    const current = await this.get(id);
    return { ok: false, claimedBy: current?.claimedBy, status: current?.status };
  }

  async addNote(id: string, staff: string, note: string): Promise<void> {
    await this.db.query("INSERT INTO handoff_audit (request_id, actor, action, detail, at) VALUES ($1, $2, 'note', $3, now())", [id, staff, note.slice(0, 2000)]);
  }

  async attachExcerpt(id: string, excerpt: string[]): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE handoff_request SET body = jsonb_set(body::jsonb, '{transcriptExcerpt}', $2::jsonb)::text WHERE id = $1 AND status IN ('open', 'claimed')`,
      [id, JSON.stringify(excerpt)],
    );
    return rowCount === 1;
  }

  private async transition(id: string, staff: string, from: HandoffStatus[], to: HandoffStatus, action: AuditEntry['action']): Promise<boolean> {
    const clearClaim = to === 'open' ? ', claimed_by = NULL, claimed_at = NULL' : '';
    const { rows } = await this.db.query(
      `WITH t AS (
         UPDATE handoff_request SET status = $3, updated_at = now()${clearClaim}
          WHERE id = $1 AND status = ANY($4::text[]) RETURNING id),
       a AS (INSERT INTO handoff_audit (request_id, actor, action, at) SELECT id, $2, $5, now() FROM t)
       SELECT id FROM t`,
      [id, staff, to, from, action],
    );
    return rows.length === 1;
  }

  async resolve(id: string, staff: string): Promise<boolean> {
    return this.transition(id, staff, ['open', 'claimed'], 'resolved', 'resolved');
  }

  async reopen(id: string, staff: string): Promise<boolean> {
    return this.transition(id, staff, ['claimed', 'resolved', 'expired'], 'open', 'reopened');
  }

  async escalate(channel: string, conversationId: string, detail: string): Promise<HandoffRequest[]> {
    // The change and its audit entries in one statement, so they commit together.
    const { rows } = await this.db.query<Row>(
      `WITH e AS (
         UPDATE handoff_request SET priority = 0, updated_at = now()
          WHERE channel = $1 AND conversation_id = $2 AND status IN ('open', 'claimed') AND priority <> 0
          RETURNING id, ${COLUMNS}),
       a AS (INSERT INTO handoff_audit (request_id, actor, action, detail, at) SELECT id, 'bot', 'escalated', $3, now() FROM e)
       SELECT ${COLUMNS} FROM e`,
      [channel, conversationId, detail.slice(0, 200)],
    );
    return rows.map((r) => this.toRequest(r));
  }

  async withdraw(channel: string, conversationId: string, reference?: string): Promise<HandoffRequest[]> {
    const { rows } = await this.db.query<Row>(
      `WITH w AS (
         UPDATE handoff_request SET status = 'withdrawn', updated_at = now()
          WHERE channel = $1 AND conversation_id = $2 AND status = 'open' AND ($3::text IS NULL OR reference = $3)
          RETURNING id, created_at, ${COLUMNS}),
       a AS (INSERT INTO handoff_audit (request_id, actor, action, at) SELECT id, 'visitor', 'withdrawn', now() FROM w)
       SELECT ${COLUMNS} FROM w ORDER BY created_at, id`,
      [channel, conversationId, reference ?? null],
    );
    return rows.map((r) => this.toRequest(r));
  }

  async audit(id: string): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<{ request_id: string; actor: string; action: AuditEntry['action']; detail: string | null; at: Date }>(
      'SELECT request_id, actor, action, detail, at FROM handoff_audit WHERE request_id = $1 ORDER BY id',
      [id],
    );
    return rows.map((r) => ({ requestId: r.request_id, actor: r.actor, action: r.action, detail: r.detail ?? undefined, at: r.at.toISOString() }));
  }

  async purgeClosedBefore(cutoff: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH d AS (DELETE FROM handoff_request WHERE status IN ('resolved', 'expired', 'withdrawn') AND updated_at < $1 RETURNING id),
       a AS (DELETE FROM handoff_audit WHERE request_id IN (SELECT id FROM d))
       SELECT count(*)::int AS n FROM d`,
      [cutoff],
    );
    return rows[0]?.n ?? 0;
  }

  async deleteConversation(channel: string, conversationId: string): Promise<DeletedRequest[]> {
    // One statement: the parts share one snapshot, so the audit DELETE cannot see (and remove) the
    // 'deleted' entries the INSERT adds; what remains is only that a deletion happened.
    const { rows } = await this.db.query<DeletedRequest>(
      `WITH d AS (DELETE FROM handoff_request WHERE channel = $1 AND conversation_id = $2 RETURNING id, reference),
       a AS (DELETE FROM handoff_audit WHERE request_id IN (SELECT id FROM d)),
       -- Alerts not yet sent carry a first name and level: they go too.
       o AS (DELETE FROM alert_outbox WHERE request_id IN (SELECT id FROM d)),
       i AS (INSERT INTO handoff_audit (request_id, actor, action, detail, at) SELECT id, 'visitor', 'deleted', 'forget me', clock_timestamp() FROM d)
       SELECT id, reference FROM d`,
      [channel, conversationId],
    );
    return rows;
  }
}
