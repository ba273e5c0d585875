import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../storage/database';
import { newReference } from './reference';
import { storedLanguage, type AuditEntry, type ClaimResult, type DeletedRequest, type HandoffRequest, type HandoffStore, type NewHandoffRequest } from './handoffRequest';

interface Row {
  body: string;
  priority: number;
  status: HandoffRequest['status'];
  claimed_by: string | null;
  claimed_at: number | null;
  updated_at: number;
  language: string | null;
}

const COLUMNS = 'body, priority, status, claimed_by, claimed_at, updated_at, language';

/**
 * The staff queue in SQLite. Mutable columns (status, claim) live in their own
 * columns so a claim is one conditional UPDATE: of two simultaneous claims,
 * exactly one changes a row. Every change is audited (who, what, when).
 */
export class SqliteHandoffStore implements HandoffStore {
  constructor(private readonly db: SqliteDatabase) {}

  private toRequest(row: Row): HandoffRequest {
    const r = JSON.parse(row.body) as HandoffRequest;
    // The column is the truth: a request can be escalated after it was created.
    r.priority = row.priority === 0 ? 'crisis' : 'normal';
    r.status = row.status;
    r.claimedBy = row.claimed_by ?? undefined;
    r.claimedAt = row.claimed_at ? new Date(row.claimed_at).toISOString() : undefined;
    r.updatedAt = new Date(row.updated_at).toISOString();
    r.language = storedLanguage(row.language);
    return r;
  }

  private log(requestId: string, actor: string, action: AuditEntry['action'], detail?: string, at = Date.now()): void {
    this.db.prepare('INSERT INTO handoff_audit (request_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)').run(requestId, actor, action, detail ?? null, at);
  }

  async create(input: NewHandoffRequest, actor = 'bot'): Promise<HandoffRequest> {
    const now = Date.now();
    const request: HandoffRequest = {
      ...input,
      language: input.language ?? 'en',
      id: randomUUID(),
      reference: newReference(),
      status: 'open',
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO handoff_request (id, reference, channel, conversation_id, priority, status, created_at, updated_at, body, language)
           VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
        )
        .run(request.id, request.reference, request.channel, request.conversationId, request.priority === 'crisis' ? 0 : 1, now, now, JSON.stringify(request), request.language);
      this.log(request.id, actor, 'created', request.reason, now);
    })();
    return request;
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    return this.getSync(id);
  }

  private getSync(id: string): HandoffRequest | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM handoff_request WHERE id = ?`).get(id);
    return row ? this.toRequest(row) : undefined;
  }

  async listActive(): Promise<HandoffRequest[]> {
    return this.db
      .prepare<[], Row>(
        `SELECT ${COLUMNS} FROM handoff_request
          WHERE status IN ('open', 'claimed') ORDER BY priority ASC, created_at ASC`,
      )
      .all()
      .map((r) => this.toRequest(r));
  }

  async claim(id: string, staff: string): Promise<ClaimResult> {
    const now = Date.now();
    const won = this.db.transaction(() => {
      const changed = this.db
        .prepare("UPDATE handoff_request SET status = 'claimed', claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'")
        .run(staff, now, now, id).changes;
      if (changed === 1) this.log(id, staff, 'claimed', undefined, now);
      return changed === 1;
    })();
    const current = this.getSync(id);
    if (won && current) return { ok: true, request: current };
    return { ok: false, claimedBy: current?.claimedBy, status: current?.status };
  }

  async addNote(id: string, staff: string, note: string): Promise<void> {
    this.log(id, staff, 'note', note.slice(0, 2000));
  }

  async attachExcerpt(id: string, excerpt: string[]): Promise<boolean> {
    const changed = this.db
      .prepare("UPDATE handoff_request SET body = json_set(body, '$.transcriptExcerpt', json(?)) WHERE id = ? AND status IN ('open', 'claimed')")
      .run(JSON.stringify(excerpt), id).changes;
    return changed === 1;
  }

  private transition(id: string, staff: string, from: string[], to: HandoffRequest['status'], action: AuditEntry['action']): boolean {
    const now = Date.now();
    return this.db.transaction(() => {
      const placeholders = from.map(() => '?').join(', ');
      const clearClaim = to === 'open' ? ', claimed_by = NULL, claimed_at = NULL' : '';
      const changed = this.db
        .prepare(`UPDATE handoff_request SET status = ?, updated_at = ?${clearClaim} WHERE id = ? AND status IN (${placeholders})`)
        .run(to, now, id, ...from).changes;
      if (changed === 1) this.log(id, staff, action, undefined, now);
      return changed === 1;
    })();
  }

  async resolve(id: string, staff: string): Promise<boolean> {
    return this.transition(id, staff, ['open', 'claimed'], 'resolved', 'resolved');
  }

  async reopen(id: string, staff: string): Promise<boolean> {
    return this.transition(id, staff, ['claimed', 'resolved', 'expired'], 'open', 'reopened');
  }

  async escalate(channel: string, conversationId: string, detail: string): Promise<HandoffRequest[]> {
    const now = Date.now();
    const ids = this.db.transaction(() => {
      const changed = this.db
        .prepare<[number, string, string], { id: string }>(
          "UPDATE handoff_request SET priority = 0, updated_at = ? WHERE channel = ? AND conversation_id = ? AND status IN ('open', 'claimed') AND priority <> 0 RETURNING id",
        )
        .all(now, channel, conversationId)
        .map((r) => r.id);
      for (const id of changed) this.log(id, 'bot', 'escalated', detail.slice(0, 200), now);
      return changed;
    })();
    return ids.flatMap((id) => this.getSync(id) ?? []);
  }

  async withdraw(channel: string, conversationId: string, reference?: string): Promise<HandoffRequest[]> {
    const now = Date.now();
    const ids = this.db.transaction(() => {
      const changed = this.db
        .prepare<[number, string, string, string | null, string | null], { id: string }>(
          `UPDATE handoff_request SET status = 'withdrawn', updated_at = ?
            WHERE channel = ? AND conversation_id = ? AND status = 'open' AND (? IS NULL OR reference = ?) RETURNING id`,
        )
        .all(now, channel, conversationId, reference ?? null, reference ?? null)
        .map((r) => r.id);
      for (const id of changed) this.log(id, 'visitor', 'withdrawn', undefined, now);
      return changed;
    })();
    return ids.flatMap((id) => this.getSync(id) ?? []);
  }

  async audit(id: string): Promise<AuditEntry[]> {
    return this.db
      .prepare<[string], { request_id: string; actor: string; action: AuditEntry['action']; detail: string | null; at: number }>(
        'SELECT request_id, actor, action, detail, at FROM handoff_audit WHERE request_id = ? ORDER BY id',
      )
      .all(id)
      .map((r) => ({ requestId: r.request_id, actor: r.actor, action: r.action, detail: r.detail ?? undefined, at: new Date(r.at).toISOString() }));
  }

  async purgeClosedBefore(cutoff: Date): Promise<number> {
    return this.db.transaction(() => {
      const ids = this.db
        .prepare<[number], { id: string }>("SELECT id FROM handoff_request WHERE status IN ('resolved', 'expired', 'withdrawn') AND updated_at < ?")
        .all(cutoff.getTime())
        .map((r) => r.id);
      for (const id of ids) {
        this.db.prepare('DELETE FROM handoff_request WHERE id = ?').run(id);
        this.db.prepare('DELETE FROM handoff_audit WHERE request_id = ?').run(id);
      }
      return ids.length;
    })();
  }

  async deleteConversation(channel: string, conversationId: string): Promise<DeletedRequest[]> {
    return this.db.transaction(() => {
      const deleted = this.db
        .prepare<[string, string], DeletedRequest>('SELECT id, reference FROM handoff_request WHERE channel = ? AND conversation_id = ?')
        .all(channel, conversationId);
      for (const { id } of deleted) {
        this.db.prepare('DELETE FROM handoff_request WHERE id = ?').run(id);
        // Keep that a deletion happened (audit), without any of the visitor's details.
        this.db.prepare('DELETE FROM handoff_audit WHERE request_id = ?').run(id);
        // Alerts not yet sent carry a first name and level: they go too.
        this.db.prepare('DELETE FROM alert_outbox WHERE request_id = ?').run(id);
        this.log(id, 'visitor', 'deleted', 'forget me');
      }
      return deleted;
    })();
  }
}
