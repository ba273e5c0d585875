import type { SqliteDatabase } from '../storage/database';
import type { AlertDelivery, AlertOutbox, AlertTarget, DeliveryStatus, NewOutboxItem, OutboxItem } from './alertOutbox';

interface Row {
  seq: number;
  event_id: string;
  target: AlertTarget;
  request_id: string;
  reference: string;
  event: AlertDelivery['event'];
  payload: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** Due, and no earlier pending item of the same request and target (events of one request go in order). */
const DUE = `o.target = ? AND o.status = 'pending' AND NOT EXISTS (
  SELECT 1 FROM alert_outbox p WHERE p.request_id = o.request_id AND p.target = o.target AND p.status = 'pending' AND p.seq < o.seq)`;

function toDelivery(r: Row): AlertDelivery {
  return {
    eventId: r.event_id,
    target: r.target,
    requestId: r.request_id,
    reference: r.reference,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error ?? undefined,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The alert outbox in the embedded SQLite database (one process: the lease is a plain UPDATE in a transaction). */
export class SqliteAlertOutbox implements AlertOutbox {
  constructor(private readonly db: SqliteDatabase) {}

  async enqueue(item: NewOutboxItem): Promise<void> {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT OR IGNORE INTO alert_outbox (event_id, target, request_id, reference, event, payload, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      )
      .run(item.eventId, item.target, item.requestId, item.reference, item.event, item.payload, now, now, now);
  }

  async lease(target: AlertTarget, now: number, limit: number, leaseUntil: number): Promise<OutboxItem[]> {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare<[string, number, number], Row>(`SELECT * FROM alert_outbox o WHERE ${DUE} AND o.next_attempt_at <= ? ORDER BY o.seq LIMIT ?`)
        .all(target, now, limit);
      const hide = this.db.prepare('UPDATE alert_outbox SET next_attempt_at = ? WHERE seq = ?');
      for (const r of rows) hide.run(leaseUntil, r.seq);
      return rows.map((r) => ({
        seq: r.seq,
        eventId: r.event_id,
        target: r.target,
        requestId: r.request_id,
        reference: r.reference,
        event: r.event,
        payload: r.payload ?? '{}',
        attempts: r.attempts,
      }));
    })();
  }

  async nextDueAt(target: AlertTarget): Promise<number | undefined> {
    const row = this.db.prepare<[string], { at: number | null }>(`SELECT MIN(o.next_attempt_at) AS at FROM alert_outbox o WHERE ${DUE}`).get(target);
    return row?.at ?? undefined;
  }

  async delivered(seq: number, attempts: number, now: number): Promise<void> {
    // The payload held a first name and a level of care: once delivered, the log keeps only ids and outcomes.
    this.db.prepare("UPDATE alert_outbox SET status = 'delivered', attempts = ?, payload = NULL, last_error = NULL, updated_at = ? WHERE seq = ?").run(attempts, now, seq);
  }

  async retryAt(seq: number, attempts: number, at: number, error: string): Promise<void> {
    this.db.prepare('UPDATE alert_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE seq = ?').run(attempts, at, error.slice(0, 300), Date.now(), seq);
  }

  async failed(seq: number, attempts: number, error: string, now: number): Promise<void> {
    this.db
      .prepare("UPDATE alert_outbox SET status = 'failed', attempts = ?, payload = NULL, last_error = ?, updated_at = ? WHERE seq = ?")
      .run(attempts, error.slice(0, 300), now, seq);
  }

  async release(seq: number, now: number): Promise<void> {
    this.db.prepare("UPDATE alert_outbox SET next_attempt_at = ? WHERE seq = ? AND status = 'pending'").run(now, seq);
  }

  async recentFailures(limit = 50): Promise<AlertDelivery[]> {
    return this.db
      .prepare<[number], Row>("SELECT * FROM alert_outbox WHERE status = 'failed' ORDER BY updated_at DESC, seq DESC LIMIT ?")
      .all(Math.max(1, Math.min(limit, 500)))
      .map(toDelivery);
  }

  async deliveriesFor(requestId: string): Promise<AlertDelivery[]> {
    return this.db.prepare<[string], Row>('SELECT * FROM alert_outbox WHERE request_id = ? ORDER BY seq').all(requestId).map(toDelivery);
  }

  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    return this.db.prepare("DELETE FROM alert_outbox WHERE status IN ('delivered', 'failed') AND updated_at < ?").run(cutoff.getTime()).changes;
  }
}
