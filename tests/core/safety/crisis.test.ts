import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { classifyCheckInAnswer } from '../../../src/core/safety/checkIn';
import {
  CRISIS_PRIORITY,
  CrisisDetector,
  checkIn,
  loadCrisisFile,
  type CrisisKind,
} from '../../../src/core/safety/crisis';
import { evaluateCrisis, loadBenignCorpus, loadCrisisCorpus, loadHoldout } from '../../../src/core/safety/evaluate';
import type { CrisisFile } from '../../../src/core/safety/schema';

const ROOT = path.join(__dirname, '..', '..', '..');
const CRISIS_FILE = path.join(ROOT, 'knowledge', 'crisis.yaml');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'crisis');
const EXAMPLES = path.join(ROOT, 'knowledge', 'safety');
const KINDS: CrisisKind[] = ['suicide', 'overdose', 'withdrawal-emergency', 'violence'];

const detector = CrisisDetector.fromFile(CRISIS_FILE);
const crisisCorpus = loadCrisisCorpus(path.join(EXAMPLES, 'crisis-examples.yaml'));
const benignCorpus = loadBenignCorpus(path.join(EXAMPLES, 'benign-examples.yaml'));

describe('crisis corpus (knowledge/safety examples)', () => {
  it('when the corpus is loaded, then it has at least 240 crisis messages of every kind and 40 in Spanish', () => {
    expect(crisisCorpus.length).toBeGreaterThanOrEqual(240);
    for (const kind of KINDS) expect(crisisCorpus.filter((m) => m.kind === kind).length).toBeGreaterThanOrEqual(30);
    expect(crisisCorpus.filter((m) => m.language === 'es').length).toBeGreaterThanOrEqual(40);
    expect(benignCorpus.length).toBeGreaterThanOrEqual(240);
  });

  it('when every crisis message is checked, then every one raises an alarm (100% recall)', () => {
    const result = evaluateCrisis(detector, crisisCorpus, []);
    expect(result.misses).toEqual([]);
    expect(result.recall).toBe(1);
  });

  it('when a crisis message raises an alarm, then it is of the expected kind', () => {
    const result = evaluateCrisis(detector, crisisCorpus, []);
    // A withdrawal example told with a racing heart or shaking hands may get the emergency reply: more urgent, never less.
    expect(result.kindMismatches.filter((m) => !(m.expected === 'withdrawal' && m.got === 'withdrawal-emergency'))).toEqual([]);
  });

  it('when a Spanish crisis message raises an alarm, then the reply is in Spanish (and English in English)', () => {
    const result = evaluateCrisis(detector, crisisCorpus, []);
    expect(result.languageMismatches).toEqual([]);
  });

  it('when every benign message is checked, then fewer than 3% raise an alarm', () => {
    const result = evaluateCrisis(detector, [], benignCorpus);
    // The list is printed on failure so a reviewer sees which messages alarmed.
    expect(result.falsePositiveRate < 0.03 ? [] : result.falseAlarms).toEqual([]);
  });

  it('when the held-out set (written after the patterns) is checked, then recall and false alarms stay within bounds', () => {
    const holdout = loadHoldout(path.join(FIXTURES, 'holdout.yaml'));
    expect(holdout.crisis.length).toBeGreaterThanOrEqual(60);
    expect(holdout.benign.length).toBeGreaterThanOrEqual(60);
    const result = evaluateCrisis(detector, holdout.crisis, holdout.benign);
    // Regression guard, not a target: the numbers are reported in the README of the change.
    expect(result.recall).toBeGreaterThanOrEqual(0.9);
    expect(result.falsePositiveRate).toBeLessThanOrEqual(0.05);
  });
});

describe('CrisisDetector.detect', () => {
  it.each([
    ["honestly i'd rather not wake up tomorrow", 'suicide'],
    ["my brother used and now he's not breathing", 'overdose'],
    ['kms', 'suicide'],
    ["my friend ODed and won't wake up", 'overdose'],
    ['i think he has the DTs', 'withdrawal-emergency'],
    ['he has a gun', 'violence'],
    ['me quiero matar', 'suicide'],
    ['mi esposo no respira', 'overdose'],
  ] as Array<[string, CrisisKind]>)('when a visitor writes "%s", then a %s signal is raised', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });

  it.each([
    // a decision, a date or a deadline
    ["i've made up my mind, nothing anyone says will change it, i'm ending it", 'suicide'],
    ['ill be dead by friday anyway', 'suicide'],
    ["dont bother with my intake, i won't be around next month", 'suicide'],
    // farewells and apologies, also across sentences
    ['sorry for everything. love you all. turning my phone off', 'suicide'],
    ['my cousin texted me goodbye and now she wont answer', 'suicide'],
    // means and intent
    ['how many of my klonopin would it take', 'suicide'],
    ['ive been stashing my seroquel for weeks', 'suicide'],
    ['sitting in my truck with my grandpas rifle in my lap', 'suicide'],
    ['the voices keep telling me to jump', 'suicide'],
    // second net
    ['why am i even alive', 'suicide'],
    ['death would be such a relief', 'suicide'],
    ['no me importaria morir', 'suicide'],
    ['mi hermana dice que se va a colgar', 'suicide'],
    // accidental overdose and alcohol poisoning
    ['i took three times my dose of methadone and im dizzy', 'overdose'],
    ['i relapsed after 8 months clean, did my usual amount and cant feel my arms', 'overdose'],
    ['my boyfriend is slumped over in the bathroom', 'overdose'],
    ['we narcanned him twice and hes still out', 'overdose'],
    ['my roommate drank a whole fifth of vodka and is throwing up and passed out', 'overdose'],
    ['mi hijo no tiene pulso', 'overdose'],
    // withdrawal context and a danger sign, also across sentences
    ['Day 3 no alcohol. Now she fainted in the shower', 'withdrawal-emergency'],
    ['my uncle quit drinking and keeps screaming at people in the room but nobody is there', 'withdrawal-emergency'],
    ['mi tio dejo de beber y se desmayo', 'withdrawal-emergency'],
    // violence: doors, control, weapons and intent
    ['he kicked the door in, im in the closet', 'violence'],
    ['my girlfriend wont let me leave the house and took my keys', 'violence'],
    ['got my bat, gonna make him pay', 'violence'],
    ['she hit me with a frying pan', 'violence'],
    ['mi vecino va a matar a mi hermano', 'violence'],
  ] as Array<[string, CrisisKind]>)('when a visitor writes "%s" (a concept added after blind set A), then a %s signal is raised', (text, kind) => {
    expect(detector.detect(text)?.kind).toBe(kind);
  });

  it('when a question is ABOUT overdose, naloxone or withdrawal, or the event is past with a time marker, then no alarm', () => {
    for (const text of [
      'How do I use Narcan?',
      'what are the signs of an opioid overdose',
      'can family be trained to recognize an overdose',
      'does narcan work on xanax overdoses',
      'is chest pain a symptom of alcohol withdrawal',
      'my son overdosed last summer and is doing great now',
      'my grandfather had the DTs back in the 80s, is that hereditary?',
    ]) {
      expect([text, detector.detect(text)]).toEqual([text, null]);
    }
    // ...but a live sign in the same message still alarms.
    expect(detector.detect('how do i use narcan, hes not breathing')?.kind).toBe('overdose');
  });

  it('when an exception applies, then only its own words are hidden: a strong signal elsewhere still alarms', () => {
    expect(detector.detect("I'm not suicidal, just want info")).toBeNull();
    expect(detector.detect("i'm not suicidal but i took 30 pills")?.kind).toBe('overdose');
    expect(detector.detect("i'm not suicidal but honestly i want to die")?.kind).toBe('suicide');
    expect(detector.detect("i'm dying to know if you have evening groups")).toBeNull();
    expect(detector.detect('dying to know what to do, he is not breathing')?.kind).toBe('overdose');
    expect(detector.detect('do you teach overdose prevention?')).toBeNull();
    expect(detector.detect('do you teach overdose prevention? my son overdosed and wont wake up')?.kind).toBe('overdose');
  });

  it('when an overdose happened in the past with a time marker, then no overdose alarm; without one, an alarm', () => {
    expect(detector.detect('my dad died of an overdose last year and I want to get help for myself')).toBeNull();
    expect(detector.detect('my dad overdosed')?.kind).toBe('overdose');
  });

  it('when several kinds match, then the priority order decides (overdose > withdrawal > suicide > violence)', () => {
    expect(CRISIS_PRIORITY).toEqual(['overdose', 'withdrawal-emergency', 'suicide', 'violence', 'withdrawal']);
    expect(detector.detect('i took a whole bottle of pills because i want to die')?.kind).toBe('overdose');
    expect(detector.detect("i'm having a seizure and honestly i want to die")?.kind).toBe('withdrawal-emergency');
    expect(detector.detect('i have a gun and i want to kill myself')?.kind).toBe('suicide');
    expect(detector.detect('thinking about overdosing on purpose')?.kind).toBe('suicide');
  });

  it('when a signal is raised, then its evidence is a pattern id, never the message text', () => {
    const ids = new Set((parseYaml(readFileSync(CRISIS_FILE, 'utf8')) as { patterns: Array<{ id: string }> }).patterns.map((p) => p.id));
    for (const item of crisisCorpus) {
      const signal = detector.detect(item.text);
      expect(signal).not.toBeNull();
      expect(ids.has(signal!.evidence)).toBe(true);
    }
  });

  it('when the message is empty, emoji-only, whitespace, punctuation or not a string, then detect returns null without throwing', () => {
    expect(detector.detect('')).toBeNull();
    expect(detector.detect('😭😭😭🙏')).toBeNull();
    expect(detector.detect('   \n\t ')).toBeNull();
    expect(detector.detect('?!...;;')).toBeNull();
    expect(detector.detect(undefined as unknown as string)).toBeNull();
    expect(detector.detect(42 as unknown as string)).toBeNull();
  });

  it('when a message is 10,000 characters long, then detect does not throw and still finds a crisis at its end', () => {
    const filler = 'i need some information about your programs and insurance please '.repeat(200);
    expect(detector.detect(filler.slice(0, 10_000))).toBeNull();
    expect(detector.detect(`${filler.slice(0, 9_970)} he is not breathing`)?.kind).toBe('overdose');
    expect(() => detector.detect('kill '.repeat(2_000))).not.toThrow();
    expect(() => detector.detect('a'.repeat(10_000))).not.toThrow();
    expect(() => detector.detect('not '.repeat(2_500))).not.toThrow();
  });

  it('when a long message holds the crisis in one sentence or spread over two, then it is still found', () => {
    const sentences = benignCorpus.filter((m) => detector.detect(m) === null).slice(0, 400);
    const long = sentences.join('. ');
    expect(long.length).toBeGreaterThan(10_000);
    const middle = Math.floor(sentences.length / 2);
    const withCrisis = [...sentences.slice(0, middle), 'my dad is not breathing', ...sentences.slice(middle)].join('. ');
    expect(detector.detect(withCrisis)?.kind).toBe('overdose');
    // "&": a withdrawal in the first sentence, a danger sign hundreds of words later.
    const spread = ['stopped drinking on friday', ...sentences.slice(0, 60), 'and today i fainted twice'].join('. ');
    expect(detector.detect(spread)?.kind).toBe('withdrawal-emergency');
  });
  // Speed (µs per message, and one 10,000-character message) is reported by `npm run bench`, not timed here.

});

describe('crisis replies', () => {
  const signal = (kind: CrisisKind, language: 'en' | 'es') => ({ kind, language, evidence: 'test' });

  it.each(KINDS.flatMap((kind) => (['en', 'es'] as const).map((lang) => [kind, lang] as const)))(
    'when the %s reply is built in %s, then its text names the emergency number, admissions and SAMHSA, and it is tagged',
    (kind, lang) => {
      const reply = detector.response(signal(kind, lang));
      expect(reply.text).toContain(kind === 'suicide' ? '988' : '911');
      expect(reply.text).toContain('911');
      expect(reply.text).toContain('(877) 920-6583');
      expect(reply.text).toContain('1-800-662-4357');
      expect(reply.tag).toBe(`crisis:${kind}`);
    },
  );

  it('when a reply is sent by SMS (no buttons), then every number behind a button is written in the text', () => {
    for (const kind of KINDS) {
      for (const lang of ['en', 'es'] as const) {
        const reply = detector.response(signal(kind, lang));
        expect(reply.links?.length).toBeGreaterThan(0);
        const digits = reply.text.replace(/\D/g, '');
        for (const link of reply.links ?? []) {
          expect(link.uri).toMatch(/^(tel|sms):(\+1\d{10}|\d{3})$/);
          expect(digits).toContain(link.uri.replace(/^(tel|sms):(\+1)?/, ''));
        }
      }
    }
  });

  it('when the suicide reply is built, then it offers Call 988, Text 988 and Call 911; overdose offers Poison Control', () => {
    const uris = (kind: CrisisKind, lang: 'en' | 'es') => detector.response(signal(kind, lang)).links?.map((l) => l.uri);
    for (const lang of ['en', 'es'] as const) {
      expect(uris('suicide', lang)).toEqual(expect.arrayContaining(['tel:988', 'sms:988', 'tel:911']));
      expect(uris('overdose', lang)).toEqual(expect.arrayContaining(['tel:911', 'tel:+18002221222']));
      expect(uris('withdrawal-emergency', lang)).toContain('tel:911');
      expect(uris('violence', lang)).toContain('tel:911');
    }
    expect(detector.response(signal('overdose', 'en')).text).toMatch(/naloxone \(Narcan\)/);
    expect(detector.response(signal('suicide', 'es')).text).toMatch(/oprima 2/);
  });

  it('when the check-in is asked, then its choices are understood by the check-in reader in both languages', () => {
    for (const lang of ['en', 'es'] as const) {
      const reply = checkIn(detector, lang);
      expect(reply.tag).toBe('crisis:check-in');
      expect(reply.text).toContain('911');
      const [safe, unsafe] = reply.choices ?? [];
      expect(classifyCheckInAnswer(safe!.value)).toBe('safe');
      expect(classifyCheckInAnswer(unsafe!.value)).toBe('unsafe');
    }
    expect(detector.checkIn('en').text).toMatch(/Are you safe right now\?/);
  });

  it('when the visitor says they are safe, then the acknowledgement still names 988 and admissions', () => {
    for (const lang of ['en', 'es'] as const) {
      const reply = detector.safeAcknowledgement(lang);
      expect(reply.text).toContain('988');
      expect(reply.text).toContain('(877) 920-6583');
    }
  });

  it('when a check-in answer such as "i am safe" or "i need help now" is typed, then it raises no new alarm', () => {
    for (const lang of ['en', 'es'] as const) {
      for (const choice of detector.checkIn(lang).choices ?? []) expect(detector.detect(choice.value)).toBeNull();
    }
  });
});

describe('the pattern language', () => {
  const base = parseYaml(readFileSync(CRISIS_FILE, 'utf8')) as CrisisFile;
  const withPatterns = (match: string[], exceptions: CrisisFile['exceptions'] = []) =>
    new CrisisDetector({ ...base, sets: { ...base.sets, pet: ['dog', 'old cat'] }, patterns: [{ id: 't', kind: 'suicide', language: 'en', match }], exceptions });

  it('when a gap "..." is used, then up to 3 words may sit in between, and "...N" allows N', () => {
    const d = withPatterns(['not ... breathing', 'took ...5 bottle']);
    expect(d.detect('not breathing')).not.toBeNull();
    expect(d.detect('not one two three breathing')).not.toBeNull();
    expect(d.detect('not one two three four breathing')).toBeNull();
    expect(d.detect('took 1 2 3 4 5 bottle')).not.toBeNull();
  });

  it('when a gap would cross a sentence end, then it does not match', () => {
    const d = withPatterns(['not ... breathing']);
    expect(d.detect('i am not sure. breathing exercises help')).toBeNull();
  });

  it('when stems, alternatives, optional words, sets, numbers, "!" and "$" are used, then they match as documented', () => {
    const d = withPatterns(['overdos* now', '(kill|end) my? life', 'lost my @pet', 'took #4+ pills', 'hes blue !(cross|shield)', 'goodbye (everyone|$)']);
    expect(d.detect('overdosing now')).not.toBeNull();
    expect(d.detect('end life')).not.toBeNull();
    expect(d.detect('kill my life')).not.toBeNull();
    expect(d.detect('lost my old cat')).not.toBeNull();
    expect(d.detect('lost my cat')).toBeNull();
    expect(d.detect('took 30 pills')).not.toBeNull();
    expect(d.detect('took 2 pills')).toBeNull();
    expect(d.detect("he's blue")).not.toBeNull();
    expect(d.detect("he's blue cross")).toBeNull();
    expect(d.detect('ok goodbye. see you')).not.toBeNull();
    expect(d.detect('goodbye to alcohol')).toBeNull();
  });

  it('when a line joins patterns with "&", then each must match somewhere in the message, in any order and any sentence', () => {
    const d = withPatterns(['(quit|stopped) drinking & (fainted|passed out)']);
    expect(d.detect('quit drinking monday and fainted today')).not.toBeNull();
    expect(d.detect('I fainted. It has been 3 days since I stopped drinking')).not.toBeNull();
    expect(d.detect('quit drinking monday')).toBeNull();
    expect(d.detect('i fainted at the dentist')).toBeNull();
  });

  it('when an exception hides the words of one side of "&", then the line does not match', () => {
    const d = withPatterns(['(quit|stopped) drinking & passed out'], [{ id: 'x', language: 'en', match: ['passed out (drunk|years ago)'] }]);
    expect(d.detect('i quit drinking after i passed out drunk')).toBeNull();
    expect(d.detect('i quit drinking and just passed out')).not.toBeNull();
  });

  it('when several exceptions overlap, then each sees the unmasked message and all their words are hidden', () => {
    const d = withPatterns(['chest pain'], [
      { id: 'a', language: 'en', match: ['symptom of (alcohol)? withdrawal'] },
      { id: 'b', language: 'en', match: ['chest pain (a)? symptom'] },
    ]);
    expect(d.detect('is chest pain a symptom of alcohol withdrawal')).toBeNull();
    expect(d.detect('chest pain right now')).not.toBeNull();
  });

  it('when the shorthand rewrites the message, then patterns see the rewrite ("kms" -> "kill myself", "od\'d" -> "overdosed")', () => {
    expect(detector.prepare("KMS... i'm gonna O.D.'d")).toBe(' kill myself im gonna overdosed ');
    expect(detector.prepare('Not breathing! Help')).toBe(' not breathing \u01c0 help ');
  });
});

describe('loadCrisisFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crisis-file-'));
  const good = parseYaml(readFileSync(CRISIS_FILE, 'utf8')) as Record<string, unknown> & CrisisFile;
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : stringifyYaml(content));
    return file;
  };
  const broken = (mutate: (f: CrisisFile) => void): CrisisFile => {
    const copy = structuredClone(good);
    mutate(copy);
    return copy;
  };

  it('when the crisis file is valid, then it loads', () => {
    expect(() => loadCrisisFile(CRISIS_FILE)).not.toThrow();
  });

  it('when a pattern has an unknown kind, then the error names the file, the entry with its id, and the field', () => {
    const file = write('bad-kind.yaml', broken((f) => ((f.patterns[3] as { kind: string }).kind = 'overdoes')));
    const id = good.patterns[3]!.id;
    expect(() => loadCrisisFile(file)).toThrow(file);
    expect(() => loadCrisisFile(file)).toThrow(`patterns[3] (id: ${id}), field "kind"`);
  });

  it('when a pattern line is malformed, then the error names the entry and match line and explains the syntax', () => {
    const file = write('bad-syntax.yaml', broken((f) => (f.patterns[1]!.match = ['not ... breathing', '(not|isnt breathing'])));
    expect(() => loadCrisisFile(file)).toThrow(`patterns[1] (id: ${good.patterns[1]!.id}), field "match[1]": unbalanced "("`);
  });

  it('when a pattern uses a word the shorthand rewrites, then the error says which word to write instead', () => {
    const file = write('bad-shorthand.yaml', broken((f) => (f.patterns[0]!.match = ['going to overdose'])));
    expect(() => loadCrisisFile(file)).toThrow(/field "match\[0\]": "going to" never reaches the patterns.*write "gonna"/);
  });

  it('when a guard marker uses "&" or "&" has an empty side, then the error explains why', () => {
    const inMarker = write('bad-and-marker.yaml', broken((f) => (f.questionGuard!.emergencies[0]!.match = ['right now & tonight'])));
    expect(() => loadCrisisFile(inMarker)).toThrow(/questionGuard\.emergencies\[0\].*field "match\[0\]": "&" is for patterns and exceptions only/);
    const empty = write('bad-and-empty.yaml', broken((f) => (f.patterns[0]!.match = ['overdose &  '])));
    expect(() => loadCrisisFile(empty)).toThrow(/patterns\[0\].*field "match\[0\]"/);
  });

  it('when a pattern refers to an unknown set, then the error names the set', () => {
    const file = write('bad-set.yaml', broken((f) => (f.patterns[2]!.match = ['my @relatives'])));
    expect(() => loadCrisisFile(file)).toThrow(/patterns\[2\].*unknown set "@relatives"/);
  });

  it('when a reply loses its life-saving number, then the error names the response and field', () => {
    const file = write('bad-response.yaml', broken((f) => (f.responses.suicide.es.text = f.responses.suicide.es.text.replace(/988/g, '9 8 8'))));
    expect(() => loadCrisisFile(file)).toThrow('responses.suicide.es, field "text": must contain 988');
  });

  it('when a button number is not written in the text, then the error says SMS would lose it', () => {
    const file = write('bad-link.yaml', broken((f) => f.responses.violence.en.links.push({ label: 'Call someone', uri: 'tel:+16175550100' })));
    expect(() => loadCrisisFile(file)).toThrow(/responses\.violence\.en, field "links\[\d\]\.uri": the number 6175550100 must also be written in the text/);
  });

  it('when two entries share an id or a field is unknown, then both are reported', () => {
    const file = write('bad-dup.yaml', broken((f) => {
      f.patterns[5]!.id = f.patterns[4]!.id;
      (f.patterns[6] as Record<string, unknown>).pattern = 'typo for match';
    }));
    expect(() => loadCrisisFile(file)).toThrow(/patterns\[5\] \(id: [a-z-]+\), field "id": duplicate id/);
    expect(() => loadCrisisFile(file)).toThrow(/patterns\[6\] \(id: [a-z-]+\): Unrecognized key/);
  });

  it('when the file is not valid YAML or does not exist, then the error names the file', () => {
    const file = write('bad-yaml.yaml', 'patterns: [\n  - id: x\n');
    expect(() => loadCrisisFile(file)).toThrow(file);
    expect(() => loadCrisisFile(path.join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read crisis file/);
  });
});

describe('evaluateCrisis', () => {
  it('when given a detector and labelled items, then it returns recall, false-positive rate, misses, false alarms and kind mismatches', () => {
    const fake = {
      detect: (text: string) =>
        text.includes('pills') ? { kind: 'overdose' as const, evidence: 'p', language: 'en' as const } : text.includes('die') ? { kind: 'overdose' as const, evidence: 'q', language: 'en' as const } : null,
    };
    const result = evaluateCrisis(
      fake,
      [
        { text: 'took pills', kind: 'overdose' },
        { text: 'want to die', kind: 'suicide' },
        { text: 'he hit me', kind: 'violence' },
      ],
      ['what is iop', { text: 'dying to know about pills' }],
    );
    expect(result.recall).toBeCloseTo(2 / 3);
    expect(result.falsePositiveRate).toBe(0.5);
    expect(result.misses).toEqual([{ text: 'he hit me', kind: 'violence' }]);
    expect(result.falseAlarms).toEqual([{ text: 'dying to know about pills', kind: 'overdose', evidence: 'p' }]);
    expect(result.kindMismatches).toEqual([{ text: 'want to die', expected: 'suicide', got: 'overdose', evidence: 'q' }]);
  });
});
