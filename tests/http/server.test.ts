import { generateKeyPairSync, sign } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
// Not re-exported by the package: the key lookup of the Bot Framework's token validation.
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import type { App } from '../../src/app';
import { activity, post, readable, startApp, useApp } from '../helpers/app';

describe('POST /api/messages', () => {
  const base = useApp();

  it('when a visitor joins, then the welcome says who the bot is and that it is not for emergencies', async () => {
    const res = await post(base(), activity({ type: 'conversationUpdate', membersAdded: [{ id: 'visitor-1' }], conversation: { id: 'welcome-1' } }));
    expect(res.status).toBe(200);
    const text = res.activities.map((a) => a.text).join(' ');
    expect(text).toMatch(/admissions/i);
    expect(text).toMatch(/911/);
    expect(text).toMatch(/988/);
    expect(res.activities[0]?.suggestedActions?.actions?.length).toBeGreaterThan(0);
  });

  it('when a message is sent with expectReplies, then the answer comes back in the HTTP response', async () => {
    const res = await post(base(), activity({ text: 'how many days a week is iop', conversation: { id: 'faq-1' } }));
    expect(res.status).toBe(200);
    expect(res.activities[0]?.text).toMatch(/3(–| to |-)5 (treatment )?days/i);
  });

  it('when the body is not JSON, then it gets a short 400 JSON error', async () => {
    const res = await post(base(), '{"type": "message", oops');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'malformed JSON' });
  });

  it.each([
    ['an array', []],
    ['a string', '"hello"'],
    ['no type', { channelId: 'webchat', conversation: { id: 'x' } }],
    ['no conversation', { type: 'message', channelId: 'webchat' }],
    ['a numeric type', { type: 5, channelId: 'webchat', conversation: { id: 'x' } }],
    ['membersAdded that is not a list', { type: 'conversationUpdate', channelId: 'webchat', conversation: { id: 'x' }, membersAdded: 'everyone' }],
  ])('when the activity is %s, then it gets a 400 naming the problem', async (_name, body) => {
    const res = await post(base(), body);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
  });

  it('when the body is over the size limit, then it gets a 413 and the server keeps serving', async () => {
    const res = await post(base(), activity({ text: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    const next = await post(base(), activity({ text: 'what is iop', conversation: { id: 'after-413' } }));
    expect(next.status).toBe(200);
  });

  it('when an unknown activity type arrives, then it is accepted quietly', async () => {
    const res = await post(base(), activity({ type: 'somethingNew', conversation: { id: 'unknown-1' } }));
    expect(res.status).toBe(200);
  });

  it.each([
    ['an empty message', { text: '' }, /empty|what would you like/i],
    ['only spaces', { text: '    ' }, /empty|what would you like/i],
    ['an attachment only', { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1/x.png' }] }, /image|file|attach/i],
    ['a huge message', { text: 'word '.repeat(5000) }, /long|one question/i],
  ])('when a visitor sends %s, then the reply is polite', async (_name, fields, pattern) => {
    const res = await post(base(), activity({ ...fields, conversation: { id: `odd-${_name}` } }));
    expect(res.status).toBe(200);
    expect(res.activities[0]?.text).toMatch(pattern);
  });

  it('when a visitor sends only emoji, then the bot answers without crashing', async () => {
    const res = await post(base(), activity({ text: '🙏🙏🙏', conversation: { id: 'emoji-1' } }));
    expect(res.status).toBe(200);
    expect(res.activities.length).toBeGreaterThan(0);
  });

  it('when a visitor asks for a person on web chat, then the admissions line is a tel: button', async () => {
    const res = await post(base(), activity({ text: 'I want to talk to a real person', conversation: { id: 'human-1' } }));
    expect(readable(res.activities)).toContain('tel:+18779206583');
    expect(res.activities[0]?.text).toContain('(877) 920-6583');
    const handoff = res.activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(handoff?.value).toMatchObject({ reason: 'asked-for-person', channel: 'webchat' });
  });

  it('when a visitor asks for a person by SMS, then the number is plain text with no buttons', async () => {
    const res = await post(base(), activity({ channelId: 'sms', text: 'talk to someone', conversation: { id: 'human-sms' } }));
    const reply = res.activities[0]!;
    expect(reply.text).toContain('920-6583');
    expect(reply.attachments ?? []).toHaveLength(0);
    expect(reply.suggestedActions).toBeUndefined();
  });

  it('when the bot is asked about insurance, then it does not invent an answer and offers admissions', async () => {
    const res = await post(base(), activity({ text: 'do you take blue cross insurance', conversation: { id: 'gap-1' } }));
    expect(res.activities[0]?.text).toContain('(877) 920-6583');
  });

  it('when auth is off and the serviceUrl is not local, then the activity is refused', async () => {
    const res = await post(base(), activity({ deliveryMode: undefined, serviceUrl: 'https://attacker.example.com/', conversation: { id: 'ssrf-1' } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/serviceUrl/);
  });

  it('when the health endpoints are called, then they report ok and ready', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('when a route does not exist, then it is a 404 and nothing is echoed', async () => {
    const res = await fetch(`${base()}/nope/<script>`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<script>');
  });
});

describe('replies sent to the channel (normal delivery, as the Emulator does)', () => {
  let app: App;
  let url: string;
  let channel: http.Server;
  const received: Array<{ url: string; body: Record<string, unknown> }> = [];
  beforeAll(async () => {
    ({ app, url } = await startApp());
    channel = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `r${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => channel.close(() => resolve()));
    nock.enableNetConnect();
  });

  it('when an activity comes without expectReplies, then the reply is posted back to the local serviceUrl', async () => {
    const port = (channel.address() as AddressInfo).port;
    const res = await post(url, activity({ deliveryMode: undefined, serviceUrl: `http://127.0.0.1:${port}/`, text: 'what is php', conversation: { id: 'emu-1' } }));
    expect(res.status).toBe(200);
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]!.url).toContain('/v3/conversations/emu-1/activities');
    expect(String(received[0]!.body.text)).toMatch(/partial hospitali[sz]ation/i);
  });
});

const APP_ID = '00000000-0000-0000-0000-000000000001';

/** An RS256 JWT shaped like the Bot Connector's, signed with a key nobody trusts. */
function forgedConnectorToken(appId: string, serviceUrl: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${part({ iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600 })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

describe('with an app id (auth on)', () => {
  const base = useApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', LOG_ID_SECRET: 'a-log-id-secret-of-32-characters!' });

  it('when a request has no Authorization header, then it gets 401', async () => {
    const res = await post(base(), activity({ text: 'hi' }));
    expect(res.status).toBe(401);
  });

  it('when a request has a forged bearer token, then it gets 401', async () => {
    const res = await post(base(), activity({ text: 'hi' }), { authorization: 'Bearer not.a.jwt' });
    expect(res.status).toBe(401);
  });

  it('when a token is another scheme or a well-formed JWT signed with an unknown key, then it gets 401 and the bot sends nothing anywhere', async () => {
    const received: string[] = [];
    const channel = http.createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
    const outbound: string[] = [];
    const record = (req: { hostname?: string }) => outbound.push(String(req.hostname));
    nock.emitter.on('no match', record);
    // The Bot Framework's published keys do not include the forged one (stubbed: no network in tests).
    const getKey = jest.spyOn(OpenIdMetadata.prototype, 'getKey').mockResolvedValue(null);
    try {
      const body = activity({ text: 'I want to talk to a person', deliveryMode: undefined, serviceUrl, conversation: { id: 'auth-on-forged' } });
      for (const authorization of ['Basic YTpi', `Bearer ${forgedConnectorToken(APP_ID, serviceUrl)}`]) {
        const res = await post(base(), body, { authorization });
        expect(res.status).toBe(401);
        expect(res.activities).toEqual([]);
      }
      expect(received).toEqual([]);
      expect(getKey).toHaveBeenCalledWith('forged-key');
      // Nothing went out but the test's own loopback requests.
      expect(outbound.filter((host) => host !== '127.0.0.1')).toEqual([]);
    } finally {
      getKey.mockRestore();
      nock.emitter.removeListener('no match', record);
      await new Promise<void>((resolve) => channel.close(() => resolve()));
    }
  });
});

describe('SMS keywords over /api/messages', () => {
  const base = useApp();
  const sms = (text: string, from = '+16175550123') => post(base(), activity({ channelId: 'sms', text, from: { id: from }, conversation: { id: `sms-${from}` } }));

  it('when a texter sends HELP, then the reply is plain text with the admissions number and how to opt out', async () => {
    const res = await sms('HELP');
    expect(res.activities[0]?.text).toContain('(877) 920-6583');
    expect(res.activities[0]?.text).toMatch(/STOP/);
    expect(res.activities[0]?.attachments ?? []).toHaveLength(0);
  });

  it('when a texter sends STOP, then one confirmation is sent and nothing after, until START', async () => {
    const from = '+16175550199';
    expect((await sms('STOP', from)).activities[0]?.text).toMatch(/unsubscribed/i);
    expect((await sms('STOP', from)).activities).toHaveLength(0);
    expect((await sms('what is iop', from)).activities).toHaveLength(0);
    expect((await sms('HELP', from)).activities).toHaveLength(0);
    expect((await sms('START', from)).activities[0]?.text).toMatch(/subscribed again/i);
    expect((await sms('what is iop', from)).activities[0]?.text).toMatch(/intensive outpatient/i);
  });

  it('when an opted-out texter sends a crisis message, then the emergency guidance is still sent', async () => {
    const from = '+16175550177';
    await sms('STOP', from);
    const res = await sms('i took a bunch of pills and i cant feel my legs', from);
    expect(res.activities[0]?.text).toMatch(/911/);
  });
});
