import nock from 'nock';
import { loadConfig } from '../../src/config';
import { useApp } from '../helpers/app';
import { DL, call } from './client';

const SECRET = 'azure-direct-line-secret-value-0123';
const AZURE = 'https://directline.botframework.com';

describe('Direct Line token endpoint with an Azure secret', () => {
  const base = useApp({ DIRECTLINE_SECRET: SECRET });
  afterEach(() => nock.cleanAll());

  it('when the page asks for a token, then the server exchanges the secret with Azure and returns only the token', async () => {
    let sentUser = '';
    const azure = nock(AZURE)
      .post('/v3/directline/tokens/generate', (body: { user?: { id?: string } }) => {
        sentUser = body.user?.id ?? '';
        return true;
      })
      .matchHeader('authorization', `Bearer ${SECRET}`)
      .reply(200, { conversationId: 'AzConv-1', token: 'azure.conversation.token', expires_in: 3600 });
    const res = await call(base(), 'POST', `${DL}/tokens/generate`, { body: { user: { id: 'chosen-by-page' } } });
    expect(azure.isDone()).toBe(true);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ conversationId: 'AzConv-1', token: 'azure.conversation.token', expires_in: 3600, domain: `${AZURE}/v3/directline` });
    expect(sentUser).toMatch(/^dl_/);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });

  it.each([
    ['Azure refuses the secret', () => nock(AZURE).post('/v3/directline/tokens/generate').reply(403, { error: { code: 'BadArgument', message: `bad ${SECRET}` } })],
    ['Azure answers something else', () => nock(AZURE).post('/v3/directline/tokens/generate').reply(200, { hello: SECRET })],
    ['Azure cannot be reached', () => nock(AZURE).post('/v3/directline/tokens/generate').replyWithError('connect ECONNREFUSED')],
  ])('when %s, then the page gets a 502 that names neither the secret nor the details', async (_name, arrange) => {
    arrange();
    const res = await call(base(), 'POST', `${DL}/tokens/generate`);
    expect(res.status).toBe(502);
    expect(typeof res.body.error).toBe('string');
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
  });
});

describe('Direct Line switched off', () => {
  const base = useApp({ DIRECTLINE_ENABLED: 'false' });

  it('when DIRECTLINE_ENABLED is false, then the endpoint is not there', async () => {
    const res = await call(base(), 'POST', `${DL}/tokens/generate`);
    expect(res.status).toBe(404);
  });
});

describe('Direct Line configuration', () => {
  it('when the token secret is too short, then start-up names the variable without showing it', () => {
    expect(() => loadConfig({ DIRECTLINE_TOKEN_SECRET: 'short' })).toThrow(/^Configuration error: DIRECTLINE_TOKEN_SECRET must be at least 32 characters$/);
  });

  it('when an allowed origin is not an origin, then start-up names DIRECTLINE_ALLOWED_ORIGINS', () => {
    expect(() => loadConfig({ DIRECTLINE_ALLOWED_ORIGINS: 'https://ok.example, www.nope.example/path' })).toThrow(/DIRECTLINE_ALLOWED_ORIGINS must be origins/);
  });

  it('when nothing is set, then Direct Line is on with 30-minute tokens', () => {
    const config = loadConfig({ SQLITE_PATH: ':memory:' });
    expect([config.DIRECTLINE_ENABLED, config.DIRECTLINE_TOKEN_TTL_SECONDS, config.DIRECTLINE_SECRET]).toEqual([true, 1800, undefined]);
  });
});
