import * as path from 'node:path';
import type { App } from '../../src/app';
import { knowledgeDir } from '../../src/core/knowledge/load';
import { Screening } from '../../src/core/screening/screening';
import { activity, post } from '../helpers/app';
import { RECENT_CHARS, RECENT_MESSAGES } from '../../src/core/handoff/excerpt';
import { REFERENCE } from '../helpers/visitor';
import { call, login, newRequest, startStaffApp, START_TIMEOUT } from './helpers';

const SERVICE = 'http://127.0.0.1:1/';
const SHARE_QUESTION = /see your last few messages here/;

describe('staff API: the request page (language to call back in, the screening summary written for staff, the messages the visitor chose to share)', () => {
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

  // The conversation excerpt: the visitor's last few messages, on the request only with their yes.
  /** The visitor writes these, then files a callback; the reply with the reference is returned. */
  async function fileCallback(conversation: string, before: string[]): Promise<string> {
    for (const text of before) await say(conversation, text);
    await say(conversation, 'talk to a person');
    await say(conversation, 'Request a callback');
    await say(conversation, 'Rosa');
    await say(conversation, '617-555-0144');
    await say(conversation, 'Evening');
    const filed = await say(conversation, 'Yes, contact me');
    expect(filed).toMatch(REFERENCE);
    return filed;
  }

  const requestOf = async (conversation: string) => (await app.handoffs.store.listActive()).find((r) => r.conversationId === conversation)!;

  it('when the visitor says yes to sharing, then the request carries their last messages (not the callback answers, not the bot\'s), and the staff API and page show them', async () => {
    const long = `my husband drinks every night ${'and then he gets angry '.repeat(20)}`.trim();
    const filed = await fileCallback('excerpt-yes', ['hi', 'does insurance cover detox', 'what is iop', long]);
    // Filed before the question: a visitor who leaves now is still called back.
    expect((await requestOf('excerpt-yes')).transcriptExcerpt).toBeUndefined();
    expect(filed).toMatch(SHARE_QUESTION);
    expect(await say('excerpt-yes', 'Yes, share them')).toMatch(/added your last few messages/);

    const request = await requestOf('excerpt-yes');
    const expected = ['what is iop', long.slice(0, RECENT_CHARS), 'talk to a person'];
    expect(request.transcriptExcerpt).toEqual(['does insurance cover detox', ...expected].slice(-RECENT_MESSAGES));
    const shown = request.transcriptExcerpt!.join(' ');
    for (const callbackAnswer of ['Rosa', '555-0144', 'Evening', 'contact me', 'share them']) expect(shown).not.toContain(callbackAnswer);
    expect(shown).not.toMatch(/admissions team/); // nothing the bot said

    const detail = await call(url, 'GET', `/staff/api/requests/${request.id}`, { cookie: maria });
    expect(detail.body.request.transcriptExcerpt).toEqual(request.transcriptExcerpt);
    // The request page shows the field it is given.
    const page = await fetch(`${url}/staff/console.js`).then((r) => r.text());
    expect(page).toContain("addField(dl, 'Conversation excerpt', r.transcriptExcerpt.join(' / '))");
  });

  it('when the visitor says no, then nothing is attached', async () => {
    await fileCallback('excerpt-no', ['what is php']);
    expect(await say('excerpt-no', 'No, thanks')).toMatch(/won't share your messages/);
    expect((await requestOf('excerpt-no')).transcriptExcerpt).toBeUndefined();
  });

  it('when the answer is unclear twice, then it is asked once more and nothing is attached', async () => {
    await fileCallback('excerpt-unclear', ['what is php']);
    expect(await say('excerpt-unclear', 'purple')).toMatch(SHARE_QUESTION);
    expect(await say('excerpt-unclear', 'banana')).toMatch(/won't share your messages/);
    expect((await requestOf('excerpt-unclear')).transcriptExcerpt).toBeUndefined();
  });

  it('when the visitor typed "2" for the second choice, then it reads as "No, thanks"', async () => {
    await fileCallback('excerpt-number', ['what is php']);
    expect(await say('excerpt-number', '2')).toMatch(/won't share your messages/);
    expect((await requestOf('excerpt-number')).transcriptExcerpt).toBeUndefined();
  });

  it('when the last messages hold a crisis message, then the question is still asked, and a crisis message typed at it gets the crisis reply and attaches nothing', async () => {
    await say('excerpt-crisis', 'what is detox');
    expect(await say('excerpt-crisis', 'i want to kill myself')).toMatch(/988/);
    const filed = await fileCallback('excerpt-crisis', []);
    expect(filed).toMatch(SHARE_QUESTION);
    const crisis = await say('excerpt-crisis', 'i want to kill myself');
    expect(crisis).toMatch(/988/);
    expect(crisis).not.toMatch(/added your last few messages/);
    const request = await requestOf('excerpt-crisis');
    expect(request.priority).toBe('crisis');
    expect(request.transcriptExcerpt).toBeUndefined();
  });

  it('when the visitor says "cancel" at the question, then nothing is shared and the request stays; "cancel my callback" takes the request back', async () => {
    await fileCallback('excerpt-cancel', ['what is php']);
    expect(await say('excerpt-cancel', 'cancel')).toMatch(/won't share your messages/);
    expect((await requestOf('excerpt-cancel')).transcriptExcerpt).toBeUndefined();
    await fileCallback('excerpt-cancel-callback', ['what is php']);
    expect(await say('excerpt-cancel-callback', 'actually cancel my callback')).toMatch(/cancelled your callback request \(GB-/);
    expect(await requestOf('excerpt-cancel-callback')).toBeUndefined();
  });

  it('when the visitor adds "no voicemail" at the question, then it goes on the filed request as a note and the question is asked again', async () => {
    await fileCallback('excerpt-note', ['what is php']);
    const reply = await say('excerpt-note', 'no voicemail please');
    expect(reply).toMatch(/voicemail/i);
    expect(reply).toMatch(SHARE_QUESTION);
    const request = await requestOf('excerpt-note');
    expect((await app.handoffs.store.audit(request.id)).some((e) => e.action === 'note' && /voicemail/i.test(e.detail ?? ''))).toBe(true);
  });
});
