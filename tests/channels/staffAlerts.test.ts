import type { CloudAdapter } from 'botbuilder';
import nock from 'nock';
import pino from 'pino';
import { createApp, type App } from '../../src/app';
import { createStaffAlerts } from '../../src/channels/staffAlerts';
import { loadConfig } from '../../src/config';
import { HandoffService } from '../../src/core/handoff/handoffService';
import { SqliteAlertOutbox } from '../../src/core/handoff/sqliteAlertOutbox';
import { SqliteHandoffStore } from '../../src/core/handoff/sqliteHandoffStore';
import { openDatabase } from '../../src/core/storage/database';
import { SqliteStorage } from '../../src/core/storage/sqliteStorage';
import { activity, post } from '../helpers/app';
import { fullRequest, settled, waitFor } from '../core/handoff/helpers';
import { CALLBACK_STEPS, REFERENCE, say, texts } from '../helpers/visitor';

const CONSENT_STEP = CALLBACK_STEPS.findIndex((s) => s.step === 'consent');

const HOOK = 'https://hooks.example.org';

describe('staff alerts wiring', () => {
  it('when no alert is configured, then a new request sends nothing, the delivery log stays empty and the bot gets no Teams hook', async () => {
    const db = openDatabase(':memory:');
    const handoffs = new HandoffService(new SqliteHandoffStore(db));
    const alerts = createStaffAlerts({
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      adapter: {} as CloudAdapter,
      handoffs,
      outbox: new SqliteAlertOutbox(db),
      storage: new SqliteStorage(db),
    });
    const request = await handoffs.create(fullRequest());
    expect(alerts.teams).toBeUndefined();
    expect(await alerts.log.deliveriesFor(request.id)).toEqual([]);
    expect(await alerts.log.recentFailures()).toEqual([]);
    await alerts.close();
    db.close();
  });
});

describe('staff webhook in the service', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    const config = loadConfig({
      SQLITE_PATH: ':memory:',
      LOG_LEVEL: 'silent',
      HANDOFF_WEBHOOK_URL: `${HOOK}/gbac`,
      HANDOFF_WEBHOOK_SECRET: 'a-long-enough-secret',
      HANDOFF_WEBHOOK_MAX_ATTEMPTS: '2',
    });
    app = createApp(config, { alertTuning: { baseDelayMs: 5, maxDelayMs: 20 } });
    url = await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    nock.enableNetConnect();
  });
  afterEach(() => nock.cleanAll());

  it('when the webhook is slow, then a visitor still gets the reply while the alert is pending', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    nock(HOOK)
      .post('/gbac')
      .reply(async () => {
        order.push('webhook received');
        await held;
        return [200, 'ok'];
      });
    const request = await app.handoffs.create(fullRequest());
    await waitFor(() => Promise.resolve(order.length), (n) => n === 1, 'the webhook call');

    const res = await post(url, activity({ text: 'how many days a week is iop', conversation: { id: 'while-webhook-pending' } }));
    order.push('visitor reply');
    expect(res.status).toBe(200);
    expect(res.activities.length).toBeGreaterThan(0);
    expect((await app.alerts.deliveriesFor(request.id))[0]?.status).toBe('pending');
    expect(order).toEqual(['webhook received', 'visitor reply']);

    release();
    expect((await settled(app.alerts, request.id))[0]?.status).toBe('delivered');
  });

  it('when the webhook is configured, then created, claimed and resolved each reach it, and a failure is listed for the console', async () => {
    const types: string[] = [];
    nock(HOOK)
      .post('/gbac')
      .times(3)
      .reply((_uri, body) => {
        types.push((body as { type: string }).type);
        return [204];
      });
    const request = await app.handoffs.create(fullRequest());
    await app.handoffs.claim(request.id, 'maria');
    await app.handoffs.resolve(request.id, 'maria');
    await settled(app.alerts, request.id, 3);
    expect(types).toEqual(['handoff.created', 'handoff.claimed', 'handoff.resolved']);

    nock(HOOK).post('/gbac').times(2).reply(502, 'bad gateway');
    const failing = await app.handoffs.create(fullRequest());
    await settled(app.alerts, failing.id);
    const [failure] = await app.alerts.recentFailures(10);
    expect(failure).toMatchObject({ requestId: failing.id, reference: failing.reference, target: 'webhook', status: 'failed', attempts: 2, lastError: 'HTTP 502' });
  });

  it('when a visitor waiting for a callback then sends a crisis message, then they get 988 guidance, their request goes to the top as crisis, and staff hear handoff.escalated', async () => {
    const bodies: Array<{ type: string; request: { reference: string; priority: string } }> = [];
    nock(HOOK)
      .post('/gbac')
      .times(3)
      .reply((_uri, body) => {
        bodies.push(body as (typeof bodies)[number]);
        return [204];
      });
    const conversation = 'waiting-then-crisis';
    let last = await say(url, conversation, 'talk to a person');
    for (const step of CALLBACK_STEPS.slice(0, CONSENT_STEP + 1)) last = await say(url, conversation, step.answer);
    const reference = REFERENCE.exec(texts(last))?.[0];
    expect(reference).toBeDefined();
    const earlier = await app.handoffs.create(fullRequest({ priority: 'normal', conversationId: 'someone-else', channel: 'webchat' }));

    const crisis = await say(url, conversation, 'honestly i dont think ill still be here when they call');
    expect(texts(crisis)).toMatch(/988/);
    // Crisis requests first (earlier tests left some), then the rest oldest first: it now ranks above the older normal one.
    const queue = await app.handoffs.store.listActive();
    const at = queue.findIndex((r) => r.reference === reference);
    expect(queue[at]).toMatchObject({ priority: 'crisis' });
    expect(at).toBeLessThan(queue.findIndex((r) => r.id === earlier.id));
    const escalated = queue[at]!;
    expect((await app.handoffs.store.audit(escalated.id)).map((a) => a.action)).toContain('escalated');
    await settled(app.alerts, escalated.id, 2);
    expect(bodies.filter((b) => b.request.reference === reference).map((b) => [b.type, b.request.priority])).toEqual([
      ['handoff.created', 'normal'],
      ['handoff.escalated', 'crisis'],
    ]);
  });

  it('when a visitor waiting for a callback says "forget me", then staff hear handoff.deleted, carrying nothing about them', async () => {
    const bodies: Array<{ type: string; actor: string; request: Record<string, unknown> }> = [];
    nock(HOOK)
      .post('/gbac')
      .times(2)
      .reply((_uri, body) => {
        bodies.push(body as (typeof bodies)[number]);
        return [204];
      });
    const conversation = 'callback-then-forget';
    let last = await say(url, conversation, 'talk to a person');
    for (const step of CALLBACK_STEPS.slice(0, CONSENT_STEP + 1)) last = await say(url, conversation, step.answer);
    const reference = REFERENCE.exec(texts(last))?.[0];
    const request = (await app.handoffs.store.listActive()).find((r) => r.reference === reference)!;
    await settled(app.alerts, request.id);

    expect(texts(await say(url, conversation, 'forget me'))).toMatch(/deleted/i);
    await settled(app.alerts, request.id);
    expect(bodies.map((b) => [b.type, b.actor])).toEqual([
      ['handoff.created', 'bot'],
      ['handoff.deleted', 'visitor'],
    ]);
    expect(bodies[1]!.request).toEqual({ id: request.id, reference, status: 'deleted' });
  });
});

