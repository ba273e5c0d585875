import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboxItem } from './alertOutbox';
import type { AlertChannel, DeliveryResult } from './alertDispatcher';
import { describeError } from './alertDispatcher';
import { alertSummary, deletedSummary, type AlertSummary, type DeletedSummary } from './alertSummary';
import type { HandoffEvent } from './handoffService';

/**
 * The generic staff webhook: a signed JSON POST per queue event.
 *
 * Signature scheme (what a receiver checks):
 *   X-GBAC-Timestamp: <unix seconds when this attempt was sent>
 *   X-GBAC-Signature: sha256=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 *   X-GBAC-Event-Id:  <uuid>, the same on every retry of one event (also sent as Idempotency-Key)
 * Recompute the HMAC over the raw body bytes as received, compare in constant
 * time, reject timestamps more than 5 minutes off (replays) and ignore an
 * event id already seen (retries after a lost response).
 */
export interface WebhookBody {
  /** The event id (X-GBAC-Event-Id). */
  id: string;
  type: `handoff.${WebhookEventType}`;
  occurredAt: string;
  /** "bot", "visitor", or the staff member who did it. */
  actor: string;
  /** For handoff.deleted only the id, reference and status "deleted": drop what you kept about it. */
  request: AlertSummary | DeletedSummary;
}

export type WebhookEventType = 'created' | 'claimed' | 'resolved' | 'reopened' | 'escalated' | 'withdrawn' | 'deleted';
const SENT: ReadonlySet<HandoffEvent['type']> = new Set<WebhookEventType>(['created', 'claimed', 'resolved', 'reopened', 'escalated', 'withdrawn', 'deleted']);

export const SIGNATURE_HEADER = 'X-GBAC-Signature';
export const TIMESTAMP_HEADER = 'X-GBAC-Timestamp';
export const EVENT_ID_HEADER = 'X-GBAC-Event-Id';
/** Receivers should refuse a timestamp further than this from their clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `sha256=<hex>` over `${timestamp}.${body}`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (also used by the tests): signature right, timestamp fresh. */
export function verifyWebhook(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookBody(event: HandoffEvent, eventId: string, publicBaseUrl?: string): WebhookBody {
  return {
    id: eventId,
    type: `handoff.${event.type as WebhookEventType}`,
    occurredAt: event.at,
    actor: event.actor,
    request: event.type === 'deleted' ? deletedSummary(event.request) : alertSummary(event.request, publicBaseUrl),
  };
}

export interface WebhookOptions {
  url: string;
  secret: string;
  publicBaseUrl?: string;
  /** Per attempt. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Retry after this long, from a Retry-After header (seconds or an HTTP date). */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

export class WebhookChannel implements AlertChannel {
  readonly target = 'webhook' as const;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WebhookOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  wants(event: HandoffEvent): boolean {
    // Notes are staff free text: they never leave the console.
    return SENT.has(event.type);
  }

  payload(event: HandoffEvent, eventId: string): string {
    return JSON.stringify(webhookBody(event, eventId, this.options.publicBaseUrl));
  }

  async deliver(item: OutboxItem, signal: AbortSignal): Promise<DeliveryResult> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    let res: Response;
    try {
      res = await this.fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'gbac-admissions-bot-webhook/1',
          'x-gbac-event': `handoff.${item.event}`,
          [EVENT_ID_HEADER.toLowerCase()]: item.eventId,
          'idempotency-key': item.eventId,
          [TIMESTAMP_HEADER.toLowerCase()]: timestamp,
          [SIGNATURE_HEADER.toLowerCase()]: signWebhook(this.options.secret, timestamp, item.payload),
        },
        body: item.payload,
        // A redirect would re-send the alert somewhere not configured: treat it as an error instead.
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      const error = describeError(err);
      return { ok: false, retry: true, error: error === 'timeout' ? `timeout after ${this.timeoutMs} ms` : error };
    }
    // The receiver's answer is not needed; release the connection.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const retry = res.status === 429 || res.status >= 500;
    return { ok: false, retry, error: `HTTP ${res.status}`, retryAfterMs: retry ? retryAfterMs(res.headers.get('retry-after')) : undefined };
  }
}
