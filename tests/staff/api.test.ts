import type { App } from '../../src/app';
import type { ScreeningResult } from '../../src/core/screening/screening';
import { call, login, newRequest, startStaffApp, START_TIMEOUT } from './helpers';

const SERVICE = 'http://127.0.0.1:1/';

const screening: ScreeningResult = {
  answers: { frequency: 'daily', withdrawal: 'no' },
  dimensions: {
    use: [{ question: 'How often do you use?', dimension: 'use', answer: 'daily', label: 'Every day' }],
    withdrawal: [{ question: 'Do you get withdrawal symptoms?', dimension: 'withdrawal', answer: 'no', label: 'No' }],
  },
  level: 'iop',
  levelName: 'Intensive Outpatient (IOP)',
  rule: 'daily-use-stable',
  reasons: ['you use every day'],
  questionsAsked: 2,
  startedAt: new Date().toISOString(),
  completedAt: new Date().toISOString(),
};

describe('staff API: the queue', () => {
  let app: App;
  let url: string;
  let maria: string;
  let devon: string;
  beforeAll(async () => {
    ({ app, url } = await startStaffApp());
    [maria, devon] = await Promise.all([login(url, 'maria'), login(url, 'devon')]);
  }, START_TIMEOUT);
  afterAll(() => app?.close());

  it('when requests wait, then the list shows crisis first, then the oldest, with the screening summary and without the conversation reference', async () => {
    const a = await app.handoffs.create(newRequest(SERVICE, 'list-a', { screening, reason: 'screening-completed' }));
    const b = await app.handoffs.create(newRequest(SERVICE, 'list-b'));
    const c = await app.handoffs.create(newRequest(SERVICE, 'list-c', { priority: 'crisis', reason: 'crisis-follow-up' }));
    const res = await call(url, 'GET', '/staff/api/requests', { cookie: maria });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const ids = (res.body.requests as Array<{ id: string }>).map((r) => r.id).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(ids).toEqual([c.id, a.id, b.id]);
    const first = res.body.requests.find((r: { id: string }) => r.id === a.id);
    expect(first.screening).toEqual({
      level: 'iop',
      levelName: 'Intensive Outpatient (IOP)',
      forSomeoneElse: false,
      rule: 'daily-use-stable',
      staffSummary: expect.objectContaining({ suggested: 'Suggested: IOP', also: ['uses every day or almost', 'no withdrawal symptoms on stopping'] }),
      reasons: ['you use every day'],
      answers: screening.answers,
      dimensions: screening.dimensions,
      completedAt: screening.completedAt,
    });
    expect(first).toMatchObject({ reference: a.reference, status: 'open', priority: 'normal', reason: 'screening-completed', name: 'Sam', live: false });
    expect(JSON.stringify(res.body)).not.toContain('serviceUrl');
  });

  it('when requests come from web chat, SMS and Teams, then the list gives each phone as people read it and the channel in words', async () => {
    const web = await app.handoffs.create(newRequest(SERVICE, 'display-web', { phone: '+16175550142' }));
    const sms = await app.handoffs.create(newRequest(SERVICE, 'display-sms', { channel: 'sms', phone: '+16175550142;ext=12' }));
    const teams = await app.handoffs.create(newRequest(SERVICE, 'display-teams', { channel: 'msteams', phone: undefined }));
    const res = await call(url, 'GET', '/staff/api/requests', { cookie: maria });
    const byId = (id: string) => res.body.requests.find((r: { id: string }) => r.id === id);
    expect(byId(web.id)).toMatchObject({ phone: '+16175550142', phoneDisplay: '(617) 555-0142', channel: 'webchat', channelName: 'web chat' });
    expect(byId(sms.id)).toMatchObject({ phone: '+16175550142;ext=12', phoneDisplay: '(617) 555-0142 ext. 12', channelName: 'SMS' });
    expect(byId(teams.id)).toMatchObject({ channelName: 'Teams' });
    expect(byId(teams.id)).not.toHaveProperty('phoneDisplay');
  });

  it('when two staff members claim the same request at once, then one gets 200 and the other 409 naming the winner', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'race-1'));
    const [one, two] = await Promise.all([
      call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria }),
      call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: devon }),
    ]);
    const statuses = [one.status, two.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = one.status === 200 ? 'maria' : 'devon';
    const loser = one.status === 409 ? one : two;
    expect(loser.body).toEqual({ error: `already claimed by ${winner}`, claimedBy: winner });
    expect((await app.handoffs.store.get(r.id))?.claimedBy).toBe(winner);
  });

  it('when a request is claimed, noted, resolved and reopened, then the audit trail says who did what and when', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'audit-1'));
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria })).status).toBe(200);
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/notes`, { cookie: devon, body: { note: 'called, left a voicemail' } })).status).toBe(201);
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/resolve`, { cookie: maria })).status).toBe(200);
    const reopened = await call(url, 'POST', `/staff/api/requests/${r.id}/reopen`, { cookie: devon });
    expect(reopened.status).toBe(200);
    expect(reopened.body.request).toMatchObject({ status: 'open' });
    const detail = await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: devon });
    expect(detail.status).toBe(200);
    expect(detail.body.audit.map((e: { actor: string; action: string; detail?: string }) => [e.actor, e.action, e.detail])).toEqual([
      ['bot', 'created', 'asked-for-person'],
      ['maria', 'claimed', undefined],
      ['devon', 'note', 'called, left a voicemail'],
      ['maria', 'resolved', undefined],
      ['devon', 'reopened', undefined],
    ]);
    for (const e of detail.body.audit) expect(Date.parse(e.at)).not.toBeNaN();
  });

  it('when someone other than the claimer resolves, then it is a 403 naming the claimer and the request stays claimed', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'forbid-1'));
    await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria });
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/resolve`, { cookie: devon });
    expect(res.status).toBe(403);
    expect(res.body.claimedBy).toBe('maria');
    expect((await app.handoffs.store.get(r.id))?.status).toBe('claimed');
  });

  it('when an unclaimed request is resolved, then it is a 409 asking to claim it first', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'unclaimed-1'));
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/resolve`, { cookie: maria });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/claim/);
  });

  it('when a resolved request is claimed, then it is a 409 with its status', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'resolved-1'));
    await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria });
    await call(url, 'POST', `/staff/api/requests/${r.id}/resolve`, { cookie: maria });
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: devon });
    expect(res.status).toBe(409);
    expect(res.body.status).toBe('resolved');
  });

  it('when a visitor gave contact preferences, then the request shows them, also in words for the console', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'prefs-1', { contactPreferences: ['discreet', 'no-texts'] }));
    const res = await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria });
    expect(res.body.request).toMatchObject({ contactPreferences: ['discreet', 'no-texts'], contactPreferencesText: 'No texts; discreet: others may see the phone' });
    const none = await app.handoffs.create(newRequest(SERVICE, 'prefs-2'));
    const plain = await call(url, 'GET', `/staff/api/requests/${none.id}`, { cookie: maria });
    expect(plain.body.request).not.toHaveProperty('contactPreferences');
    expect(plain.body.request).not.toHaveProperty('contactPreferencesText');
  });

  it('when the visitor withdrew their request, then it leaves the list, the audit says so, and reopening or claiming it is a 409', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'withdrawn-1'));
    expect((await app.handoffs.cancelByVisitor(r.channel, 'withdrawn-1')).map((x) => x.id)).toEqual([r.id]);
    const list = await call(url, 'GET', '/staff/api/requests', { cookie: maria });
    expect((list.body.requests as Array<{ id: string }>).map((x) => x.id)).not.toContain(r.id);
    const detail = await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria });
    expect(detail.body.request.status).toBe('withdrawn');
    expect(detail.body.audit.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`)).toEqual(['bot:created', 'visitor:withdrawn']);
    const reopen = await call(url, 'POST', `/staff/api/requests/${r.id}/reopen`, { cookie: devon });
    expect(reopen.status).toBe(409);
    expect(reopen.body).toEqual({ error: 'the visitor withdrew this request; it cannot be reopened', status: 'withdrawn' });
    const claim = await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: devon });
    expect(claim.status).toBe(409);
    expect(claim.body.status).toBe('withdrawn');
  });

  it.each([
    ['an empty note', { note: '   ' }],
    ['a note that is too long', { note: 'x'.repeat(2001) }],
    ['no note', {}],
    ['a note that is a number', { note: 42 }],
  ])('when a note is sent with %s, then it is a 400 and nothing is audited', async (_name, body) => {
    const r = await app.handoffs.create(newRequest(SERVICE, `bad-note-${_name}`));
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/notes`, { cookie: maria, body });
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
    expect((await app.handoffs.store.audit(r.id)).map((e) => e.action)).toEqual(['created']);
  });

  it('when a request does not exist, then its routes answer 404 JSON', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await call(url, 'GET', `/staff/api/requests/${id}`, { cookie: maria })).body).toEqual({ error: 'no such request' });
    expect((await call(url, 'POST', `/staff/api/requests/${id}/claim`, { cookie: maria })).status).toBe(404);
    expect((await call(url, 'POST', `/staff/api/requests/${id}/notes`, { cookie: maria, body: { note: 'x' } })).status).toBe(404);
  });

  it('when live chat is off, then the takeover routes say so with a 404', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'no-live-1'));
    await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria });
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/HANDOFF_LIVE/);
    await expect(app.staffOnline()).resolves.toBe(false);
  });

  it('when no staff alert has failed, then the alerts route lists no failures', async () => {
    const res = await call(url, 'GET', '/staff/api/alerts', { cookie: maria });
    expect(res.body).toEqual({ enabled: true, failures: [] });
  });
});
