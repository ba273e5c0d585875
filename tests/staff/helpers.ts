import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/app';
import type { NewHandoffRequest } from '../../src/core/handoff/handoffRequest';
import { hashPassword } from '../../src/staff/password';
import { startApp } from '../helpers/app';

/** Starting the service trains the recognizer: slow on a busy machine. */
export const START_TIMEOUT = 60_000;

export const PASSWORDS: Record<string, string> = {
  maria: 'maria-long-passphrase-1',
  devon: 'devon-long-passphrase-2',
  rate: 'rate-limited-passphrase-3',
};

let usersPromise: Promise<string> | undefined;
/** STAFF_USERS for the test staff, hashed at a low scrypt cost (the cost is in the hash; production uses the default). */
export function staffUsers(): Promise<string> {
  usersPromise ??= Promise.all(Object.entries(PASSWORDS).map(async ([login, pw]) => `${login}:${await hashPassword(pw, 1024)}`)).then((e) => e.join(','));
  return usersPromise;
}

export interface StaffApp {
  app: App;
  url: string;
}

/** The real service with the console on (and live chat when asked). */
export async function startStaffApp(env: Record<string, string> = {}): Promise<StaffApp> {
  return startApp({ STAFF_USERS: await staffUsers(), ...env });
}

export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(url: string, method: string, path: string, options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (method !== 'GET') {
    headers['content-type'] ??= 'application/json';
    body = options.body === undefined ? '{}' : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (the page)
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Log in and return the Cookie header value to send back. */
export async function login(url: string, who: string, password = PASSWORDS[who]!): Promise<string> {
  const res = await call(url, 'POST', '/staff/login', { body: { login: who, password } });
  if (res.status !== 200) throw new Error(`login ${who} failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A conversation reference as TurnContext.getConversationReference(activity) gives it. */
export function conversationReference(serviceUrl: string, conversationId: string, channelId = 'webchat') {
  return {
    activityId: 'a1',
    user: { id: `user-${conversationId}`, name: 'Visitor' },
    bot: { id: 'bot', name: 'GBAC bot' },
    conversation: { id: conversationId },
    channelId,
    locale: 'en-US',
    serviceUrl,
  };
}

export function newRequest(serviceUrl: string, conversationId: string, overrides: Partial<NewHandoffRequest> = {}): NewHandoffRequest {
  return {
    reason: 'asked-for-person',
    priority: 'normal',
    channel: 'webchat',
    conversationId,
    conversationReference: conversationReference(serviceUrl, conversationId),
    name: 'Sam',
    phone: '+16175550123',
    ...overrides,
  };
}

/** What the bot sent to a channel: a stand-in for the Bot Connector service. */
export interface Channel {
  url: string;
  received: Array<{ path: string; activity: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves once `count` activities have arrived in total. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startChannel(): Promise<Channel> {
  const received: Channel['received'] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '', activity: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      } catch {
        received.push({ path: req.url ?? '', activity: {} });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${received.length}` }));
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    waitFor: (count) => (received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the Reports tests' own conversations say that no report may carry: the phone numbers, a name, the messages. */
export const REPORT_SECRETS = ['617-555-0177', '6175550177', '555-0177', 'Dana', '6175550188', 'write me a poem', 'parking', 'kill myself', 'detox or residential', 'report-visitor'];

/**
 * Real conversations through the bot, each making known report counts: 4 answers of 4 kinds, a
 * screening started and completed (level detox), a callback request (asked-for-person), a crisis
 * reply (suicide) and an SMS opt-out, in 6 conversations. Returns the request filed.
 */
export async function makeReportConversations(url: string): Promise<{ requestReference: string }> {
  const { say, texts, REFERENCE } = await import('../helpers/visitor');
  const { activity, post } = await import('../helpers/app');
  const talk = async (conversation: string, lines: string[]) => {
    let last = '';
    for (const line of lines) last = texts(await say(url, conversation, line));
    return last;
  };
  // Answered outright, "I don't know" (a gap in the guide), declined (off-topic); "did you mean" on its own
  // (after "what is iop?", "detox or residential" reads as a follow-up and is answered).
  await talk('report-visitor-a', ['what is iop?', 'is there parking?', 'can you write me a poem about the ocean?']);
  await talk('report-visitor-e', ['detox or residential']);
  // The screening, the first choice each time, to its suggestion.
  let out = await talk('report-visitor-b', ['which program is right for me', 'yes']);
  for (let i = 0; i < 12 && !/Thank you for answering/.test(out); i++) out = await talk('report-visitor-b', ['1']);
  if (!/detox/i.test(out)) throw new Error(`the screening did not end with its suggestion: ${out}`);
  const filed = await talk('report-visitor-c', ['i want to talk to a person', 'Request a callback', 'Dana', '617-555-0177', 'Evening', 'Yes, contact me']);
  const reference = REFERENCE.exec(filed)?.[0];
  if (!reference) throw new Error(`no callback request was filed: ${filed}`);
  await talk('report-visitor-d', ['i want to kill myself']);
  const phone = '+16175550188';
  await post(url, activity({ text: 'STOP', channelId: 'sms', from: { id: phone }, conversation: { id: phone } }));
  return { requestReference: reference };
}
