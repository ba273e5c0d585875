import { Writable } from 'node:stream';
import pino from 'pino';
import type { App } from '../src/app';
import { activity, post, startApp } from './helpers/app';
import { call, login, staffUsers, START_TIMEOUT } from './staff/helpers';

/**
 * The whole service at LOG_LEVEL=info, driven through every surface a visitor or
 * staff member uses (FAQ, screening, callback request with name and number, crisis,
 * SMS with the phone number as ids, Direct Line, staff console with a note, bad
 * input): the log must carry none of what was typed and no phone number.
 */
describe('logs of the whole service at info level', () => {
  const lines: string[] = [];
  let app: App;
  let url: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    ({ app, url } = await startApp({ LOG_LEVEL: 'info', STAFF_USERS: await staffUsers() }, { logger }));
  }, START_TIMEOUT);
  afterAll(async () => {
    await app?.close();
  });

  const PHONE_DIGITS = ['6175550142', '617-555-0142', '555-0142', '8575550199', '857 555 0199'];
  const typed: string[] = [];
  const say = async (text: string, overrides: Record<string, unknown> = {}) => {
    typed.push(text);
    return post(url, activity({ text, ...overrides }));
  };

  it('when visitors and staff use every surface, then no message text, name or phone number is logged at info', async () => {
    const web = { conversation: { id: 'privacy-web' } };
    for (const t of ['hello there', 'do you accept my secret insurance plan', 'which program is right for me', 'yes', 'alcohol', 'every day']) await say(t, web);
    const callback = { conversation: { id: 'privacy-callback' } };
    for (const t of ['talk to a person', 'Request a callback', 'Roberta', '(857) 555 0199', 'after my shift ends', 'yes']) await say(t, callback);
    await say('i took all my pills and feel strange', { conversation: { id: 'privacy-crisis' } });
    const sms = { channelId: 'sms', from: { id: '+16175550142' }, conversation: { id: '+16175550142' } };
    for (const t of ['HELP', 'my neighbor Bartholomew drinks', 'STOP']) await say(t, sms);
    await say('forget me', web);

    // Direct Line: a token, a conversation, a message.
    const token = await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST' }).then((r) => r.json() as Promise<{ token: string; conversationId: string }>);
    typed.push('directline private words about relapse');
    await fetch(`${url}/v3/directline/conversations/${token.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: 'x' }, text: 'directline private words about relapse' }),
    });

    // Staff: log in, claim the callback request, add a note with a number in it.
    const cookie = await login(url, 'maria');
    const [request] = await app.handoffs.store.listActive();
    expect(request).toBeDefined();
    await call(url, 'POST', `/staff/api/requests/${request!.id}/claim`, { cookie });
    typed.push('left voicemail for Roberta at 857-555-0199');
    await call(url, 'POST', `/staff/api/requests/${request!.id}/notes`, { cookie, body: { note: 'left voicemail for Roberta at 857-555-0199' } });

    // Bad input.
    await post(url, '{"type":"message","text":"broken json with my name Roberta');

    const log = lines.join('\n').toLowerCase();
    expect(lines.length).toBeGreaterThan(10);
    for (const digits of PHONE_DIGITS) expect(log).not.toContain(digits);
    for (const t of typed.filter((t) => t.length > 8)) expect(log).not.toContain(t.toLowerCase());
    for (const name of ['roberta', 'bartholomew']) expect(log).not.toContain(name);
  });
});
