import { useApp } from '../helpers/app';
import { DL, call, startConversation } from './client';

describe('Direct Line endpoint with bad input', () => {
  const base = useApp({ MAX_BODY_BYTES: '4096', DIRECTLINE_ALLOWED_ORIGINS: 'https://www.gbac.example' });
  let conversationId = '';
  let token = '';
  beforeAll(async () => {
    ({ conversationId, token } = await startConversation(base()));
  });
  const postRaw = (body: unknown) => call(base(), 'POST', `${DL}/conversations/${conversationId}/activities`, { token, body });

  it.each([
    ['malformed JSON', '{"type": "message", oops', 400],
    ['an empty body', '', 400],
    ['an array', [], 400],
    ['no type', { text: 'hi' }, 400],
    ['a conversationUpdate from the page', { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] }, 400],
    ['an invoke from the page', { type: 'invoke', name: 'handoff' }, 400],
    ['a numeric text', { type: 'message', text: 42 }, 400],
    ['attachments that are not a list', { type: 'message', attachments: 'file' }, 400],
    ['a body over the size limit', { type: 'message', text: 'x'.repeat(8000) }, 413],
  ])('when the posted activity is %s, then it gets %i with a JSON error', async (_name, body, status) => {
    const res = await postRaw(body === '' ? ' ' : body);
    expect(res.status).toBe(status);
    expect(typeof res.body.error).toBe('string');
  });

  it.each(['abc', '-5', '1.5', '99999999999999999999'])('when the watermark is %p, then polling gets 400', async (watermark) => {
    const res = await call(base(), 'GET', `${DL}/conversations/${conversationId}/activities?watermark=${watermark}`, { token });
    expect(res.status).toBe(400);
  });

  it('when tokens/generate gets a malformed body, then it gets 400', async () => {
    const res = await call(base(), 'POST', `${DL}/tokens/generate`, { body: '{nope' });
    expect(res.status).toBe(400);
  });

  it('when the page tries to upload a file, then it gets 415 and the conversation goes on', async () => {
    const res = await call(base(), 'POST', `${DL}/conversations/${conversationId}/upload?userId=x`, { token, body: 'binary', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(res.status).toBe(415);
    const next = await postRaw({ type: 'message', text: 'what is iop' });
    expect(next.status).toBe(200);
  });

  it('when the conversation id in the path is odd, then the token check answers 403, not a crash', async () => {
    const res = await call(base(), 'GET', `${DL}/conversations/${encodeURIComponent('../../etc')}/activities`, { token });
    expect(res.status).toBe(403);
  });

  it('when a listed site preflights a Direct Line call, then CORS allows its origin and the headers directlinejs sends', async () => {
    const res = await fetch(`${base()}${DL}/conversations/${conversationId}/activities`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.gbac.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-ms-bot-agent' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.gbac.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Content-Type.*x-ms-bot-agent/i);
    const get = await call(base(), 'GET', `${DL}/conversations/${conversationId}/activities`, { token, headers: { origin: 'https://www.gbac.example' } });
    expect(get.status).toBe(200);
  });

  it('when another site preflights, then it gets no CORS permission', async () => {
    const res = await fetch(`${base()}${DL}/tokens/generate`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
