import type { App } from '../src/app';
import { responder } from './helpers/bot';
import { activity, post, startApp } from './helpers/app';

/**
 * Each kind of misreading from the blind conversation audits (issue #12), as
 * conversations over POST /api/messages on web chat and SMS, in the bot's own
 * context: what it just asked or offered, and what the visitor does with the
 * next message. Written in the project's words, not a tester's transcript.
 */

type Channel = 'webchat' | 'sms';
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CALLBACK_OFFER = /I can ask\s+them to call you back/;
const ASK_NAME = /What first name should admissions ask for/;
const ASK_TIME = /best time to reach you/;
const NOT_UNDERSTOOD = /didn't catch that|I don't have information about that|I'm not sure I understood/;
const CRISIS = /\b988\b/;
const CONSENT = /Shall we start/;
const SUBSTANCES = /What are you \(or the person you're asking for\) using/;
const FREQUENCY = /How often is it used right now/;
const WITHDRAWAL = /When (?:you|they) stop or cut down/;
const RECENT_CARE = /Have you recently finished detox/;
const MEDICAL = /Do (?:you|they) have a medical concern right now/;
const NOTED = /From what you've told me, I've noted/;

/** The first words of an entry's answer: enough to know it was given. */
const answerOf = (id: string): string => responder.entry(id)!.answer.trim().slice(0, 40);

let app: App;
let url = '';
beforeAll(async () => {
  ({ app, url } = await startApp());
});
afterAll(async () => {
  await app?.close();
});

let n = 0;
class Visitor {
  readonly conversation = `kinds-${++n}-${Date.now()}`;
  constructor(readonly channel: Channel) {}
  async say(text: string): Promise<string> {
    const from = this.channel === 'sms' ? `+1617555${String(2000 + n).slice(-4)}` : `visitor-${this.conversation}`;
    const res = await post(url, activity({ text, channelId: this.channel, conversation: { id: this.conversation }, from: { id: from, name: 'Visitor' } }));
    expect(res.status).toBe(200);
    return res.activities
      .filter((a: Raw) => a.type === 'message')
      .map((a: Raw) => [a.text ?? '', ...(a.suggestedActions?.actions ?? []).map((x: Raw) => `[${x.title}]`)].join(' '))
      .join('\n');
  }
  async requests() {
    return (await app.handoffs.store.listActive()).filter((r) => r.conversationId === this.conversation);
  }
  /** What the conversation keeps in the store, as JSON. */
  async stored(): Promise<string> {
    return JSON.stringify(await app.stores.storage.read([`${this.channel}/conversations/${this.conversation}`]));
  }
}

/** To the screening's first question: the consent asked and given. */
async function consent(v: Visitor): Promise<string> {
  expect(await v.say('which program is right for me')).toMatch(CONSENT);
  return v.say('yes');
}

describe.each<Channel>(['webchat', 'sms'])('on %s', (channel) => {
  describe('a pending offer or step never swallows a question', () => {
    it('when the bot offered to connect and the visitor says "ok. what levels of care do you have?", then the levels are answered and the offer is asked again, not taken as yes', async () => {
      const v = new Visitor(channel);
      expect(await v.say('do you have a swimming pool')).toMatch(/connect you/);
      const reply = await v.say('ok. what levels of care do you have?');
      expect(reply).toContain(answerOf('levels-of-care'));
      expect(reply).not.toMatch(CALLBACK_OFFER);
      // The offer stays open (asked again), unless the answer makes an offer of its own.
      expect(reply).toMatch(/still like me to connect you|Yes, ask me/);
    });

    it('when the callback offer is on screen and the visitor says "Not now. is this chat private?", then the offer closes, privacy is answered and nothing is filed', async () => {
      const v = new Visitor(channel);
      expect(await v.say('talk to a person')).toMatch(CALLBACK_OFFER);
      const reply = await v.say('Not now. is this chat private?');
      expect(reply).toContain(answerOf('privacy'));
      expect(reply).not.toMatch(ASK_NAME);
      expect(await v.requests()).toHaveLength(0);
    });

    it('when the best time is asked and the visitor asks "is this chat private", then the question is answered and the time asked again, and the real time is kept', async () => {
      const v = new Visitor(channel);
      await v.say('talk to a person');
      await v.say('Request a callback');
      await v.say('Sam');
      if (channel === 'sms') await v.say('A different number');
      expect(await v.say('617-555-0123')).toMatch(ASK_TIME);
      const reply = await v.say('is this chat private');
      expect(reply).toContain(answerOf('privacy'));
      expect(reply).toMatch(ASK_TIME);
      await v.say('evenings');
      await v.say('yes');
      expect((await v.requests())[0]?.bestTime).toBe('evenings');
    });

    it('when the screening consent is asked and the visitor asks a question, then it is answered and the consent asked again, never "didn\'t catch that"', async () => {
      const v = new Visitor(channel);
      expect(await v.say('which program is right for me')).toMatch(/Shall we start/);
      const reply = await v.say('does anyone else get to see what i write in this chat?');
      expect(reply).toContain(answerOf('privacy'));
      expect(reply).not.toMatch(NOT_UNDERSTOOD);
      expect(reply).toMatch(/Shall we start|Yes, let's start/);
    });
  });

  describe('a question is read with what it points to', () => {
    it('when a question points back ("He\'s on methadone. Will that be a problem?"), then it is read with the medication, not as "is that a problem" alone', async () => {
      const v = new Visitor(channel);
      const reply = await v.say("He's on methadone. Will that be a problem?");
      expect(reply).not.toContain(answerOf('diagnosis'));
      expect(reply).toContain(answerOf('gap-medications'));
    });

    it('when "is this a live-in program?" asks about the program, then it is not told who answers the chat, and "is this automated?" still is', async () => {
      const v = new Visitor(channel);
      expect(await v.say('is this a live-in program?')).not.toContain(answerOf('bot-identity'));
      expect(await new Visitor(channel).say('is this automated?')).toContain(answerOf('bot-identity'));
      expect(await new Visitor(channel).say('¿con quién estoy hablando?')).toMatch(/asistente automatizado/);
    });

    it('when a texted question starts mid-sentence ("my wife keeps drinking can she still do iop if she works"), then it is answered, not only acknowledged', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('my wife keeps drinking can she still do iop if she works full time');
      expect(reply).toMatch(/IOP is designed so you can keep up with work/);
    });
  });

  describe('a two-part message keeps both parts', () => {
    it('when a visitor asks "do you have a waitlist and do you take MassHealth", then both are answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('do you have a waitlist and do you take MassHealth');
      expect(reply).toContain(answerOf('gap-other-services'));
      expect(reply).toContain(answerOf('gap-insurance'));
    });

    it('when a screening answer comes with "how many more questions", then the answer is kept and the count is said', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      await v.say('alcohol');
      const reply = await v.say('every day... how many more questions');
      expect(reply).toMatch(/at most \d+ more/);
      expect(reply).toMatch(/When you stop or cut down/);
    });
  });

  describe('denials and corrections are heard', () => {
    it('when the callback offer is on screen and the visitor says "i didn\'t ask for a callback", then it stops with an apology and no name is asked', async () => {
      const v = new Visitor(channel);
      await v.say('talk to a person');
      const reply = await v.say("i didn't ask for a callback");
      expect(reply).toMatch(/Sorry, my mistake/);
      expect(reply).not.toMatch(ASK_NAME);
      expect(await v.say('what is iop')).toContain(answerOf('what-is-iop'));
    });

    it('when a visitor says "hes not suicidal, hes not overdosing. is there a family program", then no crisis text comes, and the question is answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('hes not suicidal, hes not overdosing. do you have family therapy');
      expect(reply).not.toMatch(CRISIS);
      // Nothing was assumed yet in this conversation: no apology, the answer.
      expect(reply).not.toMatch(/sorry for assuming/);
      expect(reply).toContain(answerOf('family-therapy'));
    });

    it('when a short reply carries no risk words ("dana. i just said"), then the classifier alone raises no alarm', async () => {
      const v = new Visitor(channel);
      expect(await v.say('dana. i just said')).not.toMatch(CRISIS);
    });

    it('when a crisis reply also answers a question, then a number typed next picks the crisis reply\'s own choices, never an FAQ follow-up', async () => {
      const v = new Visitor(channel);
      await v.say('i want to die. what is iop?');
      const next = await v.say('2');
      expect(next).not.toContain(answerOf('what-is-iop'));
    });

    it('when a visitor protests "nobody said anything about suicide??", then no crisis text comes', async () => {
      const v = new Visitor(channel);
      expect(await v.say('nobody said anything about suicide??')).not.toMatch(CRISIS);
    });

    it('when the risk is someone else\'s and the writer says "he\'s in our ED with psych at bedside, he\'s safe", then it is heard as safe', async () => {
      const v = new Visitor(channel);
      await v.say('my patient says he wants to kill himself');
      expect(await v.say("he's in our ED with psych at bedside, he's safe")).toMatch(/glad they're safe/);
    });

    it('when a past overdose is told as over ("he overdosed last sunday but hes ok now"), then no "call 911 now"', async () => {
      const v = new Visitor(channel);
      expect(await v.say('he overdosed last sunday but hes ok now')).not.toMatch(/call 911 now/);
    });

    it('when a visitor protests the crisis text ("why do you keep giving me the suicide line?? nobody is suicidal"), then no crisis text comes, with one apology', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('why do you keep giving me the suicide line?? nobody is suicidal');
      expect(reply).not.toMatch(CRISIS);
      expect(reply.match(/sorry/gi)?.length).toBe(1);
    });

    it('when a visitor corrects an earlier screening answer ("I said nah to withdrawal"), then that answer changes and the question on screen comes back', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      await v.say('alcohol');
      await v.say('every day');
      await v.say('yes');
      const reply = await v.say('wait, I said nah to withdrawal');
      expect(reply).toMatch(/changed that answer/);
      expect(reply).not.toMatch(/Detox/);
    });

    it('when a first message retells someone\'s words ("i just said ok"), then there is no apology for a misunderstanding, and the question is answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('my therapist said i should do an intensive outpatient program and i just said ok. what is that?');
      expect(reply).not.toMatch(/got that wrong|misunderstood/);
      expect(reply).toContain(answerOf('what-is-iop'));
    });

    it('when a visitor says "that\'s not what I asked" after an answer, then the bot apologises instead of repeating the paragraph', async () => {
      const v = new Visitor(channel);
      const first = await v.say('what is iop');
      const reply = await v.say("that's not what I asked");
      expect(reply).toMatch(/Sorry, I got that wrong/);
      expect(reply).not.toContain(first.slice(0, 60));
    });
  });

  describe('"where were we" goes back to the thread', () => {
    it('when a visitor asks "where were we" after an answer, then the bot says what it can do, not where GBAC is', async () => {
      const v = new Visitor(channel);
      await v.say('what is iop');
      const reply = await v.say('ok where were we');
      expect(reply).not.toContain(answerOf('location'));
      expect(reply).toMatch(/Ask me a question in your own words/);
    });

    it('when a visitor asks "where were we" in the screening, then the question on screen comes again, and nothing else', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      expect(await v.say('yes')).toMatch(SUBSTANCES);
      const reply = await v.say('where were we');
      expect(reply).toMatch(SUBSTANCES);
      expect(reply).not.toContain(answerOf('location'));
    });
  });

  describe('a question about us is never a dead end', () => {
    it.each(['can she keep coaching her daughters soccer team', 'whats the point of only going part of the day'])(
      'when a question near some topics names no treatment words ("%s"), then it gets a "did you mean", not "I don\'t have information"',
      async (text) => {
        const v = new Visitor(channel);
        const reply = await v.say(text);
        expect(reply).toMatch(/Did you mean/);
        expect(reply).not.toMatch(/I don't have information about that/);
      },
    );

    it('when an off-topic question comes ("can you help me with my taxes"), then it is still declined honestly', async () => {
      const v = new Visitor(channel);
      expect(await v.say('can you help me with my taxes')).toMatch(/I don't have information about that/);
    });
  });

  describe('feelings, meta questions and repeats', () => {
    it('when "ok thx" comes with something else after an offer ("ok thx. btw delete this whole chat"), then the ok is not a yes to the offer', async () => {
      const v = new Visitor(channel);
      await v.say('what is iop');
      const reply = await v.say('ok thx. btw delete this whole chat');
      expect(reply).toMatch(/I've deleted what you told me/);
      expect(reply).not.toMatch(/Shall we start/);
    });

    it.each([
      ['a thanks with a filler', 'ok cool thx'],
      ['leaving for a moment', 'brb meeting'],
      ['leaving, with the reason', 'gotta go my kid woke up'],
      ['checking someone is there', 'hey is anyone there'],
      ['a goodnight in shorthand', 'gnight'],
    ])('when a visitor sends small talk in their own words (%s), then it is answered as such, never "I don\'t have information" or a topic', async (_kind, text) => {
      const v = new Visitor(channel);
      await v.say('what is iop');
      const reply = await v.say(text);
      expect(reply).not.toMatch(NOT_UNDERSTOOD);
      expect(reply).not.toMatch(/evening IOP sessions|Did you mean/);
    });

    it('when a visitor asks "r u a real person", then it says it is automated, with no callback offer', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('r u a real person');
      expect(reply).not.toMatch(CALLBACK_OFFER);
    });

    it.each(['am i talking to a human or not', 'are you a real person or a bot'])('when a visitor asks who answers ("%s"), then it says it is automated, and no callback is started', async (text) => {
      const reply = await new Visitor(channel).say(text);
      expect(reply).toContain(answerOf('bot-identity'));
      expect(reply).not.toMatch(CALLBACK_OFFER);
      expect(reply).not.toMatch(ASK_NAME);
    });

    it('when a visitor says "I feel like such a failure", then it is acknowledged warmly, not "I don\'t have information"', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('I feel like such a failure');
      expect(reply).not.toMatch(NOT_UNDERSTOOD);
      expect(reply).toMatch(/sorry it feels this way/);
    });

    it('when a visitor asks "are you a bot?", then it answers who it is, with no handoff offer', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('are you a bot?');
      expect(reply).toContain(answerOf('bot-identity'));
      expect(reply).not.toMatch(CALLBACK_OFFER);
    });

    it('when a visitor tells about their use ("i drink like 6 beers every nite"), then they are thanked and the screening is offered, not "I don\'t have information"', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('i drink like 6 beers every nite');
      expect(reply).not.toMatch(NOT_UNDERSTOOD);
      expect(reply).toMatch(/Thank you for telling me/);
      expect(await v.say('ok')).toMatch(/Shall we start/);
    });

    it('when a visitor tells of a slip and asks a question, then the slip is heard in a line and the question answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('2 yrs sober, just had a slip. do you have aftercare');
      expect(reply).toMatch(/A slip doesn't erase/);
      expect(reply).toContain(answerOf('aftercare'));
    });

    it('when "ok thx bye" follows an answer that offered the screening, then it is a goodbye, not a yes', async () => {
      const v = new Visitor(channel);
      await v.say('2 yrs sober, just had a slip');
      const reply = await v.say('ok thx bye');
      expect(reply).not.toMatch(/Shall we start/);
    });

    it('when a visitor is not ready ("not ready to call anyone yet") or signs off ("k. ill call tmrw. night"), then the bot leaves the door open without pushing', async () => {
      const v = new Visitor(channel);
      expect(await v.say('not ready to call anyone yet')).toMatch(/There's no rush/);
      expect(await v.say('k. ill call tmrw. night')).toMatch(/^Take care/);
    });

    it('when the same question comes twice in a row, then the second reply is not the same paragraph', async () => {
      const v = new Visitor(channel);
      const first = await v.say('what is iop');
      const second = await v.say('what is iop');
      expect(second).not.toContain(first.slice(0, 60));
      expect(second).toMatch(/just above/);
    });
  });

  describe('callback details are read like a person would', () => {
    /** To the name step, on either channel. */
    const toName = async (v: Visitor) => {
      await v.say('talk to a person');
      expect(await v.say('Request a callback')).toMatch(ASK_NAME);
    };

    it('when a name ending in "a" comes with a number ("Linda 617-555-0123"), then both are kept whole and the number is not asked again', async () => {
      const v = new Visitor(channel);
      await toName(v);
      expect(await v.say('Linda 617-555-0123')).toMatch(ASK_TIME);
      await v.say('evening');
      await v.say('yes');
      expect((await v.requests())[0]).toMatchObject({ name: 'Linda', phone: '+16175550123' });
    });

    it('when the consent is "yes, but please don\'t text", then the request is filed with "no texts" for staff', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      await v.say('mornings');
      expect(await v.say("yes, but please don't text")).toMatch(/reference number is GB-/);
      expect((await v.requests())[0]?.contactPreferences).toEqual(['no-texts']);
    });

    it.each([
      ['a yes with a condition that holds a "no"', 'yes, but please no calls when my brother is home', /reference number is GB-/],
      ['a call asked for instead of a text', 'CALL me not text', /reference number is GB-/],
    ])('when the consent is %s, then the request is filed, never "we won\'t contact you"', async (_kind, consentAnswer, expected) => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      await v.say('mornings');
      const reply = await v.say(consentAnswer);
      expect(reply).toMatch(expected);
      expect(reply).not.toMatch(/won't contact you/);
      expect(await v.requests()).toHaveLength(1);
    });

    it('when the number step is answered "this one", then the number written from is taken where the channel gives it, and asked for plainly where it does not', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Tyler');
      const reply = await v.say('this one');
      if (channel === 'sms') expect(reply).toMatch(ASK_TIME);
      else {
        expect(reply).toMatch(/can't see the number you're writing from/);
        expect(reply).not.toMatch(/doesn't look like a US phone number/);
      }
    });

    it('when the best time is "asap, before i change my mind", then it is the time, and the request goes on', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      const reply = await v.say('asap honestly before i change my mind');
      expect(reply).toMatch(/OK for Greater Boston Addiction Centers admissions/);
    });

    it.each([['actually hold on'], ['q no!!']])('when the name step gets "%s", then it is not taken as a name', async (said) => {
      const v = new Visitor(channel);
      await toName(v);
      const reply = await v.say(said);
      expect(reply).not.toMatch(/Thanks, (?:Actually|Q)\b/);
      expect(reply).not.toMatch(/number should admissions call|\(\d{3}\) \d{3}-\d{4}\?/);
    });

    it('when a visitor asks outside any callback to be texted instead of called, then the callback starts with text only kept', async () => {
      const v = new Visitor(channel);
      await v.say('what is iop');
      const reply = await v.say('can they text me instead of calling');
      expect(reply).toMatch(/Noted for admissions: text only/i);
      expect(reply).toMatch(/first name should (?:admissions|they) ask for/);
    });

    it('when a number comes with words ("617-555-0142 - no voicemail please"), then the number is taken and the preference kept', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Dana');
      if (channel === 'sms') await v.say('A different number');
      const reply = await v.say('617-555-0142 - no voicemail please');
      expect(reply).toMatch(/Noted for admissions: no voicemail/i);
      expect(reply).toMatch(ASK_TIME);
      await v.say('any time');
      await v.say('yes');
      expect((await v.requests())[0]).toMatchObject({ phone: '+16175550142', contactPreferences: ['no-voicemail'] });
    });

    it('when a visitor gives a name, a number and a time in one message, then only the consent is asked, and it asks for texts only when they said so', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('Maria Lopes, 617-555-0142, mornings. text only please');
      expect(reply).not.toMatch(ASK_NAME);
      expect(reply).toMatch(/OK for Greater Boston Addiction Centers admissions to text you at \(617\) 555-0142/);
      expect(await v.say('yes')).toMatch(/They will text you/);
      expect((await v.requests())[0]).toMatchObject({ name: 'Maria Lopes', phone: '+16175550142', bestTime: 'mornings', contactPreferences: ['text-only'] });
    });

    it('when the visitor says "talk to a person" again at the offer, then the callback starts instead of the same offer', async () => {
      const v = new Visitor(channel);
      const offer = await v.say('talk to a person');
      expect(offer).toMatch(CALLBACK_OFFER);
      expect(offer).not.toMatch(/\b911\b/);
      const reply = await v.say('i want to talk to a person');
      expect(reply).not.toMatch(CALLBACK_OFFER);
      expect(reply).toMatch(/What first name/);
    });

    it('when the name step gets "fine. M" or "why do you need my name", then the name is M, and the why is explained', async () => {
      const v = new Visitor(channel);
      await toName(v);
      expect(await v.say('why do you need my name')).toMatch(/Only so admissions can call you back[\s\S]*What first name/);
      expect(await v.say('fine. M')).toMatch(/Thanks, M\b/);
    });

    it('when the answer to the name is a word that is never a name ("Fine", "start over"), then it is not taken as the name', async () => {
      const v = new Visitor(channel);
      await toName(v);
      expect(await v.say('Fine')).not.toMatch(/Thanks, Fine/);
      expect(await v.say('huh? i wanted the questions not a call. start over')).not.toMatch(/Thanks, Start Over/);
    });

    it('when the name is corrected at a later step ("my name is Dana not Dan"), then the request carries the corrected name', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Dan');
      if (channel === 'sms') await v.say('A different number');
      expect(await v.say('my name is Dana not Dan')).toMatch(/I've fixed your name/);
      await v.say('617-555-0123');
      await v.say('evening');
      await v.say('yes');
      expect((await v.requests())[0]?.name).toBe('Dana');
    });

    it('when a condition comes after the request was filed ("oh and no voicemail please"), then it is added to that request for admissions', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      await v.say('evening');
      await v.say('yes');
      const [request] = await v.requests();
      expect(await v.say('oh and no voicemail please')).toMatch(new RegExp(`added that to your request \\(${request!.reference}\\)[\\s\\S]*no voicemail`));
      expect((await app.handoffs.store.audit(request!.id)).some((e) => e.action === 'note' && e.actor === 'visitor' && /no voicemail/i.test(e.detail ?? ''))).toBe(true);
      expect(await v.requests()).toHaveLength(1);
    });

    it('when the time comes with other words ("i said evenings"), then the time alone is kept', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      await v.say('i said evenings');
      await v.say('yes');
      expect((await v.requests())[0]?.bestTime).toBe('evenings');
    });

    it('when the name comes first with more after it ("Linda, its about my daughter not me. before friday please"), then the name is Linda', async () => {
      const v = new Visitor(channel);
      await toName(v);
      expect(await v.say('Linda, its about my daughter not me. before friday please')).toMatch(/Thanks, Linda\b/);
    });

    it('when the offer is answered "1 but text only no calls pls", then the callback starts and text only is kept', async () => {
      const v = new Visitor(channel);
      await v.say('talk to a person');
      const reply = await v.say('1 but text only no calls pls');
      expect(reply).toMatch(/Noted for admissions: text only/);
      expect(reply).toMatch(/What first name/);
    });

    it('when the visitor says "skip" to a screening question, then there is no "didn\'t catch that", and the honest options are given', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      const reply = await v.say('skip');
      expect(reply).not.toMatch(/didn't catch that/);
      expect(reply).toMatch(/pick the\s+closest/);
    });

    it('when the name and the number come in different sentences ("TINA. i just said. 978-555-0132"), then neither is asked again', async () => {
      const v = new Visitor(channel);
      await toName(v);
      expect(await v.say('TINA. i just said. 978-555-0132')).toMatch(ASK_TIME);
    });

    it('when a filed request is no longer wanted ("cancel my callback"), then it leaves the queue and the visitor is told', async () => {
      const v = new Visitor(channel);
      await toName(v);
      await v.say('Sam 617-555-0123');
      await v.say('evening');
      await v.say('yes');
      expect(await v.requests()).toHaveLength(1);
      expect(await v.say('actually cancel my callback')).toMatch(/cancelled your callback request \(GB-/);
      expect(await v.requests()).toHaveLength(0);
    });
  });

  describe('after a crisis reply, the next message is read in context', () => {
    it('when the visitor answers "ok fine. ill text 988", then the step is acknowledged, never "I\'m glad you\'re safe"', async () => {
      const v = new Visitor(channel);
      expect(await v.say('i dont want to be here anymore')).toMatch(CRISIS);
      const reply = await v.say('ok fine. ill text 988');
      expect(reply).toMatch(/right step/);
      expect(reply).not.toMatch(/glad you're safe/);
    });

    it('when help has come after an overdose reply ("ok the ambulance took him to the hospital"), then it is acknowledged and "call 911 now" is not repeated', async () => {
      const v = new Visitor(channel);
      expect(await v.say('his lips are blue and hes not waking up')).toMatch(/call 911 now/);
      const reply = await v.say('ok the ambulance took him to the hospital after the overdose');
      expect(reply).toMatch(/right step/);
      expect(reply).not.toMatch(/call 911 now/);
    });

    it('when a worried relative asks "can i call 988 about him", then the answer is a plain yes about 988, not the admissions line', async () => {
      const v = new Visitor(channel);
      expect(await v.say('my brother says he doesnt want to be alive anymore')).toMatch(CRISIS);
      const reply = await v.say('can i call 988 about him');
      expect(reply).toMatch(/^Yes\. 988 is also for people worried about someone else/);
    });

    it('when risk words come again right after the crisis reply, then the second reply is shorter, not the same paragraph', async () => {
      const v = new Visitor(channel);
      const first = await v.say('i want to kill myself');
      const second = await v.say('i said i want to kill myself');
      expect(second).toMatch(/still here/);
      expect(second).not.toContain(first.slice(0, 80));
    });

    it('when a crisis message also asks a question ("i want to die. do you take masshealth?"), then the safety text comes first and the question is still answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('i want to die. do you take masshealth?');
      expect(reply).toMatch(CRISIS);
      expect(reply).toContain(answerOf('gap-insurance'));
      expect(reply.indexOf('988')).toBeLessThan(reply.indexOf(answerOf('gap-insurance')));
    });

    it('when a visitor asks about stopping opioids on their own, then the answer is about tolerance and naloxone, not the alcohol warning', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('is it dangerous to stop percs on my own');
      expect(reply).toMatch(/tolerance drops fast/);
      expect(reply).not.toMatch(/benzodiazepines/);
    });

    it('when the risk is someone else\'s ("my brother sent me a goodbye text"), then the reply speaks to the worried person, with 911 and 988, and the check-in asks about them', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('my brother sent me a goodbye text and hes not answering');
      expect(reply).toMatch(/call 911 and give their address/);
      expect(reply).toMatch(/988/);
      expect(reply).not.toMatch(/sorry you're hurting/);
      expect(await v.say('ok')).toMatch(/Is the person you're worried about safe right now/);
      expect(await v.say('they are safe')).toMatch(/glad they're safe/);
    });

    it('when a visitor wishes not to wake up, then the reply is the suicide tier with 988, not the overdose one', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('everyone would be better off if i just didnt wake up');
      expect(reply).toMatch(/988/);
      expect(reply).not.toMatch(/naloxone|Narcan/i);
    });

    it('when a visitor plans to stop heavy drinking alone, then the withdrawal guidance comes without "are you safe right now?", and the next question is answered', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('i drink a fifth a day and want to stop tomorrow on my own');
      expect(reply).toMatch(/talk to a doctor or our admissions team before you stop/);
      expect(reply).not.toMatch(/Are you safe right now/);
      const next = await v.say('no');
      expect(next).not.toMatch(/Are you safe right now|call or text 988 now/);
    });

    it('when a visitor worries about an overdose one day and asks a question, then the answer comes with one safety line under it, not the crisis reply', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('im scared my son is going to overdose someday. do you have family therapy?');
      expect(reply).toMatch(/[Ff]amily/);
      expect(reply).toMatch(/If you or someone else is ever in danger, call 911/);
      expect(reply).not.toMatch(/This could be an overdose|Are you safe right now/);
    });

    it('when a visitor asks whether to quit benzos cold turkey, then they are told not to stop suddenly on their own, with the admissions line', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('can i just quit xanax cold turkey');
      expect(reply).toMatch(/benzodiazepines[\s\S]*suddenly[\s\S]*talk to a doctor or our admissions team before you stop/);
      expect(reply).toContain('(877) 920-6583');
    });
  });

  describe('follow-ups are read with the last topic', () => {
    it('when a visitor asks "and for PHP?" after the IOP schedule, then the PHP answer comes, not "did you mean" or a fallback', async () => {
      const v = new Visitor(channel);
      await v.say('how many days a week is iop');
      const reply = await v.say('and for PHP?');
      expect(reply).toContain(answerOf('php'));
    });
  });

  describe('a yes only where the guide backs it', () => {
    it('when a question only shares a topic with an answer that opens with "Yes" ("what do i bring? my court papers?"), then the answer comes without the "Yes"', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('what do i bring? my court papers?');
      // Only a "Yes" opening a line of the answer; a numbered choice ("1. Yes, ask me") is not one.
      expect(reply).not.toMatch(/(^|\n)Yes[.,]/);
    });

    it('when a yes/no question is clearly matched ("do you have evening groups"), then the yes comes first', async () => {
      const v = new Visitor(channel);
      expect(await v.say('do you have evening groups')).toMatch(/^Yes/);
    });
  });

  describe('privacy', () => {
    it('when someone asks whether another person is a patient, then the bot neither confirms nor denies', async () => {
      const v = new Visitor(channel);
      // Worded unlike any FAQ question: the policy holds however it is asked.
      for (const text of ['can you tell me whether my sister is being treated at your center?', 'who else chatted with you today']) {
        expect(await v.say(text)).toMatch(/can't confirm or deny whether anyone is, or was, a patient/);
      }
      expect(await v.say('is my son a good fit for iop?')).not.toMatch(/can't confirm or deny/);
    });

    it.each([['can you check if shes there tonight'], ['did he show up to group today?'], ['can i talk to his counselor?'], ['¿me pueden decir si mi hijo está ahí?']])(
      'when someone asks in other words whether one person is there ("%s"), then the bot neither confirms nor denies',
      async (asked) => {
        expect(await new Visitor(channel).say(asked)).toMatch(/can't confirm or deny whether anyone is, or was, a patient|No puedo confirmar ni negar/);
      },
    );

    it('when a visitor asks whether the chat is private, then SMS visitors also hear that texts stay on the phone', async () => {
      const v = new Visitor(channel);
      const reply = await v.say('is what i type here kept private?');
      expect(reply).toContain(answerOf('privacy'));
      if (channel === 'sms') expect(reply).toMatch(/texts stay in your messages/);
      else expect(reply).not.toMatch(/texts stay in your messages/);
    });
  });

  describe('an answer that also answers later questions is kept, not asked again', () => {
    it('when "what are you using?" is answered "alcohol, every day, shakes in the morning", then how often and withdrawal are not asked, what was noted is said, and the next question comes', async () => {
      const v = new Visitor(channel);
      expect(await consent(v)).toMatch(SUBSTANCES);
      const reply = await v.say('alcohol, every day, shakes in the morning');
      expect(reply).toMatch(/I've noted: Every day or almost; Withdrawal symptoms: Yes\. \(Type "back" to change one\.\)/);
      expect(reply).not.toMatch(FREQUENCY);
      expect(reply).not.toMatch(WITHDRAWAL);
      expect(reply).toMatch(MEDICAL);
    });

    it('when a parent answers "how often?" with "every day, she gets sick and sweaty if she runs out", then the withdrawal question is not asked', async () => {
      const v = new Visitor(channel);
      await consent(v);
      expect(await v.say('alcohol')).toMatch(FREQUENCY);
      const reply = await v.say('every day, she gets sick and sweaty if she runs out');
      expect(reply).toMatch(/I've noted: Withdrawal symptoms: Yes/);
      expect(reply).not.toMatch(WITHDRAWAL);
      expect(reply).toMatch(MEDICAL);
    });

    it('when a message that is no answer to "how often?" says "she gets the shakes", then it is noted, "how often?" comes again, and withdrawal is not asked after it', async () => {
      const v = new Visitor(channel);
      await consent(v);
      await v.say('alcohol');
      const reply = await v.say('she gets the shakes and sweats when she runs out');
      expect(reply).toMatch(/I've noted: Withdrawal symptoms: Yes/);
      expect(reply).toMatch(FREQUENCY);
      expect(reply).not.toMatch(/didn't catch that/);
      const next = await v.say('every day');
      expect(next).not.toMatch(WITHDRAWAL);
      expect(next).toMatch(MEDICAL);
    });

    it('when noted answers are followed by "back", then the last noted question is asked again and the new answer is kept', async () => {
      const v = new Visitor(channel);
      await consent(v);
      await v.say('alcohol, every day, shakes in the morning');
      expect(await v.say('back')).toMatch(WITHDRAWAL);
      // No withdrawal after all: the questions a "yes" made moot are asked.
      expect(await v.say('no')).toMatch(RECENT_CARE);
    });
  });

  describe('answers said as questions in the screening', () => {
    it('when an answer comes with a question mark ("maybe few times a week?") or a one-word try ("mostly?"), then it is no side question for admissions', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      await v.say('alcohol');
      expect(await v.say('maybe few times a week?')).toMatch(WITHDRAWAL);
      const reply = await v.say('mostly?');
      expect(reply).not.toMatch(/I don't have that information/);
      expect(reply).toMatch(WITHDRAWAL);
    });
  });

  describe('answering for someone else', () => {
    it('when the visitor says mid-screening that it is for their dad, then the next questions and the suggestion say "they"', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      expect(await v.say('yes')).toMatch(/What are you \(or the person you're asking for\) using/);
      expect(await v.say("it's for my dad, he drinks")).toMatch(/How often is it used right now/);
      expect(await v.say('every day')).toMatch(/When they stop or cut down, do they get/);
      await v.say('yes the shakes');
      await v.say('no');
      const last = await v.say('yes his wife is supportive');
      expect(last).toMatch(/they would likely start with detox/);
      expect(last).toMatch(/they get withdrawal symptoms when they stop/);
      expect(last).not.toMatch(/you get withdrawal symptoms/);
    });

    it('when the visitor says at the consent that it is not them but their son, then the consent turns to him in a few words, and the questions say "they"', async () => {
      const v = new Visitor(channel);
      expect(await v.say('which program is right for me')).toMatch(CONSENT);
      const turned = await v.say("its not me its my son. hes the one using");
      expect(turned).toMatch(/questions will be about them/);
      expect(turned).not.toMatch(/self-screen/);
      expect(await v.say('yes')).toMatch(/What are they using/);
    });

    it('when a parent tells of a son\'s relapse, then it is said to the parent, not "a slip doesn\'t erase the progress" as if it were theirs', async () => {
      const reply = await new Visitor(channel).say('my son relapsed last week after 8 months clean');
      expect(reply).toMatch(/hard on the whole family/);
      expect(reply).toMatch(/questions about them/);
    });

    it('when a visitor describes who lives at home ("my husband is supportive"), then the questions still say "you"', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      await v.say('alcohol');
      expect(await v.say('weekends, my husband is supportive')).toMatch(/When you stop or cut down/);
    });
  });

  describe('what was told before the screening is not asked again', () => {
    it('when someone said "my son drinks every day and gets the shakes" before the screening, then after consent none of it is asked again and it is said back', async () => {
      const v = new Visitor(channel);
      await v.say('my son drinks every day and gets the shakes');
      const reply = await consent(v);
      expect(reply).toMatch(/I've noted: Alcohol; Every day or almost; Withdrawal symptoms: Yes\./);
      expect(reply).not.toMatch(SUBSTANCES);
      expect(reply).not.toMatch(FREQUENCY);
      expect(reply).not.toMatch(WITHDRAWAL);
      expect(reply).toMatch(MEDICAL);
      // Asked about the son, not the visitor.
      expect(reply).toMatch(/Do they have a medical concern/);
    });

    it('when the facts come with a question ("my son drinks. is iop every day?"), then the fact is kept and nothing is read from the question', async () => {
      const v = new Visitor(channel);
      await v.say('my son drinks. is iop every day?');
      const reply = await consent(v);
      expect(reply).toMatch(/I've noted: Alcohol\./);
      expect(reply).toMatch(FREQUENCY);
    });

    it('when a symptom is denied ("he drinks but he doesn\'t get the shakes"), then only the substance is noted and withdrawal is still asked', async () => {
      const v = new Visitor(channel);
      await v.say("he drinks but he doesn't get the shakes");
      const reply = await consent(v);
      expect(reply).toMatch(/I've noted: Alcohol\./);
      expect(reply).toMatch(FREQUENCY);
      expect(await v.say('every day')).toMatch(WITHDRAWAL);
    });

    it('when the screening was declined and started later, then what was told before is still used', async () => {
      const v = new Visitor(channel);
      await v.say('my son drinks every day and gets the shakes');
      await v.say('which program is right for me');
      await v.say('not now');
      const reply = await consent(v);
      expect(reply).toMatch(/I've noted: Alcohol; Every day or almost; Withdrawal symptoms: Yes\./);
    });

    it('when facts are told, then only the answers are kept (no words, but for the last few messages the visitor may share with a callback), and "forget me" deletes them with the rest', async () => {
      const v = new Visitor(channel);
      await v.say('my son drinks every day and gets the shakes');
      const stored = JSON.parse(await v.stored()) as Record<string, { admissions: { recent?: string[] } }>;
      const [state] = Object.values(stored);
      expect(state!.admissions.recent).toEqual(['my son drinks every day and gets the shakes']);
      delete state!.admissions.recent;
      expect(JSON.stringify(stored)).toContain('"volunteered":{"substances":"alcohol","frequency":"daily","withdrawal":"yes"}');
      expect(JSON.stringify(stored)).not.toMatch(/my son|shakes/);
      await v.say('forget me');
      expect(await v.stored()).not.toContain('volunteered');
      expect(await v.stored()).not.toMatch(/my son|shakes/);
      const reply = await consent(v);
      expect(reply).not.toMatch(NOTED);
      expect(reply).toMatch(SUBSTANCES);
    });

    it('when "back" follows the noted answers, then the last of them is asked again', async () => {
      const v = new Visitor(channel);
      await v.say('my son drinks every day and gets the shakes');
      await consent(v);
      expect(await v.say('back')).toMatch(WITHDRAWAL);
    });
  });

  describe('commands inside a sentence', () => {
    it('when "forget me" comes inside a sentence, or as "can u just delete what i told u", then everything is deleted', async () => {
      for (const text of ["forget me I don't want any of this saved, my husband checks my laptop", 'can u just delete what i told u']) {
        const v = new Visitor(channel);
        await v.say('what is iop');
        expect(await v.say(text)).toMatch(/I've deleted what you told me/);
      }
    });

    it('when a stop word comes beside more ("stop. he is not overdosing now. can we finish the questions"), then the screening goes on', async () => {
      const v = new Visitor(channel);
      await v.say('which program is right for me');
      await v.say('yes');
      await v.say('alcohol');
      const reply = await v.say('stop. he is not overdosing now. can we finish the questions');
      expect(reply).not.toMatch(/stopped/);
      expect(reply).toMatch(/How often/);
    });

    it.each([['actually no dont forget me'], ['hope they dont forget me when i call'], ["he'll just say fine forget me then and leave"]])(
      'when "forget me" is asked not to happen or is someone else\'s words ("%s"), then nothing is deleted',
      async (text) => {
        const v = new Visitor(channel);
        await v.say('my son drinks every day, what is iop');
        expect(await v.say(text)).not.toMatch(/I've deleted what you told me/);
        expect(await v.stored()).toMatch(/my son drinks every day/);
      },
    );

    it('when a visitor writes "fine. forget me. delete this convo", then everything is deleted', async () => {
      const v = new Visitor(channel);
      await v.say('what is iop');
      const reply = await v.say('fine. forget me. delete this convo');
      expect(reply).toMatch(/I've deleted what you told me/);
    });
  });
});
