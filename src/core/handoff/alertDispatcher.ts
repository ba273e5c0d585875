import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger';
import type { AlertOutbox, AlertTarget, OutboxItem } from './alertOutbox';
import type { HandoffEvent, HandoffNotifier } from './handoffService';

export type DeliveryResult = { ok: true } | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

/** One way of reaching staff (the webhook, a Teams channel). */
export interface AlertChannel {
  readonly target: AlertTarget;
  /** Whether this event is worth an alert here. */
  wants(event: HandoffEvent): boolean;
  /** What is stored in the outbox and later delivered (JSON): the minimum necessary, decided now. */
  payload(event: HandoffEvent, eventId: string): string;
  /** One attempt. Throwing counts as a retryable failure. `signal` aborts at shutdown. */
  deliver(item: OutboxItem, signal: AbortSignal): Promise<DeliveryResult>;
}

export interface DispatcherOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** Backoff before the second attempt; doubled each time, with jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries in flight at once (different requests; one request's events go in order). */
  concurrency?: number;
  /** How long a leased item stays hidden; longer than any one attempt can take. */
  leaseMs?: number;
  /** 0 ≤ x < 1; replaceable in tests. */
  random?: () => number;
}

type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

/** How long an alert waits when an earlier one of its request is still being delivered. */
const HOLD_MS = 200;

/**
 * Delivers staff alerts in the background: notify() stores the alert in the
 * outbox and returns at once; delivery, retries (exponential backoff with
 * jitter) and giving up happen here, off the visitor's turn. Whatever is still
 * pending at shutdown or after a crash is sent after the next start.
 */
export class AlertDispatcher implements HandoffNotifier {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Requests with an alert being delivered: their next one waits ("forget me" removes the earlier rows that held it back). */
  private readonly busy = new Map<string, number>();
  private readonly abort = new AbortController();
  /** Enqueues in event order, whatever the store's latency. */
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private dirty = false;
  private closed = false;

  constructor(
    private readonly channel: AlertChannel,
    private readonly outbox: AlertOutbox,
    private readonly logger: Log,
    options: DispatcherOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.baseDelayMs = options.baseDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.leaseMs = options.leaseMs ?? 2 * 60_000;
    this.random = options.random ?? Math.random;
  }

  get target(): AlertTarget {
    return this.channel.target;
  }

  /** Send what an earlier run left pending. */
  start(): void {
    this.kick();
  }

  notify(event: HandoffEvent): void {
    if (this.closed) return;
    try {
      if (!this.channel.wants(event)) return;
      const eventId = randomUUID();
      const item = {
        eventId,
        target: this.channel.target,
        requestId: event.request.id,
        reference: event.request.reference,
        event: event.type,
        payload: this.channel.payload(event, eventId),
      };
      this.queue = this.queue
        .then(() => this.outbox.enqueue(item))
        .then(() => this.kick())
        .catch((err: Error) => this.logger.error({ event: 'alert-enqueue-failed', target: this.target, reference: item.reference, err: err.message }, 'could not queue a staff alert'));
    } catch (err) {
      this.logger.error({ event: 'alert-enqueue-failed', target: this.target, err: (err as Error).message }, 'could not queue a staff alert');
    }
  }

  /** Look for due alerts now (after an enqueue, an attempt, or the timer). */
  private kick(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.dirty = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch((err: Error) => {
        this.logger.error({ event: 'alert-dispatch-failed', target: this.target, err: err.message }, 'staff alert dispatch failed');
        this.arm(Date.now() + this.baseDelayMs);
      })
      .finally(() => {
        this.pumping = false;
        if (this.dirty) {
          this.dirty = false;
          this.kick();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      this.dirty = false;
      const room = this.concurrency - this.inFlight.size;
      if (this.closed || room <= 0) return; // a finishing attempt kicks again
      const now = Date.now();
      const items = (await this.outbox.lease(this.target, now, room, now + this.leaseMs)).filter((i) => !this.inFlight.has(i.seq));
      for (const item of items) {
        // A request's alerts never overlap: a 'deleted' must not overtake the 'created' still on its way.
        if (this.busy.has(item.requestId)) await this.outbox.release(item.seq, now + HOLD_MS);
        else this.start1(item);
      }
      if (items.length < room && !this.dirty) break;
    }
    const next = await this.outbox.nextDueAt(this.target);
    if (next !== undefined) this.arm(next);
  }

  private arm(at: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private start1(item: OutboxItem): void {
    this.busy.set(item.requestId, (this.busy.get(item.requestId) ?? 0) + 1);
    const run = this.attempt(item)
      .catch((err: Error) => this.logger.error({ event: 'alert-dispatch-failed', target: this.target, err: err.message }, 'staff alert bookkeeping failed'))
      .finally(() => {
        this.inFlight.delete(item.seq);
        const left = (this.busy.get(item.requestId) ?? 1) - 1;
        if (left > 0) this.busy.set(item.requestId, left);
        else this.busy.delete(item.requestId);
        this.kick();
      });
    this.inFlight.set(item.seq, run);
  }

  private async attempt(item: OutboxItem): Promise<void> {
    const attempts = item.attempts + 1;
    let result: DeliveryResult;
    try {
      result = await this.channel.deliver(item, this.abort.signal);
    } catch (err) {
      result = { ok: false, retry: true, error: describeError(err) };
    }
    const where = { target: this.target, reference: item.reference, request: item.requestId, alert: item.event, attempts };
    if (this.closed && !result.ok) {
      // Shutting down mid-delivery: not the target's fault; it goes again after the restart.
      await this.outbox.release(item.seq, Date.now());
      return;
    }
    if (result.ok) {
      await this.outbox.delivered(item.seq, attempts, Date.now());
      this.logger.debug({ event: 'alert-delivered', ...where }, 'staff alert delivered');
    } else if (result.retry && attempts < this.maxAttempts) {
      const delay = this.backoff(attempts, result.retryAfterMs);
      await this.outbox.retryAt(item.seq, attempts, Date.now() + delay, result.error);
      this.logger.info({ event: 'alert-retry', ...where, error: result.error, delayMs: delay }, 'staff alert will be retried');
    } else {
      await this.outbox.failed(item.seq, attempts, result.error, Date.now());
      this.logger.warn({ event: 'alert-failed', ...where, error: result.error }, 'staff alert not delivered');
    }
  }

  /** Exponential backoff with "equal jitter" (half fixed, half random); a server's Retry-After is honoured up to the cap. */
  backoff(attempts: number, retryAfterMs?: number): number {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
    const jittered = exp / 2 + this.random() * (exp / 2);
    return Math.round(Math.min(this.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
  }

  /** Stop timers, abort deliveries in flight (they stay pending) and wait for the bookkeeping. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.queue;
    await Promise.allSettled([...this.inFlight.values()]);
  }
}

/** A failure in words fit for a log: error names and codes, never a body or a URL (which may carry a token). */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  if (e?.name === 'AbortError') return 'aborted';
  const code = e?.cause?.code ?? e?.code;
  if (code) return `network error (${code})`;
  return e?.name && e.name !== 'Error' && e.name !== 'TypeError' ? e.name : 'network error';
}
