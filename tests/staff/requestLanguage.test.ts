import type { App } from '../../src/app';
import { activity, post } from '../helpers/app';
import { REFERENCE } from '../helpers/visitor';
import { call, login, newRequest, startStaffApp, START_TIMEOUT } from './helpers';

const SERVICE = 'http://127.0.0.1:1/';

describe('staff API: the language to call back in', () => {
  let app: App;
  let url: string;
  let maria: string;
  beforeAll(async () => {
    ({ app, url } = await startStaffApp());
    maria = await login(url, 'maria');
  }, START_TIMEOUT);
  afterAll(() => app?.close());

  const say = async (conversation: string, text: string) => {
    const res = await post(url, activity({ text, conversation: { id: conversation }, from: { id: `visitor-${conversation}`, name: 'Visitor' } }));
    expect(res.status).toBe(200);
    return res.activities.map((a) => String(a.text ?? '')).join('\n');
  };

  /** A whole callback request through the bot, in a conversation whose language is already set (as the Spanish answering will set it). */
  async function callbackIn(conversation: string, language: 'en' | 'es' | undefined): Promise<string> {
    await say(conversation, 'hi');
    const key = `webchat/conversations/${conversation}`;
    const stored = (await app.stores.storage.read([key]))[key] as { admissions?: Record<string, unknown> };
    if (language) await app.stores.storage.write({ [key]: { ...stored, admissions: { ...stored.admissions, language }, eTag: '*' } });
    await say(conversation, 'talk to someone');
    await say(conversation, 'call me back');
    await say(conversation, 'Lucia');
    await say(conversation, '617 555 0142');
    await say(conversation, 'any time');
    expect(await say(conversation, 'yes')).toMatch(REFERENCE);
    const [request] = (await app.handoffs.store.listActive()).filter((r) => r.conversationId === conversation);
    return request!.id;
  }

  it('when a visitor answered in Spanish requests a callback, then the staff API gives the request in Spanish, in the list and on its page', async () => {
    const id = await callbackIn('lang-es-1', 'es');
    const detail = await call(url, 'GET', `/staff/api/requests/${id}`, { cookie: maria });
    expect(detail.body.request).toMatchObject({ language: 'es', languageName: 'Spanish', name: 'Lucia' });
    const list = await call(url, 'GET', '/staff/api/requests', { cookie: maria });
    expect(list.body.requests.find((r: { id: string }) => r.id === id)).toMatchObject({ language: 'es' });
  });

  it('when the conversation has no language set, then the request is English', async () => {
    const id = await callbackIn('lang-none-1', undefined);
    const detail = await call(url, 'GET', `/staff/api/requests/${id}`, { cookie: maria });
    expect(detail.body.request).toMatchObject({ language: 'en', languageName: 'English' });
  });

  it('when a request is created without a language (as the store default), then the API says English', async () => {
    const r = await app.handoffs.create(newRequest(SERVICE, 'lang-default-1'));
    const detail = await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria });
    expect(detail.body.request.language).toBe('en');
  });
});
