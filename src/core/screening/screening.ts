import { KnowledgeFileError, loadYamlFile } from '../knowledge/load';
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
  questionsAsked: number;
  startedAt: string;
  completedAt: string;
}

const YES = new Set(['yes', 'yeah', 'yea', 'yep', 'yup', 'ya', 'y', 'sure', 'definitely', 'correct', 'i do', 'absolutely', 'si', 'of course', 'true', 'right', 'affirmative', 'totally', 'for sure', 'uh huh', 'yes i do', 'yes i have', 'i have', 'it is', 'yes it is']);
const NEGATION_BEFORE = / (?:not|dont|do not|never|no|isnt|arent|doesnt|didnt|without|hardly|barely)(?: really| even| a)? $/;
const NO = new Set(['no', 'nah', 'nope', 'n', 'not really', 'never', 'no way', 'i dont', 'i do not', 'not at all', 'none', 'negative', 'no i dont', 'no i have not', 'i have not', 'i havent', 'it is not', 'its not', 'nada']);

/**
 * The screening's rules, read from knowledge/screening.yaml: which question
 * comes next, how a free-text answer maps to a choice, and where the answers
 * suggest a visitor would start. Framework-free; the dialog only asks and renders.
 */
export class Screening {
  private readonly byId = new Map<string, Question>();
  private readonly matchers = new Map<string, Array<{ phrase: string; choice: string }>>();

  constructor(readonly file: ScreeningFile) {
    for (const q of file.questions) {
      this.byId.set(q.id, q);
      const phrases: Array<{ phrase: string; choice: string }> = [];
      for (const c of q.choices) {
        for (const p of [c.label, c.id, ...c.synonyms]) {
          const phrase = basicNormalize(p);
          if (phrase) phrases.push({ phrase, choice: c.id });
        }
      }
      // Longest phrase first, so "not safe" wins over "safe".
      phrases.sort((a, b) => b.phrase.length - a.phrase.length);
      this.matchers.set(q.id, phrases);
    }
  }

  static fromFile(path: string): Screening {
    const file = loadYamlFile(path, ScreeningFileSchema);
    const problems = crossCheck(file);
    if (problems.length) throw new KnowledgeFileError(path, problems);
    return new Screening(file);
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

  /** Map what the visitor typed (or tapped) to a choice id, or null when it is not an answer. */
  parseAnswer(question: Question, text: string): string | null {
    const t = basicNormalize(text);
    if (!t) return null;
    const number = /^(\d{1,2})$/.exec(t);
    if (number) return question.choices[Number(number[1]) - 1]?.id ?? null;

    const hasYes = question.choices.some((c) => c.id === 'yes');
    const hasNo = question.choices.some((c) => c.id === 'no');
    if (hasYes && YES.has(t)) return 'yes';
    if (hasNo && NO.has(t)) return 'no';

    // The longest phrase wins ("not safe" over "safe"); a phrase right after a negation
    // ("not every day", "i don't get withdrawals") is not taken at face value.
    const padded = ` ${t} `;
    let negated = false;
    for (const { phrase, choice } of this.matchers.get(question.id) ?? []) {
      const at = padded.indexOf(` ${phrase} `);
      if (at < 0) continue;
      if (NEGATION_BEFORE.test(padded.slice(0, at + 1))) {
        negated = true;
        continue;
      }
      return choice;
    }
    if (hasYes && /^(?:yes|yeah|yep|yup|ya|sure|definitely)\b/.test(t) && !negated) return 'yes';
    if (hasNo && (/^(?:no|nah|nope|never)\b/.test(t) || negated)) return 'no';
    return null;
  }

  /** The suggested level for a set of answers: the first rule that holds. */
  place(answers: ScreeningAnswers): { level: LevelOfCare; rule: Rule; reasons: string[] } {
    const rule = this.file.rules.find((r) => holds(r.when, answers)) ?? this.file.rules[this.file.rules.length - 1]!;
    const reasons: string[] = [];
    for (const qid of rule.because) {
      const reason = this.byId.get(qid)?.choices.find((c) => c.id === answers[qid])?.reason;
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    return { level: rule.level, rule, reasons };
  }

  result(answers: ScreeningAnswers, startedAt: Date, completedAt = new Date()): ScreeningResult {
    const { level, rule, reasons } = this.place(answers);
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
    };
  }

  /** The visitor-facing suggestion: level, their own reasons, what it is, and that admissions confirms. */
  suggestionText(result: ScreeningResult): string {
    const level = this.file.levels[result.level];
    const because = result.reasons.length ? ` You told me ${joinReasons(result.reasons)}.` : '';
    return (
      `Thank you for answering. Based on what you shared, you would likely start with ${level.name}.${because} ${level.describe}\n\n` +
      `This is a suggestion, not a diagnosis: our admissions team confirms the right level with a clinical assessment.`
    );
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
