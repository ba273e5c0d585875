import type { Activity } from 'botbuilder';
import nock from 'nock';
import { createApp, type App } from '../../src/app';
import { cardKey, CHANNEL_KEY } from '../../src/channels/teamsAlerts';
import { loadConfig } from '../../src/config';
import { post } from '../helpers/app';
import { fullRequest, LINKY_TEXTS, ORDINARY_TEXTS, PRIVATE_BITS, settled, waitFor } from '../core/handoff/helpers';

const SMBA = 'https://smba.trafficmanager.net';
const SERVICE_URL = `${SMBA}/amer/`;
const CHANNEL = '19:admissions-general@thread.tacv2';
const TEAM = { id: CHANNEL, name: 'Admissions', aadGroupId: 'group-admissions' };
const BOT = { id: '28:gbac-bot', name: 'GBAC' };

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

let seq = 0;
function teams(overrides: Record<string, unknown>): Record<string, unknown> {
  seq++;
  return {
    id: `teams-${seq}`,
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    recipient: BOT,
    conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1' },
    channelData: { team: TEAM, tenant: { id: 'tenant-1' } },
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

const installed = (team = TEAM) =>
  teams({
    type: 'conversationUpdate',
    from: { id: '29:owner', name: 'Team Owner', aadObjectId: 'aad-owner' },
    membersAdded: [{ id: BOT.id }],
    channelData: { eventType: 'teamMemberAdded', team, tenant: { id: 'tenant-1' } },
    conversation: { id: team.id, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1' },
  });

const claimPressed = (requestId: string, cardId: string, who: { name: string; aad: string }) =>
  teams({
    type: 'message',
    from: { id: `29:${who.aad}`, name: who.name, aadObjectId: who.aad },
    conversation: { id: `${CHANNEL};messageid=${cardId}`, isGroup: true, conversationType: 'channel', tenantId: 'tenant-1' },
    replyToId: cardId,
    value: { action: 'handoff.claim', requestId },
  });

/** Teams' REST paths carry the conversation id URL-encoded. */
const pathIs = (expected: string) => (p: string) => decodeURIComponent(p) === expected;
const activitiesPath = `/amer/v3/conversations/${CHANNEL}/activities`;

function cardOf(activity: Json): Json {
  const attachment = activity.attachments?.[0];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment.content;
}
const facts = (card: Json): Record<string, string> => Object.fromEntries(card.body.find((b: Json) => b.type === 'FactSet').facts.map((f: Json) => [f.title, f.value]));
const actionTitles = (card: Json): string[] => (card.actions ?? []).map((a: Json) => a.title);

/** A card post answered with the given activity id; resolves with what was posted. */
function expectCardPost(activityId: string): Promise<Json> {
  return new Promise((resolve) => {
    nock(SMBA)
      .post(pathIs(activitiesPath))
      .reply(201, (_uri, body) => {
        resolve(body);
        return { id: activityId };
      });
  });
}
function expectCardUpdate(activityId: string): Promise<Json> {
  return new Promise((resolve) => {
    nock(SMBA)
      .put(pathIs(`${activitiesPath}/${activityId}`))
      .reply(200, (_uri, body) => {
        resolve(body);
        return { id: activityId };
      });
  });
}

describe('Teams staff alerts', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    const config = loadConfig({
      SQLITE_PATH: ':memory:',
      LOG_LEVEL: 'silent',
      TEAMS_ALERTS: 'true',
      TEAMS_ADMISSIONS_TEAM_ID: TEAM.aadGroupId,
      // Auth is off in tests: the server only talks to loopback unless the Teams service URL is listed.
      ALLOWED_SERVICE_URLS: SMBA,
      PUBLIC_BASE_URL: 'https://bot.example.org',
    });
    app = createApp(config, { alertTuning: { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 30_000 } });
    url = await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => nock.cleanAll());

  // With auth off /api/messages refuses team events (anyone could forge them): they reach the bot
  // through the adapter as an authenticated Bot Connector request would.
  const teamEvent = (activity: Record<string, unknown>) => app.adapter.processActivityDirect('', activity as unknown as Activity, (context) => app.bot.run(context));

  const storedChannel = async () => (await app.stores.storage.read([CHANNEL_KEY]))[CHANNEL_KEY] as Json;

  it('when the bot is added to a team that is not the admissions team, then no channel is remembered', async () => {
    const other = { id: '19:other-team@thread.tacv2', name: 'Marketing', aadGroupId: 'group-marketing' };
    await teamEvent(installed(other));
    expect(await storedChannel()).toBeUndefined();
  });

  it('when the bot is installed in the admissions team, then the channel reference is stored durably', async () => {
    await teamEvent(installed());
    const stored = await storedChannel();
    expect(stored).toMatchObject({ teamId: TEAM.id, reference: { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: CHANNEL }, bot: { id: BOT.id } } });
    expect(stored.reference.activityId).toBeUndefined();
  });

  it('when a request is created, then an Adaptive Card with priority, first name, level, reference, Claim and Open is posted in the channel', async () => {
    const posted = expectCardPost('card-1');
    const request = await app.handoffs.create(fullRequest());
    const activity = await posted;
    const card = cardOf(activity);
    expect(facts(card)).toMatchObject({
      Priority: 'CRISIS',
      'First name': 'Sam',
      'Suggested level': 'the Intensive Outpatient Program (IOP)',
      'Best time': 'evenings after 6',
      Reference: request.reference,
    });
    expect(actionTitles(card)).toEqual(['Claim', 'Open']);
    expect(card.actions[0]).toMatchObject({ type: 'Action.Submit', data: { action: 'handoff.claim', requestId: request.id } });
    expect(card.actions[1]).toMatchObject({ type: 'Action.OpenUrl', url: `https://bot.example.org/staff#/requests/${request.id}` });
    const everything = JSON.stringify(activity);
    for (const bit of PRIVATE_BITS) expect(everything).not.toContain(bit);
    expect((await settled(app.alerts, request.id))[0]).toMatchObject({ target: 'teams', status: 'delivered' });
  });

  it('when the visitor typed links in their best time or name, then the card shows none of them (Teams would make them clickable) and keeps the console link', async () => {
    for (const [i, { text, mustNotShow }] of LINKY_TEXTS.entries()) {
      const posted = expectCardPost(`card-link-${i}`);
      const request = await app.handoffs.create(fullRequest({ priority: 'normal', name: text, bestTime: text, conversationId: `link-${i}` }));
      const activity = await posted;
      const card = cardOf(activity);
      expect(facts(card)['Best time']).toContain('[link removed]');
      const shown = JSON.stringify({ body: card.body, summary: activity.summary }).toLowerCase();
      for (const bit of mustNotShow) expect(shown).not.toContain(bit.toLowerCase());
      expect(card.actions.find((a: Json) => a.title === 'Open')).toMatchObject({ type: 'Action.OpenUrl', url: `https://bot.example.org/staff#/requests/${request.id}` });
      await settled(app.alerts, request.id);
    }
  });

  it('when the visitor\'s best time is ordinary text with dots and abbreviations, then the card shows it as typed', async () => {
    for (const [i, text] of ORDINARY_TEXTS.entries()) {
      const posted = expectCardPost(`card-plain-${i}`);
      const request = await app.handoffs.create(fullRequest({ priority: 'normal', bestTime: text, conversationId: `plain-${i}` }));
      expect(facts(cardOf(await posted))['Best time']).toBe(text);
      await settled(app.alerts, request.id);
    }
  });

  it('when a request is claimed in the console, then its card is updated for everyone: claimed by whom, no Claim button', async () => {
    const posted = expectCardPost('card-2');
    const request = await app.handoffs.create(fullRequest({ priority: 'normal', name: 'Jo' }));
    await posted;
    await settled(app.alerts, request.id);

    const updated = expectCardUpdate('card-2');
    await app.handoffs.claim(request.id, 'maria');
    const card = cardOf(await updated);
    expect(JSON.stringify(card.body)).toContain('Claimed by maria');
    expect(actionTitles(card)).toEqual(['Open']);
    expect(facts(card)).toMatchObject({ Priority: 'Normal', 'First name': 'Jo', Reference: request.reference });
    expect((await settled(app.alerts, request.id, 2)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('when the visitor gave contact preferences, then the card shows them in words; without any, the card has no such line', async () => {
    const posted = expectCardPost('card-prefs');
    const request = await app.handoffs.create(fullRequest({ priority: 'normal', conversationId: 'prefs-teams', contactPreferences: ['no-voicemail', 'spanish'] }));
    expect(facts(cardOf(await posted))['Contact preferences']).toBe('No voicemail; in Spanish');
    await settled(app.alerts, request.id);
    const plain = expectCardPost('card-no-prefs');
    const other = await app.handoffs.create(fullRequest({ priority: 'normal', conversationId: 'no-prefs-teams' }));
    expect(facts(cardOf(await plain))).not.toHaveProperty('Contact preferences');
    await settled(app.alerts, other.id);
  });

  it('when the visitor withdraws an unclaimed request, then its card says so for everyone and loses its Claim button', async () => {
    const posted = expectCardPost('card-withdraw');
    const request = await app.handoffs.create(fullRequest({ priority: 'normal', name: 'Dana', conversationId: 'withdraw-teams' }));
    await posted;
    await settled(app.alerts, request.id);

    const updated = expectCardUpdate('card-withdraw');
    await app.handoffs.cancelByVisitor('webchat', 'withdraw-teams');
    const card = cardOf(await updated);
    expect(JSON.stringify(card.body)).toContain('Withdrawn by the visitor');
    expect(actionTitles(card)).toEqual(['Open']);
    expect(facts(card)).toMatchObject({ 'First name': 'Dana', Reference: request.reference });
    expect((await settled(app.alerts, request.id, 2)).map((d) => [d.event, d.status])).toEqual([
      ['created', 'delivered'],
      ['withdrawn', 'delivered'],
    ]);
  });

  it('when a queued request is escalated by a crisis message, then a new CRISIS card is posted (a notification, not a quiet edit)', async () => {
    const first = expectCardPost('card-esc-1');
    const request = await app.handoffs.create(fullRequest({ priority: 'normal', name: 'Ari', conversationId: 'esc-conv', channel: 'webchat' }));
    await first;
    await settled(app.alerts, request.id);

    const second = expectCardPost('card-esc-2');
    await app.handoffs.escalate('webchat', 'esc-conv', 'suicide');
    const activity = await second;
    expect(String(activity.summary)).toMatch(/^CRISIS /);
    expect(facts(cardOf(activity))).toMatchObject({ Priority: 'CRISIS', 'First name': 'Ari', Reference: request.reference });
    expect((await settled(app.alerts, request.id, 2)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('when staff press Claim on the card in Teams, then the request is theirs, the card says so, and a second Claim is told who has it', async () => {
    const posted = expectCardPost('card-3');
    const request = await app.handoffs.create(fullRequest());
    await posted;
    await settled(app.alerts, request.id);

    const updated = expectCardUpdate('card-3');
    const first = await post(url, claimPressed(request.id, 'card-3', { name: 'Devon Lee', aad: 'aad-devon' }));
    expect(first.status).toBe(200);
    expect(await app.handoffs.store.get(request.id)).toMatchObject({ status: 'claimed', claimedBy: 'Devon Lee' });
    const card = cardOf(await updated);
    expect(JSON.stringify(card.body)).toContain('Claimed by Devon Lee');
    expect(actionTitles(card)).not.toContain('Claim');

    // The second press is answered in the thread (a reply to the pressed activity).
    let reply: Json;
    nock(SMBA)
      .post((p: string) => decodeURIComponent(p).startsWith(`/amer/v3/conversations/${CHANNEL};messageid=card-3/activities/`))
      .reply(200, (_uri, body) => {
        reply = body;
        return { id: 'reply-1' };
      });
    const second = await post(url, claimPressed(request.id, 'card-3', { name: 'Maria Souza', aad: 'aad-maria' }));
    expect(second.status).toBe(200);
    expect(reply?.text).toBe('Already claimed by Devon Lee.');
    expect(await app.handoffs.store.get(request.id)).toMatchObject({ claimedBy: 'Devon Lee' });
  });

  it('when Claim arrives from a conversation other than the admissions channel, then nothing is claimed', async () => {
    const posted = expectCardPost('card-4');
    const request = await app.handoffs.create(fullRequest());
    await posted;
    const res = await post(url, {
      ...claimPressed(request.id, 'card-4', { name: 'Visitor', aad: 'aad-visitor' }),
      conversation: { id: 'a:personal-chat', conversationType: 'personal' },
      deliveryMode: 'expectReplies',
    });
    expect(res.activities.map((a) => a.text).join(' ')).toMatch(/only be claimed in the admissions channel/);
    expect(await app.handoffs.store.get(request.id)).toMatchObject({ status: 'open' });
    await settled(app.alerts, request.id);
  });

  it('when a card action carries typed text, then it goes through the visitor pipeline and the safety check answers first', async () => {
    const res = await post(url, {
      ...claimPressed('whatever', 'card-x', { name: 'Someone', aad: 'aad-someone' }),
      conversation: { id: 'a:personal-2', conversationType: 'personal' },
      text: 'I want to end my life tonight',
      deliveryMode: 'expectReplies',
    });
    expect(JSON.stringify(res.activities)).toMatch(/988/);
  });

  it('when the visitor says "forget me", then their card says "deleted by the visitor" with the reference only, no name and no buttons, and its card id is forgotten', async () => {
    const posted = expectCardPost('card-forget');
    const request = await app.handoffs.create(fullRequest({ conversationId: 'forget-teams' }));
    await posted;
    await settled(app.alerts, request.id);

    const updated = expectCardUpdate('card-forget');
    await app.handoffs.forgetConversation('webchat', 'forget-teams');
    const activity = await updated;
    const card = cardOf(activity);
    expect(JSON.stringify(card.body)).toContain('deleted by the visitor');
    expect(facts(card)).toEqual({ Reference: request.reference });
    expect(actionTitles(card)).toEqual([]);
    for (const bit of [...PRIVATE_BITS, 'Sam', 'evenings', 'Intensive Outpatient']) expect(JSON.stringify(activity)).not.toContain(bit);
    expect(await settled(app.alerts, request.id)).toEqual([expect.objectContaining({ event: 'deleted', status: 'delivered' })]);
    expect(await app.stores.storage.read([cardKey(request.id)])).toEqual({});
  });

  it('when an escalated request is forgotten, then both of its cards (the first and the CRISIS one) are updated', async () => {
    const first = expectCardPost('card-forget-a');
    const request = await app.handoffs.create(fullRequest({ priority: 'normal', conversationId: 'forget-escalated' }));
    await first;
    await settled(app.alerts, request.id);
    const second = expectCardPost('card-forget-b');
    await app.handoffs.escalate('webchat', 'forget-escalated', 'suicide');
    await second;
    await settled(app.alerts, request.id, 2);

    const updates = [expectCardUpdate('card-forget-b'), expectCardUpdate('card-forget-a')];
    await app.handoffs.forgetConversation('webchat', 'forget-escalated');
    for (const update of updates) expect(JSON.stringify(cardOf(await update).body)).toContain('deleted by the visitor');
  });

  it('when the request is deleted while its card is still being posted, then the card is updated to "deleted" as soon as it is there', async () => {
    let release!: () => void;
    let arrived!: () => void;
    const atTeams = new Promise<void>((r) => (arrived = r));
    nock(SMBA)
      .post(pathIs(activitiesPath))
      .reply(201, async () => {
        arrived();
        await new Promise<void>((r) => (release = r));
        return { id: 'card-forget-race' };
      });
    const request = await app.handoffs.create(fullRequest({ conversationId: 'forget-race' }));
    await atTeams;
    const updated = expectCardUpdate('card-forget-race');
    // Straight in the store, with no 'deleted' alert here: as when another instance took "forget me" and its alert.
    await app.handoffs.store.deleteConversation('webchat', 'forget-race');
    release();
    expect(JSON.stringify(cardOf(await updated).body)).toContain('deleted by the visitor');
    await waitFor(() => app.stores.storage.read([cardKey(request.id)]), (items) => Object.keys(items).length === 0, 'the card id forgotten');
  });

  it('when Teams answers 503, then the card is retried with backoff and delivered, and the failed attempt is on record', async () => {
    let up = false;
    let posts = 0;
    nock(SMBA)
      .persist()
      .post(pathIs(activitiesPath))
      .reply(() => {
        posts++;
        return up ? [201, { id: 'card-5' }] : [503, { error: { code: 'ServiceUnavailable', message: 'down' } }, { 'Retry-After': '0' }];
      });
    const request = await app.handoffs.create(fullRequest());
    await waitFor(() => app.alerts.deliveriesFor(request.id), (d) => (d[0]?.attempts ?? 0) >= 1, 'a failed attempt');
    expect((await app.alerts.deliveriesFor(request.id))[0]).toMatchObject({ status: 'pending', lastError: 'Teams HTTP 503' });
    up = true;
    const [delivery] = await settled(app.alerts, request.id);
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts).toBeGreaterThanOrEqual(2);
    expect(posts).toBeGreaterThanOrEqual(2);
  });

  it('when Teams stays unavailable, then the alert fails after its last attempt, is listed for the console, and the request stays open', async () => {
    nock(SMBA).persist().post(pathIs(activitiesPath)).reply(503, { error: { code: 'ServiceUnavailable', message: 'down' } }, { 'Retry-After': '0' });
    const request = await app.handoffs.create(fullRequest());
    const [delivery] = await settled(app.alerts, request.id);
    expect(delivery).toMatchObject({ target: 'teams', status: 'failed', attempts: 8, lastError: 'Teams HTTP 503' });
    expect((await app.alerts.recentFailures()).map((f) => f.requestId)).toContain(request.id);
    expect(await app.handoffs.store.get(request.id)).toMatchObject({ status: 'open' });
  });

  it('when the bot is removed from the admissions team, then the channel is forgotten and new alerts are recorded as not delivered', async () => {
    await teamEvent(teams({ type: 'conversationUpdate', from: { id: '29:owner' }, membersRemoved: [{ id: BOT.id }], channelData: { eventType: 'teamMemberRemoved', team: TEAM } }));
    expect(await storedChannel()).toBeUndefined();
    const request = await app.handoffs.create(fullRequest());
    const [delivery] = await settled(app.alerts, request.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery?.lastError).toMatch(/no Teams channel/);
  });
});
