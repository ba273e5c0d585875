import { basicNormalize } from '../text/normalize';
import type { Recognition, Recognizer } from './recognizer';

export interface LabelledQuestion {
  text: string;
  intent: string;
}

export interface IntentEvaluation {
  inScope: number;
  /** Answered with the right entry, or offered it first in "did you mean". */
  top1: number;
  /** Answered outright with the right entry. */
  confidentCorrect: number;
  /** Answered outright with a wrong entry: the costly error. */
  confidentWrong: number;
  offTopic: number;
  /** Off-topic messages not answered as if they were a program question. */
  offTopicRejected: number;
  spanish: number;
  spanishDetected: number;
  confusions: Array<{ text: string; expected: string; got: string; score: number; outcome: Recognition['outcome'] }>;
  falseAccepts: Array<{ text: string; got: string; score: number }>;
  spanishMissed: string[];
}

/**
 * Drop evaluation questions that are, once normalized, identical to a training
 * question: short phrasings ("what is iop", "hi there") coincide even when two
 * people write the sets independently, and scoring them would flatter the result.
 */
export function unseenOnly<T extends { text: string } | string>(items: T[], trainingQuestions: Iterable<string>): T[] {
  const seen = new Set<string>();
  for (const q of trainingQuestions) seen.add(basicNormalize(q));
  return items.filter((item) => !seen.has(basicNormalize(typeof item === 'string' ? item : item.text)));
}

/** Score the recognizer on a labelled set kept apart from the training phrases. */
export function evaluateIntents(
  recognizer: Recognizer,
  inScope: LabelledQuestion[],
  offTopic: string[],
  spanish: string[] = [],
): IntentEvaluation {
  const result: IntentEvaluation = {
    inScope: inScope.length,
    top1: 0,
    confidentCorrect: 0,
    confidentWrong: 0,
    offTopic: offTopic.length,
    offTopicRejected: 0,
    spanish: spanish.length,
    spanishDetected: 0,
    confusions: [],
    falseAccepts: [],
    spanishMissed: [],
  };
  for (const q of inScope) {
    const r = recognizer.recognize(q.text);
    const best = r.candidates[0];
    const right = best?.id === q.intent && r.outcome !== 'none';
    if (right) result.top1++;
    if (r.outcome === 'confident' && right) result.confidentCorrect++;
    if (r.outcome === 'confident' && !right) result.confidentWrong++;
    if (!right) result.confusions.push({ text: q.text, expected: q.intent, got: best?.id ?? '-', score: best?.score ?? 0, outcome: r.outcome });
  }
  for (const text of offTopic) {
    const r = recognizer.recognize(text);
    if (r.outcome !== 'confident') result.offTopicRejected++;
    else result.falseAccepts.push({ text, got: r.candidates[0]?.id ?? '-', score: r.candidates[0]?.score ?? 0 });
  }
  for (const text of spanish) {
    if (recognizer.recognize(text).language === 'es') result.spanishDetected++;
    else result.spanishMissed.push(text);
  }
  return result;
}
