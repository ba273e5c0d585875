import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { knowledgeDir, loadKnowledgeBase, readYaml } from '../../../src/core/knowledge/load';
import { CrisisClassifier } from '../../../src/core/safety/classifier';
import { CrisisDetector } from '../../../src/core/safety/crisis';
import { evaluateCrisis, loadHoldout } from '../../../src/core/safety/evaluate';
import { loadTrainingExamples } from '../../../src/core/safety/examples';

const ROOT = path.join(__dirname, '..', '..', '..');
const kb = loadKnowledgeBase(knowledgeDir());
const detector = CrisisDetector.fromKnowledge(kb);

/** Written for these tests: no pattern catches them, the classifier does. */
const CLASSIFIER_ONLY_EN = ['i think the world will be quieter without me in it soon', 'everything is packed, the letters are sealed, i am at peace now'];
const CLASSIFIER_ONLY_ES = ['mis papeles ya están en orden y ya me despedí en silencio', 'ya dejé todo arreglado para mis hijos, esta noche descanso'];

/** A copy of knowledge/ to break one file in. */
function knowledgeCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-'));
  cpSync(knowledgeDir(), dir, { recursive: true });
  return dir;
}

describe('CrisisClassifier', () => {
  it('when trained twice on the same examples, then it gives the same scores (deterministic)', () => {
    const examples = loadTrainingExamples(kb)
      .filter((_, i) => i % 3 === 0)
      .map((e) => ({ prepared: detector.prepare(e.text), label: e.label }));
    const a = new CrisisClassifier(examples);
    const b = new CrisisClassifier(examples);
    const probes = ['i want to end it all', 'what is iop', 'mi hermano no respira', 'he has a knife', ...CLASSIFIER_ONLY_EN];
    expect(probes.map((t) => a.score(detector.prepare(t)))).toEqual(probes.map((t) => b.score(detector.prepare(t))));
  });

  it('when the knowledge base is loaded, then the detector has a classifier trained on every example', () => {
    expect(detector.hasClassifier).toBe(true);
    const sources = new Set(loadTrainingExamples(kb).map((e) => e.source));
    expect([...sources].sort()).toEqual(['benign-conversations', 'benign-examples', 'benign-replies', 'crisis-examples', 'faq', 'off-topic', 'screening', 'tier-examples']);
  });

  it('when scoring a crisis message and an admissions question, then the crisis scores high and the question low', () => {
    expect(detector.classifierScore('i want to kill myself tonight')).toEqual({ kind: 'suicide', score: expect.any(Number) });
    expect(detector.classifierScore('i want to kill myself tonight')!.score).toBeGreaterThan(0.9);
    expect(detector.classifierScore('how many days a week is iop')!.score).toBeLessThan(0.1);
  });

  it('when a long message hides a crisis sentence among questions, then its sentence is scored alone and alarms', () => {
    const filler = 'do you take masshealth and what are the hours for the evening groups. ';
    const score = detector.classifierScore(`${filler.repeat(12)}i think the world will be quieter without me in it soon.`);
    expect(score!.score).toBeGreaterThanOrEqual(detector.threshold);
  });
});

describe('CrisisDetector with the classifier (the combination)', () => {
  it.each(CLASSIFIER_ONLY_EN)('when no pattern matches "%s" but the classifier is confident, then it alarms with classifier evidence in English', (text) => {
    expect(detector.detectByPatterns(text)).toBeNull();
    const signal = detector.detect(text);
    expect(signal).toEqual({ kind: 'suicide', evidence: expect.stringMatching(/^classifier:(0|1)\.\d\d$/), language: 'en' });
  });

  it.each(CLASSIFIER_ONLY_ES)('when only the classifier alarms on the Spanish "%s", then the signal is in Spanish', (text) => {
    expect(detector.detectByPatterns(text)).toBeNull();
    expect(detector.detect(text)).toMatchObject({ evidence: expect.stringMatching(/^classifier:/), language: 'es' });
  });

  it('when a pattern matches, then its kind and id win over the classifier', () => {
    const signal = detector.detect('my brother used and now hes not breathing');
    expect(signal?.kind).toBe('overdose');
    expect(signal?.evidence).not.toMatch(/^classifier:/);
  });

  it('when the held-out crisis messages are checked, then the combination catches every one', () => {
    const holdout = loadHoldout(path.join(ROOT, 'tests', 'fixtures', 'crisis', 'holdout.yaml'));
    expect(evaluateCrisis(detector, holdout.crisis, []).misses).toEqual([]);
  });

  it('when the FAQ training questions and off-topic examples are checked, then at most 0.5% alarm', () => {
    const questions = [...kb.faq.entries.flatMap((e) => e.questions), ...kb.offTopic.examples];
    const result = evaluateCrisis(detector, [], questions);
    expect(result.falsePositiveRate <= 0.005 ? [] : result.falseAlarms).toEqual([]);
  });

  it('when the evaluation questions of eval/intents.yaml are checked, then at most 0.5% alarm', () => {
    const set = readYaml(path.join(ROOT, 'eval', 'intents.yaml')) as { inScope: Array<{ text: string }>; offTopic: string[]; spanish: string[] };
    const questions = [...set.inScope.map((q) => q.text), ...set.offTopic, ...set.spanish];
    const result = evaluateCrisis(detector, [], questions);
    expect(result.falsePositiveRate <= 0.005 ? [] : result.falseAlarms).toEqual([]);
  });

  it('when only the classifier alarmed, then the reply is the gentle one, with 988 and 911 written out and as buttons', () => {
    for (const [text, language] of [[CLASSIFIER_ONLY_EN[0]!, 'en'], [CLASSIFIER_ONLY_ES[0]!, 'es']] as const) {
      const reply = detector.response(detector.detect(text)!);
      expect(reply.text).toMatch(language === 'en' ? /^It sounds like you may be going through something really hard/ : /^Parece que está pasando/);
      expect(reply.text).toContain('988');
      expect(reply.text).toContain('911');
      expect(reply.links?.map((l) => l.uri)).toEqual(expect.arrayContaining(['tel:988', 'tel:911']));
    }
  });

  it('when a pattern alarmed, then the reply is the kind\'s own, not the gentle one', () => {
    const reply = detector.response(detector.detect('I want to kill myself')!);
    expect(reply.text).toMatch(/^I'm really glad you reached out/);
  });
});

describe('classifier content errors', () => {
  it('when a crisis example has an unknown kind, then start-up fails naming the file, the entry and the field', () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'safety', 'crisis-examples.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{ kind: suicide, text: "kms" }', '{ kind: suicidal, text: "kms" }'));
    expect(() => CrisisDetector.fromKnowledge(loadKnowledgeBase(dir))).toThrow(/crisis-examples\.yaml: entry messages\[2\], field "kind"/);
  });

  it('when a benign example is empty, then start-up fails naming the file, the entry and the field', () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'safety', 'benign-examples.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - "what is dbt"\n', '  - "   "\n'));
    expect(() => CrisisDetector.fromKnowledge(loadKnowledgeBase(dir))).toThrow(/benign-examples\.yaml: entry messages\[3\]: must not be empty/);
  });

  it('when a message is both a crisis and a benign example, then start-up fails naming both entries', () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'safety', 'benign-examples.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - "what is dbt"\n', '  - "KMS"\n'));
    expect(() => CrisisDetector.fromKnowledge(loadKnowledgeBase(dir))).toThrow(/benign-examples\.yaml: entry messages\[3\]: "KMS" is also a crisis example \(.*messages\[2\]\)/);
  });

  it('when the threshold is out of range or the gentle reply lacks 911, then loading crisis.yaml fails naming the field', () => {
    const dir = knowledgeCopy();
    const file = path.join(dir, 'crisis.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^ {2}threshold: [\d.]+$/m, '  threshold: 0.1'));
    expect(() => CrisisDetector.fromFile(file)).toThrow(/crisis\.yaml: classifier, field "threshold"/);
    writeFileSync(file, text.replace('in danger right now, or someone may have overdosed or is very sick, call 911', 'in danger right now, call for help'));
    expect(() => CrisisDetector.fromFile(file)).toThrow(/responses\.gentle\.en, field "text": must contain 911/);
  });
});

describe('short everyday replies', () => {
  const detector = CrisisDetector.fromKnowledge(loadKnowledgeBase(knowledgeDir()));
  // Replies to the bot's own offers and questions, worded differently from knowledge/safety/benign-replies.yaml.
  it.each(['no, not at the moment', 'not sure honestly', 'i do not think so', 'nah not right now thanks', 'none of these', 'i am not ready', 'a few times a week', 'every single day', 'no i dont'])(
    'when a visitor replies %p, then there is no crisis alarm',
    (text) => {
      expect(detector.detect(text)).toBeNull();
    },
  );
});

describe('what the crisis classifier learns from the FAQ', () => {
  const kb = loadKnowledgeBase(knowledgeDir());

  it('when phrasings-more.yaml holds withdrawal stories told as questions, then the matcher learns them and the crisis classifier does not take them as "no safety reply"', () => {
    const more = kb.faq.entries.flatMap((e) => e.morePhrasings);
    expect(more.length).toBeGreaterThan(1000);
    const faqExamples = new Set(loadTrainingExamples(kb).filter((e) => e.source === 'faq').map((e) => e.text));
    const ownQuestions = new Set(kb.faq.entries.flatMap((e) => e.questions));
    expect(more.filter((q) => faqExamples.has(q) && !ownQuestions.has(q))).toEqual([]);
    expect(kb.faq.entries.flatMap((e) => e.questions).every((q) => faqExamples.has(q))).toBe(true);
  });
});
