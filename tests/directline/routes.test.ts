import { useApp } from '../helpers/app';
import { DL, activities, botTexts, call, generate, postText, startConversation } from './client';

describe('Direct Line REST endpoint', () => {
  const base = useApp();

  it('when a page asks for a token, then it gets a conversation-bound token and its lifetime, no secret', async () => {
    const res = await call(base(), 'POST', `${DL}/tokens/generate`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ conversationId: expect.stringMatching(/^[A-Za-z0-9_-]+$/), token: expect.any(String), expires_in: 1800 });
    const claims = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString());
    expect(claims.conv).toBe(res.body.conversationId);
    expect(claims.user).toMatch(/^dl_/);
  });

  it('when a conversation starts, then the bot welcomes the visitor and polling returns it with a watermark', async () => {
    const started = await startConversation(base());
    expect(started.status).toBe(201);
    expect(started.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+${DL}/conversations/${started.conversationId}/stream\\?t=`));
    const res = await activities(base(), started.conversationId, started.token);
    expect(res.status).toBe(200);
    expect(botTexts(res.body.activities)).toMatch(/admissions/i);
    expect(res.body.watermark).toMatch(/^\d+$/);
  });

  it('when the visitor asks a question, then the echo and the answer come after the last watermark', async () => {
    const { conversationId, token } = await startConversation(base());
    const first = await activities(base(), conversationId, token);
    const posted = await postText(base(), conversationId, token, 'how many days a week is iop', { channelData: { clientActivityID: 'c-1' } });
    expect(posted.status).toBe(200);
    expect(posted.body.id).toEqual(expect.stringContaining(conversationId));
    const next = await activities(base(), conversationId, token, first.body.watermark);
    const [echo, ...replies] = next.body.activities;
    expect(echo).toMatchObject({ id: posted.body.id, type: 'message', text: 'how many days a week is iop', channelData: { clientActivityID: 'c-1' }, from: { role: 'user' } });
    expect(botTexts(replies)).toMatch(/3(–| to |-)5 (treatment )?days/i);
    expect(botTexts(replies)).not.toMatch(/welcome/i);
    const after = await activities(base(), conversationId, token, next.body.watermark);
    expect(after.body.activities).toEqual([]);
    expect(after.body.watermark).toBe(next.body.watermark);
  });

  it('when the visitor says "forget me", then the transcript is gone from the log, even for their refreshed token', async () => {
    const { conversationId, token } = await startConversation(base());
    await postText(base(), conversationId, token, 'my name is Quinlan and I relapsed');
    const before = await activities(base(), conversationId, token);
    await postText(base(), conversationId, token, 'forget me');
    const refreshed = await call(base(), 'POST', `${DL}/tokens/refresh`, { token });
    const log = await activities(base(), conversationId, refreshed.body.token, '0');
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body)).not.toMatch(/Quinlan|forget me/i);
    const ids = log.body.activities.map((a: { id: string }) => a.id);
    for (const earlier of before.body.activities) expect(ids).not.toContain(earlier.id);
    // Only the confirmation, sent after the log was emptied.
    expect(log.body.activities).toHaveLength(1);
    expect(botTexts(log.body.activities)).toMatch(/deleted what you told me/);
  });

  it('when a token is refreshed, then the new token works for the same conversation', async () => {
    const { conversationId, token } = await generate(base());
    const refreshed = await call(base(), 'POST', `${DL}/tokens/refresh`, { token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(conversationId);
    const res = await activities(base(), conversationId, refreshed.body.token);
    expect(res.status).toBe(200);
  });
});
