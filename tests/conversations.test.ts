import type { App } from '../src/app';
import { activity, post, startApp, type Replies } from './helpers/app';
import { REFERENCE } from './helpers/visitor';
import { kb } from './helpers/bot';

/**
 * Whole conversations, as visitors hold them, through the real service over HTTP
 * (POST /api/messages with deliveryMode "expectReplies", as a channel sends them),
 * on web chat, SMS and Teams. Each conversation checks what the visitor would
 * expect at every turn: the right step comes next, nothing they said is lost, the
 * admissions line is offered where it should be, crisis guidance comes first.
 *
 * What a visitor reads depends on the channel: web chat shows text and suggested
 * actions, SMS plain text with numbered choices, Teams an Adaptive Card (its
 * TextBlocks and its buttons). `Turn` reads all three the same way.
 */

type Channel = 'webchat' | 'sms' | 'msteams';
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ADMISSIONS = '(877) 920-6583';
const EMERGENCY = /\b988\b[\s\S]*\b911\b|\b911\b[\s\S]*\b988\b/;
const CALLBACK_OFFER = /I can ask\s+them to call you back/;
const ASK_NAME = /What first name should admissions ask for|Just a first name is fine/;
const ASK_PHONE = /What US phone number should they call|doesn't look like a US phone number/;
const ASK_TIME = /best time to reach you/;
const ASK_CONSENT = /OK for Greater Boston Addiction Centers admissions to call or text you/;
const GIVE_UP = /I'm having trouble with that/;
const NOT_UNDERSTOOD = /I'm not sure I understood|I don't have information about that/;

/** One reply as the visitor reads it, whatever the channel. */
class Turn {
  readonly messages: Raw[];
  constructor(readonly res: Replies) {
    this.messages = res.activities.filter((a) => a.type === 'message');
  }

  /** Everything written: message texts, and the texts of Adaptive Cards (Teams). */
  get text(): string {
    return this.messages.map(messageText).join('\n');
  }

  /** The first message's text: what a visitor sees first. */
  get first(): string {
    return this.messages[0] ? messageText(this.messages[0]) : '';
  }

  /** The choices offered by the last message: button titles, or the numbered list on SMS. */
  get choices(): string[] {
    const last = this.messages[this.messages.length - 1];
    if (!last) return [];
    const suggested = (last.suggestedActions?.actions ?? []).map((a: Raw) => String(a.title));
    const submits = (last.attachments ?? []).flatMap((att: Raw) => (att.content?.actions ?? []).filter((x: Raw) => x.type === 'Action.Submit').map((x: Raw) => String(x.title)));
    const numbered = /Reply with a number:\n([\s\S]*)$/.exec(String(last.text ?? ''))?.[1]?.split('\n').map((l) => l.replace(/^\d+\.\s*/, '')) ?? [];
    return [...suggested, ...submits, ...numbered];
  }

  /** Tap-to-call and other links (web hero card buttons, Teams OpenUrl actions). */
  get links(): string[] {
    return this.messages.flatMap((m) =>
      (m.attachments ?? []).flatMap((att: Raw) => [
        ...(att.content?.buttons ?? []).map((b: Raw) => String(b.value)),
        ...(att.content?.actions ?? []).filter((x: Raw) => x.type === 'Action.OpenUrl').map((x: Raw) => String(x.url)),
      ]),
    );
  }

  /** The Bot Framework handoff event was sent this turn. */
  get handoffEvent(): Raw | undefined {
    return this.res.activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
  }
}

function messageText(a: Raw): string {
  const cards = (a.attachments ?? []).flatMap((att: Raw) => (att.content?.body ?? []).map((b: Raw) => String(b.text ?? '')));
  return [a.text ?? '', ...cards].filter(Boolean).join('\n');
}

let app: App;
let url = '';
beforeAll(async () => {
  ({ app, url } = await startApp());
});
afterAll(async () => {
  await app?.close();
});

let conversations = 0;

/** A visitor on one channel, in one conversation of their own. */
class Visitor {
  readonly conversation: string;
  readonly from: string;
  constructor(
    readonly channel: Channel,
    from?: string,
  ) {
    this.conversation = `convo-${channel}-${++conversations}-${Date.now()}`;
    this.from = from ?? (channel === 'sms' ? `+1617555${String(1000 + conversations).slice(-4)}` : `visitor-${this.conversation}`);
  }

  async say(text: string, extra: Record<string, unknown> = {}): Promise<Turn> {
    const res = await post(
      url,
      activity({ text, channelId: this.channel, conversation: { id: this.conversation }, from: { id: this.from, name: 'Visitor' }, ...extra }),
    );
    expect(res.status).toBe(200);
    return new Turn(res);
  }
}

/** The requests this conversation left in the staff queue. */
async function requestsOf(v: Visitor) {
  return (await app.handoffs.store.listActive()).filter((r) => r.conversationId === v.conversation);
}

describe('conversations: questions, then a person and a callback', () => {
  it('when a visitor asks two questions, then asks for a person and gives "617.555.0199", then the callback is taken with that number and a reference', async () => {
    const v = new Visitor('webchat');
    expect((await v.say('hi there')).text).toMatch(/admissions assistant/);
    expect((await v.say('how many days a week is iop')).text).toMatch(/3 to 5 days/);
    expect((await v.say('do you take insurance')).text).toContain(ADMISSIONS);
    const offer = await v.say('ok can i talk to a person');
    expect(offer.first).toMatch(CALLBACK_OFFER);
    expect(offer.first).toContain(ADMISSIONS);
    expect(offer.links).toContain('tel:+18779206583');
    expect(offer.handoffEvent).toBeDefined();
    expect((await v.say('Request a callback')).text).toMatch(ASK_NAME);
    expect((await v.say("it's maria")).text).toMatch(/Thanks, Maria/);
    expect((await v.say('617.555.0199')).text).toMatch(ASK_TIME);
    const consent = await v.say('evenings are best');
    expect(consent.text).toMatch(ASK_CONSENT);
    expect(consent.text).toContain('(617) 555-0199');
    const done = await v.say('yes thats fine');
    expect(done.text).toMatch(REFERENCE);
    expect(done.text).toContain(ADMISSIONS);
    const [request] = await requestsOf(v);
    expect(request).toMatchObject({ name: 'Maria', phone: '+16175550199', reason: 'asked-for-person', priority: 'normal' });
  });

  it('when a visitor gives "(617) 555 0199 ext 12", then the number is taken and the extension is kept for admissions', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to someone');
    await v.say('call me back');
    await v.say('Jo');
    const time = await v.say('(617) 555 0199 ext 12');
    expect(time.text).toMatch(ASK_TIME);
    await v.say('any time');
    expect((await v.say('yes')).text).toMatch(/\(617\) 555-0199 ext\. 12/);
    const [request] = await requestsOf(v);
    expect(request?.phone).toBe('+16175550199;ext=12');
  });

  it('when a visitor spells the number out ("six one seven five five five, oh one nine nine"), then it is read as the number', async () => {
    const v = new Visitor('webchat');
    await v.say('can i speak with someone from admissions');
    await v.say('callback please');
    await v.say('Dee');
    const time = await v.say('six one seven five five five, oh one nine nine');
    expect(time.text).toMatch(ASK_TIME);
    await v.say('morning');
    expect((await v.say('yes contact me')).text).toMatch(/\(617\) 555-0199/);
  });

  it('when a visitor gives their name and number in one message, then the number is not asked for again', async () => {
    for (const channel of ['webchat', 'sms'] as const) {
      const v = new Visitor(channel);
      await v.say('talk to a person');
      await v.say('Request a callback');
      const time = await v.say('my name is Sam and my number is 617-555-0123');
      expect(time.text).toMatch(ASK_TIME);
      expect((await v.say('Evening')).text).toContain('(617) 555-0123');
      expect((await v.say('yes')).text).toMatch(/Thank you, Sam[\s\S]*\(617\) 555-0123/);
    }
  });

  it('when a visitor mistypes the number twice and then says "actually nvm", then the callback stops politely (not "I\'m having trouble") and the next question is answered', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to a person');
    await v.say('Request a callback');
    await v.say('Jo');
    expect((await v.say('617 555')).text).toMatch(ASK_PHONE);
    expect((await v.say('its 555 0199')).text).toMatch(ASK_PHONE);
    const stop = await v.say('actually nvm');
    expect(stop.text).not.toMatch(GIVE_UP);
    expect(stop.text).toMatch(/change your mind|won't contact you/i);
    expect(stop.text).toContain(ADMISSIONS);
    expect((await v.say('what is iop')).text).toMatch(/Intensive Outpatient Program/);
    expect(await requestsOf(v)).toEqual([]);
  });

  it.each(['changed my mind', 'nah forget it', 'no thanks', 'i dont want to do this', 'no gracias'])(
    'when a visitor asked for their name answers "%s", then it is not taken as a name and the callback stops',
    async (answer) => {
      const v = new Visitor('webchat');
      await v.say('talk to a person');
      await v.say('callback');
      const reply = await v.say(answer);
      expect(reply.text).not.toMatch(/Thanks, /);
      expect(reply.text).not.toMatch(ASK_PHONE);
      expect(reply.text).toMatch(/change your mind|won't contact you/i);
      expect(reply.text).toContain(ADMISSIONS);
    },
  );

  it('when a visitor asked for their number says they would rather not give it, then nothing is kept and the admissions line is given', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to a person');
    await v.say('callback');
    await v.say('Sam');
    const reply = await v.say("i don't want to give my number");
    expect(reply.text).not.toMatch(ASK_PHONE);
    expect(reply.text).toContain(ADMISSIONS);
    expect(await requestsOf(v)).toEqual([]);
  });

  it('when a visitor asks side questions mid-callback, then each is answered or honestly deferred and the same step is asked again, without using up an attempt', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to a person');
    await v.say('callback');
    await v.say('Sam');
    // A question the guide can't answer here: not "that doesn't look like a phone number".
    for (const question of ['how long is detox?', 'wait, how long does the whole program take?']) {
      const unsure = await v.say(question);
      expect(unsure.text).not.toMatch(/doesn't look like a US phone number/);
      expect(unsure.text).toContain(ADMISSIONS);
      expect(unsure.text).toMatch(/What US phone number should they call/);
    }
    // Two real mistakes after it still get the gentle re-ask, not the give-up.
    expect((await v.say('617')).text).toMatch(ASK_PHONE);
    expect((await v.say('555')).text).toMatch(ASK_PHONE);
    expect((await v.say('617-555-0123')).text).toMatch(ASK_TIME);
    const side = await v.say('whats iop?');
    expect(side.text).toMatch(/Intensive Outpatient Program/);
    expect(side.text).toMatch(ASK_TIME);
    expect((await v.say('Afternoon')).text).toMatch(ASK_CONSENT);
    expect((await v.say('Yes, contact me')).text).toMatch(REFERENCE);
  });

  it('when a visitor on SMS requests a callback, then their own number is offered, "help" re-asks the step, and "never mind" stops without opting out', async () => {
    const v = new Visitor('sms', '+16175550142');
    // A callback asked for outright skips the offer, and still gives the admissions line.
    const ask = await v.say('can someone call me');
    expect(ask.text).toContain(ADMISSIONS);
    expect(ask.text).toMatch(/What first name/);
    const confirm = await v.say('Pat');
    expect(confirm.text).toMatch(/\(617\) 555-0142/);
    const help = await v.say('help');
    expect(help.text).toMatch(/Text STOP to opt out/);
    expect(help.text).toMatch(/\(617\) 555-0142/); // the same step, asked again
    // The prompts never tell an SMS visitor to type "cancel": on SMS that opts out of all texts.
    expect((await v.say('not sure')).text).not.toMatch(/"cancel"/i);
    const stop = await v.say('never mind');
    expect(stop.text).toMatch(/change your mind/i);
    expect(stop.text).not.toMatch(/unsubscribed/);
    expect((await v.say('what is php')).text).toMatch(/Partial Hospitalization/);
  });

  it('when a visitor in Teams asks for a person and requests a callback, then every step reads in the Adaptive Card and the request is taken', async () => {
    const v = new Visitor('msteams');
    const answer = await v.say('what is php');
    expect(answer.text).toMatch(/Partial Hospitalization/);
    const offer = await v.say('I want to talk to a real person');
    expect(offer.text).toMatch(CALLBACK_OFFER);
    expect(offer.links).toContain('tel:+18779206583');
    expect(offer.choices).toContain('Request a callback');
    expect((await v.say('Request a callback')).text).toMatch(ASK_NAME);
    expect((await v.say('Alex')).text).toMatch(ASK_PHONE);
    const time = await v.say('call me at +1 (617) 555-0177 please');
    expect(time.choices).toEqual(['Morning', 'Afternoon', 'Evening', 'Any time']);
    expect((await v.say('Morning')).choices).toEqual(['Yes, contact me', 'No']);
    expect((await v.say('Yes, contact me')).text).toMatch(REFERENCE);
  });
});

describe('conversations: did you mean, fallbacks and "none of these"', () => {
  it('when an SMS visitor gets "did you mean" and replies with a number, then that choice is answered', async () => {
    const v = new Visitor('sms');
    const dym = await v.say('detox or residential');
    expect(dym.text).toMatch(/Did you mean/);
    const i = dym.choices.indexOf('Detox');
    expect(i).toBeGreaterThanOrEqual(0);
    expect((await v.say(String(i + 1))).text).toMatch(/Detox is offered by referral/);
  });

  it('when a web visitor gets "did you mean" and types a choice\'s words or "the first one", then that choice is answered', async () => {
    const v = new Visitor('webchat');
    // Two programs named side by side: the bot cannot tell which one is meant.
    const dym = await v.say('detox or residential');
    expect(dym.choices).toContain('Detox');
    const first = kb.faq.entries.find((e) => e.title === dym.choices[0]);
    expect(first).toBeDefined();
    expect((await v.say('the first one')).text).toContain(first!.answer.replace(/\s+/g, ' ').slice(0, 60));
    // In a new conversation: after an answer, "php or iop" reads as a follow-up to it.
    const w = new Visitor('webchat');
    expect((await w.say('php or iop')).choices).toContain('Partial Hospitalization (PHP)');
    expect((await w.say('Partial Hospitalization')).text).toMatch(/Partial Hospitalization Program \(PHP\) gives full-day/);
  });

  it('when a visitor replies with a number that is not one of the choices, then the choices are shown again, not a random answer', async () => {
    for (const channel of ['webchat', 'sms'] as const) {
      const v = new Visitor(channel);
      const answer = await v.say('what is iop');
      const offered = answer.choices;
      expect(offered.length).toBeGreaterThan(1);
      const reply = await v.say('9');
      expect(reply.text).toMatch(new RegExp(`1 (?:to|-) ${offered.length}`));
      expect(reply.choices).toEqual(offered);
    }
  });

  it('when two messages in a row are not understood, then the admissions line and a callback are offered', async () => {
    const v = new Visitor('webchat');
    const first = await v.say('whats the weather like in boston');
    expect(first.text).toContain(ADMISSIONS);
    expect(first.handoffEvent).toBeUndefined();
    const second = await v.say('who won the game last night');
    expect(second.text).toContain(ADMISSIONS);
    expect(second.text).toMatch(CALLBACK_OFFER);
    expect(second.handoffEvent?.value).toMatchObject({ reason: 'fallback' });
    expect((await v.say('not now')).text).toMatch(/change your mind/);
  });

  it('when the fallback offers to connect and the visitor says "yes please", then a person is offered; a new question at the offer is simply answered', async () => {
    const v = new Visitor('webchat');
    expect((await v.say('do you guys sell concert tickets')).text).toMatch(/I can connect you with them now/);
    const offer = await v.say('yes please');
    expect(offer.text).toMatch(CALLBACK_OFFER);
    const moved = await v.say('what is php');
    expect(moved.text).toMatch(/Partial Hospitalization/);
    expect(moved.text).not.toMatch(CALLBACK_OFFER);
    expect((await v.say('Sam')).text).not.toMatch(ASK_PHONE);
  });

  it('when a visitor picks "None of these", then the admissions line is offered with a callback, and an answer in between resets the count', async () => {
    const v = new Visitor('sms');
    const dym = await v.say('detox or residential');
    expect(dym.choices).toContain('None of these');
    const none = await v.say(String(dym.choices.indexOf('None of these') + 1));
    expect(none.text).toContain(ADMISSIONS);
    expect(none.text).toMatch(CALLBACK_OFFER);
    await v.say('2'); // Not now
    await v.say('asdfgh');
    expect((await v.say('what is iop')).text).toMatch(/Intensive Outpatient/);
    expect((await v.say('qwerty')).text).not.toMatch(CALLBACK_OFFER);
  });
});

describe('conversations: commands at odd moments', () => {
  it('when a visitor says "forget me" mid-callback and then asks a new question, then nothing is kept and the question is answered fresh', async () => {
    const v = new Visitor('webchat');
    await v.say('what is iop');
    await v.say('talk to a person');
    await v.say('callback');
    await v.say('Robin');
    const forgot = await v.say('forget me');
    expect(forgot.text).toMatch(/deleted/);
    expect(forgot.text).toContain(ADMISSIONS);
    const next = await v.say('what is php');
    expect(next.text).toMatch(/Partial Hospitalization/);
    expect(next.text).not.toMatch(ASK_PHONE);
    expect(await requestsOf(v)).toEqual([]);
  });

  it('when a visitor says "help" then "start over" mid-callback, then help re-asks the step and start over leaves the callback', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to a person');
    await v.say('callback');
    const help = await v.say('help');
    expect(help.text).toMatch(/Ask me a question in your own words/);
    expect(help.text).toMatch(ASK_NAME);
    // The last thing shown is the step's question, not the general menu's buttons.
    expect(help.choices).not.toContain('Find the right program');
    const fresh = await v.say('start over');
    expect(fresh.text).toMatch(/start fresh/);
    expect((await v.say('Sam')).text).not.toMatch(ASK_PHONE);
  });

  it('when a visitor says "start over" and "help" in the screening, then the screening begins again without the general menu in between', async () => {
    const v = new Visitor('webchat');
    await v.say('which program is right for me');
    await v.say('yes');
    const again = await v.say('start over');
    expect(again.text).toMatch(/Shall we start\?/);
    expect(again.text).not.toMatch(/What would you like to know\?/);
    const help = await v.say('help');
    expect(help.text).toMatch(/Shall we start\?/);
    expect(help.choices).toEqual(["Yes, let's start", 'Not now']);
    expect((await v.say('cancel')).text).toMatch(/stopped the screening/);
    expect((await v.say('cancel')).text).toMatch(/stopped that/);
  });

  it('when a visitor asks for a person in the middle of the screening, then the callback is taken and the screening picks up where it was', async () => {
    const v = new Visitor('webchat');
    await v.say('what program do i need');
    await v.say('ok');
    expect((await v.say('alcohol')).text).toMatch(/How often/);
    expect((await v.say('can i talk to a person first')).text).toMatch(CALLBACK_OFFER);
    await v.say('callback');
    await v.say('Sam');
    await v.say('617-555-0123');
    // "morning" answers the callback's question, not a side question about evening IOP.
    expect((await v.say('morning')).text).toMatch(ASK_CONSENT);
    const filed = await v.say('yes');
    expect(filed.text).toMatch(REFERENCE);
    // What they wrote before the screening may be shared: asked once, with the reference.
    expect(filed.text).toMatch(/see your last few messages/);
    const done = await v.say('no thanks');
    expect(done.text).toMatch(/won't share your messages/);
    expect(done.text).toMatch(/pick up where we left off[\s\S]*How often/);
    expect((await v.say('every day')).text).toMatch(/shakes/);
  });

  it('when a visitor asks for a person mid-screening and then cancels, then both stop and the next message is a question again', async () => {
    const v = new Visitor('webchat');
    await v.say('which program is right for me');
    await v.say('yes');
    await v.say('alcohol');
    await v.say('talk to a person');
    await v.say('callback');
    const cancel = await v.say('cancel');
    expect(cancel.text).toMatch(/change your mind/);
    expect((await v.say('what is php')).text).toMatch(/Partial Hospitalization/);
  });
});

describe('conversations: safety on every turn', () => {
  it('when an SMS visitor sends STOP, then a crisis message, then START, then the crisis guidance still comes, START opts back in, and questions are answered again', async () => {
    const v = new Visitor('sms');
    await v.say('what is iop');
    expect((await v.say('STOP')).text).toMatch(/unsubscribed/);
    expect((await v.say('what is php')).messages).toEqual([]);
    const crisis = await v.say('i want to kill myself');
    expect(crisis.first).toMatch(EMERGENCY);
    const start = await v.say('START');
    expect(start.text).toMatch(/subscribed again/);
    // The first message after a crisis is met with the check-in, then questions are answered again.
    expect((await v.say('what is php')).text).toMatch(/Are you safe right now/);
    expect((await v.say('yes im ok')).text).toMatch(/glad you're safe/);
    expect((await v.say('what is php')).text).toMatch(/Partial Hospitalization/);
  });

  it('when an SMS visitor sends STOP in the middle of a callback and later START, then the old callback does not pick up again', async () => {
    const v = new Visitor('sms');
    await v.say('talk to a person');
    await v.say('1');
    expect((await v.say('Sam')).text).toMatch(/this number/);
    expect((await v.say('STOP')).text).toMatch(/unsubscribed/);
    expect((await v.say('START')).text).toMatch(/subscribed again/);
    const next = await v.say('what is iop');
    expect(next.text).toMatch(/Intensive Outpatient Program/);
    expect(next.text).not.toMatch(/this number|pick up where we left off/);
    expect(await requestsOf(v)).toEqual([]);
  });

  it('when an SMS visitor sends STOP right after a crisis message, then they are opted out (carrier rule), not asked a question', async () => {
    const v = new Visitor('sms');
    expect((await v.say('i dont want to live anymore')).first).toMatch(EMERGENCY);
    expect((await v.say('STOP')).text).toMatch(/unsubscribed/);
    expect((await v.say('what is iop')).messages).toEqual([]);
  });

  it('when an SMS visitor answers the safety check-in with "2" (I need help now), then the numbers come again, and the check-in is never asked twice', async () => {
    const v = new Visitor('sms');
    await v.say('i want to end my life');
    const checkIn = await v.say('what is iop');
    expect(checkIn.text).toMatch(/Are you safe right now/);
    expect(checkIn.choices).toEqual(["I'm safe", 'I need help now']);
    const help = await v.say('2');
    expect(help.first).toMatch(EMERGENCY);
    expect(help.text).not.toMatch(/Are you safe right now/);
    // Answered, then something else asked: the question is answered, without the check-in again.
    const next = await v.say('what is iop');
    expect(next.text).not.toMatch(/Are you safe right now/);
    expect(next.text).toMatch(/IOP|Intensive Outpatient/);
  });

  it('when a visitor\'s first words after a crisis message are "can i talk to a person", then a person is offered at once, with 988 and 911, as a crisis-priority request', async () => {
    const v = new Visitor('webchat');
    expect((await v.say('i keep thinking about ending it all')).first).toMatch(EMERGENCY);
    const offer = await v.say('can i talk to a person');
    expect(offer.first).toMatch(CALLBACK_OFFER);
    expect(offer.first).toMatch(EMERGENCY);
    expect(offer.handoffEvent?.value).toMatchObject({ reason: 'crisis-follow-up', priority: 'crisis' });
    await v.say('Request a callback');
    await v.say('Kim');
    await v.say('617-555-0166');
    await v.say('any time');
    expect((await v.say('yes')).text).toMatch(REFERENCE);
    expect((await requestsOf(v))[0]?.priority).toBe('crisis');
  });

  it('when a visitor in a callback sends a crisis message, then the guidance comes first, and after "im safe now" the callback picks up at the same step and is flagged crisis', async () => {
    const v = new Visitor('webchat');
    await v.say('talk to a person');
    await v.say('callback');
    await v.say('Sam');
    const crisis = await v.say('honestly i just want to die');
    expect(crisis.first).toMatch(EMERGENCY);
    expect(crisis.links).toContain('tel:988');
    const safe = await v.say('im safe now');
    expect(safe.first).toMatch(/glad you're safe/);
    expect(safe.text).toMatch(/What US phone number should they call/);
    expect((await v.say('617 555 0123')).text).toMatch(ASK_TIME);
    await v.say('evening');
    expect((await v.say('yes')).text).toMatch(REFERENCE);
    const [request] = await requestsOf(v);
    expect(request?.priority).toBe('crisis');
  });

  it('when a visitor in the screening sends a crisis message, then the screening pauses, and "continue screening" picks it up at the same question', async () => {
    const v = new Visitor('webchat');
    await v.say('which program is right for me');
    await v.say('yes');
    await v.say('opioids');
    expect((await v.say('i might overdose tonight on purpose')).first).toMatch(EMERGENCY);
    const safe = await v.say("i'm safe");
    expect(safe.text).toMatch(/paused the screening/);
    expect(safe.choices).toContain('Continue screening');
    expect((await v.say('continue screening')).text).toMatch(/How often/);
  });
});

describe('conversations: odd messages', () => {
  it('when a visitor sends an image with no text, then empty text, then the bot says what it can do and nothing breaks', async () => {
    const v = new Visitor('webchat');
    const image = await v.say('', { attachments: [{ contentType: 'image/jpeg', contentUrl: 'http://127.0.0.1/photo.jpg' }] });
    expect(image.text).toMatch(/can't open files or images/);
    expect((await v.say('   ')).text).toMatch(/empty/);
    expect((await v.say('what is iop')).text).toMatch(/Intensive Outpatient/);
  });

  it('when a visitor sends only emoji twice, then the bot answers kindly and does not treat it as two failed questions', async () => {
    const v = new Visitor('webchat');
    const first = await v.say('🙏🙏');
    expect(first.text).not.toMatch(NOT_UNDERSTOOD);
    const second = await v.say('👍');
    expect(second.text).not.toMatch(CALLBACK_OFFER);
    expect(second.handoffEvent).toBeUndefined();
    expect((await v.say('what is php')).text).toMatch(/Partial Hospitalization/);
  });

  it('when a visitor says "ok" or "got it" after an answer, then it is taken as an acknowledgement, not a question', async () => {
    const v = new Visitor('sms');
    await v.say('what is iop');
    for (const ack of ['ok', 'got it', 'cool']) {
      const reply = await v.say(ack);
      expect(reply.text).not.toMatch(NOT_UNDERSTOOD);
      expect(reply.text).not.toMatch(/Insurance|Medications/);
    }
  });

  it('when a visitor sends a very long message, then they are asked for one question at a time with the admissions line, unless it carries a crisis', async () => {
    const v = new Visitor('webchat');
    const story = 'my son has been struggling for years and we tried everything. '.repeat(80);
    const long = await v.say(story);
    expect(long.text).toMatch(/one question at a time/);
    expect(long.text).toContain(ADMISSIONS);
    const crisis = await v.say(`${story} and last night he said he wants to kill himself`);
    expect(crisis.first).toMatch(EMERGENCY);
  });

  it('when a Spanish-speaking visitor writes, then they get Spanish with the admissions line, and the crisis guidance in Spanish with Spanish buttons', async () => {
    const v = new Visitor('webchat');
    const hello = await v.say('hola, necesito información para mi hijo');
    expect(hello.text).toMatch(/admisiones/);
    expect(hello.text).toContain(ADMISSIONS);
    // Its buttons are in Spanish too (what a tap sends back stays the bot's own words).
    for (const label of hello.choices) expect(label).not.toMatch(/\b(?:what|is|the|you|your|of|do|find|this|none)\b/i);
    expect(hello.text).not.toMatch(/\b(?:the|you|your|our|what|please)\b/i);
    const crisis = await v.say('me quiero morir');
    expect(crisis.first).toMatch(/988/);
    expect(crisis.first).toMatch(/español/);
    const safe = await v.say('estoy bien');
    expect(safe.first).toMatch(/Me alegra/);
    expect(safe.choices).toEqual(['Hablar con una persona']);
  });

  it('when a Teams user @mentions the bot before the question, then the question is answered, not the mention', async () => {
    const v = new Visitor('msteams');
    const reply = await v.say('<at>GBAC Admissions</at> what is iop');
    expect(reply.text).toMatch(/Intensive Outpatient Program/);
  });

  it('when a visitor greets and thanks the bot in Teams, then each gets a friendly reply and never the "not understood" line', async () => {
    const v = new Visitor('msteams');
    expect((await v.say('good morning')).text).toMatch(/admissions assistant/);
    expect((await v.say('what is outpatient')).text).toMatch(/outpatient/i);
    const thanks = await v.say('thank you so much!');
    expect(thanks.text).toMatch(/welcome/i);
    expect(thanks.text).not.toMatch(NOT_UNDERSTOOD);
  });
});

describe('conversations: coming back after the screening', () => {
  it('when a visitor who finished the screening asks "what did you suggest again", then the same suggestion is repeated with a person offered', async () => {
    const v = new Visitor('webchat');
    await v.say('which program is right for me');
    await v.say('yes');
    await v.say('alcohol');
    await v.say('every day');
    await v.say('yes i get the shakes');
    await v.say('no');
    const result = await v.say('no');
    expect(result.text).toMatch(/likely start with detox/);
    await v.say('thanks');
    await v.say('what is php');
    for (const ask of ['what did you suggest again', 'sorry what was my result?', 'what program did you recommend for me']) {
      const again = await v.say(ask);
      expect(again.text).toMatch(/likely start with detox/);
      expect(again.choices).toContain('Talk to a person');
    }
    // A person asked for now carries the screening to admissions; asked again mid-callback, the suggestion comes with the same step.
    expect((await v.say('talk to a person')).handoffEvent?.value).toMatchObject({ reason: 'screening-completed', suggestedLevel: 'detox' });
    await v.say('Request a callback');
    const mid = await v.say('wait what did you suggest again?');
    expect(mid.text).toMatch(/likely start with detox[\s\S]*What first name should admissions ask for/);
  });

  it('when a visitor who never took the screening asks what was suggested, then they are offered the screening, not an invented result', async () => {
    const v = new Visitor('sms');
    const reply = await v.say('what did you suggest again');
    expect(reply.text).not.toMatch(/likely start with/);
    expect(reply.text).toMatch(/haven't|few quick questions|self-screen/i);
  });
});
