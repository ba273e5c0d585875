import { request as httpRequest, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { clientIp, isLoopback } from '../../src/http/clientIp';
import { createLimiter } from '../../src/rateLimit';
import { activity, post, readable, startApp } from '../helpers/app';
import { DL, botTexts, call, postText, rawUpgrade, startConversation, activities } from '../directline/client';

const ADMISSIONS = '(877) 920-6583';
const CRISIS = 'i took a bunch of pills and i cant feel my legs';

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('clientIp', () => {
  it('when no proxy is trusted, then the socket peer is the client and X-Forwarded-For is ignored', () => {
    expect(clientIp(request('::ffff:203.0.113.5', { 'x-forwarded-for': '127.0.0.1' }), false)).toBe('203.0.113.5');
  });

  it('when the proxy is trusted, then the last X-Forwarded-For entry is the client, port stripped, and the spoofable leftmost is not used', () => {
    expect(clientIp(request('10.0.0.2', { 'x-forwarded-for': '127.0.0.1, 198.51.100.7:50123' }), true)).toBe('198.51.100.7');
    expect(clientIp(request('10.0.0.2', { 'x-forwarded-for': '[2001:db8::1]:443' }), true)).toBe('2001:db8::1');
  });

  it('when a trusted proxy sends no usable header, then the socket peer is used', () => {
    expect(clientIp(request('10.0.0.2', { 'x-forwarded-for': 'not-an-ip' }), true)).toBe('10.0.0.2');
    expect(clientIp(request('10.0.0.2'), true)).toBe('10.0.0.2');
  });

  it('when the address is 127.x or ::1, then it is loopback, and nothing else is', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback('unknown')).toBe(false);
  });
});

describe('createLimiter', () => {
  it('when the limit is 0, then there is no limiter', () => {
    expect(createLimiter(0, 'off')).toBeUndefined();
  });

  it('when a key goes over its minute and its burst, then it is refused with a wait, once flagged first, and other keys go on', async () => {
    const limiter = createLimiter(4, 'unit')!;
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await limiter.take('a'));
    // 4 a minute plus a burst of 2.
    expect(answers.slice(0, 6).every((a) => a.ok)).toBe(true);
    const [seventh, eighth] = answers.slice(6);
    expect(seventh).toEqual({ ok: false, retryAfterSeconds: expect.any(Number), first: true });
    expect(eighth).toMatchObject({ ok: false, first: false });
    expect(seventh!.ok === false && seventh!.retryAfterSeconds >= 1 && seventh!.retryAfterSeconds <= 60).toBe(true);
    expect(await limiter.take('b')).toEqual({ ok: true });
  });

  it('when the burst is turned off, then exactly the documented number a minute is allowed', async () => {
    const limiter = createLimiter(4, 'plain', { burst: false })!;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await limiter.take('a')).ok);
    expect(answers).toEqual([true, true, true, true, false]);
  });
});

/** Requests from a visitor's address, as a trusted proxy forwards them. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** A POST with the path sent byte for byte (fetch would normalize it), answering the status. */
function rawPost(base: string, path: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('per-IP rate limit on the public endpoints (auth off)', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ TRUST_PROXY: 'true', RATE_LIMIT_IP_PER_MINUTE: '4' }));
  });
  afterAll(() => app.close());

  it('when a non-loopback client goes over the limit on tokens/generate, then it gets 429 JSON with Retry-After from the first request past the documented rate, and another client does not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(url, 'POST', `${DL}/tokens/generate`, { headers: from('203.0.113.10') })).status);
    expect(statuses).toEqual([200, 200, 200, 200]); // RATE_LIMIT_IP_PER_MINUTE=4, no burst
    const res = await fetch(`${url}${DL}/tokens/generate`, { method: 'POST', headers: from('203.0.113.10') });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.json()).toEqual({ error: expect.any(String) });
    expect((await call(url, 'POST', `${DL}/tokens/generate`, { headers: from('203.0.113.11') })).status).toBe(200);
  });

  it('when a non-loopback client floods /api/messages (auth off), then it gets 429; a spelling no route serves stays 404', async () => {
    const ip = from('203.0.113.20');
    for (let i = 0; i < 4; i++) expect((await post(url, activity({ text: 'hi', conversation: { id: `ip-${i}` } }), ip)).status).toBe(200);
    expect((await post(url, activity({ text: 'hi' }), ip)).status).toBe(429);
    expect((await post(url, activity({ text: 'hi' }), ip, '/API/Messages')).status).toBe(404);
  });

  // Spellings the router serves as the real route: percent-escapes, ';' and '#' suffixes, '\' for '/'.
  const TOKEN_VARIANTS = [
    `${DL}/tokens/generate`,
    '/%763/directline/tokens/generate',
    '/v3/%64irectline/tokens/generate',
    `${DL}/tokens/generate;x`,
    '/v3\\directline/tokens/generate',
    `${DL}/tokens/%67enerate#x`,
  ];
  const MESSAGE_VARIANTS = ['/api/messages', '/%61pi/messages', '/api/%6d%65ssages', '/api/messages;x', '/api\\messages', '/api/messages#x'];

  it('when a client spreads Direct Line calls over encoded spellings of the path, then each counts against one budget and each gets 429 once it is spent', async () => {
    const ip = from('203.0.113.30');
    const spending = [];
    for (const path of TOKEN_VARIANTS.slice(1, 5)) spending.push(await rawPost(url, path, {}, ip));
    expect(spending).toEqual([200, 200, 200, 200]);
    const after = [];
    for (const path of TOKEN_VARIANTS) after.push(await rawPost(url, path, {}, ip));
    expect(after).toEqual([429, 429, 429, 429, 429, 429]);
  });

  it('when a client spreads /api/messages over encoded spellings of the path (auth off), then each counts against one budget and each gets 429 once it is spent', async () => {
    const ip = from('203.0.113.31');
    const spending = [];
    for (const [i, path] of MESSAGE_VARIANTS.slice(1, 5).entries()) spending.push(await rawPost(url, path, activity({ text: 'hi', conversation: { id: `variant-${i}` } }), ip));
    expect(spending).toEqual([200, 200, 200, 200]);
    const after = [];
    for (const path of MESSAGE_VARIANTS) after.push(await rawPost(url, path, activity({ text: 'hi' }), ip));
    expect(after).toEqual([429, 429, 429, 429, 429, 429]);
  });

  it('when a loopback client sends more than the limit, then it is never throttled', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await call(url, 'POST', `${DL}/tokens/generate`)).status);
    expect([...statuses]).toEqual([200]);
  });

  it('when the health endpoints are called by a throttled client, then they still answer', async () => {
    const res = await fetch(`${url}/healthz`, { headers: from('203.0.113.10') });
    expect(res.status).toBe(200);
  });
});

describe('per-IP rate limit with the client address injected, no proxy trusted', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ RATE_LIMIT_IP_PER_MINUTE: '2' }, { clientIp: (req) => String(req.headers['x-test-client'] ?? '127.0.0.1') }));
  });
  afterAll(() => app.close());

  it('when the injected address is a visitor, then it is limited; a loopback request through an untrusted proxy is not exempt', async () => {
    const visitor = { 'x-test-client': '198.51.100.3' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(url, 'POST', `${DL}/tokens/generate`, { headers: visitor })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    // 127.0.0.1 with X-Forwarded-For: a proxy on this host that TRUST_PROXY does not vouch for.
    const proxied: number[] = [];
    for (let i = 0; i < 4; i++) proxied.push((await call(url, 'POST', `${DL}/tokens/generate`, { headers: { 'x-forwarded-for': '203.0.113.1' } })).status);
    expect(proxied).toEqual([200, 200, 429, 429]);
  });

  it('when one address opens Direct Line streams past its budget, then the extra upgrades get 429 with Retry-After, and loopback is still let in', async () => {
    const { streamUrl } = await startConversation(url); // from loopback: exempt
    const upgrade = (headers: Record<string, string>) =>
      new Promise<{ status: number; retryAfter?: string }>((resolve) => {
        const ws = new WebSocket(streamUrl, { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
          ws.terminate();
        });
        ws.on('open', () => {
          resolve({ status: 101 });
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    const visitor = { 'x-test-client': '198.51.100.9' };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await upgrade(visitor));
    expect(results.map((r) => r.status)).toEqual([101, 101, 429, 429]);
    expect(Number(results[3]!.retryAfter)).toBeGreaterThan(0);
    expect((await upgrade({})).status).toBe(101);
  });

  it('when one address sends WebSocket upgrades to other paths, then each is refused and counted: past the budget 429, its Direct Line stream too', async () => {
    const visitor = { 'x-test-client': '198.51.100.21' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await rawUpgrade(url, '/not-a-stream', visitor));
    expect(statuses).toEqual([404, 404, 429, 429]); // the budget is 2 a minute here, with no burst on top
    const { streamUrl } = await startConversation(url); // from loopback: exempt
    const stream = new URL(streamUrl);
    expect(await rawUpgrade(url, `${stream.pathname}${stream.search}`, visitor)).toBe(429);
  });
});

describe('per-IP rate limit with auth on', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({
      TRUST_PROXY: 'true',
      RATE_LIMIT_IP_PER_MINUTE: '2',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
      LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!',
    }));
  });
  afterAll(() => app.close());

  it('when many requests reach /api/messages from one address, then none is throttled (the Bot Connector sends them), while Direct Line still is', async () => {
    const messages = new Set<number>();
    for (let i = 0; i < 6; i++) messages.add((await post(url, activity({ text: 'hi' }), from('52.112.0.9'))).status);
    expect([...messages]).toEqual([401]);
    const tokens: number[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await call(url, 'POST', `${DL}/tokens/generate`, { headers: from('52.112.0.9') })).status);
    expect(tokens).toEqual([200, 200, 429, 429]);
  });
});

describe('per-conversation rate limit', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    // 2 a minute plus a burst of 1: the fourth message in a conversation is over.
    ({ app, url } = await startApp({ RATE_LIMIT_CONVERSATION_PER_MINUTE: '2' }));
  });
  afterAll(() => app.close());

  const say = (conversation: string, text: string, extra: Record<string, unknown> = {}) =>
    post(url, activity({ text, conversation: { id: conversation }, ...extra }));

  it('when a visitor sends too fast, then they get the friendly reply with the admissions number and nothing else', async () => {
    // Three different questions: the same one asked twice running gets a short pointer, not the paragraph again.
    for (const q of ['what is iop', 'what is php', 'what is iop']) expect(readable((await say('fast-1', q)).activities)).toMatch(/intensive outpatient|partial hospitali[sz]ation/i);
    const res = await say('fast-1', 'what is iop');
    expect(res.status).toBe(200);
    expect(res.activities).toHaveLength(1);
    expect(res.activities[0]!.text).toMatch(/faster than I can answer/);
    expect(readable(res.activities)).toContain(ADMISSIONS);
    expect(readable(res.activities)).not.toMatch(/intensive outpatient/i);
  });

  it('when a rate-limited visitor sends a crisis message, then the emergency guidance is still sent', async () => {
    for (let i = 0; i < 4; i++) await say('fast-2', 'hello');
    expect((await say('fast-2', 'what is iop')).activities[0]!.text).toMatch(/faster than I can answer/);
    const res = await say('fast-2', CRISIS);
    expect(readable(res.activities)).toMatch(/911/);
    expect(readable(res.activities)).not.toMatch(/faster than I can answer/);
  });

  it('when one conversation is rate-limited, then another conversation is answered as usual', async () => {
    for (let i = 0; i < 5; i++) await say('fast-3', 'what is iop');
    expect(readable((await say('calm-1', 'what is iop')).activities)).toMatch(/intensive outpatient/i);
  });

  it('when a rate-limited turn is refused, then the conversation state is left exactly as it was', async () => {
    // Three turns are allowed: the screening starts and its first question is answered.
    await say('fast-4', 'which program is right for me');
    await say('fast-4', 'yes');
    await say('fast-4', 'alcohol');
    const key = 'webchat/conversations/fast-4';
    const before = app.stores.storage.readJson?.(key)?.json;
    expect(before).toMatch(/screening/);
    expect((await say('fast-4', 'start over')).activities[0]!.text).toMatch(/faster than I can answer/);
    expect((await say('fast-4', 'forget me')).activities[0]!.text).toMatch(/faster than I can answer/);
    expect(app.stores.storage.readJson?.(key)?.json).toBe(before);
  });

  it('when an SMS number that opted out goes over the limit, then it hears nothing, and STOP is still honoured', async () => {
    const sms = (text: string, id: string) => say(`sms-${id}`, text, { channelId: 'sms', from: { id } });
    expect((await sms('STOP', '+16175550111')).activities[0]?.text).toMatch(/unsubscribed/i);
    for (let i = 0; i < 3; i++) await sms('what is iop', '+16175550111');
    expect((await sms('what is iop', '+16175550111')).activities).toHaveLength(0);
    for (let i = 0; i < 3; i++) await sms('what is iop', '+16175550112');
    expect((await sms('what is iop', '+16175550112')).activities[0]?.text).toMatch(/faster than I can answer/);
    expect((await sms('STOP', '+16175550112')).activities[0]?.text).toMatch(/unsubscribed/i);
  });

  it('when a Direct Line visitor sends too fast, then each post is counted once, the one over the limit gets 429 and is not kept, and the page gets the friendly reply', async () => {
    const { conversationId, token } = await startConversation(url);
    // Counted once each (before logging, not again in the turn): all three are answered.
    for (let i = 0; i < 3; i++) expect((await postText(url, conversationId, token, `what is iop ${i}`)).status).toBe(200);
    const over = await call(url, 'POST', `${DL}/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'over the limit xyzzy' } });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ error: expect.any(String) });
    const log = await activities(url, conversationId, token);
    // Only the fourth was asked to slow down.
    expect(botTexts(log.body.activities).match(/faster than I can answer/g)).toHaveLength(1);
    expect(JSON.stringify(log.body)).not.toContain('xyzzy');
  });

  it('when a Direct Line visitor over the limit sends a crisis message, then the emergency guidance still reaches the page', async () => {
    const { conversationId, token } = await startConversation(url);
    for (let i = 0; i < 4; i++) await postText(url, conversationId, token, 'hello');
    expect((await postText(url, conversationId, token, CRISIS)).status).toBe(429);
    const log = await activities(url, conversationId, token);
    expect(botTexts(log.body.activities)).toMatch(/911/);
  });
});
