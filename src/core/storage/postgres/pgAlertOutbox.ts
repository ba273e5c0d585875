import type { AlertDelivery, AlertOutbox, AlertTarget, DeliveryStatus, NewOutboxItem, OutboxItem } from '../../handoff/alertOutbox';
import type { PgDatabase } from './pgDatabase';

interface Row {
  seq: string;
  event_id: string;
  target: AlertTarget;
  request_id: string;
  reference: string;
  event: AlertDelivery['event'];
  payload: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Due, and no earlier pending item of the same request and target (events of one request go in order). */
const DUE = `o.target = $1 AND o.status = 'pending' AND NOT EXISTS (
  SELECT 1 FROM alert_outbox p WHERE p.request_id = o.request_id AND p.target = o.target AND p.status = 'pending' AND p.seq < o.seq)`;

// PostgreSQL text cannot hold NUL (an error message could quote one).
const clip = (error: string) => error.replaceAll('\u0000', '').slice(0, 300);

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
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The alert outbox in PostgreSQL, shared by every instance. A lease is one
 * statement: UPDATE … WHERE seq IN (SELECT … FOR UPDATE SKIP LOCKED), so two
 * instances leasing at once never take the same item (the second skips rows the
 * first holds, and re-checks next_attempt_at on rows it committed). A leased
 * item stays pending, so a request's later events keep waiting behind it.
 */
export class PgAlertOutbox implements AlertOutbox {
  constructor(private readonly db: PgDatabase) {}

  async enqueue(item: NewOutboxItem): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_outbox (event_id, target, request_id, reference, event, payload, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7)
       ON CONFLICT (event_id, target) DO NOTHING`,
      // This process's clock, not the server's: lease() and nextDueAt() are compared with Date.now().
      [item.eventId, item.target, item.requestId, item.reference, item.event, item.payload.replaceAll('\u0000', ''), new Date()],
    );
  }

  async lease(target: AlertTarget, now: number, limit: number, leaseUntil: number): Promise<OutboxItem[]> {
    const { rows } = await this.db.query<Row>(
      `UPDATE alert_outbox SET next_attempt_at = $4 WHERE seq IN (
         SELECT o.seq FROM alert_outbox o WHERE ${DUE} AND o.next_attempt_at <= $2
          ORDER BY o.seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [target, new Date(now), limit, new Date(leaseUntil)],
    );
    return rows
      .map((r) => ({
        seq: Number(r.seq),
        eventId: r.event_id,
        target: r.target,
        requestId: r.request_id,
        reference: r.reference,
        event: r.event,
        payload: r.payload ?? '{}',
        attempts: r.attempts,
      }))
      .sort((a, b) => a.seq - b.seq);
  }

  async nextDueAt(target: AlertTarget): Promise<number | undefined> {
    const { rows } = await this.db.query<{ at: number | null }>(`SELECT (extract(epoch FROM MIN(o.next_attempt_at)) * 1000)::float8 AS at FROM alert_outbox o WHERE ${DUE}`, [
      target,
    ]);
    const at = rows[0]?.at;
    return at === null || at === undefined ? undefined : Math.round(at);
  }

  async delivered(seq: number, attempts: number, now: number): Promise<void> {
    // The payload held a first name and a level of care: once delivered, the log keeps only ids and outcomes.
    await this.db.query("UPDATE alert_outbox SET status = 'delivered', attempts = $2, payload = NULL, last_error = NULL, updated_at = $3 WHERE seq = $1", [
      seq,
      attempts,
      new Date(now),
    ]);
  }

  async retryAt(seq: number, attempts: number, at: number, error: string): Promise<void> {
    await this.db.query('UPDATE alert_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4, updated_at = now() WHERE seq = $1', [
      seq,
      attempts,
      new Date(at),
      clip(error),
    ]);
  }

  async failed(seq: number, attempts: number, error: string, now: number): Promise<void> {
    await this.db.query("UPDATE alert_outbox SET status = 'failed', attempts = $2, payload = NULL, last_error = $3, updated_at = $4 WHERE seq = $1", [
      seq,
      attempts,
      clip(error),
      new Date(now),
    ]);
  }

  async release(seq: number, now: number): Promise<void> {
    await this.db.query("UPDATE alert_outbox SET next_attempt_at = $2 WHERE seq = $1 AND status = 'pending'", [seq, new Date(now)]);
  }

  async recentFailures(limit = 50): Promise<AlertDelivery[]> {
    const { rows } = await this.db.query<Row>("SELECT * FROM alert_outbox WHERE status = 'failed' ORDER BY updated_at DESC, seq DESC LIMIT $1", [
      Math.max(1, Math.min(limit, 500)),
    ]);
    return rows.map(toDelivery);
  }

  async deliveriesFor(requestId: string): Promise<AlertDelivery[]> {
    const { rows } = await this.db.query<Row>('SELECT * FROM alert_outbox WHERE request_id = $1 ORDER BY seq', [requestId]);
    return rows.map(toDelivery);
  }

  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    const { rowCount } = await this.db.query("DELETE FROM alert_outbox WHERE status IN ('delivered', 'failed') AND updated_at < $1", [cutoff]);
    return rowCount ?? 0;
  }
}
