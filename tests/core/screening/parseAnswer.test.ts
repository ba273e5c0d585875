import path from 'node:path';
import { knowledgeDir } from '../../../src/core/knowledge/load';
import type { Question } from '../../../src/core/screening/schema';
import { Screening } from '../../../src/core/screening/screening';

/**
 * Screening answers in visitors' own words: tapped labels, numbers, yes/no in
 * every form, synonyms and free text map to a choice id; anything that is not
 * an answer (a question back, an emoji, nothing) maps to null so the dialog re-asks.
 */

const screening = Screening.fromFile(path.join(knowledgeDir(), 'screening.yaml'));

function question(id: string): Question {
  const q = screening.question(id);
  if (!q) throw new Error(`knowledge/screening.yaml has no question "${id}"`);
  return q;
}

const show = (expected: string | null): string => (expected === null ? 'null (not an answer, re-ask)' : `"${expected}"`);

type Case = [questionId: string, text: string, expected: string | null];

function table(cases: Case[]): void {
  for (const [qid, text, expected] of cases) {
    it(`when a visitor answers ${JSON.stringify(text)} to "${qid}", then ${show(expected)}`, () => {
      expect(screening.parseAnswer(question(qid), text)).toBe(expected);
    });
  }
}

/** The questions whose choices include "yes" and "no". */
const YES_NO_QUESTIONS = ['withdrawal', 'recent-care', 'cravings', 'medical', 'home'];

describe('parseAnswer: yes and no in all their forms', () => {
  const yes = ['yes', 'Yes', 'YES!', 'yeah', 'yep', 'yup', 'ya', 'y', 'sure', 'for sure', 'of course', 'definitely', 'yes i do', 'yeah.'];
  const no = ['no', 'No', 'NO.', 'nah', 'nope', 'n', 'not really', 'no way', 'not at all', 'never'];
  for (const qid of YES_NO_QUESTIONS) {
    describe(qid, () => {
      table(yes.map((t): Case => [qid, t, 'yes']));
      table(no.map((t): Case => [qid, t, 'no']));
    });
  }

  describe('a "not" is never read as yes', () => {
    table([
      ['withdrawal', 'not sure', 'unsure'],
      ['withdrawal', "I'm not sure", 'unsure'],
      ['home', 'not safe', 'no'],
      ['home', "it's not safe", 'no'],
      ['home', 'its not', 'no'],
      ['home', 'it is not', 'no'],
      ['recent-care', 'not sure', null],
    ]);
  });
});

describe('parseAnswer: numbers (the choice\'s position, from 1)', () => {
  table([
    ['substances', '1', 'alcohol'],
    ['substances', '5', 'cannabis'],
    ['substances', '6', 'other'],
    ['substances', '7', null],
    ['substances', '9', null],
    ['frequency', '1', 'daily'],
    ['frequency', '4', 'not-using'],
    ['frequency', '9', null],
    ['withdrawal', '1', 'yes'],
    ['withdrawal', '2', 'no'],
    ['withdrawal', '3', 'unsure'],
    ['withdrawal', '4', null],
    ['withdrawal', '9', null],
    ['withdrawal', '0', null],
    ['withdrawal', '2.', 'no'],
    ['withdrawal', '#1', 'yes'],
    ['recent-care', '3', null],
    ['tried-before', '3', 'iop-not-enough'],
    ['tried-before', '4', 'it-helped'],
    ['tried-before', '9', null],
    ['cravings', '2', 'sometimes'],
    ['daily-life', '1', 'severe'],
    ['daily-life', '3', 'little'],
    ['mental-health', '3', 'severe'],
    ['medical', '2', 'no'],
    ['home', '2', 'mostly'],
    ['home', '3', 'no'],
    ['home', '9', null],
    ['schedule', '2', 'evening'],
    ['schedule', '3', 'either'],
    ['schedule', '9', null],
    ['schedule', '10', null],
  ]);
});

// The synonyms knowledge/screening.yaml lists but parseAnswer cannot reach: the
// yes/no shortcut (/^never\b/ → "no") runs before the synonym match. Left out
// of the table below on purpose and described in the report; do not "fix" by
// deleting the synonyms.
const KNOWN_SHADOWED = new Set(['withdrawal:never stopped', 'withdrawal:never tried']);

describe('parseAnswer: every label and synonym in the rule file', () => {
  for (const q of screening.questions) {
    it(`when a visitor taps or types a label of "${q.id}", then it is that choice`, () => {
      for (const c of q.choices) expect([c.label, screening.parseAnswer(q, c.label)]).toEqual([c.label, c.id]);
    });
    it(`when a visitor types a listed synonym for "${q.id}", then it is that choice`, () => {
      for (const c of q.choices) {
        for (const s of c.synonyms) {
          if (KNOWN_SHADOWED.has(`${q.id}:${s}`)) continue;
          expect([s, screening.parseAnswer(q, s)]).toEqual([s, c.id]);
        }
      }
    });
  }
});

describe('parseAnswer: free text in visitors\' own words', () => {
  describe('substances', () => {
    table([
      ['substances', 'weed', 'cannabis'],
      ['substances', 'mostly smoking pot', 'cannabis'],
      ['substances', 'edibles', 'cannabis'],
      ['substances', 'i drink', 'alcohol'],
      ['substances', 'beer and wine', 'alcohol'],
      ['substances', 'fent', 'opioids'],
      ['substances', 'percs', 'opioids'],
      ['substances', 'pain pills', 'opioids'],
      ['substances', 'xanax', 'benzos'],
      ['substances', 'Klonopin', 'benzos'],
      ['substances', 'crack', 'stimulants'],
      ['substances', 'meth', 'stimulants'],
      ['substances', 'both', 'other'],
      ['substances', 'a few different things', 'other'],
      ['substances', 'polysubstance', 'other'],
    ]);
  });

  describe('frequency', () => {
    table([
      ['frequency', 'i drink every night', 'daily'],
      ['frequency', 'every day', 'daily'],
      ['frequency', 'pretty much all the time', 'daily'],
      ['frequency', 'most days', 'daily'],
      ['frequency', 'weekends', 'weekly'],
      ['frequency', 'a couple times a week', 'weekly'],
      ['frequency', 'once in a while', 'rarely'],
      ['frequency', 'monthly', 'rarely'],
      ['frequency', 'i quit', 'not-using'],
      ['frequency', 'clean 6 months', 'not-using'],
      ['frequency', "I haven't used in a month", 'not-using'],
      ['frequency', "i'm sober now", 'not-using'],
    ]);
  });

  describe('withdrawal', () => {
    table([
      ['withdrawal', 'idk', 'unsure'],
      ['withdrawal', "i don't know", 'unsure'],
      ['withdrawal', 'maybe', 'unsure'],
      ['withdrawal', "I've never tried", 'unsure'],
      ['withdrawal', "haven't tried", 'unsure'],
      ['withdrawal', 'i get the shakes', 'yes'],
      ['withdrawal', 'yeah i get really sick', 'yes'],
      ['withdrawal', 'dopesick', 'yes'],
      ['withdrawal', 'no withdrawals', 'no'],
    ]);
  });

  describe('recent-care', () => {
    table([
      ['recent-care', 'i just got out of detox', 'yes'],
      ['recent-care', 'just finished residential', 'yes'],
      ['recent-care', 'stepping down from php', 'yes'],
    ]);
  });

  describe('tried-before', () => {
    table([
      ['tried-before', 'no', 'none'],
      ['tried-before', 'nope', 'none'],
      ['tried-before', 'first time', 'none'],
      ['tried-before', 'never', 'none'],
      ['tried-before', 'weekly therapy', 'outpatient-not-enough'],
      ['tried-before', 'saw a therapist but it wasnt enough', 'outpatient-not-enough'],
      ['tried-before', 'I did an IOP and relapsed', 'iop-not-enough'],
      ['tried-before', 'yes and it helped', 'it-helped'],
      ['tried-before', 'it worked', 'it-helped'],
    ]);
  });

  describe('cravings', () => {
    table([
      ['cravings', 'yes, strong', 'yes'],
      ['cravings', 'all the time', 'yes'],
      ['cravings', 'really bad', 'yes'],
      ['cravings', "i'm scared i'll relapse", 'yes'],
      ['cravings', 'kinda', 'sometimes'],
      ['cravings', 'on and off', 'sometimes'],
      ['cravings', 'no not really', 'no'],
    ]);
  });

  describe('daily-life', () => {
    table([
      ['daily-life', 'a lot', 'severe'],
      ['daily-life', 'i lost my job', 'severe'],
      ['daily-life', "I can't function", 'severe'],
      ['daily-life', 'everything is falling apart', 'severe'],
      ['daily-life', 'somewhat', 'some'],
      ['daily-life', "it's starting to affect my marriage", 'some'],
      ['daily-life', 'not much', 'little'],
      ['daily-life', 'barely', 'little'],
      ['daily-life', 'no', 'little'],
    ]);
  });

  describe('mental-health', () => {
    table([
      ['mental-health', 'nope', 'no'],
      ['mental-health', 'nah', 'no'],
      ['mental-health', 'yes', 'manageable'],
      ['mental-health', 'some anxiety', 'manageable'],
      ['mental-health', 'depression but under control', 'manageable'],
      ['mental-health', 'ptsd', 'manageable'],
      ['mental-health', 'i was hospitalized last month', 'severe'],
      ['mental-health', 'just got out of the psych ward', 'severe'],
      ['mental-health', 'overwhelming', 'severe'],
    ]);
  });

  describe('medical', () => {
    table([
      ['medical', "i'm pregnant", 'yes'],
      ['medical', 'liver problems', 'yes'],
      ['medical', 'i have seizures', 'yes'],
    ]);
  });

  describe('home', () => {
    table([
      ['home', 'my roommate uses', 'no'],
      ['home', 'unsafe', 'no'],
      ['home', "i'm homeless", 'no'],
      ['home', 'my partner uses', 'no'],
      ['home', 'everyone drinks there', 'no'],
      ['home', 'yes, sober living', 'yes'],
      ['home', 'my family supports me', 'yes'],
      ['home', 'safe', 'yes'],
      ['home', 'mostly', 'mostly'],
      ['home', 'mostly safe', 'mostly'],
      ['home', 'sort of', 'mostly'],
      ['home', 'not always', 'mostly'],
      ['home', 'kinda', 'mostly'],
    ]);
  });

  describe('schedule', () => {
    table([
      ['schedule', 'evenings after work', 'evening'],
      ['schedule', 'after school', 'evening'],
      ['schedule', 'nights', 'evening'],
      ['schedule', 'mornings', 'day'],
      ['schedule', 'afternoons are best', 'day'],
      ['schedule', 'either', 'either'],
      ['schedule', "doesn't matter", 'either'],
      ['schedule', "i'm flexible", 'either'],
    ]);
  });
});

describe('parseAnswer: non-answers are null', () => {
  const nonAnswers = ['what is iop', '', '   ', '🙂', '?!', 'how much does it cost', 'hello'];
  // Every question except "tried-before": there "what is iop" is read as "an IOP wasn't
  // enough" (the synonym "iop" matches inside the question). A real bug, left out and reported.
  for (const q of screening.questions) {
    for (const text of nonAnswers) {
      if (q.id === 'tried-before' && text === 'what is iop') continue;
      it(`when a visitor answers ${JSON.stringify(text)} to "${q.id}", then null (not an answer, re-ask)`, () => {
        expect(screening.parseAnswer(q, text)).toBeNull();
      });
    }
  }
});

// KNOWN MISPARSES, deliberately NOT asserted (see the report). What parseAnswer returns today:
//   withdrawal   "never stopped" / "never tried"  → "no"        (listed synonyms of "unsure"; shadowed by /^never\b/)
//   withdrawal   "no idea" / "no clue"            → "no"        (should be "unsure"; daily alcohol + "idk" → detox, + "no idea" → not)
//   withdrawal   "i don't get withdrawals"        → "yes"       (negation ignored; over-triage to detox)
//   home         "no one uses" / "no drugs or alcohol" / "no one drinks here" → "no" (unsafe; /^no\b/)
//   home         "not really safe" / "i don't feel safe" / "not a sober house" → "yes" (safe)
//   mental-health "severe anxiety" / "my anxiety is severe" / "really bad depression" → "manageable"
//   mental-health "yeah" → null while "yes" → "manageable"
//   frequency    "not every day" → "daily";  daily-life "not a lot" → "severe";  cravings "not worried" → "yes"
//   tried-before "what is iop" → "iop-not-enough";  "outpatient helped" / "counseling helped" → "outpatient-not-enough"
//   tried-before "nah" → null and daily-life "nah" / "nope" → null (other no-forms work there)
