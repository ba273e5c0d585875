import { TokenService } from '../../src/directline/tokens';
import { useApp } from '../helpers/app';
import { DL, activities, call, generate, postText, startConversation } from './client';

const SECRET = 'test-secret-for-direct-line-tokens-0123456789';

describe('Direct Line tokens and their conversation binding', () => {
  const base = useApp({ DIRECTLINE_TOKEN_SECRET: SECRET, DIRECTLINE_TOKEN_TTL_SECONDS: '600' });

  it('when a token for conversation A reads or posts to conversation B, then it gets 403', async () => {
    const a = await startConversation(base());
    const b = await startConversation(base());
    const read = await activities(base(), b.conversationId, a.token);
    const post = await postText(base(), b.conversationId, a.token, 'hi');
    const reconnect = await call(base(), 'GET', `${DL}/conversations/${b.conversationId}?watermark=0`, { token: a.token });
    expect([read.status, post.status, reconnect.status]).toEqual([403, 403, 403]);
    expect(read.body).toEqual({ error: 'token is not valid for this conversation' });
    // Nothing reached B's log.
    const own = await activities(base(), b.conversationId, b.token);
    expect(own.body.activities.some((x: { text?: string }) => x.text === 'hi')).toBe(false);
  });

  it('when the token has expired, then every call gets 403 and a short JSON error', async () => {
    const { conversationId } = await generate(base());
    const past = new TokenService(SECRET, 600, () => Date.now() - 3600_000).issue(conversationId, 'dl_someone');
    for (const res of [
      await activities(base(), conversationId, past.token),
      await postText(base(), conversationId, past.token, 'hi'),
      await call(base(), 'POST', `${DL}/tokens/refresh`, { token: past.token }),
      await call(base(), 'POST', `${DL}/conversations`, { token: past.token }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'token expired' });
    }
  });

  it.each([
    ['no token at all', undefined],
    ['a random string', 'not-a-token'],
    ['a token signed with another secret', new TokenService('another-secret-another-secret-another!!', 600).issue('abc', 'dl_x').token],
  ])('when a call carries %s, then it gets 401', async (_name, token) => {
    const { conversationId } = await generate(base());
    const res = await activities(base(), conversationId, token as string);
    expect(res.status).toBe(401);
    expect(typeof res.body.error).toBe('string');
  });

  it('when a token is edited to name another conversation, then the signature fails and it gets 401', async () => {
    const a = await generate(base());
    const b = await generate(base());
    const [header, payload, signature] = a.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, conv: b.conversationId })).toString('base64url'), signature].join('.');
    const res = await activities(base(), b.conversationId, forged);
    expect(res.status).toBe(401);
  });

  it('when a page posts as the bot or as another user, then the activity is logged as the token user', async () => {
    const { conversationId, token } = await startConversation(base());
    const user = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).user;
    const posted = await postText(base(), conversationId, token, 'hello there', { from: { id: 'gbac-admissions-bot', name: 'GBAC admissions', role: 'bot' } });
    expect(posted.status).toBe(200);
    const log = await activities(base(), conversationId, token);
    const echo = log.body.activities.find((x: { id: string }) => x.id === posted.body.id);
    expect(echo.from).toEqual({ id: user, name: 'GBAC admissions', role: 'user' });
  });

  it('when tokens/refresh is called, then the new token expires later and keeps conversation and user', async () => {
    const issued = await generate(base());
    const refreshed = await call(base(), 'POST', `${DL}/tokens/refresh`, { token: issued.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ conversationId: issued.conversationId, token: expect.any(String), expires_in: 600 });
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
    expect(claims(refreshed.body.token).user).toBe(claims(issued.token).user);
  });
});
