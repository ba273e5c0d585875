import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KnowledgeFileError, knowledgeDir } from '../../../src/core/knowledge/load';
import { Screening, type ScreeningAnswers } from '../../../src/core/screening/screening';

/**
 * What a visitor says without being asked ("my son drinks every day and gets the
 * shakes") answers some screening questions. Only the words a question owns count,
 * never a bare yes/no/"not sure" nor a word several questions share; negation, the
 * past and "not sure if" leave a question out; a question asked about is no answer.
 */

const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));

type Case = [text: string, expected: ScreeningAnswers];

function table(cases: Case[]): void {
  it.each(cases)('when a visitor says %j unasked, then the stated answers are %j', (text, expected) => {
    expect(screening.volunteered(text)).toEqual(expected);
  });
}

describe('volunteered: the facts a message states', () => {
  table([
    ['my son drinks every day and gets the shakes', { substances: 'alcohol', frequency: 'daily', withdrawal: 'yes' }],
    ['alcohol, every day, shakes in the morning', { substances: 'alcohol', frequency: 'daily', withdrawal: 'yes' }],
    ['she gets sick and sweaty if she runs out', { withdrawal: 'yes' }],
    ['my daughter uses fentanyl 3x a day and gets dopesick', { substances: 'opioids', frequency: 'daily', withdrawal: 'yes' }],
    ['he gets withdrawals', { withdrawal: 'yes' }],
    ['xanax bars daily', { substances: 'benzos', frequency: 'daily' }],
    ['mostly weed, some alcohol', { substances: 'cannabis' }],
    ['weed and alcohol', { substances: 'other' }],
    ["she's been clean from heroin for a month", { substances: 'opioids', frequency: 'not-using' }],
  ]);
});

describe('volunteered: words that answer whatever was asked state nothing', () => {
  table([
    ['yes', {}],
    ['no', {}],
    ['not sure', {}],
    ['idk', {}],
    ['a lot', {}],
    ['sometimes', {}],
    ['really bad', {}],
    // A phrase of "Something else" that names no substance alone.
    ['a few', {}],
    ['he goes to bars', {}],
  ]);
});

describe('volunteered: negation, the past and doubt are respected', () => {
  table([
    ["he doesn't get the shakes", {}],
    ['he drinks every day but never gets the shakes', { substances: 'alcohol', frequency: 'daily' }],
    ["he's not drinking every day", {}],
    ['I used to drink every day', {}],
    ["i don't know if he gets the shakes", {}],
  ]);
});

describe('volunteered: a question is answered only where the message speaks of it', () => {
  table([
    // "How often is it used?" needs words of using: "every day" alone is about something else.
    ['I call every day', {}],
    ['I work every day', {}],
    // Vague unasked: sick of something, scared of withdrawal, throwing up when drunk.
    ["I'm sick of this", {}],
    ["I'm scared of withdrawal", {}],
    ['she throws up when she drinks', { substances: 'alcohol' }],
    // Only the screening's own questions that name facts: a home, a schedule, a mood are asked.
    ['my husband drinks', { substances: 'alcohol' }],
    ['I work nights', {}],
    ['I have anxiety', {}],
  ]);
});

describe('unasked: the stated answers kept for the screening', () => {
  it('when answers are stated for questions already answered or before the current one, then only the later, unanswered ones that apply are kept, in question order', () => {
    const stated = { withdrawal: 'yes', substances: 'alcohol', frequency: 'daily' };
    expect(screening.unasked({}, stated)).toEqual([
      ['substances', 'alcohol'],
      ['frequency', 'daily'],
      ['withdrawal', 'yes'],
    ]);
    expect(screening.unasked({ substances: 'opioids' }, stated, 'substances')).toEqual([
      ['frequency', 'daily'],
      ['withdrawal', 'yes'],
    ]);
    expect(screening.unasked({}, stated, 'frequency')).toEqual([['withdrawal', 'yes']]);
  });

  it('when a stated answer makes another moot ("not using right now"), then the moot one is not kept', () => {
    expect(screening.unasked({}, { frequency: 'not-using', withdrawal: 'yes' })).toEqual([['frequency', 'not-using']]);
  });

  it('when answers are noted, then they are said back with their labels, a bare "Yes" with what it answers', () => {
    const answers = { substances: 'alcohol', frequency: 'daily', withdrawal: 'yes' };
    expect(screening.notedText(['substances', 'frequency'], answers)).toBe('From what you\'ve told me, I\'ve noted: Alcohol; Every day or almost. (Type "back" to change one.)');
    expect(screening.notedText(['withdrawal'], answers)).toMatch(/noted: Withdrawal symptoms: Yes\./);
    expect(screening.notedText([], answers)).toBeUndefined();
  });
});

describe('the volunteer settings of knowledge/screening.yaml are checked', () => {
  const file = path.join(knowledgeDir(), 'screening.yaml');
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-volunteer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (edit: (yaml: string) => string) => {
    const copy = path.join(dir, 'screening.yaml');
    writeFileSync(copy, edit(readFileSync(file, 'utf8')));
    return () => Screening.fromFile(copy);
  };

  it('when an ignored phrase is none of the question\'s phrases (a typo), then loading fails naming it', () => {
    const broken = load((y) => y.replace('ignore: [sick,', 'ignore: [sikc,'));
    expect(broken).toThrow(KnowledgeFileError);
    expect(broken).toThrow(/volunteer\.ignore\.0.*sikc/);
  });

  it('when "near" names a question that is not marked volunteer, then loading fails naming it', () => {
    expect(load((y) => y.replace('questions: [substances]', 'questions: [home]'))).toThrow(/volunteer\.near\.questions\.0.*"home"/);
  });

  it('when the noted text has no {{answers}}, then loading fails', () => {
    expect(load((y) => y.replace('{{answers}}', 'your answers'))).toThrow(KnowledgeFileError);
  });
});
