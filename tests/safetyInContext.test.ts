import type { Activity } from 'botbuilder';
import { testBot } from './helpers/bot';

/**
 * The kinds of the issue "safety in context", each in the project's own words: the
 * safety net reads a message with what it does (a denial, an answer, a story, a past
 * event) and gives each risk its own tier; the check-in never loops.
 */
const CRISIS = /call or text 988 now|This could be an overdose|This could be a medical emergency|Your safety comes first|going through something really hard/;
const CHECK_IN = /Are you safe right now/;
const WITHDRAWAL = /talk to a doctor or our admissions team before you stop/;

describe.each(['webchat', 'sms'])('on %s', (channel) => {
  const { adapter } = testBot(channel);
  let n = 0;
  const visitor = () => {
    const id = `context-${channel}-${n++}`;
    return async (text: string): Promise<string> => {
      await adapter.receiveActivity({ type: 'message', text, conversation: { id } } as Partial<Activity>);
      return (adapter.activeQueue.splice(0) as Partial<Activity>[]).map((r) => String(r.text ?? '')).join('\n');
    };
  };

  describe('an overdose feared is not an overdose happening', () => {
    it.each([
      ['someday, with a question', 'my son has been using for years and im terrified hes going to overdose one day. what programs would be right for him'],
      ['someday, in Spanish', 'tengo miedo de que mi hijo se muera de una sobredosis algún día, qué programa le sirve?'],
    ])('when a parent fears an overdose %s, then no crisis block: the safety line under the answer', async (_kind, text) => {
      const reply = await visitor()(text);
      expect(reply).not.toMatch(CRISIS);
      expect(reply).not.toMatch(CHECK_IN);
      expect(reply).toMatch(/911/);
    });

    it('when the feared overdose is tonight, then the risk of using again: never alone, naloxone close', async () => {
      const reply = await visitor()('im scared she will use and OD tonight, she has stuff on her');
      expect(reply).not.toMatch(/This could be an overdose/);
      expect(reply).toMatch(/naloxone/i);
      expect(reply).toMatch(/don't use alone/);
    });

    it('when fear comes with a sign of it happening now, then the emergency', async () => {
      expect(await visitor()('im scared hes going to OD, hes not breathing right now')).toMatch(/This could be an overdose/);
    });
  });

  describe('ordinary talk raises no alarm', () => {
    it.each([
      ['a screening-style answer', ['my daughter drinks', 'every single night, I already told you that']],
      ['a schedule question', ['is there an evening option? I work until 4 at a school']],
      ['wanting to cut down', ['I drink too much on weekends', 'honestly I just want to cut back a bit']],
      ['a past overdose survived', ['my brother overdosed back in 2019, he got narcan and has been clean since', 'does your family program take siblings?']],
      ['a denial said outright', ['not suicidal or anything, just sick of being hungover. what is IOP?']],
      ['a professional at work', ['I am an EMT and we get called to overdoses every week. do you take referrals from EMS?']],
      ['the bot quoted back', ["you gave me the suicide hotline when I said 'dying to get started', I'm fine, what are your hours?"]],
    ])('when a visitor sends %s, then no crisis reply and no check-in', async (_kind, lines) => {
      const say = visitor();
      for (const line of lines) {
        const reply = await say(line);
        expect(reply).not.toMatch(CRISIS);
        expect(reply).not.toMatch(CHECK_IN);
      }
    });
  });

  describe('each risk gets its tier', () => {
    it('when a visitor quits a bottle of vodka a day on their own, then the withdrawal guidance, not "call 911 now"', async () => {
      const reply = await visitor()('going to stop drinking tomorrow cold turkey, I drink about a fifth a day');
      expect(reply).toMatch(WITHDRAWAL);
      expect(reply).not.toMatch(/This could be a medical emergency|This could be an overdose/);
    });

    it('when someone is dope sick, then the withdrawal guidance, and the question asked with it is still answered', async () => {
      const reply = await visitor()('im dope sick, sweating and cant sleep. do you have IOP?');
      expect(reply).toMatch(WITHDRAWAL);
      expect(reply).toMatch(/IOP|Intensive Outpatient/);
    });

    it('when someone uses fentanyl right after detox, then the overdose risk after a break is named', async () => {
      expect(await visitor()('got out of detox yesterday and already picked up fentanyl')).toMatch(/tolerance is lower/);
    });

    it('when opioids are taken with alcohol every night, then the withdrawal tier names the risk', async () => {
      expect(await visitor()('he takes his oxy with vodka every night to sleep')).toMatch(/don't use alone|naloxone/);
    });

    it('when chest pain follows cocaine, then the emergency reply with 911', async () => {
      expect(await visitor()('did a lot of coke and now my chest feels crushed')).toMatch(/medical emergency[\s\S]*911/);
    });

    it('when a passive wish to die is written, then the suicide reply with 988, not the overdose one', async () => {
      const reply = await visitor()('sometimes I think I would rather not wake up tomorrow');
      expect(reply).toMatch(/988/);
      expect(reply).not.toMatch(/This could be an overdose/);
    });

    it('when a worry about an overdose one day comes with a question, then the answer and one safety line', async () => {
      const reply = await visitor()('I am scared my son will overdose someday. do you have family therapy?');
      expect(reply).toMatch(/If you or someone else is ever in danger/);
      expect(reply).not.toMatch(CRISIS);
    });
  });

  describe('the check-in reads the answer', () => {
    it.each(['idk. prob not', 'i dont know', 'i need help now', 'no'])('when "%s" answers it, then the visitor is not taken as safe and the screening does not resume', async (answer) => {
      const say = visitor();
      await say('i want to end my life');
      const reply = await say(answer);
      expect(reply).toMatch(/988|911/);
      expect(reply).not.toMatch(/glad you're safe|How often|You're welcome/);
    });

    it('when the visitor says "ok fine. ill text 988", then the step is affirmed', async () => {
      const say = visitor();
      await say('i want to end my life');
      expect(await say('ok fine. ill text 988')).toMatch(/right step/);
    });

    it.each(["im not suicidal, I asked about parking", "I'm safe, it's about my son. what is PHP?"])('when "%s" follows a crisis reply, then it is acknowledged once and the question answered, with no template again', async (answer) => {
      const say = visitor();
      await say('he said he wants to kill himself');
      const reply = await say(answer);
      expect(reply).not.toMatch(CRISIS);
      expect(reply).not.toMatch(CHECK_IN);
    });

    it('when a reply was about someone else and the visitor says "not them. me.", then the suicide reply and the check-in turn to the visitor', async () => {
      const say = visitor();
      await say('my husband keeps saying everyone would be better off without him');
      const reply = await say('not him. me.');
      expect(reply).toMatch(/I'm sorry you're hurting|thinking about suicide or hurting yourself/);
      expect(reply).toMatch(CHECK_IN);
    });

    it('when the visitor says they will NOT call 911, then it is not praised as the right step', async () => {
      const say = visitor();
      await say('my friend took a bunch of pills and wont wake up');
      expect(await say("i'm not calling 911, he'll get arrested")).not.toMatch(/right step/);
    });

    it('when help has arrived ("EMS came and gave him narcan, he is awake now"), then it is acknowledged, not "call 911" again', async () => {
      const say = visitor();
      await say('my friend took a bunch of pills and wont wake up');
      const reply = await say('EMS came and gave him narcan, hes awake now');
      expect(reply).toMatch(/right step|glad/);
      expect(reply).not.toMatch(/This could be an overdose/);
    });

    it('when the aftermath of an overdose is told after 911 was called ("ambulance took him, they gave him narcan", "what treatment after an overdose?"), then no "call 911 now" again and the question is answered', async () => {
      const say = visitor();
      await say('hes nodding off on the couch and i cant wake him up, his lips look grey');
      await say('ok calling 911 now');
      expect(await say('the ambulance took him, they gave him narcan, hes ok')).not.toMatch(/This could be an overdose/);
      const next = await say('what treatment would he need after an overdose? detox?');
      expect(next).not.toMatch(/This could be an overdose/);
      expect(next).toMatch(/Detox is offered by referral/);
    });

    it('when someone asks where to get naloxone during an overdose under way, then the overdose steps come, not "keep naloxone at home" or our location', async () => {
      const say = visitor();
      await say('hes nodding off on the couch and i cant wake him up, his lips look grey');
      const reply = await say('i dont have narcan. where do i get it');
      expect(reply).toMatch(/call 911 now/);
      expect(reply).not.toMatch(/keeping naloxone \(Narcan\) at home/);
      expect(reply).not.toMatch(/We're located/);
    });

    it('when the visitor takes a crisis message back ("omg yes im safe. i was joking"), then the safe acknowledgement comes, not "call 911 now"', async () => {
      const say = visitor();
      await say('i took 40 xanax');
      await say('lol no i didnt');
      const reply = await say('omg yes im safe. i was JOKING');
      expect(reply).not.toMatch(/Please call 911 now/);
      expect(reply).toMatch(/glad/i);
    });

    it('when the visitor says goodnight while "are you safe?" is still open, then a warm goodbye with the numbers, and the episode ends', async () => {
      const say = visitor();
      await say('my brother has been drinking all day and said he wants to end it');
      await say('i dont know, he went to his room');
      const reply = await say('Thank you dear. Goodnight.');
      expect(reply).toMatch(/Take care/);
      expect(reply).toMatch(/988/);
      expect(reply).not.toMatch(/Please call 911 now/);
      expect(await say('what are your evening hours')).not.toMatch(CHECK_IN);
    });

    it('when withdrawal comes up again soon after the guidance, then a short reminder, not "I don\'t have information"', async () => {
      const say = visitor();
      expect(await say('going to quit drinking cold turkey tomorrow, a fifth a day')).toMatch(WITHDRAWAL);
      const again = await say('the shakes are bad again this morning, no drink since last night');
      expect(again).toMatch(/As I said, please don't stop on your own/);
      expect(again).not.toMatch(/don't have information/);
    });

    it('when an overdose is under way and the visitor asks what to do first with the naloxone, then the overdose steps come again, not "are you safe?"', async () => {
      const say = visitor();
      await say('my friend took a bunch of pills and wont wake up');
      const reply = await say('narcan is in my car, what do I do first');
      expect(reply).toMatch(/911/);
      expect(reply).not.toMatch(CHECK_IN);
    });
  });

  describe('a question nobody should guess at, during a crisis', () => {
    it.each([
      ['an overdose', 'my husband took a bunch of his pills with vodka and i cant wake him up', 'should I try to make him throw up?', /call 911 now/],
      ['an overdose, in Spanish', 'mi hijo se tomó un montón de pastillas y no despierta', '¿le doy leche o agua?', /llame al 911 ahora/],
      ['thoughts of suicide', 'i dont want to be alive anymore', 'would they lock me up if i called?', /988/],
    ])('when a visitor asks one during %s, then what to do with it, never "I don\'t have information" or a menu of topics', async (_kind, crisis, question, expected) => {
      const say = visitor();
      await say(crisis);
      const reply = await say(question);
      expect(reply).toMatch(expected);
      expect(reply).not.toMatch(/don't have information|Did you mean|not sure I understood|no tengo información|Quiso decir/i);
    });

    it('when the question is one the guide answers, then it is answered as usual', async () => {
      const say = visitor();
      await say('my husband took a bunch of his pills with vodka and i cant wake him up');
      await say('the ambulance took him, they gave him narcan');
      expect(await say('what is IOP?')).toMatch(/intensive outpatient/i);
    });
  });

  describe('violence told with a condition is no denial', () => {
    it.each([["He doesn't hit me when he's sober. Only when he drinks. Is that something the family program can help with?"], ['él no me pega cuando está sobrio, solo cuando toma']])(
      'when a visitor says "%s", then the safety reply comes',
      async (text) => {
        expect(await visitor()(text)).toMatch(/911/);
      },
    );
  });

  describe('whose risk it is, read where the risk is said', () => {
    it('when the visitor speaks of their own despair after naming someone else, then the reply is to them, not "give their address"', async () => {
      const reply = await visitor()('my wife left me last month. honestly i dont see the point of living anymore');
      expect(reply).toMatch(/988/);
      expect(reply).not.toMatch(/their address|person you're worried about/);
    });

    it('when a young visitor tells of a parent\'s violence, then the check-in asks about the visitor, and "we\'re fine rn" ends it', async () => {
      const say = visitor();
      await say('my dad threw a chair last night. me and my little sister hid in my room');
      const asked = await say('is there family therapy he would have to come to');
      expect(asked).not.toMatch(/their address|person you're worried about/);
      expect(await say('me and my sister r fine rn')).not.toMatch(/Are you safe|988 counselor/);
      const plain = await say('can i sign him up without him knowing');
      expect(plain).not.toMatch(/988 counselor|Are you safe/);
    });

    it('when a frightened parent says the person is ok after all, with an "i dont know" beside it, then the overdose steps are not said again', async () => {
      const say = visitor();
      await say('my son has been in the bathroom for an hour and wont answer, i think he overdosed');
      const reply = await say('he opened the door, hes ok. he was just asleep. hes mad at me now. i dont know. sorry');
      expect(reply).not.toMatch(/This could be an overdose/);
    });

    it('when a parent tells of a child\'s wish to die, then the reply is to the worried parent', async () => {
      expect(await visitor()('my daughter texted me that she wants to kill herself')).toMatch(/their address|worried about someone else/);
    });
  });
});
