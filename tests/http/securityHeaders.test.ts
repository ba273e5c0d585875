import type { IncomingMessage } from 'node:http';
import type { App } from '../../src/app';
import { servedOverHttps } from '../../src/http/securityHeaders';
import { activity, startApp } from '../helpers/app';
import { DL } from '../directline/client';

const YEAR = 'max-age=31536000';

function request(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { socket: { encrypted }, headers } as unknown as IncomingMessage;
}

describe('servedOverHttps', () => {
  it('when the server itself is TLS, then the request is https, proxy or not', () => {
    expect(servedOverHttps(request({}, true), false)).toBe(true);
  });

  it('when X-Forwarded-Proto says https, then it is believed only with TRUST_PROXY, from its last hop', () => {
    expect(servedOverHttps(request({ 'x-forwarded-proto': 'https' }), true)).toBe(true);
    expect(servedOverHttps(request({ 'x-forwarded-proto': 'https' }), false)).toBe(false);
    // The client's own claim first, what the trusted proxy saw last.
    expect(servedOverHttps(request({ 'x-forwarded-proto': 'https, http' }), true)).toBe(false);
    expect(servedOverHttps(request({}), true)).toBe(false);
  });
});

describe('security headers on the service (TRUST_PROXY=true)', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ TRUST_PROXY: 'true' }));
  });
  afterAll(() => app.close());

  const https = { 'x-forwarded-proto': 'https' };
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it.each([
    ['/api/messages', () => activity({ text: 'what is iop' })],
    [`${DL}/tokens/generate`, () => ({})],
  ])('when %s answers with JSON, then it carries nosniff', async (path, body) => {
    const res = await postJson(path, body());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a request is refused (400, 404), then the JSON error carries nosniff too', async () => {
    const bad = await postJson('/api/messages', { type: 'message' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${url}/v3/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when the trusted proxy says the visitor came over https, then every answer carries HSTS', async () => {
    for (const res of [await postJson('/api/messages', activity({ text: 'hi' }), https), await postJson(`${DL}/tokens/generate`, {}, https), await fetch(`${url}/`, { headers: https })]) {
      expect(res.headers.get('strict-transport-security')).toBe(YEAR);
    }
  });

  it('when the request came over plain http, then there is no HSTS', async () => {
    const res = await postJson(`${DL}/tokens/generate`, {});
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
