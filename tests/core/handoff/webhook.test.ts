import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import nock from 'nock';
import pino from 'pino';
import { AlertDispatcher } from '../../../src/core/handoff/alertDispatcher';
import { HandoffService } from '../../../src/core/handoff/handoffService';
import { SqliteAlertOutbox } from '../../../src/core/handoff/sqliteAlertOutbox';
import { SqliteHandoffStore } from '../../../src/core/handoff/sqliteHandoffStore';
import type { AlertSummary } from '../../../src/core/handoff/alertSummary';
import { signWebhook, verifyWebhook, WebhookChannel, type WebhookBody } from '../../../src/core/handoff/webhook';
import { openDatabase, type SqliteDatabase } from '../../../src/core/storage/database';
import { fullRequest, LINKY_TEXTS, ORDINARY_TEXTS, PRIVATE_BITS, settled, waitFor } from './helpers';

const SECRET = 'test-secret-0123456789';
const HOOK = 'https://hooks.example.org';
const quiet = pino({ level: 'silent' });
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

interface Rig {
  db: SqliteDatabase;
  handoffs: HandoffService;
  outbox: SqliteAlertOutbox;
  dispatcher: AlertDispatcher;
}

function rig(options: { url?: string; maxAttempts?: number; timeoutMs?: number; file?: string; baseDelayMs?: number } = {}): Rig {
  const db = openDatabase(options.file ?? ':memory:');
  const handoffs = new HandoffService(new SqliteHandoffStore(db));
  const outbox = new SqliteAlertOutbox(db);
  const channel = new WebhookChannel({ url: options.url ?? `${HOOK}/gbac`, secret: SECRET, publicBaseUrl: 'https://bot.example.org', timeoutMs: options.timeoutMs });
  const dispatcher = new AlertDispatcher(channel, outbox, quiet, { ...FAST, baseDelayMs: options.baseDelayMs ?? FAST.baseDelayMs, maxAttempts: options.maxAttempts ?? 4 });
  handoffs.addNotifier(dispatcher);
  dispatcher.start();
  return { db, handoffs, outbox, dispatcher };
}

describe('staff webhook', () => {
  let rigs: Rig[] = [];
  // A receiver that holds its answer until the test ends (nock's own delay() leaves a timer behind).
  const holds: Array<() => void> = [];
  const held = () => new Promise<void>((r) => holds.push(r));
  const make = (o: Parameters<typeof rig>[0] = {}) => {
    const r = rig(o);
    rigs.push(r);
    return r;
  };

  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });
  afterEach(async () => {
    for (const r of rigs) {
      await r.dispatcher.close();
      r.db.close();
    }
    rigs = [];
    for (const release of holds.splice(0)) release();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** The receiver answers the next two POSTs with 204; their bodies, as they arrive. */
  const receiveTwo = () => {
    const bodies: WebhookBody[] = [];
    nock(HOOK)
      .post('/gbac')
      .times(2)
      .reply(204, (_uri, b) => {
        bodies.push(b as WebhookBody);
        return '';
      });
    return bodies;
  };

  it('when a request is created, then the receiver gets a JSON POST whose signature verifies with the secret over timestamp and raw body', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; raw: string }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { handoffs, outbox } = make({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
      const request = await handoffs.create(fullRequest());
      const [delivery] = await settled(outbox, request.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, target: 'webhook', event: 'created', reference: request.reference });

      const { headers, raw } = received[0]!;
      expect(headers['content-type']).toBe('application/json');
      const signature = String(headers['x-gbac-signature']);
      const timestamp = String(headers['x-gbac-timestamp']);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      // The documented scheme, recomputed by hand: HMAC-SHA256(secret, `${timestamp}.${rawBody}`).
      const { createHmac } = await import('node:crypto');
      expect(signature).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex')}`);
      expect(verifyWebhook(SECRET, { signature, timestamp }, raw)).toBe(true);
      expect(verifyWebhook('another-secret-0123456', { signature, timestamp }, raw)).toBe(false);
      expect(verifyWebhook(SECRET, { signature, timestamp }, raw.replace('"crisis"', '"normal"'))).toBe(false);

      const body = JSON.parse(raw) as WebhookBody;
      expect(headers['x-gbac-event-id']).toBe(body.id);
      expect(headers['idempotency-key']).toBe(body.id);
      expect(body).toMatchObject({
        type: 'handoff.created',
        actor: 'bot',
        request: {
          id: request.id,
          reference: request.reference,
          priority: 'crisis',
          reason: 'screening-completed',
          firstName: 'Sam',
          suggestedLevel: 'iop',
          bestTime: 'evenings after 6',
          status: 'open',
          url: `https://bot.example.org/staff#/requests/${request.id}`,
        },
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('when a request is created, then the payload carries no phone number, screening answers or transcript', async () => {
    let body = '';
    nock(HOOK).post('/gbac').reply(200, (_uri, b) => {
      body = JSON.stringify(b);
      return 'ok';
    });
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest());
    await settled(outbox, request.id);
    expect(body).toContain(request.reference);
    for (const bit of PRIVATE_BITS) expect(body).not.toContain(bit);
    expect(JSON.parse(body).request).not.toHaveProperty('phone');
  });

  it('when the visitor typed links in their best time or name, then the payload carries none of them, and still the console link', async () => {
    const bodies: WebhookBody[] = [];
    nock(HOOK)
      .post('/gbac')
      .times(LINKY_TEXTS.length)
      .reply(200, (_uri, b) => {
        bodies.push(b as WebhookBody);
        return 'ok';
      });
    const { handoffs, outbox } = make();
    for (const [i, { text }] of LINKY_TEXTS.entries()) {
      const request = await handoffs.create(fullRequest({ name: text, bestTime: text, conversationId: `link-${i}` }));
      await settled(outbox, request.id);
    }
    expect(bodies).toHaveLength(LINKY_TEXTS.length);
    for (const [i, { mustNotShow }] of LINKY_TEXTS.entries()) {
      const { url, ...visitorPart } = bodies[i]!.request as AlertSummary;
      expect(visitorPart.bestTime).toContain('[link removed]');
      const shown = JSON.stringify(visitorPart).toLowerCase();
      for (const bit of mustNotShow) expect(shown).not.toContain(bit.toLowerCase());
      expect(url).toBe(`https://bot.example.org/staff#/requests/${visitorPart.id}`);
    }
  });

  it('when the visitor\'s best time is ordinary text with dots and abbreviations, then the payload carries it as typed', async () => {
    const bodies: WebhookBody[] = [];
    nock(HOOK)
      .post('/gbac')
      .times(ORDINARY_TEXTS.length)
      .reply(200, (_uri, b) => {
        bodies.push(b as WebhookBody);
        return 'ok';
      });
    const { handoffs, outbox } = make();
    for (const [i, text] of ORDINARY_TEXTS.entries()) {
      const request = await handoffs.create(fullRequest({ bestTime: text, conversationId: `plain-${i}` }));
      await settled(outbox, request.id);
    }
    expect(bodies.map((b) => (b.request as AlertSummary).bestTime)).toEqual(ORDINARY_TEXTS);
  });

  it('when a signature is old or malformed, then verification refuses it (replays)', () => {
    const body = '{"id":"x"}';
    const now = 1_800_000_000;
    const fresh = String(now - 10);
    const stale = String(now - 301);
    expect(verifyWebhook(SECRET, { signature: signWebhook(SECRET, fresh, body), timestamp: fresh }, body, now)).toBe(true);
    expect(verifyWebhook(SECRET, { signature: signWebhook(SECRET, stale, body), timestamp: stale }, body, now)).toBe(false);
    expect(verifyWebhook(SECRET, { signature: 'sha256=00', timestamp: fresh }, body, now)).toBe(false);
    expect(verifyWebhook(SECRET, { signature: signWebhook(SECRET, fresh, body) }, body, now)).toBe(false);
  });

  it('when the receiver answers 500 twice, then the alert is retried with the same event id and the third attempt delivers it', async () => {
    const ids: string[] = [];
    const stamps: string[] = [];
    const scope = nock(HOOK)
      .post('/gbac')
      .times(3)
      .reply(function () {
        ids.push(String(this.req.headers['x-gbac-event-id']));
        stamps.push(String(this.req.headers['x-gbac-timestamp']));
        return ids.length < 3 ? [500, 'oops'] : [200, 'ok'];
      });
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest());
    const [delivery] = await settled(outbox, request.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(new Set(ids).size).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('when the backoff is computed, then it doubles per attempt with jitter, is capped, and honours Retry-After up to the cap', () => {
    const outbox = {} as never;
    const low = new AlertDispatcher(new WebhookChannel({ url: HOOK, secret: SECRET }), outbox, quiet, { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0 });
    const high = new AlertDispatcher(new WebhookChannel({ url: HOOK, secret: SECRET }), outbox, quiet, { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.999999 });
    expect([1, 2, 3, 4].map((n) => low.backoff(n))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => high.backoff(n))).toEqual([1000, 2000, 4000, 8000]);
    expect(high.backoff(20)).toBe(60_000);
    expect(low.backoff(1, 30_000)).toBe(30_000);
    expect(low.backoff(1, 10 * 60_000)).toBe(60_000);
  });

  it('when the receiver answers 400, then the alert is not retried and the failure is recorded', async () => {
    const scope = nock(HOOK).post('/gbac').once().reply(400, 'bad');
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest());
    const [delivery] = await settled(outbox, request.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400' });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('when the receiver keeps failing, then the failure is recorded after the last attempt and the request is still in the queue', async () => {
    const scope = nock(HOOK).post('/gbac').times(3).reply(503, 'down');
    const { handoffs, outbox } = make({ maxAttempts: 3 });
    const request = await handoffs.create(fullRequest());
    const [delivery] = await settled(outbox, request.id);
    expect(scope.isDone()).toBe(true);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 503' });
    const failures = await outbox.recentFailures();
    expect(failures.map((f) => f.requestId)).toEqual([request.id]);
    expect(JSON.stringify(failures)).not.toContain('Sam');
    expect(await handoffs.store.get(request.id)).toMatchObject({ id: request.id, status: 'open' });
    expect((await handoffs.store.listActive()).map((r) => r.id)).toContain(request.id);
  });

  it('when the receiver is unreachable or too slow, then the alert is retried (network error, timeout) and then delivered', async () => {
    nock(HOOK).post('/gbac').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    nock(HOOK)
      .post('/gbac')
      .reply(async () => {
        await held();
        return [200, 'too late'];
      });
    nock(HOOK).post('/gbac').reply(200, 'ok');
    const { handoffs, outbox } = make({ timeoutMs: 50 });
    const request = await handoffs.create(fullRequest());
    const [delivery] = await settled(outbox, request.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('when the receiver is still answering, then creating the request has already returned (the turn never waits for the webhook)', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    nock(HOOK)
      .post('/gbac')
      .reply(async () => {
        order.push('webhook received');
        arrived();
        await gate;
        order.push('webhook answered');
        return [200, 'ok'];
      });
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest());
    order.push('create returned');
    await reached;
    expect((await outbox.deliveriesFor(request.id))[0]?.status).toBe('pending');
    release();
    await settled(outbox, request.id);
    expect(order).toEqual(['create returned', 'webhook received', 'webhook answered']);
  });

  it('when a request is claimed and resolved while its creation alert is being retried, then the events arrive in order', async () => {
    const types: string[] = [];
    let first = true;
    nock(HOOK)
      .post('/gbac')
      .times(4)
      .reply((_uri, body) => {
        if (first) {
          first = false;
          return [503, 'busy'];
        }
        types.push((body as WebhookBody).type);
        return [200, 'ok'];
      });
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest());
    await handoffs.claim(request.id, 'maria');
    await handoffs.addNote(request.id, 'maria', 'called, left a voicemail');
    await handoffs.resolve(request.id, 'maria');
    const deliveries = await settled(outbox, request.id, 3);
    expect(types).toEqual(['handoff.created', 'handoff.claimed', 'handoff.resolved']);
    expect(deliveries.map((d) => d.event)).toEqual(['created', 'claimed', 'resolved']);
  });

  it('when the service stops with an alert still pending, then it is sent after the restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gbac-outbox-'));
    try {
      const file = path.join(dir, 'bot.sqlite');
      // First run: the receiver is down and the next try is far away.
      nock(HOOK).post('/gbac').reply(503, 'down');
      const first = rig({ file, baseDelayMs: 60_000 });
      const request = await first.handoffs.create(fullRequest());
      await waitFor(() => first.outbox.deliveriesFor(request.id), (d) => d[0]?.attempts === 1, 'first attempt');
      await first.dispatcher.close();
      first.db.close();

      // Second run: whatever is due goes out at start-up.
      let body: WebhookBody | undefined;
      nock(HOOK).post('/gbac').reply(200, (_uri, b) => {
        body = b as WebhookBody;
        return 'ok';
      });
      const second = make({ file });
      await second.db.prepare('UPDATE alert_outbox SET next_attempt_at = 0').run();
      second.dispatcher.start();
      const [delivery] = await settled(second.outbox, request.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(body?.request.reference).toBe(request.reference);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the service stops mid-delivery, then close() returns and the alert stays pending for the next start', async () => {
    nock(HOOK)
      .post('/gbac')
      .reply(async () => {
        await held();
        return [200, 'ok'];
      });
    const { handoffs, outbox, dispatcher } = make({ timeoutMs: 20_000 });
    const request = await handoffs.create(fullRequest());
    await waitFor(() => Promise.resolve(nock.pendingMocks().length), (n) => n === 0, 'the request to start');
    await dispatcher.close();
    expect((await outbox.deliveriesFor(request.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('when a delivered alert is looked up, then its payload (first name, level) is no longer stored', async () => {
    nock(HOOK).post('/gbac').reply(200, 'ok');
    const { handoffs, outbox, db } = make();
    const request = await handoffs.create(fullRequest());
    await settled(outbox, request.id);
    const row = db.prepare('SELECT payload FROM alert_outbox WHERE request_id = ?').get(request.id) as { payload: string | null };
    expect(row.payload).toBeNull();
  });

  it('when a visitor says "forget me", then handoff.deleted is sent with the request id, reference and status only', async () => {
    const bodies = receiveTwo();
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest({ conversationId: 'forget-hook' }));
    await settled(outbox, request.id);
    await handoffs.forgetConversation('webchat', 'forget-hook');
    expect(await settled(outbox, request.id)).toEqual([expect.objectContaining({ event: 'deleted', status: 'delivered' })]);
    expect(bodies.map((b) => [b.type, b.actor])).toEqual([
      ['handoff.created', 'bot'],
      ['handoff.deleted', 'visitor'],
    ]);
    expect(bodies[1]!.request).toEqual({ id: request.id, reference: request.reference, status: 'deleted' });
    for (const bit of [...PRIVATE_BITS, 'Sam', 'evenings']) expect(JSON.stringify(bodies[1])).not.toContain(bit);
  });

  it('when the visitor withdraws their request, then handoff.withdrawn is sent by the visitor with status "withdrawn" and their contact preferences in words', async () => {
    const bodies = receiveTwo();
    const { handoffs, outbox } = make();
    const request = await handoffs.create(fullRequest({ conversationId: 'withdraw-hook', contactPreferences: ['text-only', 'discreet'] }));
    await settled(outbox, request.id);
    await handoffs.cancelByVisitor('webchat', 'withdraw-hook');
    expect((await settled(outbox, request.id, 2)).map((d) => [d.event, d.status])).toEqual([
      ['created', 'delivered'],
      ['withdrawn', 'delivered'],
    ]);
    expect(bodies.map((b) => [b.type, b.actor, b.request.status])).toEqual([
      ['handoff.created', 'bot', 'open'],
      ['handoff.withdrawn', 'visitor', 'withdrawn'],
    ]);
    expect(bodies[1]!.request).toMatchObject({ id: request.id, reference: request.reference, contactPreferences: 'Text only; discreet: others may see the phone' });
    for (const bit of PRIVATE_BITS) expect(JSON.stringify(bodies[1])).not.toContain(bit);
  });

  it('when "forget me" comes while the created alert is still on its way, then handoff.deleted waits for it (never overtakes it)', async () => {
    const arrived: string[] = [];
    let releaseCreated!: () => void;
    nock(HOOK)
      .post('/gbac')
      .times(2)
      .reply(async (_uri, b) => {
        arrived.push((b as WebhookBody).type);
        if ((b as WebhookBody).type === 'handoff.created') await new Promise<void>((r) => (releaseCreated = r));
        return [204];
      });
    const { handoffs, outbox } = make();
    const heldBack: number[] = [];
    const release = outbox.release.bind(outbox);
    outbox.release = (seq, at) => (heldBack.push(seq), release(seq, at));

    const request = await handoffs.create(fullRequest({ conversationId: 'forget-race' }));
    await waitFor(async () => arrived.length, (n) => n === 1, 'the created alert at the receiver');
    await handoffs.forgetConversation('webchat', 'forget-race');
    await waitFor(async () => heldBack.length, (n) => n > 0, 'the deleted alert held back');
    expect(arrived).toEqual(['handoff.created']);
    releaseCreated();
    await waitFor(() => outbox.deliveriesFor(request.id), (d) => d.some((x) => x.event === 'deleted' && x.status === 'delivered'), 'the deleted alert');
    expect(arrived).toEqual(['handoff.created', 'handoff.deleted']);
  });
});

