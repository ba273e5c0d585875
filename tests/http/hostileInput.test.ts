import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { App } from '../../src/app';
import { MAX_JSON_DEPTH, nestedTooDeep } from '../../src/http/jsonDepth';
import { createLogger } from '../../src/logger';
import { activity, post, readable, startApp } from '../helpers/app';
import { DL, call, startConversation } from '../directline/client';

/** Regressions for what the fuzz test (hostileInput.fuzz.test.ts) found, one deterministic case each. */

const APOLOGY = /something went wrong on my side/i;

describe('nestedTooDeep', () => {
  it('when brackets nest past the limit, then it says so; strings holding brackets and escaped quotes do not count', () => {
    expect(nestedTooDeep(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBe(false);
    expect(nestedTooDeep(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe(true);
    expect(nestedTooDeep(`{"text":"${'['.repeat(500)}\\"{{{{"}`)).toBe(false);
    expect(nestedTooDeep('{"a":{"b":[1,{"c":"]]]]"}]}}', 4)).toBe(false);
  });
});

/** A loopback "channel" that records what the bot posts to it. */
async function startChannel(): Promise<{ server: http.Server; url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      received.push(raw);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

describe('bad input the fuzz test found (auth off)', () => {
  let app: App;
  let url: string;
  let channel: Awaited<ReturnType<typeof startChannel>>;
  const errors: string[] = [];
  beforeAll(async () => {
    channel = await startChannel();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        errors.push(chunk.toString('utf8').slice(0, 300));
        done();
      },
    });
    ({ app, url } = await startApp({}, { logger: createLogger('error', sink) }));
  });
  afterEach(() => expect(errors.splice(0)).toEqual([]));
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => channel.server.close(() => resolve()));
  });

  it('when a conversation id holds control characters, then it gets 400 (the reply could never be sent: the id travels in a header)', async () => {
    const res = await post(url, activity({ text: 'hi', deliveryMode: undefined, serviceUrl: channel.url, conversation: { id: 'a\u0001b' } }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/conversation\.id/);
  });

  it('when conversation, from or locale have the wrong type, then it gets 400 instead of a turn that cannot answer', async () => {
    for (const overrides of [{ conversation: { id: 'c-types', isGroup: 18 } }, { from: { id: 'u', role: 7 } }, { locale: ['en'] }]) {
      const res = await post(url, activity({ text: 'hi', deliveryMode: undefined, serviceUrl: channel.url, ...overrides }));
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
  });

  it('when an invoke arrives (unknown, or adaptiveCard/action without a value), then it gets a 400 JSON error, not 501 or the apology', async () => {
    for (const name of ['composeExtension/query', 'adaptiveCard/action', undefined]) {
      const res = await post(url, activity({ type: 'invoke', name, deliveryMode: undefined, serviceUrl: channel.url, conversation: { id: `invoke-${name}` } }));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String) });
      expect(readable(res.activities)).not.toMatch(APOLOGY);
    }
  });

  it('when an activity nests JSON thousands of levels deep, then /api/messages and Direct Line answer 400, and the transcript still reads', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const viaMessages = await post(url, `{"type":"message","channelId":"webchat","conversation":{"id":"deep"},"deliveryMode":"expectReplies","text":"hi","value":${deep}}`);
    expect(viaMessages.status).toBe(400);
    expect(viaMessages.body.error).toMatch(/nested/);
    const { conversationId, token } = await startConversation(url);
    const posted = await call(url, 'POST', `${DL}/conversations/${conversationId}/activities`, { token, body: `{"type":"message","text":"hi","value":${deep}}` });
    expect(posted.status).toBe(400);
    const transcript = await call(url, 'GET', `${DL}/conversations/${conversationId}/activities`, { token });
    expect(transcript.status).toBe(200);
  });
});
