import { KnowledgeFileError, loadYamlFile } from '../knowledge/load';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';
import { LexiconFileSchema } from '../knowledge/schema';
import { basicNormalize } from '../text/normalize';
import {
  ScreeningFileSchema,
  type Condition,
  type LevelOfCare,
  type Question,
  type Rule,
  type ScreeningFile,
} from './schema';

/** Question id → choice id, in the order answered. */
export type ScreeningAnswers = Record<string, string>;

export interface AnsweredQuestion {
  question: string;
  dimension: Question['dimension'];
  answer: string;
  label: string;
}

/** A completed screening, ready for admissions (the handoff queue) and for the visitor's summary. */
export interface ScreeningResult {
  answers: ScreeningAnswers;
  /** Answers grouped by placement dimension, for the summary admissions reads. */
  dimensions: Partial<Record<Question['dimension'], AnsweredQuestion[]>>;
  level: LevelOfCare;
  levelName: string;
  rule: string;
  /** Phrases from the visitor's own answers that led to the suggestion. */
  reasons: string[];
  /** Answered by someone for another person ("it's for my dad"): said so to staff, worded "they" to the visitor. */
  forSomeoneElse?: boolean;
  questionsAsked: number;
  startedAt: string;
  completedAt: string;
}

/** Whole answers that mean yes, hedges included ("i guess so"): for questions with a "yes" choice. */
const YES_ANSWERS = [
  'yes', 'yeah', 'yea', 'yep', 'yup', 'ya', 'yah', 'yeh', 'ye', 'yh', 'yess', 'yas', 'y', 'sure', 'definitely', 'correct', 'i do', 'absolutely',
  'si', 'claro', 'of course', 'true', 'right', 'affirmative', 'totally', 'for sure', 'uh huh', 'mhm', 'mhmm', 'yes i do', 'yes i have', 'i have',
  'it is', 'yes it is', 'i guess', 'i guess so', 'yeah i guess', 'ya i guess', 'yes i guess', 'i think so', 'yeah i think so', 'i believe so',
  'probably', 'probably yes', 'most likely', 'likely', 'i suppose', 'i suppose so', 'pretty much', 'yes definitely', 'yeah definitely', 'hell yes',
  'yes maam', 'yes sir', 'i would say so', 'id say so', 'sadly yes', 'unfortunately yes', 'honestly yes', 'yes unfortunately', 'it does', 'they do', 'he does', 'she does',
  'hell yeah', 'hell yes', 'heck yeah', 'oh yeah', 'oh yes', 'very much so', 'you bet', 'yes very much', 'yeah for sure', 'ya for sure', 'yeah definitely', 'yes please',
];
/** Whole answers that mean no, hedges included ("not that i know of"): for questions with a "no" choice. */
const NO_ANSWERS = [
  'no', 'nah', 'nope', 'n', 'na', 'nop', 'noo', 'not really', 'never', 'no way', 'i dont', 'i do not', 'not at all', 'none', 'negative', 'no i dont',
  'no i have not', 'i have not', 'i havent', 'it is not', 'its not', 'nada', 'i dont think so', 'dont think so', 'i do not think so', 'not that i know of',
  'not that i know', 'not that im aware of', 'not that i am aware of', 'not that i noticed', 'not that i can tell', 'probably not', 'i doubt it',
  'not really no', 'nah not really', 'no not really', 'no not at all', 'nope not at all', 'no never', 'never have', 'not at the moment', 'not right now',
  'not currently', 'not lately', 'nothing', 'no nothing', 'no sir', 'no maam', 'honestly no', 'no thank god', 'thankfully no', 'luckily no', 'it does not',
  'they dont', 'he doesnt', 'she doesnt', 'not anymore', 'no not anymore', 'hell no', 'heck no', 'no not really no', 'nah not at all', 'not so far',
];
/** Answers that say "I don't know": the "Not sure" choice where there is one; otherwise a gentle re-ask. */
const UNSURE_ANSWERS = [
  'not sure', 'im not sure', 'i am not sure', 'not really sure', 'not too sure', 'unsure', 'idk', 'i dont know', 'dont know', 'dunno', 'i dunno',
  'no idea', 'i have no idea', 'no clue', 'not a clue', 'maybe', 'possibly', 'hard to say', 'who knows', 'not certain', 'i cant tell', 'cant tell',
  'i cant say', 'depends', 'it depends', 'idk really', 'honestly idk', 'i really dont know', 'im unsure', 'no se', 'no lo se', 'no estoy seguro',
  'no estoy segura', 'tal vez', 'quizas', 'quiza',
];
/** Said alone, a little of something on a yes/no question is a yes ("sometimes" to "do you get shakes"). */
const SOFT_YES = ['kind of', 'sort of', 'a little', 'a bit', 'a little bit', 'somewhat', 'sometimes', 'occasionally', 'here and there', 'at times', 'a few times', 'once or twice', 'yes and no'];
/** Words that make what follows them in the same clause not so ("i don't get withdrawals"). */
/** A phrase that is itself a negative answer ("not yet", "never", "none"). */
const NEGATIVE_START = /^(?:not|no|never|none|nothing|nope|nah|nobody)\b/;
const NEGATORS = new Set(['not', 'never', 'without', 'hardly', 'barely', 'nobody', 'noone', 'nothing', 'rid', 'nunca', 'jamas', 'sin', 'tampoco', 'nadie', 'nada']);
/** Spanish "no" negates the verb after it, and so what follows ("no tiene temblores", "no me dan convulsiones"). */
const SPANISH_NO_VERB = /^(?:teng|tien|tuv|hay|hub|sient|sinti|us[ao]|tom[ao]|beb[eo]|consum|sufr|pas[ao]|dan?$|dio$|(?:me|le|se)(?: \S|$)|(?:he|ha|han) \S+(?:ado|ido)$)/;
/** Words that say which of several things is the main one ("mostly weed, some alcohol"). */
const MAIN = new Set(['mostly', 'mainly', 'primarily', 'usually', 'main', 'especially']);
/** Everyday words never "corrected" into a word of the question. */
const KEEP = new Set([
  'ever', 'every', 'very', 'more', 'most', 'some', 'same', 'once', 'then', 'than', 'them', 'they', 'when', 'what', 'with', 'have', 'like', 'just',
  'used', 'uses', 'user', 'week', 'weed', 'days', 'done', 'dose', 'bars', 'home', 'here', 'there', 'where', 'while', 'drunk', 'sure', 'much', 'many',
  'time', 'feel', 'know', 'make', 'take', 'good', 'well', 'will', 'cant', 'dont', 'need', 'want', 'help', 'left', 'life', 'over', 'into', 'only',
  'also', 'back', 'been', 'from', 'that', 'this', 'your', 'even', 'such', 'last', 'next', 'long', 'pain', 'real', 'year', 'work', 'both', 'each',
  'were', 'whom', 'whose', 'shes', 'mine', 'ours', 'yours', 'their', 'theirs', 'about', 'after', 'again', 'could', 'would', 'should', 'might',
  'maybe', 'still', 'since', 'until', 'upon', 'ones', 'none', 'nope', 'yeah', 'okay', 'fine', 'kind', 'sort', 'stop', 'quit', 'gets', 'keep', 'kept',
  'went', 'gone', 'come', 'came', 'said', 'says', 'tell', 'told', 'think', 'thought', 'worse', 'best', 'better', 'less', 'least', 'alone', 'lots',
]);
/** A clause about before ("before that every day", "used to"), for questions about now. */
const BEFORE_NOW = /\b(?:used to|use to|before that|before then|before (?:detox|rehab|treatment|the hospital|jail|php|iop)|back then|back when|in the past|years ago|a year ago|last year|until (?:detox|rehab|i stopped|i quit))\b/;
/** A clause about the past ("he used to get the shakes") states nothing about now: no answer is taken from it unasked. */
const PAST = /\b(?:used to|use to|years ago|a year ago|last year|back then|back when|in the past|when (?:i|he|she|they|we) (?:was|were))\b/;
/** Clause boundaries: negation and "main one" markers do not reach across them. */
const CLAUSES = /[,.;:!?()]+|\s(?:but|though|tho|although|however|except|pero)\s|\s-+\s/;
/** Shorthand for answers the lexicon (written for questions) does not spell out. */
const ANSWER_SHORTHAND: Record<string, string> = {
  rly: 'really', rlly: 'really', realy: 'really', prolly: 'probably', probly: 'probably', nvr: 'never', evry: 'every', def: 'definitely',
  deff: 'definitely', defo: 'definitely', tho: 'though', idc: 'i do not care', ngl: 'honestly', smtimes: 'sometimes', sumtimes: 'sometimes',
};

type Strength = 0 | 1 | 2 | 3;
const DIRECT: Strength = 3;
const TOPIC: Strength = 2;
const UNSURE: Strength = 1;
const BARE: Strength = 0;

interface Matcher {
  choice: string;
  /** A phrase in prepared form, or a pattern. */
  phrase?: string;
  pattern?: RegExp;
  strength: Strength;
}

interface Match {
  choice: string;
  clause: number;
  start: number;
  end: number;
  strength: Strength;
  /** Found by a pattern, not a phrase. */
  pattern: boolean;
  negated: boolean;
  /** Said under "if" next to "I don't know" ("not sure if I get withdrawals"): not a claim. */
  hypothetical: boolean;
}

/** Whole-word replacements applied to answers and to the rule file's phrases alike ("idk" -> "i do not know"). */
export type Shorthand = ReadonlyMap<string, string>;

/**
 * The screening's rules, read from knowledge/screening.yaml: which question
 * comes next, how a free-text answer maps to a choice, and where the answers
 * suggest a visitor would start. Framework-free; the dialog only asks and renders.
 */
export class Screening {
  private readonly byId = new Map<string, Question>();
  private readonly matchers = new Map<string, Matcher[]>();
  /** Per question: the words its phrases use, for typo correction ("somtimes" -> "sometimes"). */
  private readonly vocabulary = new Map<string, Set<string>>();
  private readonly yes: Set<string>;
  private readonly no: Set<string>;
  private readonly unsure: Set<string>;
  private readonly softYes: Set<string>;
  private readonly leadingYes: Set<string>;
  private readonly leadingNo: Set<string>;
  /**
   * Words that answer whatever was asked, so say nothing unasked: yes, no, "not sure",
   * "sometimes", and every phrase two questions share ("a lot", "every day", "really bad").
   */
  private readonly replyWords: Set<string>;
  /** Per question: the phrases of its `volunteer.ignore`, prepared. */
  private readonly ignoredUnasked = new Map<string, Set<string>>();
  private readonly volunteerWords = new Set<string>();

  private readonly shorthand: Shorthand;

  constructor(
    readonly file: ScreeningFile,
    lexiconShorthand: Shorthand = new Map(),
  ) {
    this.shorthand = new Map([...Object.entries(ANSWER_SHORTHAND), ...lexiconShorthand]);
    const prepared = (list: string[]) => new Set(list.map((x) => this.prepare(x)).filter(Boolean));
    this.yes = prepared(YES_ANSWERS);
    this.no = prepared(NO_ANSWERS);
    this.unsure = prepared(UNSURE_ANSWERS);
    this.softYes = prepared(SOFT_YES);
    this.leadingYes = prepared(['yes', 'yeah', 'yea', 'yep', 'yup', 'ya', 'yah', 'yeh', 'ye', 'yh', 'yess', 'yas', 'sure', 'definitely', 'absolutely', 'si', 'claro']);
    this.leadingNo = prepared(['no', 'nah', 'nope', 'never', 'na']);
    const askedBy = new Map<string, Set<string>>();
    for (const q of file.questions) {
      this.byId.set(q.id, q);
      const matchers: Matcher[] = [];
      const words = new Set<string>();
      const topics = new Set(q.topics.map((t) => this.prepare(t)));
      // A question without a yes or no choice ("how much is it affecting…?") reads "not really" as its answer, above a topic word.
      const yesNo = q.choices.some((c) => c.id === 'yes' || c.id === 'no');
      const add = (text: string, choice: string) => {
        const phrase = this.prepare(text);
        if (!phrase) return;
        askedBy.set(phrase, (askedBy.get(phrase) ?? new Set()).add(q.id));
        matchers.push({ choice, phrase, strength: choice === 'unsure' ? UNSURE : this.strengthOf(phrase, topics, yesNo) });
        for (const w of phrase.split(' ')) if (w.length >= 4 && !/\d/.test(w)) words.add(w);
      };
      for (const c of q.choices) {
        for (const p of [c.label, c.id, ...c.synonyms, ...c.phrasings]) add(p, c.id);
        for (const p of c.patterns) matchers.push({ choice: c.id, pattern: new RegExp(p, 'g'), strength: c.id === 'unsure' ? UNSURE : DIRECT });
        // "Not sure" choices take every way of saying so.
        if (c.id === 'unsure') for (const p of UNSURE_ANSWERS) add(p, c.id);
      }
      this.matchers.set(q.id, matchers);
      this.vocabulary.set(q.id, words);
      if (q.volunteer) {
        this.ignoredUnasked.set(q.id, prepared(q.volunteer.ignore));
        // Every word a match of this question could start from (its phrases, topics, and the literal words of its
        // patterns): a message with none of them states nothing here, and is not read further (it runs every turn).
        for (const c of q.choices) {
          for (const p of [c.label, c.id, ...c.synonyms, ...c.phrasings]) for (const w of this.prepare(p).split(' ')) if (w) this.volunteerWords.add(w);
          for (const p of c.patterns) for (const w of p.toLowerCase().match(/[a-z]{2,}/g) ?? []) this.volunteerWords.add(w);
          if (c.id === 'unsure') for (const p of UNSURE_ANSWERS) for (const w of this.prepare(p).split(' ')) if (w) this.volunteerWords.add(w);
        }
        for (const topic of q.topics) for (const w of this.prepare(topic).split(' ')) if (w) this.volunteerWords.add(w);
      }
    }
    const shared = [...askedBy].filter(([, questions]) => questions.size > 1).map(([phrase]) => phrase);
    this.replyWords = new Set([...this.yes, ...this.no, ...this.unsure, ...this.softYes, ...shared]);
  }

  static fromFile(file: string): Screening {
    const screening = loadYamlFile(file, ScreeningFileSchema);
    const problems = crossCheck(screening);
    if (problems.length) throw new KnowledgeFileError(file, problems);
    return new Screening(screening, shorthandNextTo(file));
  }

  get questions(): Question[] {
    return this.file.questions;
  }

  question(id: string): Question | undefined {
    return this.byId.get(id);
  }

  /** Does this question apply, given the answers so far? (Its askIf, if any, holds.) */
  applies(q: Question, answers: ScreeningAnswers): boolean {
    return !q.askIf || holds(q.askIf, answers);
  }

  /** The next question to ask, skipping those earlier answers make moot; undefined when done. */
  nextQuestion(answers: ScreeningAnswers): Question | undefined {
    return this.file.questions.find((q) => answers[q.id] === undefined && this.applies(q, answers));
  }

  /**
   * Map what the visitor typed (or tapped) to a choice id, or null when it is not an answer.
   *
   * A number picks a choice by position. Otherwise every phrase of every choice is
   * looked for, clause by clause: a phrase inside a longer one is the longer one's
   * ("not safe", not "safe"); a phrase after a negation in its clause does not count
   * ("I don't get withdrawals"). Of what is left, a synonym beats a topic word, a topic
   * word beats "not sure", "not sure" beats a bare yes or no ("no, just some sweats" is a
   * yes), then the longest phrase wins. With nothing found, words one typo away
   * from the question's own words are read as those ("somtimes").
   */
  parseAnswer(question: Question, text: string): string | null {
    const t = this.prepare(text);
    if (!t) return null;
    // "3", "3 i guess", "2 probably": a number with a hedge is still the pick.
    const number = /^(\d{1,2})(?: (?:i guess|i think|probably|prob|maybe|i suppose|lol|then|ok|okay|please|pls))*$/.exec(t);
    if (number) return question.choices[Number(number[1]) - 1]?.id ?? null;

    const has = (id: string) => question.choices.some((c) => c.id === id);
    const hasYes = has('yes');
    const hasNo = has('no');
    const bare = withoutFiller(t);
    if (hasYes && this.yes.has(bare)) return 'yes';
    if (hasNo && this.no.has(bare)) return 'no';

    const clauses = this.clauses(text);
    let found = this.read(question, clauses);
    if (found === undefined) {
      const corrected = clauses.map((c) => this.correct(question, c));
      if (corrected.some((c, i) => c !== clauses[i])) found = this.read(question, corrected);
    }
    if (typeof found === 'string') return found;
    const negated = found?.negated ?? false;

    const first = bare.split(' ')[0] ?? '';
    if (hasYes && this.leadingYes.has(first) && !negated) return 'yes';
    // A question may say what a negated answer means ("no booze in the house" to "is your home safe?" is a yes).
    if (negated && question.ifNegated) return question.ifNegated;
    if (hasNo && (this.leadingNo.has(first) || negated || this.no.has(withoutFiller(clauses[0] ?? '')))) return 'no';
    if (hasYes && hasNo && this.softYes.has(bare)) return 'yes';
    return null;
  }

  /** Does the visitor say they don't know? (For a question without a "Not sure" choice, the dialog asks again gently.) */
  saysUnsure(text: string): boolean {
    const t = ` ${this.prepare(text)} `;
    for (const u of this.unsure) if (t.includes(` ${u} `)) return true;
    return false;
  }

  /**
   * For an answer that is not a choice: is it an honest answer that only needs one
   * more step? "unsure": they don't know; "which": a yes to a question without a yes
   * choice ("yes" to "have you tried treatment before?"), or one of the question's
   * `clarify` words ("I've been to rehab 3 times"). Null: not understood at all.
   */
  clarification(question: Question, text: string): 'unsure' | 'which' | null {
    if (this.saysUnsure(text)) return 'unsure';
    const bare = withoutFiller(this.prepare(text));
    if (!question.choices.some((c) => c.id === 'yes') && (this.yes.has(bare) || this.leadingYes.has(bare.split(' ')[0] ?? ''))) return 'which';
    const padded = ` ${bare} `;
    if (question.clarify.some((w) => padded.includes(` ${this.prepare(w)} `))) return 'which';
    return null;
  }

  /** Lower case, no punctuation, shorthand and contractions spelled out, "3x" as "3 times". */
  prepare(text: string): string {
    const t = basicNormalize(text.replace(/(\d)\s?x\b/gi, '$1 times'));
    if (!t) return t;
    return t
      .split(' ')
      .map((w) => this.shorthand.get(w) ?? w)
      .join(' ');
  }

  private clauses(text: string): string[] {
    return text
      .split(CLAUSES)
      .map((c) => this.prepare(c))
      .filter(Boolean);
  }

  private strengthOf(phrase: string, topics: ReadonlySet<string>, yesNo: boolean): Strength {
    if (this.unsure.has(phrase)) return UNSURE;
    if ((this.yes.has(phrase) || this.no.has(phrase)) && yesNo) return BARE;
    return topics.has(phrase) ? TOPIC : DIRECT;
  }

  /**
   * The choice the clauses name; otherwise undefined when nothing matched at all,
   * or { negated } when only negated phrases did.
   */
  private read(question: Question, clauses: string[]): string | { negated: boolean } | undefined {
    const kept = this.matches(question, clauses);
    if (!kept.length) return undefined;
    let live = this.live(kept, clauses, Boolean(question.ifNegated));
    // A negated topic word ("I can't focus at work") says nothing about the answer.
    if (!live.length) return { negated: kept.some((m) => m.negated && m.strength !== TOPIC) };
    // "hasn't had a drink since detox, before that every day": asked about now, the past is background.
    if (question.now) {
      const current = live.filter((m) => !BEFORE_NOW.test(clauses[m.clause]!));
      if (current.length) live = current;
    }

    const several = this.several(question, live, clauses);
    if (several) return several;
    live.sort((a, b) => b.strength - a.strength || b.end - b.start - (a.end - a.start) || a.clause - b.clause || a.start - b.start);
    return live[0]!.choice;
  }

  /** Every phrase and pattern of the question found in the clauses; a phrase inside a longer phrase of the same clause is part of it. */
  private matches(question: Question, clauses: string[]): Match[] {
    const all: Match[] = [];
    clauses.forEach((clause, i) => all.push(...this.matchClause(question, clause, i)));
    return all.filter((m) => !within(m, all));
  }

  /** The matches said as claims: not negated, not hypothetical, and not the negation itself ("never" in "it never helped"). */
  private live(kept: Match[], clauses: string[], noNegates = false): Match[] {
    // The negating word itself ("never" in "it never helped", "no" in "no booze in the house") is no answer.
    const negation = (m: Match) => {
      const word = clauses[m.clause]!.slice(m.start, m.end);
      // Only where the question says what a negated answer means (`ifNegated`): elsewhere "no first time" is a "no".
      // And "no" before a negative answer of its own ("no not yet") is that answer, said twice.
      const negates = (o: Match) => o.negated && o.clause === m.clause && o.start > m.start && (word !== 'no' || !NEGATIVE_START.test(clauses[o.clause]!.slice(o.start, o.end)));
      return (NEGATORS.has(word) || (word === 'no' && noNegates)) && kept.some(negates);
    };
    return kept.filter((m) => !m.negated && !m.hypothetical && !negation(m));
  }

  /** Two or more different choices named where the question has `several`: the main one ("mostly weed"), or `several`. */
  private several(question: Question, live: Match[], clauses: string[]): string | undefined {
    if (!question.several) return undefined;
    const named = live.filter((m) => m.strength === DIRECT);
    const distinct = new Set(named.map((m) => m.choice));
    distinct.delete(question.several);
    if (distinct.size < 2) return undefined;
    const main = new Set(named.filter((m) => this.mainBefore(clauses[m.clause]!, m.start)).map((m) => m.choice));
    return main.size === 1 ? [...main][0]! : question.several;
  }

  /**
   * The answers a message states outright for questions it was not asked (before the
   * screening, or beside the answer to another question): question id → choice id.
   * Only questions the file marks `volunteer`, and only their own words: a synonym,
   * phrasing, pattern or topic of one choice, never a word that answers whatever was
   * asked ("yes", "no", "not sure", "sometimes") or that two questions share ("a lot"),
   * nor one the question's `volunteer.ignore` lists ("sick"). A question is left out
   * when its words are negated, hypothetical or in the past anywhere in the message ("he
   * doesn't get the shakes", "not sure if he gets the shakes", "he used to"), when they name two different choices
   * ("every day, mostly weekends"), or when the message does not speak of what it is
   * about (`volunteer.near`: "I call every day" is no answer to "how often is it used?").
   * No typo is corrected: an answer nobody was asked for is taken only when plain.
   */
  volunteered(text: string): ScreeningAnswers {
    if (!this.prepare(text).split(' ').some((w) => this.volunteerWords.has(w))) return {};
    const clauses = this.clauses(text);
    const found = new Map<Question, Match[]>();
    for (const q of this.file.questions) {
      if (!q.volunteer || !clauses.length) continue;
      const ignored = this.ignoredUnasked.get(q.id)!;
      found.set(
        q,
        this.matches(q, clauses).filter((m) => {
          if (m.strength < TOPIC) return false;
          if (m.pattern) return true;
          const phrase = clauses[m.clause]!.slice(m.start, m.end);
          return !this.replyWords.has(phrase) && !ignored.has(phrase);
        }),
      );
    }
    // A phrase inside a longer phrase of another question is that question's ("not drinking" is no substance).
    const everyMatch = [...found.values()].flat();
    const past = clauses.map((c) => PAST.test(c));
    const stated: ScreeningAnswers = {};
    for (const [q, matches] of found) {
      const own = matches.filter((m) => !within(m, everyMatch));
      if (!own.length || own.some((m) => m.negated || m.hypothetical || past[m.clause])) continue;
      const live = this.live(own, clauses);
      const direct = live.filter((m) => m.strength === DIRECT);
      const named = direct.length ? direct : live;
      const choices = new Set(named.map((m) => m.choice));
      const choice = choices.size === 1 ? [...choices][0] : this.several(q, named, clauses);
      if (choice) stated[q.id] = choice;
    }
    const padded = ` ${clauses.join(' ')} `;
    const spoken: ScreeningAnswers = {};
    for (const [q] of found) {
      const near = q.volunteer?.near;
      const about = !near || near.questions.some((id) => stated[id] !== undefined) || near.words.some((w) => padded.includes(` ${this.prepare(w)} `));
      if (stated[q.id] !== undefined && about) spoken[q.id] = stated[q.id]!;
    }
    return spoken;
  }

  private matchClause(question: Question, clause: string, index: number): Match[] {
    const padded = ` ${clause} `;
    const out: Match[] = [];
    // Ways of saying "I don't know" in this clause: a "no" inside "no idea" is not a no.
    const unsureSpans: Array<[number, number]> = [];
    for (const u of this.unsure) for (let at = padded.indexOf(` ${u} `); at >= 0; at = padded.indexOf(` ${u} `, at + 1)) unsureSpans.push([at, at + u.length]);
    const unsureHere = unsureSpans.length > 0;
    const push = (choice: string, start: number, end: number, strength: Strength, pattern = false) => {
      if (unsureSpans.some(([a, b]) => a <= start && b >= end && b - a > end - start)) return;
      const before = clause.slice(0, start).trim();
      out.push({
        choice,
        clause: index,
        start,
        end,
        strength,
        pattern,
        negated: negatedBefore(before),
        hypothetical: unsureHere && strength !== UNSURE && /\b(?:if|whether)\b(?:\s+\S+){0,3}$/.test(before),
      });
    };
    for (const m of this.matchers.get(question.id) ?? []) {
      if (m.phrase) {
        for (let at = padded.indexOf(` ${m.phrase} `); at >= 0; at = padded.indexOf(` ${m.phrase} `, at + 1)) {
          push(m.choice, at, at + m.phrase.length, m.strength);
        }
      } else if (m.pattern) {
        m.pattern.lastIndex = 0;
        for (let r = m.pattern.exec(clause); r; r = m.pattern.exec(clause)) {
          if (r[0].length === 0) {
            m.pattern.lastIndex++;
            continue;
          }
          push(m.choice, r.index, r.index + r[0].length, m.strength, true);
        }
      }
    }
    return out;
  }

  private mainBefore(clause: string, start: number): boolean {
    const before = clause.slice(0, start).trim().split(' ').slice(-2);
    return before.some((w) => MAIN.has(w));
  }

  /** Words one typo away from a word of this question (two for long words) read as that word. */
  private correct(question: Question, clause: string): string {
    const vocabulary = this.vocabulary.get(question.id);
    if (!vocabulary) return clause;
    return clause
      .split(' ')
      .map((w) => {
        if (w.length < 4 || vocabulary.has(w) || KEEP.has(w) || /\d/.test(w)) return w;
        let best: string | undefined;
        let bestDistance = Infinity;
        for (const v of vocabulary) {
          if (Math.abs(v.length - w.length) > 2) continue;
          // A typo drops, swaps or changes letters; a shorter word is only the singular ("drinks" -> "drink"), not "every" -> "very".
          if (v.length < w.length && w !== `${v}s` && w !== `${v}es`) continue;
          // Four-letter words only take a missing letter ("evry" -> "every"): "week" is not "weed".
          if (w.length === 4 && !(v.length === 5 && isDeletionOf(w, v))) continue;
          const d = DamerauLevenshteinDistance(w, v, { restricted: true });
          if (d <= (w.length >= 8 ? 2 : 1) && d < bestDistance) {
            best = v;
            bestDistance = d;
          }
        }
        return best ?? w;
      })
      .join(' ');
  }

  /**
   * Of the answers the visitor stated unasked, the ones to keep, in question order:
   * for questions after `after` (all of them without it), not answered yet, that apply
   * given the answers so far and those kept before them.
   */
  unasked(answers: ScreeningAnswers, stated: ScreeningAnswers, after?: string): Array<[question: string, choice: string]> {
    const from = after === undefined ? 0 : this.file.questions.findIndex((q) => q.id === after) + 1;
    const so = { ...answers };
    const kept: Array<[string, string]> = [];
    for (const q of this.file.questions.slice(from)) {
      const choice = stated[q.id];
      if (choice === undefined || so[q.id] !== undefined || !q.choices.some((c) => c.id === choice) || !this.applies(q, so)) continue;
      so[q.id] = choice;
      kept.push([q.id, choice]);
    }
    return kept;
  }

  /** "From what you've told me, I've noted: Alcohol; Every day or almost." for these questions' answers, or undefined when none is answered. */
  notedText(questions: string[], answers: ScreeningAnswers): string | undefined {
    const labels: string[] = [];
    for (const id of questions) {
      const q = this.byId.get(id);
      const label = q?.choices.find((c) => c.id === answers[id])?.label;
      if (q && label) labels.push(q.volunteer?.name ? `${q.volunteer.name}: ${label}` : label);
    }
    return labels.length ? this.file.noted.replace('{{answers}}', labels.join('; ')) : undefined;
  }

  /** The suggested level for a set of answers: the first rule that holds. */
  place(answers: ScreeningAnswers, forSomeoneElse = false): { level: LevelOfCare; rule: Rule; reasons: string[] } {
    const rule = this.file.rules.find((r) => holds(r.when, answers)) ?? this.file.rules[this.file.rules.length - 1]!;
    const reasons: string[] = [];
    for (const qid of rule.because) {
      const choice = this.byId.get(qid)?.choices.find((c) => c.id === answers[qid]);
      const reason = forSomeoneElse ? (choice?.reasonOther ?? choice?.reason) : choice?.reason;
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    return { level: rule.level, rule, reasons };
  }

  /** The question as asked: about the visitor, or about the person they answer for. */
  questionText(q: Question, forSomeoneElse = false): string {
    return forSomeoneElse ? (q.textOther ?? q.text) : q.text;
  }

  result(answers: ScreeningAnswers, startedAt: Date, completedAt = new Date(), forSomeoneElse = false): ScreeningResult {
    const { level, rule, reasons } = this.place(answers, forSomeoneElse);
    const dimensions: ScreeningResult['dimensions'] = {};
    for (const q of this.file.questions) {
      const answer = answers[q.id];
      if (answer === undefined) continue;
      const label = q.choices.find((c) => c.id === answer)?.label ?? answer;
      (dimensions[q.dimension] ??= []).push({ question: q.id, dimension: q.dimension, answer, label });
    }
    return {
      answers: { ...answers },
      dimensions,
      level,
      levelName: this.file.levels[level].name,
      rule: rule.id,
      reasons,
      questionsAsked: Object.keys(answers).length,
      startedAt: startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
      ...(forSomeoneElse ? { forSomeoneElse } : {}),
    };
  }

  /** The visitor-facing suggestion: level, their own reasons, what it is, and that admissions confirms. */
  suggestionText(result: ScreeningResult): string {
    const level = this.file.levels[result.level];
    const s = this.file.suggestion;
    const because = result.reasons.length ? s.because.replace('{{reasons}}', joinReasons(result.reasons)) : undefined;
    const suggested = (result.forSomeoneElse ? s.other : s.you).replace('{{level}}', level.name);
    // A line for each sentence: each is said in the conversation's language (src/core/i18n/catalogue.ts).
    return `${[suggested, because, level.describe].filter(Boolean).join('\n')}\n\n${s.note}`;
  }
}

function joinReasons(reasons: string[]): string {
  if (reasons.length <= 1) return reasons.join('');
  return `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
}

/** Does a condition hold for these answers? An unanswered question matches no `in`. */
export function holds(condition: Condition, answers: ScreeningAnswers): boolean {
  if ('q' in condition) {
    const a = answers[condition.q];
    return a !== undefined && condition.in.includes(a);
  }
  if ('all' in condition) return condition.all.every((c) => holds(c, answers));
  if ('any' in condition) return condition.any.some((c) => holds(c, answers));
  return !holds(condition.not, answers);
}

/** Is this match inside a longer one of the same clause (a phrase inside a longer phrase is part of it)? */
function within(m: Match, others: Match[]): boolean {
  return others.some((o) => o !== m && o.clause === m.clause && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start);
}

/** Is a phrase negated by what comes before it in its clause ("i do not really get ...", "no ...")? */
function negatedBefore(before: string): boolean {
  if (!before) return false;
  const words = before.split(' ');
  // "no" negates only what follows at once ("no withdrawals"); "no, I get sweats" is in another clause.
  if (words[words.length - 1] === 'no') return true;
  // ...and a list it leads: "no shakes or sweats", "no sweats, shakes nor seizures".
  const no = words.lastIndexOf('no');
  if (no >= 0 && words.length - no <= 5 && words.slice(no + 1).some((w) => w === 'or' || w === 'nor' || w === 'ni' || w === 'o')) return true;
  if (no >= 0 && words.length - no <= 4 && SPANISH_NO_VERB.test(words.slice(no + 1, no + 3).join(' '))) return true;
  const last = words.slice(-4);
  for (let i = last.length - 1; i >= 0; i--) {
    const w = last[i]!;
    if (NEGATORS.has(w)) {
      // "not sure ...", "do not know ...": a way of saying "I don't know", not a negation of what follows.
      const next = last[i + 1];
      return next !== 'sure' && next !== 'know' && next !== 'only';
    }
  }
  return false;
}

/** Words that lead an answer without changing it: "um yeah", "well no", "honestly not really". */
const FILLER = /^(?:(?:um+|uh+|hm+|hmm+|er+|well|so|oh|ok|okay|like|honestly|tbh|lol|haha|i mean|to be honest|actually|really|just)\s+)+/;

function withoutFiller(t: string): string {
  const rest = t.replace(FILLER, '');
  return rest || t;
}

/** Is `short` the word `long` with one letter left out? */
function isDeletionOf(short: string, long: string): boolean {
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/** The shorthand and contractions of the lexicon next to the screening file (knowledge/lexicon.yaml), if there is one. */
function shorthandNextTo(file: string): Shorthand {
  const lexiconFile = path.join(path.dirname(file), 'lexicon.yaml');
  if (!existsSync(lexiconFile)) return new Map();
  const lexicon = loadYamlFile(lexiconFile, LexiconFileSchema);
  const map = new Map<string, string>();
  for (const [k, v] of [...Object.entries(lexicon.contractions), ...Object.entries(lexicon.shorthand)]) {
    const key = basicNormalize(k);
    if (key && !key.includes(' ')) map.set(key, basicNormalize(v));
  }
  return map;
}

/** Every question and choice a rule or askIf names must exist, and the last rule must always hold. */
function crossCheck(file: ScreeningFile): string[] {
  const problems: string[] = [];
  const questions = new Map(file.questions.map((q) => [q.id, new Set(q.choices.map((c) => c.id))]));
  const visit = (c: Condition, where: string) => {
    if ('q' in c) {
      const choices = questions.get(c.q);
      if (!choices) problems.push(`${where}: no question "${c.q}"`);
      else for (const v of c.in) if (!choices.has(v)) problems.push(`${where}: question "${c.q}" has no choice "${v}"`);
    } else if ('all' in c) c.all.forEach((x) => visit(x, where));
    else if ('any' in c) c.any.forEach((x) => visit(x, where));
    else visit(c.not, where);
  };
  file.questions.forEach((q, i) => q.askIf && visit(q.askIf, `entry questions[${i}] (id: ${q.id}), field "askIf"`));
  file.questions.forEach((q, i) => {
    const choices = questions.get(q.id)!;
    for (const field of ['several', 'ifNegated'] as const) {
      const v = q[field];
      if (v !== undefined && !choices.has(v)) problems.push(`entry questions[${i}] (id: ${q.id}), field "${field}": no choice "${v}"`);
    }
    const v = q.volunteer;
    for (const [k, other] of (v?.near?.questions ?? []).entries()) {
      const target = file.questions.find((x) => x.id === other);
      if (!target?.volunteer) problems.push(`entry questions[${i}] (id: ${q.id}), field "volunteer.near.questions.${k}": no question "${other}" marked volunteer`);
    }
    const phrases = new Set(q.choices.flatMap((c) => [c.label, c.id, ...c.synonyms, ...c.phrasings]).map(basicNormalize));
    for (const [k, phrase] of (v?.ignore ?? []).entries()) {
      if (!phrases.has(basicNormalize(phrase))) problems.push(`entry questions[${i}] (id: ${q.id}), field "volunteer.ignore.${k}": "${phrase}" is no phrase of its choices`);
    }
    q.choices.forEach((c, j) =>
      c.patterns.forEach((p, k) => {
        try {
          new RegExp(p);
        } catch (err) {
          problems.push(`entry questions[${i}] (id: ${q.id}), field "choices.${j}.patterns.${k}": ${(err as Error).message}`);
        }
      }),
    );
  });
  file.rules.forEach((r, i) => {
    visit(r.when, `entry rules[${i}] (id: ${r.id}), field "when"`);
    r.because.forEach((b, j) => {
      if (!questions.has(b)) problems.push(`entry rules[${i}] (id: ${r.id}), field "because.${j}": no question "${b}"`);
    });
  });
  const last = file.rules[file.rules.length - 1];
  if (last && !holds(last.when, {})) problems.push(`entry rules[${file.rules.length - 1}] (id: ${last.id}), field "when": the last rule must hold for any answers (a default)`);
  return problems;
}
