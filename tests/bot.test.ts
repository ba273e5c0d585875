import type { Activity } from 'botbuilder';
import type { LiveHook } from '../src/staff/live';
import { SAFETY_READ_CHARS } from '../src/turn/turn';
import { crisis, recognizer, responder, testBot } from './helpers/bot';

const text = (a: Partial<Activity>) => String(a.text ?? '');
const buttons = (a: Partial<Activity>) =>
  JSON.stringify([a.suggestedActions?.actions ?? [], a.attachments ?? []]);

describe('AdmissionsBot conversation basics', () => {
  it('when a visitor joins the conversation, then the bot welcomes them once', async () => {
    const { adapter } = testBot();
    const join: Partial<Activity> = { type: 'conversationUpdate', membersAdded: [{ id: 'user', name: 'User' }], recipient: { id: 'bot', name: 'bot' } };
    await adapter
      .send(join)
      .assertReply((a) => {
        expect(text(a)).toMatch(/not a clinician|not a doctor|not.*emergenc/i);
        expect(text(a)).toMatch(/911/);
      })
      .send(join)
      .assertNoReply()
      .startTest();
  });

  it('when a visitor whose channel locale is Spanish joins, then the welcome and its buttons are in Spanish, and so is the next answer', async () => {
    const { adapter } = testBot();
    const join: Partial<Activity> = { type: 'conversationUpdate', locale: 'es-US', membersAdded: [{ id: 'user', name: 'User' }], recipient: { id: 'bot', name: 'bot' } };
    await adapter
      .send(join)
      .assertReply((a) => {
        expect(text(a)).toMatch(/asistente/);
        expect(text(a)).toMatch(/911/);
        expect(text(a)).not.toMatch(/\b(?:the|you|our|I'm)\b/);
      })
      .send({ type: 'message', text: 'iop?', locale: 'es-US' })
      .assertReply((a) => expect(text(a)).toMatch(/Programa Intensivo Ambulatorio/))
      .startTest();
  });

  it('when a visitor asks for help, then the bot lists what it can do', async () => {
    await testBot()
      .adapter.send('help')
      .assertReply((a) => expect(text(a)).toMatch(/talk to a person/i))
      .startTest();
  });

  it('when a visitor asks a question in SMS shorthand, then the bot answers it and offers follow-ups', async () => {
    await testBot()
      .adapter.send('wat is iop')
      .assertReply((a) => {
        expect(text(a)).toMatch(/intensive outpatient/i);
        expect(a.suggestedActions?.actions.length).toBeGreaterThan(0);
      })
      .startTest();
  });

  it('when a visitor taps a follow-up, then the bot answers that entry', async () => {
    const { adapter } = testBot();
    let followUp = '';
    await adapter
      .send('what is php')
      .assertReply((a) => {
        followUp = String(a.suggestedActions?.actions[0]?.value ?? '');
        expect(followUp).not.toBe('');
      })
      .startTest();
    await adapter.send(followUp).assertReply((a) => expect(text(a).length).toBeGreaterThan(20)).startTest();
  });

  it('when the question is outside the guide, then the bot says it does not know and offers the admissions line', async () => {
    await testBot()
      .adapter.send('can you recommend a good lasagna recipe')
      .assertReply((a) => {
        expect(text(a)).toContain('(877) 920-6583');
        expect(buttons(a)).toContain('tel:+18779206583');
      })
      .startTest();
  });

  it('when a visitor asks whether the chat is private, then the bot says what it keeps and how to delete it', async () => {
    await testBot()
      .adapter.send('is this confidential?')
      .assertReply((a) => {
        expect(text(a)).toMatch(/forget me/i);
        expect(text(a)).toContain('(877) 920-6583');
      })
      .startTest();
  });

  it('when a visitor writes in Spanish, then the reply is in Spanish with the admissions number', async () => {
    await testBot()
      .adapter.send('hola, necesito información sobre el programa para mi hijo')
      .assertReply((a) => {
        expect(text(a)).toContain('(877) 920-6583');
        expect(text(a)).toMatch(/admisiones/i);
        // Not one English sentence: the whole reply is said in Spanish.
        expect(text(a)).not.toMatch(/\b(?:the|you|your|our|what|is|please)\b/i);
      })
      .startTest();
  });

  it('when a short Spanish question matches an entry clearly, then the reply is still the Spanish one', async () => {
    await testBot()
      .adapter.send('dan suboxone o metadona?')
      .assertReply((a) => {
        expect(text(a)).toContain('(877) 920-6583');
        expect(text(a)).toMatch(/llame|ingl[eé]s/i);
      })
      .startTest();
  });

  it('when a visitor asks to talk to a person on SMS, then the number is written out and there are no buttons', async () => {
    await testBot('sms')
      .adapter.send('can i talk to someone')
      .assertReply((a) => {
        expect(text(a)).toContain('920-6583');
        expect(a.attachments ?? []).toHaveLength(0);
        expect(a.suggestedActions).toBeUndefined();
      })
      .startTest();
  });

  it('when the SMS visitor replies with a number, then it picks that numbered choice', async () => {
    const { adapter } = testBot('sms');
    let choices = '';
    await adapter
      .send('what is php')
      .assertReply((a) => {
        choices = text(a);
        expect(choices).toMatch(/\n1\. /);
      })
      .startTest();
    await adapter.send('1').assertReply((a) => expect(text(a).length).toBeGreaterThan(20)).startTest();
  });

  it('when a message signals suicide risk, then the first reply gives 988 and 911, and the next turn checks in', async () => {
    await testBot()
      .adapter.send('honestly i would rather not wake up tomorrow')
      .assertReply((a) => {
        expect(text(a)).toMatch(/988/);
        expect(buttons(a)).toContain('tel:988');
      })
      .send('what are your hours')
      .assertReply((a) => expect(text(a)).toMatch(/safe/i))
      .send("i'm safe")
      .assertReply((a) => expect(text(a)).not.toMatch(/^Are you safe/i))
      .startTest();
  });

  it('when a message reports an overdose by SMS, then 911 comes first as plain text', async () => {
    await testBot('sms')
      .adapter.send('my brother used and now hes not breathing')
      .assertReply((a) => {
        expect(text(a)).toMatch(/911/);
        expect(a.attachments ?? []).toHaveLength(0);
      })
      .startTest();
  });

  it('when a question is close to several entries, then the bot asks "did you mean" with None of these', async () => {
    const { adapter } = testBot();
    // Two programs offered as alternatives: only the visitor can say which one is meant (no guess is answered).
    const ambiguous = 'detox or residential';
    await adapter
      .send(ambiguous)
      .assertReply((a) => {
        const actions = a.suggestedActions?.actions ?? [];
        expect(actions.length).toBeGreaterThanOrEqual(2);
        expect(actions[actions.length - 1]?.title).toBe('None of these');
      })
      .send('None of these')
      .assertReply((a) => expect(text(a)).toContain('(877) 920-6583'))
      .startTest();
  });

  it('when two programs are offered as alternatives ("php or iop"), then the visitor chooses; asked how they compare, the levels of care answer', async () => {
    const { adapter } = testBot();
    await adapter
      .send('php or iop')
      .assertReply((a) => {
        const titles = (a.suggestedActions?.actions ?? []).map((x) => x.title);
        expect(titles).toEqual(expect.arrayContaining(['Partial Hospitalization (PHP)', 'What is IOP?', 'Levels of care', 'None of these']));
      })
      .startTest();
    const levels = responder.entry('levels-of-care')!.answer.trim().slice(0, 40);
    await testBot().adapter.send('whats the difference between php and iop').assertReply((a) => expect(text(a)).toContain(levels)).startTest();
  });

  it('when the best entry leads a "did you mean" clearly, then its answer is given as a guess ("I think you\'re asking about…")', async () => {
    const { kb, recognizer } = await import('./helpers/bot');
    // Chosen by the calibration (a clear lead below "confident"), not by a guess about one message.
    const likely = ['sessions', 'support', 'care', 'rehab', 'treatment', 'therapy', 'program', 'help', 'family', 'groups', 'counselor', 'evenings', 'weekly', 'plan'].find((m) => {
      const r = recognizer.recognize(m);
      return r.outcome === 'ambiguous' && r.candidates[0]!.score >= 0.3 && r.candidates[0]!.score - (r.candidates[1]?.score ?? 0) >= 0.08;
    });
    expect(likely).toBeDefined();
    const entry = kb.faq.entries.find((e) => e.id === recognizer.recognize(likely!).candidates[0]!.id)!;
    const { adapter } = testBot();
    await adapter
      .send(likely!)
      .assertReply((a) => {
        expect(text(a)).toContain(`I think you're asking about "${entry.title.replace(/\?$/, '')}"`);
        expect(text(a)).toContain(entry.answer.replace(/\s+/g, ' ').slice(20, 80));
      })
      .startTest();
  });

  it('when nothing matches a message about use or treatment, then a "did you mean" comes, never "I don\'t have information"', async () => {
    const { recognizer } = await import('./helpers/bot');
    const stories = [
      'how do people stay sober when coworkers drink at every event',
      'what do you do when your wife hides wine bottles in the laundry room',
      'what now that my uncle drinks vodka in the garage every night',
    ];
    const story = stories.find((m) => {
      const r = recognizer.recognize(m);
      return r.outcome === 'none' && !r.offTopic && (r.candidates[0]?.score ?? 0) >= 0.1;
    });
    expect(story).toBeDefined();
    const { adapter } = testBot();
    await adapter
      .send(story!)
      .assertReply((a) => {
        expect(text(a)).not.toMatch(/don't have information/);
        expect(buttons(a)).toContain('None of these');
      })
      .startTest();
  });

  it('when a question about oneself shares words with the patient-privacy answer ("who am i even talking to"), then that answer is not given; about someone else, it is', async () => {
    const { adapter } = testBot();
    await adapter
      .send({ type: 'message', text: 'who am i even talking to rn', conversation: { id: 'policy-1' } } as Partial<Activity>)
      .assertReply((a) => expect(text(a)).not.toMatch(/confirm or deny/))
      .send({ type: 'message', text: 'is my son in your program right now', conversation: { id: 'policy-2' } } as Partial<Activity>)
      .assertReply((a) => expect(text(a)).toMatch(/confirm or deny/))
      .startTest();
  });

  it('when a question shares words with "thanks a lot" ("do i need this or not"), then it is never answered "You\'re welcome"; a thanks is', async () => {
    const { adapter } = testBot();
    await adapter
      .send({ type: 'message', text: 'do i need this or not', conversation: { id: 'thanks-1' } } as Partial<Activity>)
      .assertReply((a) => expect(text(a)).not.toMatch(/You're welcome/))
      .send({ type: 'message', text: 'do i need this or not, and what is iop?', conversation: { id: 'thanks-3' } } as Partial<Activity>)
      .assertReply((a) => {
        expect(text(a)).not.toMatch(/You're welcome/);
        expect(text(a)).toMatch(/Intensive Outpatient Program/);
      })
      .send({ type: 'message', text: 'ok thank you so much, bye', conversation: { id: 'thanks-2' } } as Partial<Activity>)
      .assertReply((a) => expect(text(a)).toMatch(/You're welcome|Take care|Goodbye|bye/i))
      .startTest();
  });

  it('when a visitor tells something the guide has no answer for ("i think i do need help"), then it is heard and help offered, not "I don\'t have information"; an off-topic request still gets the honest decline', async () => {
    const { adapter } = testBot();
    await adapter
      .send({ type: 'message', text: 'i think i do need help', conversation: { id: 'heard-1' } } as Partial<Activity>)
      .assertReply((a) => {
        expect(text(a)).not.toMatch(/don't have information/);
        expect(text(a)).toMatch(/Thank you for telling me/);
        expect(buttons(a)).toContain('Find the right program');
      })
      .send({ type: 'message', text: 'write me a poem about autumn', conversation: { id: 'heard-2' } } as Partial<Activity>)
      .assertReply((a) => expect(text(a)).toMatch(/don't have information/))
      .startTest();
  });

  it.each(['ok do the questions thing', 'can u do the questions thing', 'I want the self screening'])('when a visitor asks for the screening in their words (%j), then the consent comes', async (typed) => {
    const { adapter } = testBot();
    await adapter
      .send(typed)
      .assertReply((a) => expect(text(a)).toMatch(/not a diagnosis/))
      .startTest();
  });

  it('when an Adaptive Card submit arrives from Teams, then its text is used as the message', async () => {
    await testBot('msteams')
      .adapter.send({ type: 'message', value: { text: 'what is php' } } as Partial<Activity>)
      .assertReply((a) => expect(JSON.stringify(a)).toMatch(/partial hospitali[sz]ation/i))
      .startTest();
  });
});

describe('A message far over MAX_MESSAGE_CHARS', () => {
  const story = 'my son has been struggling for years and we tried everything. '.repeat(1700).slice(0, 100_000);
  let handed: number[];
  let toStaff: string[];
  let spies: jest.SpyInstance[];
  /** A live chat that is never on, recording what the turn hands it (as staff would see it). */
  const live: LiveHook = {
    intercept: async (_context, text) => {
      handed.push(text.length);
      return false;
    },
    noteCrisis: async (_context, text) => {
      handed.push(text.length);
      toStaff.push(text);
    },
  };
  beforeEach(() => {
    handed = [];
    toStaff = [];
    spies = [jest.spyOn(crisis, 'detect'), jest.spyOn(crisis, 'concern'), jest.spyOn(recognizer, 'recognize')];
  });
  afterEach(() => spies.forEach((s) => s.mockRestore()));
  /** The length of every text a stage handed on: the live chat, the crisis detector, the recognizer. */
  const lengths = () => [...handed, ...spies.flatMap((s) => s.mock.calls.map((c) => String(c[0]).length))];

  it('when a visitor sends 100,000 characters, then no stage is handed more than the safety window, and the reply asks for one question at a time', async () => {
    await testBot('webchat', undefined, undefined, { live })
      .adapter.send(story)
      .assertReply((a) => expect(text(a)).toMatch(/one question at a time/))
      .startTest();
    expect(handed).toHaveLength(1);
    expect(Math.max(...lengths())).toBeLessThanOrEqual(SAFETY_READ_CHARS);
  });

  it('when 100,000 characters open with a crisis, then the crisis reply comes first, and what staff are shown is the opening up to the safety window', async () => {
    await testBot('webchat', undefined, undefined, { live })
      .adapter.send(`i want to kill myself. ${story}`)
      .assertReply((a) => expect(text(a)).toMatch(/988/))
      .startTest();
    expect(toStaff).toHaveLength(1);
    expect(toStaff[0]).toMatch(/^i want to kill myself\. my son/);
    expect(Math.max(...lengths())).toBeLessThanOrEqual(SAFETY_READ_CHARS);
  });
});
