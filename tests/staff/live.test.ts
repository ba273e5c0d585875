import type { App } from '../../src/app';
import { activity, post, readable } from '../helpers/app';
import { call, login, newRequest, startChannel, startStaffApp, type Channel, START_TIMEOUT } from './helpers';

describe('live takeover (HANDOFF_LIVE=true)', () => {
  let app: App;
  let url: string;
  let channel: Channel;
  let maria: string;
  let devon: string;
  beforeAll(async () => {
    channel = await startChannel();
    ({ app, url } = await startStaffApp({ HANDOFF_LIVE: 'true' }));
    [maria, devon] = await Promise.all([login(url, 'maria'), login(url, 'devon')]);
  }, START_TIMEOUT);
  afterAll(async () => {
    await channel?.close();
    await app?.close();
  });

  const visitor = (conversation: string, text: string) =>
    post(url, activity({ text, conversation: { id: conversation }, from: { id: `user-${conversation}` }, serviceUrl: channel.url }));
  const poll = async (id: string, after = 0) => (await call(url, 'GET', `/staff/api/requests/${id}/messages?after=${after}`, { cookie: maria })).body;

  async function claimed(conversation: string) {
    const r = await app.handoffs.create(newRequest(channel.url, conversation));
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria })).status).toBe(200);
    return r;
  }

  it('when staff are logged in and live chat is on, then staffOnline() is true', async () => {
    await expect(app.staffOnline()).resolves.toBe(true);
    const me = await call(url, 'GET', '/staff/api/me', { cookie: maria });
    expect(me.body.liveChat).toBe(true);
  });

  it('when a takeover runs, then visitor messages reach the console without a bot reply, and staff messages reach the visitor as proactive messages', async () => {
    const r = await claimed('live-1');
    const sentBefore = channel.received.length;
    const start = await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    expect(start.status).toBe(200);
    expect(start.body.live).toMatchObject({ requestId: r.id, staff: 'maria' });
    await channel.waitFor(sentBefore + 1);
    const joined = channel.received[sentBefore]!;
    expect(joined.path).toMatch(/^\/v3\/conversations\/live-1\/activities/);
    expect(joined.activity.text).toMatch(/chatting with a member of our admissions team/);

    const turn = await visitor('live-1', 'is anyone there? my name is Sam');
    expect(turn.status).toBe(200);
    expect(turn.activities).toEqual([]);
    expect(channel.received.length).toBe(sentBefore + 1); // nothing from the bot either way

    const seen = await poll(r.id);
    expect(seen.live).toMatchObject({ staff: 'maria' });
    expect(seen.messages.filter((m: { from: string }) => m.from === 'visitor').map((m: { text: string }) => m.text)).toEqual(['is anyone there? my name is Sam']);

    const sent = await call(url, 'POST', `/staff/api/requests/${r.id}/messages`, { cookie: maria, body: { text: 'Hi Sam, this is Maria from admissions.' } });
    expect(sent.status).toBe(201);
    await channel.waitFor(sentBefore + 2);
    const proactive = channel.received[sentBefore + 1]!;
    expect(proactive.path).toMatch(/^\/v3\/conversations\/live-1\/activities/);
    expect(proactive.activity).toMatchObject({ type: 'message', text: 'Hi Sam, this is Maria from admissions.', conversation: { id: 'live-1' } });

    const later = await poll(r.id, seen.messages.at(-1).seq);
    expect(later.messages.map((m: { from: string; staff?: string; text: string }) => [m.from, m.staff, m.text])).toEqual([['staff', 'maria', 'Hi Sam, this is Maria from admissions.']]);
    const list = await call(url, 'GET', '/staff/api/requests', { cookie: devon });
    expect(list.body.requests.find((x: { id: string }) => x.id === r.id).live).toBe(true);
  });

  it('when a visitor in a takeover writes a crisis message, then the bot still gives 988 guidance and staff see the crisis', async () => {
    const r = await claimed('live-crisis');
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    const turn = await visitor('live-crisis', 'i want to kill myself');
    expect(readable(turn.activities)).toContain('988');
    const { messages } = await poll(r.id);
    const crisisLine = messages.find((m: { crisis?: boolean }) => m.crisis);
    expect(crisisLine).toMatchObject({ from: 'visitor', text: 'i want to kill myself', crisis: true });
    const botLine = messages.find((m: { from: string }) => m.from === 'bot');
    expect(botLine.text).toContain('988');
    // The next ordinary message goes to staff again, not to the bot's check-in.
    const next = await visitor('live-crisis', 'sorry, I am here');
    expect(next.activities).toEqual([]);
  });

  it('when the live-chat store fails (shared database trouble), then a crisis message still gets 988 guidance', async () => {
    const spy = jest.spyOn(app.stores.takeovers, 'liveFor').mockRejectedValue(new Error('database down'));
    try {
      const turn = await visitor('live-store-down', 'i want to kill myself');
      expect(readable(turn.activities)).toContain('988');
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('when staff end the takeover, then the visitor is told the bot is back and the bot answers again', async () => {
    const r = await claimed('live-end');
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    expect((await visitor('live-end', 'what is iop')).activities).toEqual([]);
    const before = channel.received.length;
    const end = await call(url, 'POST', `/staff/api/requests/${r.id}/takeover/end`, { cookie: maria });
    expect(end.status).toBe(200);
    await channel.waitFor(before + 1);
    expect(channel.received[before]!.activity.text).toMatch(/^You're back with the GBAC assistant/);
    const turn = await visitor('live-end', 'what is iop');
    expect(turn.activities[0]?.text).toMatch(/intensive outpatient/i);
    const audit = (await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria })).body.audit;
    expect(audit.filter((e: { action: string }) => e.action === 'note').map((e: { actor: string; detail: string }) => [e.actor, e.detail])).toEqual([
      ['maria', 'live chat started'],
      ['maria', 'live chat ended'],
    ]);
  });

  it('when someone other than the claimer tries to chat, then it is a 403 and nothing is sent', async () => {
    const r = await claimed('live-forbid');
    const before = channel.received.length;
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: devon })).status).toBe(403);
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    await channel.waitFor(before + 1);
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/messages`, { cookie: devon, body: { text: 'hello' } });
    expect(res.status).toBe(403);
    expect(res.body.claimedBy).toBe('maria');
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/takeover/end`, { cookie: devon })).status).toBe(403);
    expect(channel.received.length).toBe(before + 1);
  });

  it('when another staff member reopens a request in a takeover, then the takeover ends and the visitor is told', async () => {
    const r = await claimed('live-reopen');
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    const before = channel.received.length;
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/reopen`, { cookie: devon })).status).toBe(200);
    await channel.waitFor(before + 1);
    expect(channel.received[before]!.activity.text).toMatch(/back with the GBAC assistant/);
    expect((await visitor('live-reopen', 'what is iop')).activities.length).toBeGreaterThan(0);
  });

  it('when the staff member in a takeover has gone quiet past the idle limit, then the visitor is handed back to the bot on their next message', async () => {
    const r = await claimed('live-idle');
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    app.db!.prepare('UPDATE live_takeover SET staff_seen_at = 0 WHERE request_id = ?').run(r.id);
    const turn = await visitor('live-idle', 'what is iop');
    const texts = turn.activities.map((a) => a.text);
    expect(texts[0]).toMatch(/^You're back with the GBAC assistant/);
    expect(texts[1]).toMatch(/intensive outpatient/i);
    expect((await poll(r.id)).live).toBeUndefined();
  });

  it('when a visitor in a takeover says "forget me", then the bot confirms the deletion and the request and its transcript are gone', async () => {
    const r = await claimed('live-forget');
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    await visitor('live-forget', 'my number is 617 555 0123');
    const turn = await visitor('live-forget', 'forget me');
    expect(turn.activities[0]?.text).toMatch(/deleted/i);
    // Forget me deletes the visitor's requests too, so staff find nothing, number included.
    const after = await poll(r.id);
    expect(after).toEqual({ error: 'no such request' });
    expect(JSON.stringify(after)).not.toContain('555');
  });

  it('when a message is empty or the chat was not started, then it is a 4xx and nothing is sent', async () => {
    const r = await claimed('live-bad');
    const before = channel.received.length;
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/messages`, { cookie: maria, body: { text: 'hi' } })).status).toBe(409);
    await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    await channel.waitFor(before + 1);
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/messages`, { cookie: maria, body: { text: '  ' } })).status).toBe(400);
    expect((await call(url, 'POST', `/staff/api/requests/${r.id}/messages`, { cookie: maria, body: { message: 'hi' } })).status).toBe(400);
    expect((await call(url, 'GET', `/staff/api/requests/${r.id}/messages?after=-1`, { cookie: maria })).status).toBe(400);
    expect(channel.received.length).toBe(before + 1);
  });

  it("when the visitor's service URL is not one the bot may send to, then the takeover is refused with a 409", async () => {
    const r = await app.handoffs.create(newRequest('https://example.invalid/', 'live-remote'));
    await call(url, 'POST', `/staff/api/requests/${r.id}/claim`, { cookie: maria });
    const res = await call(url, 'POST', `/staff/api/requests/${r.id}/takeover`, { cookie: maria });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/cannot receive/);
  });
});
