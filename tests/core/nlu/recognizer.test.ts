import * as path from 'node:path';
import { knowledgeDir, loadKnowledgeBase, readYaml } from '../../../src/core/knowledge/load';
import { evaluateIntents, unseenOnly, type LabelledQuestion } from '../../../src/core/nlu/evaluate';
import { Recognizer } from '../../../src/core/nlu/recognizer';

const kb = loadKnowledgeBase(knowledgeDir());
const recognizer = new Recognizer(kb);

describe('Recognizer', () => {
  it.each([
    ['how many hours a day is partial hospitalization', 'php'],
    ['standard outpatient, how many days a week is that', 'outpatient'],
    ['how many days a week is iop', 'iop-schedule'],
  ])('when a schedule question names a program (%j), then that program\'s entry is first', (text, id) => {
    expect(recognizer.recognize(text).candidates[0]?.id).toBe(id);
  });

  it('when a message names two programs ("detox or php"), then both are reported as named', () => {
    expect([...recognizer.programsNamed('detox or php')].sort()).toEqual(['detox', 'php']);
    expect([...recognizer.programsNamed('is intensive outpatient every day')]).toEqual(['iop']);
    // The entry a reading lands on, as the program it describes (lexicon.yaml namedPrograms): none for a comparison.
    expect(['what-is-iop', 'iop-schedule', 'php', 'detox', 'levels-of-care'].map((id) => recognizer.programOf(id))).toEqual(['iop', 'iop', 'php', 'detox', undefined]);
  });

  it('when every training question is asked back, then it matches its own entry', () => {
    const wrong: string[] = [];
    for (const entry of kb.faq.entries) {
      for (const q of entry.questions) {
        const best = recognizer.recognize(q).candidates[0];
        if (best?.id !== entry.id) wrong.push(`${entry.id}: ${q} → ${best?.id}`);
      }
    }
    // Bag-of-words can't separate every pair of phrasings; nearly all must come back home.
    const total = kb.faq.entries.reduce((n, e) => n + e.questions.length, 0);
    expect(wrong.length / total).toBeLessThan(0.03);
  });

  it.each([
    ['how many days a week would i have to come in', 'iop-schedule'],
    ['do u do dbt', 'therapies'],
    ['I just got out of detox, can I start?', 'start-after-detox'],
    ['wat is php', 'php'],
    ['do you take insurance', 'gap-insurance'],
    ['how much does it cost', 'gap-cost'],
    ['where are you located', 'location'],
    ['how much $$', 'gap-cost'],
    ['how do i get in touch with someone', 'contact-admissions'],
    ['am i talking to a real person rn', 'bot-identity'],
    ['can i talk to a real person', 'contact-admissions'],
  ])('when a visitor asks %j, then the best entry is %s', (text, id) => {
    expect(recognizer.recognize(text).candidates[0]?.id).toBe(id);
  });

  it.each(['what is the capital of france', 'write me a poem about the ocean', 'asdfghjkl', '🙂'])(
    'when a visitor says something off-topic (%j), then it is not answered outright',
    (text) => {
      expect(recognizer.recognize(text).outcome).not.toBe('confident');
    },
  );

  it.each([
    ['my case worker keeps bringing up an IOP and i nodded like i knew. honestly though, what is it?', 'what-is-iop'],
    ['the doctor at the hospital wants me in partial hospitalization after this. how does that work?', 'php'],
    ['i have been on methadone for three years and it finally keeps me stable. would i have to stop it to join?', 'gap-medications'],
  ])('when a story ends in a question that points back (%j), then what it points to is answered: %s', (text, id) => {
    const r = recognizer.recognize(text);
    expect(r.outcome).toBe('confident');
    expect(r.candidates[0]?.id).toBe(id);
  });

  it('when a story is long but its question agrees with the whole message, then it is answered outright', () => {
    const r = recognizer.recognize(
      'I drive for a delivery company from 8 to 4 every weekday. Is there an evening group I could join after my shift?',
    );
    expect(r.outcome).toBe('confident');
    expect(r.candidates[0]?.id).toBe('day-evening-sessions');
  });

  it.each([
    'my car makes a grinding noise when i brake and the mechanic wants 800 dollars. is that a normal price?',
    'we are hosting thanksgiving this year and i have never cooked a turkey. how long does it take?',
  ])('when an off-topic story ends in a question (%j), then it is not answered outright', (text) => {
    expect(recognizer.recognize(text).outcome).not.toBe('confident');
  });

  it.each(['best pizza in southie', 'whats the best lobster roll in boston', 'evening pilates classes in somerville', 'who is the mayor of boston'])(
    'when an off-topic message shares a word or a place with the programs (%j), then it gets the honest decline, not a "did you mean"',
    (text) => {
      expect(recognizer.recognize(text).outcome).toBe('none');
    },
  );

  it.each([
    ["my brother drinks every day and we're scared of what happens if he stops. can he get detox with you?", 'detox'],
    ['sorry if this is a silly question but what does intensive outpatient mean', 'what-is-iop'],
    ["My wife's doctor wants her in an IOP. Could you explain?", 'what-is-iop'],
    ["my dad's counselor brought up partial hospitalization. thoughts?", 'php'],
    ['im in chelsea is that close', 'location'],
    ['can i talk to an actual person about signing up', 'contact-admissions'],
  ])('when the best entry leads clearly (%j), then it is answered outright: %s', (text, id) => {
    const r = recognizer.recognize(text);
    expect(r.outcome).toBe('confident');
    expect(r.candidates[0]?.id).toBe(id);
  });

  it('when a message is mostly unknown words but holds a known phrase, then it still gets a "did you mean"', () => {
    const r = recognizer.recognize('i pour concrete in charlestown all day, evening groups');
    expect(r.outcome).toBe('ambiguous');
    expect(r.candidates[0]?.id).toBe('day-evening-sessions');
  });

  it.each([
    ['hey there, is there parking', 'gap-parking'],
    ['hello i was wondering what iop is', 'what-is-iop'],
    ['thanks so much! one more thing, do you take masshealth', 'gap-insurance'],
    ['hi', 'greeting'],
    ['good morning', 'greeting'],
    ['ok thanks', 'thanks'],
  ])('when a message opens with a greeting or thanks (%j), then what follows decides: %s', (text, id) => {
    expect(recognizer.recognize(text).candidates[0]?.id).toBe(id);
  });

  it.each([
    ['do you have evening groups? thanks', 'day-evening-sessions'],
    ['is there parking, thanks bye', 'gap-parking'],
  ])('when a question closes with thanks or a goodbye (%j), then the question decides: %s', (text, id) => {
    expect(recognizer.recognize(text).candidates[0]?.id).toBe(id);
  });

  it('when the text is empty or only punctuation, then the outcome is none', () => {
    expect(recognizer.recognize('').outcome).toBe('none');
    expect(recognizer.recognize('?!?!').outcome).toBe('none');
  });

  it('when a message is Spanish, then the language is es', () => {
    expect(recognizer.recognize('¿Cuánto cuesta el programa?').language).toBe('es');
    expect(recognizer.recognize('hola necesito ayuda para mi hijo').language).toBe('es');
    expect(recognizer.recognize('how much is the program').language).toBe('en');
  });

  it.each(['¿Atienden a adolescentes?', 'dan suboxone o metadona?', 'tienen grupos para mujeres', 'me quiero inscribir'])(
    'when a short message is Spanish (%j), then the language is es',
    (text) => {
      expect(recognizer.recognize(text).language).toBe('es');
    },
  );

  it.each(['my son is using', 'y r u closed', '1 on 1 sessions?', 'no', 'dan said to ask about iop', 'usa'])(
    'when a short message is English or shorthand (%j), then the language is en',
    (text) => {
      expect(recognizer.recognize(text).language).toBe('en');
    },
  );

  it('when a message is 100 KB long, then recognition still returns', () => {
    expect(() => recognizer.recognize('iop '.repeat(25_000))).not.toThrow();
  });
});

describe('the labelled evaluation set (eval/intents.yaml)', () => {
  const set = readYaml(path.resolve(__dirname, '../../../eval/intents.yaml')) as {
    inScope: LabelledQuestion[];
    offTopic: string[];
    spanish: string[];
  };
  // Only phrasings the recognizer was not trained on count.
  const training = [...kb.faq.entries.flatMap((e) => e.questions), ...kb.offTopic.examples];
  const inScope = unseenOnly(set.inScope, training);
  const offTopic = unseenOnly(set.offTopic, training);
  const result = evaluateIntents(recognizer, inScope, offTopic, set.spanish);

  it('when training coincidences are left out, then the set is still big enough to mean something', () => {
    expect(inScope.length).toBeGreaterThanOrEqual(150);
    expect(offTopic.length).toBeGreaterThanOrEqual(40);
  });

  it('when scored, then top-1 accuracy is at least 90%', () => {
    expect(result.top1 / result.inScope).toBeGreaterThanOrEqual(0.9);
  });

  it('when scored, then at least 90% of off-topic messages are declined', () => {
    expect(result.offTopicRejected / result.offTopic).toBeGreaterThanOrEqual(0.9);
  });

  it('when scored, then Spanish messages are recognized as Spanish', () => {
    expect(result.spanishDetected / Math.max(result.spanish, 1)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('phrasings-more.yaml', () => {
  it('when the matcher is built, then it learns the lines of phrasings-more.yaml: most of them rank their own entry first', () => {
    const lines = kb.faq.entries.flatMap((e) => e.morePhrasings.filter((_, i) => i % 9 === 0).map((text) => ({ text, id: e.id })));
    expect(lines.length).toBeGreaterThan(200);
    const own = lines.filter((l) => recognizer.recognize(l.text).candidates[0]?.id === l.id).length;
    expect(own / lines.length).toBeGreaterThan(0.8);
  });
});
