import type { App } from '../../src/app';
import { groupId, HIDDEN_TEXT } from '../../src/core/storage/unansweredReview';
import { call, login, startStaffApp, START_TIMEOUT } from './helpers';

interface GroupView {
  id: string;
  text: string;
  hidden: boolean;
  count: number;
  lastSeen: string;
  closestEntry: { id: string; title?: string } | null;
  mark: { kind: string; entry: { id: string; title?: string } | null; by: string; at: string } | null;
}

describe('staff API: the unanswered review', () => {
  let app: App;
  let url: string;
  let maria: string;
  let entry: { id: string; title: string };
  beforeAll(async () => {
    ({ app, url } = await startStaffApp());
    maria = await login(url, 'maria');
    entry = app.kb.faq.entries.find((e) => e.kind === 'answer')!;
    const log = app.stores.unanswered!;
    log.record({ text: 'Do you have a swimming pool?', channel: 'webchat', conversationId: 'review-1', bestCandidate: entry.id, bestScore: 0.3 });
    log.record({ text: 'do you have a swimming pool', channel: 'sms', conversationId: 'review-2', bestCandidate: entry.id });
    log.record({ text: 'can you call me at 617-555-0142 about the pool', channel: 'webchat', conversationId: 'review-3' });
    log.record({ text: "hi I'm Linda, do you have horses", channel: 'webchat', conversationId: 'review-4' });
    await log.flush();
    // A row logged before the scrubber knew this form of name: it is still hidden.
    app.db!.prepare("INSERT INTO unanswered (text, normalized, channel, created_at) VALUES ('my name is Quillon Marsh do you have goats', 'my name is quillon marsh do you have goats', 'webchat', ?)").run(Date.now());
  }, START_TIMEOUT);
  afterAll(() => app?.close());

  const groups = async (): Promise<GroupView[]> => (await call(url, 'GET', '/staff/api/unanswered', { cookie: maria })).body.groups;
  const pool = async () => (await groups()).find((g) => g.text === 'do you have a swimming pool' || g.text === 'Do you have a swimming pool?')!;

  it('when there is no session, then the list, a mark and the page\'s data are refused with 401', async () => {
    expect((await call(url, 'GET', '/staff/api/unanswered')).status).toBe(401);
    const id = groupId('do you have a swimming pool');
    const res = await call(url, 'POST', `/staff/api/unanswered/${id}/mark`, { body: { mark: 'off-topic' } });
    expect(res.status).toBe(401);
    expect((await app.stores.unanswered!.review(50, { markedOnly: true })).length).toBe(0);
  });

  it('when staff open the review, then each group gives its example, count, last seen and closest entry, most frequent first', async () => {
    const res = await call(url, 'GET', '/staff/api/unanswered', { cookie: maria });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.enabled).toBe(true);
    expect(res.body.entries).toEqual(expect.arrayContaining([{ id: entry.id, title: entry.title }]));
    const first = res.body.groups[0] as GroupView;
    expect(first).toMatchObject({ count: 2, hidden: false, closestEntry: { id: entry.id, title: entry.title }, mark: null });
    expect(first.text.toLowerCase()).toContain('swimming pool');
    expect(Date.parse(first.lastSeen)).not.toBeNaN();
    // The id is opaque: the group's words are not in it.
    expect(first.id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('when a question held a phone number or a name, then its text is hidden and nothing of it is in the answer', async () => {
    const res = await call(url, 'GET', '/staff/api/unanswered', { cookie: maria });
    const hidden = (res.body.groups as GroupView[]).filter((g) => g.hidden);
    expect(hidden).toHaveLength(3);
    for (const g of hidden) expect(g.text).toBe(HIDDEN_TEXT);
    const json = JSON.stringify(res.body);
    for (const bit of ['555', '0142', 'Linda', 'horses', 'Quillon', 'goats', '[phone]', '[name]']) expect(json).not.toContain(bit);
  });

  it.each([
    ['an unknown mark', { mark: 'delete' }],
    ['no mark', {}],
    ['"add to entry" without an entry', { mark: 'add-to-entry' }],
    ['"add to entry" with an entry that does not exist', { mark: 'add-to-entry', entryId: 'no-such-entry' }],
    ['an extra field', { mark: 'off-topic', note: 'x' }],
    ['a mark that is not text', { mark: 3 }],
  ])('when a mark is sent with %s, then it is a 400 and nothing is marked', async (_what, body) => {
    const res = await call(url, 'POST', `/staff/api/unanswered/${(await pool()).id}/mark`, { cookie: maria, body });
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
    expect((await pool()).mark).toBeNull();
  });

  it('when a mark names no group, then it is a 404', async () => {
    const res = await call(url, 'POST', `/staff/api/unanswered/${'0'.repeat(24)}/mark`, { cookie: maria, body: { mark: 'off-topic' } });
    expect(res.status).toBe(404);
  });

  it('when staff mark a group "add to entry", then the mark is stored with who and when, and read back on the next load; a new mark replaces it', async () => {
    const { id } = await pool();
    const res = await call(url, 'POST', `/staff/api/unanswered/${id}/mark`, { cookie: maria, body: { mark: 'add-to-entry', entryId: entry.id } });
    expect(res.status).toBe(200);
    expect(res.body.group).toMatchObject({ id, mark: { kind: 'add-to-entry', entry: { id: entry.id, title: entry.title }, by: 'maria' } });
    expect((await pool()).mark).toMatchObject({ kind: 'add-to-entry', entry: { id: entry.id }, by: 'maria' });
    const stored = await app.stores.unanswered!.review(50, { markedOnly: true });
    expect(stored).toEqual([expect.objectContaining({ count: 2, mark: expect.objectContaining({ kind: 'add-to-entry', entryId: entry.id }) })]);
    const devon = await login(url, 'devon');
    await call(url, 'POST', `/staff/api/unanswered/${id}/mark`, { cookie: devon, body: { mark: 'new-entry' } });
    expect((await pool()).mark).toMatchObject({ kind: 'new-entry', entry: null, by: 'devon' });
  });

  it('when a hidden group is marked off-topic, then it is marked without its text being shown', async () => {
    const hidden = (await groups()).find((g) => g.hidden)!;
    const res = await call(url, 'POST', `/staff/api/unanswered/${hidden.id}/mark`, { cookie: maria, body: { mark: 'off-topic' } });
    expect(res.status).toBe(200);
    expect(res.body.group).toMatchObject({ text: HIDDEN_TEXT, hidden: true, mark: { kind: 'off-topic' } });
  });

  it('when the review page and the queue page are loaded, then the page is served under the console\'s CSP and the queue links to it', async () => {
    const page = await call(url, 'GET', '/staff/unanswered');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toContain('/staff/unanswered.js');
    expect((await call(url, 'GET', '/staff/unanswered.js')).status).toBe(200);
    expect((await call(url, 'GET', '/staff')).body).toContain('href="/staff/unanswered"');
  });
});

describe('staff API: the unanswered review with the log off', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startStaffApp({ RECORD_UNANSWERED: 'false' }));
  }, START_TIMEOUT);
  afterAll(() => app?.close());

  it('when RECORD_UNANSWERED is off, then the review lists nothing and says so, and a mark is a 404', async () => {
    const maria = await login(url, 'maria');
    const res = await call(url, 'GET', '/staff/api/unanswered', { cookie: maria });
    expect(res.body).toMatchObject({ enabled: false, groups: [] });
    expect((await call(url, 'POST', `/staff/api/unanswered/${'0'.repeat(24)}/mark`, { cookie: maria, body: { mark: 'off-topic' } })).status).toBe(404);
  });
});
