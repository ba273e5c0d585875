import { TurnContext, type ConversationReference } from 'botbuilder';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { startApp } from '../helpers/app';
import { DL, activities, botTexts, call, postText, rawUpgrade, startConversation } from './client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivitySet = { activities: Array<Record<string, any>>; watermark: string };

/** A stream client that collects every frame, and waits (bounded) for one that matches. */
function openStream(streamUrl: string) {
  const ws = new WebSocket(streamUrl);
  const frames: ActivitySet[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    if (text) frames.push(JSON.parse(text));
    waiters.splice(0).forEach((w) => w());
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const all = () => frames.flatMap((f) => f.activities);
  async function until(predicate: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`stream never got ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  return { ws, frames, all, opened, until };
}

/** The status a refused upgrade answers with. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}

describe('Direct Line WebSocket stream, resume and proactive messages', () => {
  let app: App;
  let base = '';
  const references = new Map<string, Partial<ConversationReference>>();
  beforeAll(async () => {
    ({ app, url: base } = await startApp());
    // What the staff-takeover code does: keep the reference of a Direct Line turn.
    app.adapter.use(async (context, next) => {
      if (context.activity.channelId === 'directline') references.set(context.activity.conversation.id, TurnContext.getConversationReference(context.activity));
      await next();
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('when a WebSocket upgrade asks for a path outside /v3/directline/ (or no URL at all), then it gets 404 at once and the socket is closed', async () => {
    for (const target of ['/', '/api/messages', '/staff/api/requests', '/v3/directlinex/stream', 'http://[']) {
      expect(await rawUpgrade(base, target)).toBe(404);
    }
    // The malformed target did not bring the service down.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('when the page opens the stream, then it gets the welcome and then the answer to its question', async () => {
    const { conversationId, token, streamUrl } = await startConversation(base);
    const stream = openStream(streamUrl);
    await stream.opened;
    await stream.until(() => /admissions/i.test(botTexts(stream.all())), 'the welcome');
    await postText(base, conversationId, token, 'what is iop', { channelData: { clientActivityID: 'w-1' } });
    await stream.until(() => /intensive outpatient/i.test(botTexts(stream.all().slice(1))), 'the answer');
    const echo = stream.all().find((a) => a.channelData?.clientActivityID === 'w-1');
    expect(echo).toMatchObject({ text: 'what is iop', from: { role: 'user' } });
    const last = stream.frames.at(-1)!;
    expect(Number(last.watermark)).toBe(stream.all().length);
    stream.ws.close();
  });

  it('when the page reloads, then a refreshed token and the saved watermark give only newer activities, and watermark 0 the whole history', async () => {
    const { conversationId, token } = await startConversation(base);
    await postText(base, conversationId, token, 'what is iop');
    const seen = await activities(base, conversationId, token);
    const savedWatermark = seen.body.watermark as string;
    await postText(base, conversationId, token, 'how many days a week is iop');

    // Reload: a refreshed token, then GET /conversations/{id}?watermark= as directlinejs does.
    const refreshed = await call(base, 'POST', `${DL}/tokens/refresh`, { token });
    const reconnect = await call(base, 'GET', `${DL}/conversations/${conversationId}?watermark=${savedWatermark}`, { token: refreshed.body.token });
    expect(reconnect.status).toBe(200);
    expect(reconnect.body).toMatchObject({ conversationId, token: expect.any(String), expires_in: expect.any(Number) });
    expect(reconnect.body.streamUrl).toContain(`watermark=${savedWatermark}`);

    const stream = openStream(reconnect.body.streamUrl);
    await stream.opened;
    await stream.until(() => stream.all().length > 0, 'the backlog');
    const texts = stream.all().map((a) => a.text);
    expect(texts[0]).toBe('how many days a week is iop');
    expect(texts).not.toContain('what is iop');
    expect(botTexts(stream.all())).toMatch(/days/i);
    stream.ws.close();

    const history = await activities(base, conversationId, reconnect.body.token, '0');
    expect(history.body.activities.map((a: { text?: string }) => a.text)).toEqual(expect.arrayContaining(['what is iop', 'how many days a week is iop']));
    expect(botTexts(history.body.activities)).toMatch(/admissions/i);
  });

  it('when the bot sends a proactive message with a reference from a Direct Line turn, then it reaches the stream and the log', async () => {
    const { conversationId, token, streamUrl } = await startConversation(base);
    await postText(base, conversationId, token, 'hi');
    const reference = references.get(conversationId);
    expect(reference?.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/directline\/connector\//);

    const stream = openStream(streamUrl);
    await stream.opened;
    await app.adapter.continueConversationAsync('', reference!, async (context) => {
      await context.sendActivity('Hi, this is Dana from admissions. I am here now.');
    });
    await stream.until(() => stream.all().some((a) => a.text?.includes('Dana from admissions')), 'the proactive message');
    const proactive = stream.all().find((a) => a.text?.includes('Dana'))!;
    expect(proactive).toMatchObject({ type: 'message', from: { role: 'bot' }, conversation: { id: conversationId } });
    stream.ws.close();

    const log = await activities(base, conversationId, token);
    expect(log.body.activities.some((a: { text?: string }) => a.text?.includes('Dana'))).toBe(true);
    // The serviceUrl carries the connector routes' key: it never reaches the page.
    expect(JSON.stringify(log.body)).not.toContain('/directline/connector/');
  });

  it('when the bot updates an activity it sent, then the page gets the new version with the same id', async () => {
    const { conversationId, token, streamUrl } = await startConversation(base);
    await postText(base, conversationId, token, 'hi');
    let sentId = '';
    await app.adapter.continueConversationAsync('', references.get(conversationId)!, async (context) => {
      sentId = (await context.sendActivity('Waiting for a staff member…'))?.id ?? '';
    });
    const stream = openStream(streamUrl);
    await stream.opened;
    await app.adapter.continueConversationAsync('', references.get(conversationId)!, async (context) => {
      await context.updateActivity({ id: sentId, type: 'message', text: 'Dana joined the chat.' });
    });
    await stream.until(() => stream.all().some((a) => a.id === sentId && a.text === 'Dana joined the chat.'), 'the update');
    stream.ws.close();
  });

  it('when someone else calls the connector routes, then they are refused', async () => {
    const { conversationId } = await startConversation(base);
    const path = `/directline/connector/wrong-key/v3/conversations/${conversationId}/activities`;
    const wrongKey = await call(base, 'POST', path, { body: { type: 'message', text: 'spoof' } });
    expect(wrongKey.status).toBe(403);
    const rightKey = app.directLine!.serviceUrl().replace(/^http:\/\/[^/]+/, '');
    const proxied = await call(base, 'POST', `${rightKey}/v3/conversations/${conversationId}/activities`, {
      body: { type: 'message', text: 'spoof' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.status).toBe(403);
  });

  it('when the stream is opened with a bad, foreign or missing token, then the upgrade is refused', async () => {
    const a = await startConversation(base);
    const b = await startConversation(base);
    const wsBase = base.replace(/^http/, 'ws');
    expect(await upgradeStatus(`${wsBase}${DL}/conversations/${b.conversationId}/stream?t=${a.token}`)).toBe(403);
    expect(await upgradeStatus(`${wsBase}${DL}/conversations/${b.conversationId}/stream?t=forged.token.here`)).toBe(401);
    expect(await upgradeStatus(`${wsBase}${DL}/conversations/${b.conversationId}/stream`)).toBe(401);
    expect(await upgradeStatus(`${wsBase}${DL}/conversations/${b.conversationId}/stream?t=${b.token}&watermark=x`)).toBe(400);
    expect(await upgradeStatus(`${wsBase}${DL}/conversations/${b.conversationId}/stream?t=${b.token}`)).toBe(101);
  });
});
