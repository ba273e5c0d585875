import type { HandoffEvent } from './handoffService';

/** Where a staff alert goes. */
export type AlertTarget = 'webhook' | 'teams';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One alert (one event, one target) as the staff console shows it. No health information. */
export interface AlertDelivery {
  /** The event id: the webhook's X-GBAC-Event-Id, the same on every retry. */
  eventId: string;
  target: AlertTarget;
  requestId: string;
  reference: string;
  event: HandoffEvent['type'];
  status: DeliveryStatus;
  attempts: number;
  /** Why the last attempt failed ("HTTP 503", "timeout after 10000 ms", …). */
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

/** Read side, for the staff console: what did not reach staff, and how each request's alerts went. */
export interface AlertLog {
  /** Alerts given up on after their last attempt, newest first. */
  recentFailures(limit?: number): Promise<AlertDelivery[]>;
  /** Every alert of one request, oldest first (pending, delivered or failed). */
  deliveriesFor(requestId: string): Promise<AlertDelivery[]>;
}

export interface NewOutboxItem {
  eventId: string;
  target: AlertTarget;
  requestId: string;
  reference: string;
  event: HandoffEvent['type'];
  /** What the target is sent (JSON). Dropped once the alert is delivered or given up on. */
  payload: string;
}

export interface OutboxItem extends NewOutboxItem {
  seq: number;
  attempts: number;
}

/**
 * Pending staff alerts, durable so a restart re-sends what was not delivered.
 * SQLite by default; a PostgreSQL outbox implements the same interface (lease
 * with UPDATE … WHERE seq IN (SELECT … FOR UPDATE SKIP LOCKED) so several instances share it).
 */
export interface AlertOutbox extends AlertLog {
  enqueue(item: NewOutboxItem): Promise<void>;
  /**
   * Take up to `limit` due items of a target, oldest first and at most one per
   * request (a request's later events wait for its earlier ones, so a card is
   * posted before it is updated). They stay pending, hidden until `leaseUntil`:
   * if the process dies mid-delivery, they come back.
   */
  lease(target: AlertTarget, now: number, limit: number, leaseUntil: number): Promise<OutboxItem[]>;
  /** When the next item of a target could be leased (undefined: nothing pending). */
  nextDueAt(target: AlertTarget): Promise<number | undefined>;
  delivered(seq: number, attempts: number, now: number): Promise<void>;
  retryAt(seq: number, attempts: number, at: number, error: string): Promise<void>;
  failed(seq: number, attempts: number, error: string, now: number): Promise<void>;
  /** Give a leased item back without counting an attempt (shutdown mid-delivery). */
  release(seq: number, now: number): Promise<void>;
  /** Retention: forget delivered and failed alerts last updated before the cut-off. */
  purgeFinishedBefore(cutoff: Date): Promise<number>;
}
