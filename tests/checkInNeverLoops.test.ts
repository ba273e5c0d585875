import type { Activity } from 'botbuilder';
import fc from 'fast-check';
import { crisis, testBot } from './helpers/bot';

/**
 * The crisis check-in, over any sequence of visitor replies that raise no new risk:
 * "Are you safe right now?" is asked at most once per crisis episode, and no crisis
 * paragraph is sent more than twice (the reply, and once more if the visitor says they
 * are not safe). Issue "safety in context": the check-in cannot loop.
 */
const OPENERS = ['i want to end my life', 'my brother took a bunch of pills and wont wake up', 'my sister texted me goodbye and isnt answering'];
const REPLIES = [
  'yes', 'no', 'idk', 'prob not', "i'm safe", 'im fine', 'not really', 'what is iop?', 'do you take masshealth?', 'ok', 'thanks', '???',
  'whatever', 'i said im fine', 'i need help now', '1', '2', 'stop asking me that', "it's about my son", 'hello?', 'ok ill text 988', 'lol',
  'i dont know what to do', 'not like that', 'can i talk to a person',
];
const CHECK_IN = /Are you safe right now|Is the person you're worried about safe right now/g;
const PARAGRAPHS = Object.values(crisis.source.responses)
  .flatMap((r) => (r ? [r.en.text, r.es.text] : []))
  .map((t) => t.trim().slice(0, 60));

describe('the crisis check-in never loops', () => {
  const { adapter } = testBot('webchat');
  let n = 0;
  const say = async (id: string, text: string): Promise<string> => {
    await adapter.receiveActivity({ type: 'message', text, conversation: { id } } as Partial<Activity>);
    return (adapter.activeQueue.splice(0) as Partial<Activity>[]).map((r) => String(r.text ?? '')).join('\n');
  };

  it('when a visitor answers a crisis reply with any sequence of replies, then the check-in is asked at most once and no crisis paragraph more than twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPENERS), fc.array(fc.constantFrom(...REPLIES), { minLength: 1, maxLength: 8 }), async (opener, replies) => {
        const id = `loop-${n++}`;
        const said = [await say(id, opener)];
        for (const r of replies) said.push(await say(id, r));
        const all = said.join('\n');
        expect((all.match(CHECK_IN) ?? []).length).toBeLessThanOrEqual(1);
        for (const p of PARAGRAPHS) expect(all.split(p).length - 1).toBeLessThanOrEqual(2);
        // Every reply says something: nothing is swallowed.
        for (const s of said) expect(s.trim()).not.toBe('');
      }),
      { numRuns: 80, seed: 13 },
    );
  });

  it('when a visitor writes again more than 30 minutes after a crisis reply, then the episode is over and the question is answered without the check-in', async () => {
    const id = `quiet-${n++}`;
    await say(id, 'i want to end my life');
    const later = Date.now() + 31 * 60_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const reply = await say(id, 'what is iop?');
      expect(reply).not.toMatch(CHECK_IN);
      expect(reply).toMatch(/IOP|Intensive Outpatient/);
    } finally {
      clock.mockRestore();
    }
  });

  it('when the check-in was asked and the answer is still unclear, then a plain statement gets a short word that help is there, not the question again', async () => {
    const id = `unclear-${n++}`;
    await say(id, 'i want to end my life');
    expect(await say(id, 'whatever')).toMatch(CHECK_IN);
    const next = await say(id, 'whatever');
    expect(next).not.toMatch(CHECK_IN);
    expect(next).toMatch(/988/);
  });
});
