import nock from 'nock';
import { createApp, type App, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/config';

/** Start the real service in-process on a random port, with the network closed but for loopback. */
export async function startApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<{ app: App; url: string }> {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const app = createApp(loadConfig({ SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent', ...env }), options);
  const url = await app.listen(0, '127.0.0.1');
  return { app, url };
}

/**
 * Start the real service before the tests of a describe block and stop it after.
 * Returns a getter: the URL is only known once beforeAll has run.
 */
export function useApp(env: Record<string, string> = {}): () => string {
  let app: App | undefined;
  let url = '';
  beforeAll(async () => {
    ({ app, url } = await startApp(env));
  });
  afterAll(async () => {
    await app?.close();
    nock.enableNetConnect();
  });
  return () => url;
}

let seq = 0;
export function activity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: `a${seq}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1/',
    from: { id: 'visitor-1', name: 'Visitor' },
    recipient: { id: 'bot', name: 'GBAC bot' },
    conversation: { id: 'conv-1' },
    deliveryMode: 'expectReplies',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

export interface Replies {
  status: number;
  activities: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}, path = '/api/messages'): Promise<Replies> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, activities: parsed?.activities ?? [], body: parsed };
}

/** Everything a visitor would read in the replies: texts, card texts and button titles/values. */
export function readable(activities: Array<Record<string, any>>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.stringify(activities.map((a) => ({ text: a.text, attachments: a.attachments, suggestedActions: a.suggestedActions })));
}
