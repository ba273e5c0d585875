import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ClassifierOptions } from './classifier';
import type { CrisisDetector, CrisisKind, CrisisSignal } from './crisis';
import { CrisisKindSchema } from './schema';

/**
 * Scores the crisis detector on a labelled corpus (knowledge/safety/*-examples.yaml,
 * tests/fixtures/crisis/holdout.yaml, eval/crisis-blind-*.yaml):
 * recall on crisis messages, false-positive rate on benign ones, and the
 * messages behind each number so a reviewer can act on them.
 */

export interface CrisisItem {
  text: string;
  kind: CrisisKind;
  /** The reply language expected; English when omitted. */
  language?: 'en' | 'es';
}

export interface EvaluationResult {
  /** Crisis messages detected (any kind) / all crisis messages. */
  recall: number;
  /** Benign messages that raised an alarm / all benign messages. */
  falsePositiveRate: number;
  /** Detected with the expected kind / all crisis messages. */
  kindAccuracy: number;
  crisisCount: number;
  benignCount: number;
  misses: CrisisItem[];
  falseAlarms: Array<{ text: string; kind: CrisisKind; evidence: string }>;
  kindMismatches: Array<{ text: string; expected: CrisisKind; got: CrisisKind; evidence: string }>;
  /** Detected, but the reply would be in the other language. */
  languageMismatches: Array<{ text: string; expected: 'en' | 'es'; got: 'en' | 'es' }>;
}

export function evaluateCrisis(
  detector: { detect(text: string): CrisisSignal | null },
  crisisItems: readonly CrisisItem[],
  benignItems: ReadonlyArray<string | { text: string }>,
): EvaluationResult {
  const misses: CrisisItem[] = [];
  const kindMismatches: EvaluationResult['kindMismatches'] = [];
  const languageMismatches: EvaluationResult['languageMismatches'] = [];
  for (const item of crisisItems) {
    const signal = detector.detect(item.text);
    if (!signal) {
      misses.push(item);
      continue;
    }
    if (signal.kind !== item.kind) {
      kindMismatches.push({ text: item.text, expected: item.kind, got: signal.kind, evidence: signal.evidence });
    }
    const expected = item.language ?? 'en';
    if (signal.language !== expected) languageMismatches.push({ text: item.text, expected, got: signal.language });
  }
  const falseAlarms: EvaluationResult['falseAlarms'] = [];
  for (const item of benignItems) {
    const text = typeof item === 'string' ? item : item.text;
    const signal = detector.detect(text);
    if (signal) falseAlarms.push({ text, kind: signal.kind, evidence: signal.evidence });
  }
  const crisisCount = crisisItems.length;
  const benignCount = benignItems.length;
  return {
    recall: crisisCount ? (crisisCount - misses.length) / crisisCount : 1,
    falsePositiveRate: benignCount ? falseAlarms.length / benignCount : 0,
    kindAccuracy: crisisCount ? (crisisCount - misses.length - kindMismatches.length) / crisisCount : 1,
    crisisCount,
    benignCount,
    misses,
    falseAlarms,
    kindMismatches,
    languageMismatches,
  };
}

const CrisisCorpusSchema = z.strictObject({
  messages: z
    .array(z.strictObject({ text: z.string().min(1), kind: CrisisKindSchema, language: z.enum(['en', 'es']).optional() }))
    .min(1),
});
const BenignCorpusSchema = z.strictObject({ messages: z.array(z.string().min(1)).min(1) });
const HoldoutSchema = z.strictObject({
  crisis: CrisisCorpusSchema.shape.messages,
  benign: BenignCorpusSchema.shape.messages,
});

function readYaml<T>(path: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid corpus'}`);
  }
  return result.data;
}

/** knowledge/safety/crisis-examples.yaml: { messages: [{ text, kind }] } */
export function loadCrisisCorpus(path: string): CrisisItem[] {
  return readYaml(path, CrisisCorpusSchema).messages;
}

/** knowledge/safety/benign-examples.yaml: { messages: [text] } */
export function loadBenignCorpus(path: string): string[] {
  return readYaml(path, BenignCorpusSchema).messages;
}

/** tests/fixtures/crisis/holdout.yaml: { crisis: [{ text, kind }], benign: [text] } */
export function loadHoldout(path: string): { crisis: CrisisItem[]; benign: string[] } {
  return readYaml(path, HoldoutSchema);
}

/**
 * Out-of-fold classifier scores for the training examples: each example is
 * scored by a model trained on the other folds (example i is in fold i mod
 * `folds`). The honest view of the classifier on its own training data.
 * Optimistic all the same: the examples come in families of paraphrases.
 */
export function crossValidatedScores(
  detector: Pick<CrisisDetector, 'trainClassifier' | 'prepare'>,
  examples: ReadonlyArray<{ text: string; label: CrisisKind | 'none' }>,
  folds = 5,
  options: Partial<ClassifierOptions> = {},
): number[] {
  const scores = new Array<number>(examples.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const model = detector.trainClassifier(examples.filter((_, i) => i % folds !== f), options);
    examples.forEach((e, i) => {
      if (i % folds === f) scores[i] = model.score(detector.prepare(e.text)).score;
    });
  }
  return scores;
}

/** Recall or alarm rate of a set when a message alarms on a pattern hit or a classifier score >= threshold. */
export function alarmRate(scores: readonly number[], patternHits: readonly boolean[] | null, threshold: number): number {
  if (scores.length === 0) return 0;
  let n = 0;
  scores.forEach((s, i) => {
    if (s >= threshold || patternHits?.[i]) n++;
  });
  return n / scores.length;
}
