import * as path from 'node:path';
import type { App } from '../../src/app';
import { knowledgeDir } from '../../src/core/knowledge/load';
import { Screening } from '../../src/core/screening/screening';
import { activity, post } from '../helpers/app';
import { REFERENCE } from '../helpers/visitor';
import { call, login, newRequest, startStaffApp, START_TIMEOUT } from './helpers';

const SERVICE = 'http://127.0.0.1:1/';

describe('staff API: the request page (language to call back in, the screening summary written for staff)', () => {
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

  const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));
  const SECOND_PERSON = /\b(?:you|your|yours|yourself|you're|you've)\b/i;

  it('when a request carries a screening answered for someone else, then the API gives staff a summary in the third person: level, who answered, what was said', async () => {
    const result = screening.result(
      { substances: 'alcohol', frequency: 'daily', withdrawal: 'no', 'recent-care': 'no', 'tried-before': 'outpatient-not-enough', cravings: 'yes', 'daily-life': 'some', 'mental-health': 'manageable', home: 'yes', schedule: 'evening' },
      new Date(),
      new Date(),
      true,
    );
    const r = await app.handoffs.create(newRequest(SERVICE, 'summary-other-1', { screening: result, reason: 'screening-completed' }));
    const detail = await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria });
    const summary = detail.body.request.screening.staffSummary;
    expect(summary).toMatchObject({ suggested: 'Suggested: IOP', answeredBy: 'Answered for someone else', titles: { because: 'The visitor said', also: 'Also' } });
    expect(summary.because).toEqual(expect.arrayContaining(['uses every day or almost', "weekly therapy or outpatient wasn't enough", 'strong cravings; worried about relapse']));
    expect(summary.also).toContain('alcohol is the main substance');
    expect(summary.text).toMatch(/^Suggested: IOP\. Answered for someone else\. The visitor said: /);
    // Written for staff: never to the visitor, whatever the visitor was told ("their cravings are strong…").
    expect(JSON.stringify(summary)).not.toMatch(SECOND_PERSON);
    const list = await call(url, 'GET', '/staff/api/requests', { cookie: maria });
    expect(list.body.requests.find((x: { id: string }) => x.id === r.id).screening.staffSummary.text).toBe(summary.text);
  });

  it('when the visitor answered for themself, then the summary says so', async () => {
    const result = screening.result({ substances: 'cannabis', frequency: 'weekly', withdrawal: 'mild', medical: 'no', 'recent-care': 'no', 'tried-before': 'none', cravings: 'no', 'daily-life': 'little', 'mental-health': 'no', home: 'yes' }, new Date());
    const r = await app.handoffs.create(newRequest(SERVICE, 'summary-self-1', { screening: result }));
    const summary = (await call(url, 'GET', `/staff/api/requests/${r.id}`, { cookie: maria })).body.request.screening.staffSummary;
    expect(summary.answeredBy).toBe('Answered by the person seeking care');
    expect(result.level).toBe('outpatient');
    expect(summary.suggested).toBe('Suggested: Outpatient (OP)');
    expect(summary.text).not.toMatch(SECOND_PERSON);
  });
});
