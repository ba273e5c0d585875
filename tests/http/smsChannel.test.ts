import { activity, post, useApp, type Replies } from '../helpers/app';

/**
 * The SMS channel end to end over /api/messages (channelId "sms"): what a phone
 * receives is plain text in parts of at most 320 characters, and the carrier
 * keywords work. tests/http/server.test.ts has the basic HELP / STOP / START flow.
 */
describe('SMS over /api/messages', () => {
  const base = useApp();
  let n = 0;
  /** A texter of their own (a fresh number and conversation) unless one is given. */
  const texter = () => `+1617555${String(1000 + ++n).slice(-4)}`;
  const sms = (text: string, from: string) => post(base(), activity({ channelId: 'sms', text, from: { id: from }, conversation: { id: `sms-${from}` } }));
  const messages = (res: Replies) => res.activities.filter((a) => a.type === 'message');
  const said = (res: Replies) => messages(res).map((a) => String(a.text)).join('\n');

  /** What an SMS reply must always be: plain text parts, no cards, no buttons, no markdown. */
  function expectPlainSms(res: Replies): void {
    expect(res.status).toBe(200);
    const parts = messages(res);
    expect(parts.length).toBeGreaterThan(0);
    for (const a of parts) {
      expect(a.attachments ?? []).toHaveLength(0);
      expect(a.suggestedActions).toBeUndefined();
      expect(a.textFormat).toBe('plain');
      expect(String(a.text).length).toBeLessThanOrEqual(320);
      expect(a.text).not.toMatch(/\*\*|\[[^\]]*\]\([^)]*\)|^\s*#/m);
    }
    expect(parts.reduce((sum, a) => sum + String(a.text).length, 0)).toBeLessThanOrEqual(1600);
    // Anything else (the handoff event) carries no text for the phone.
    for (const a of res.activities.filter((x) => x.type !== 'message')) expect(a.text).toBeUndefined();
  }

  it.each([
    ['a question with follow-ups', 'what is iop'],
    ['a question in SMS shorthand', 'how many days a wk is iop'],
    ['something the bot cannot answer', 'what is the weather on mars'],
    ['a request for a person', 'i want to talk to a real person'],
    ['the self-screen', 'which program is right for me'],
    ['a crisis message', 'i took a bunch of pills and i cant feel my legs'],
  ])('when a texter sends %s, then every reply is plain text with no attachments or suggested actions', async (_, text) => {
    const res = await sms(text, texter());
    expectPlainSms(res);
  });

  it('when a texter joins, then the welcome is plain text parts', async () => {
    const from = texter();
    const res = await post(base(), activity({ type: 'conversationUpdate', channelId: 'sms', from: { id: from }, membersAdded: [{ id: from }], conversation: { id: `sms-${from}` } }));
    expectPlainSms(res);
    expect(said(res)).toMatch(/911/);
  });

  it('when an answer is longer than 320 characters, then it arrives as several parts, in order, with the numbered choices last', async () => {
    const res = await sms('what levels of care do you offer', texter());
    expectPlainSms(res);
    const parts = messages(res);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[parts.length - 1]?.text).toMatch(/Reply with a number:\n1\. /);
    // The parts are whole sentences: none starts with a lower-case word cut from the one before.
    for (const a of parts) expect(a.text).toMatch(/^[^a-z]/);
  });

  it('when a texter replies with the number of a choice, then that choice is answered', async () => {
    const from = texter();
    const first = await sms('what is iop', from);
    const last = messages(first).at(-1)?.text as string;
    const line = /^(\d+)\. (.+)$/m.exec(last.slice(last.indexOf('Reply with a number:')));
    expect(line).not.toBeNull();
    const res = await sms(line![1]!, from);
    expectPlainSms(res);
    expect(said(res)).not.toBe(said(first));
  });

  it.each(['HELP', 'help', 'INFO', 'Info?'])('when a texter sends %j, then the reply says who we are, gives (877) 920-6583 and how to opt out', async (keyword) => {
    const res = await sms(keyword, texter());
    expectPlainSms(res);
    expect(said(res)).toContain('(877) 920-6583');
    expect(said(res)).toMatch(/Greater Boston Addiction Centers/);
    expect(said(res)).toMatch(/Text STOP/);
  });

  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPT OUT', 'stop', 'Opt-out'])(
    'when a texter sends %j, then it is confirmed once and then nothing at all is sent, not even an answer to a question',
    async (keyword) => {
      const from = texter();
      const confirmed = await sms(keyword, from);
      expectPlainSms(confirmed);
      expect(messages(confirmed)).toHaveLength(1);
      expect(said(confirmed)).toMatch(/unsubscribed/i);
      expect(said(confirmed)).toMatch(/START/);
      for (const text of [keyword, 'STOP', 'what is iop', 'how many days a week is iop?', 'hi', 'HELP', 'INFO', 'talk to a person', '1']) {
        const res = await sms(text, from);
        expect(res.status).toBe(200);
        expect(res.activities).toHaveLength(0);
      }
    },
  );

  it.each(['START', 'UNSTOP', 'YES', 'start', 'Yes.'])('when an opted-out texter sends %j, then they are opted back in and answered again', async (keyword) => {
    const from = texter();
    await sms('STOP', from);
    const back = await sms(keyword, from);
    expectPlainSms(back);
    expect(said(back)).toMatch(/subscribed again/i);
    expect(said(back)).toContain('(877) 920-6583');
    const answer = await sms('what is iop', from);
    expectPlainSms(answer);
    expect(said(answer)).toMatch(/intensive outpatient/i);
    // And STOP works again after opting back in.
    expect(said(await sms('STOP', from))).toMatch(/unsubscribed/i);
    expect((await sms('what is iop', from)).activities).toHaveLength(0);
  });

  it('when a texter who never opted out sends YES, then it is not taken as an opt-in', async () => {
    const res = await sms('YES', texter());
    expectPlainSms(res);
    expect(said(res)).not.toMatch(/subscribed again/i);
  });

  it('when START is sent by a texter who never opted out, then it is confirmed without harm', async () => {
    const res = await sms('START', texter());
    expectPlainSms(res);
    expect(said(res)).toMatch(/subscribed/i);
  });

  it('when a keyword is part of a longer message, then it is an ordinary message, not an opt-out', async () => {
    const from = texter();
    expectPlainSms(await sms('how do i stop drinking', from));
    const res = await sms('what is iop', from);
    expect(said(res)).toMatch(/intensive outpatient/i);
  });

  it('when the same keyword is sent on web chat, then no SMS rule applies', async () => {
    const res = await post(base(), activity({ channelId: 'webchat', text: 'STOP', conversation: { id: `web-stop-${texter()}` } }));
    expect(res.activities.map((a) => String(a.text)).join(' ')).not.toMatch(/unsubscribed/i);
    const after = await post(base(), activity({ channelId: 'webchat', text: 'what is iop', conversation: { id: `web-stop-${texter()}` } }));
    expect(after.activities.length).toBeGreaterThan(0);
  });
});
