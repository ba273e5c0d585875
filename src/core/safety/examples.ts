import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ScreeningFileSchema } from '../screening/schema';
import { KnowledgeFileError, loadYamlFile, type KnowledgeBase } from '../knowledge/load';
import { basicNormalize } from '../text/normalize';
import type { CrisisKind } from './crisis';
import { BenignExamplesFileSchema, CrisisExamplesFileSchema } from './schema';

/**
 * The crisis classifier's training data, all of it content in knowledge/:
 * crisis and benign examples (knowledge/safety/), plus the FAQ's questions and
 * the off-topic examples as more "not a crisis" messages. A broken file fails
 * here, at start-up, naming the file, the entry and the field.
 */

export type ExampleLabel = CrisisKind | 'none';

export interface LabelledExample {
  text: string;
  label: ExampleLabel;
  /** Where it comes from, for evaluation reports. */
  source: 'crisis-examples' | 'tier-examples' | 'benign-examples' | 'benign-replies' | 'benign-conversations' | 'screening' | 'faq' | 'off-topic';
}

export const CRISIS_EXAMPLES_FILE = path.join('safety', 'crisis-examples.yaml');
export const BENIGN_EXAMPLES_FILE = path.join('safety', 'benign-examples.yaml');
export const BENIGN_REPLIES_FILE = path.join('safety', 'benign-replies.yaml');
export const BENIGN_CONVERSATIONS_FILE = path.join('safety', 'benign-conversations.yaml');
export const TIER_EXAMPLES_FILE = path.join('safety', 'tier-examples.yaml');

/**
 * Risk messages written blind, by tier, that teach the classifier the wording of kinds the
 * patterns are young for (withdrawal, harm): training only, not held to the patterns.
 */
export function loadTierExamples(dir: string): Array<{ text: string; kind: CrisisKind; language?: 'en' | 'es' }> {
  const file = path.join(dir, TIER_EXAMPLES_FILE);
  return existsSync(file) ? loadYamlFile(file, CrisisExamplesFileSchema).messages : [];
}

/** Ordinary turns of whole conversations (family stories, screening answers, complaints): "none" for the classifier. */
export function loadBenignConversations(dir: string): string[] {
  const file = path.join(dir, BENIGN_CONVERSATIONS_FILE);
  return existsSync(file) ? loadYamlFile(file, BenignExamplesFileSchema).messages : [];
}

/** Short everyday replies ("no not right now", "i'm not sure"): without them, "not" and "no" read as risk. */
export function loadBenignReplies(dir: string): string[] {
  const file = path.join(dir, BENIGN_REPLIES_FILE);
  return existsSync(file) ? loadYamlFile(file, BenignExamplesFileSchema).messages : [];
}

/** The screening's choice labels and the words visitors use for them: answers, never alarms on their own. */
function screeningAnswers(dir: string): string[] {
  const file = path.join(dir, 'screening.yaml');
  if (!existsSync(file)) return [];
  const screening = loadYamlFile(file, ScreeningFileSchema);
  return screening.questions.flatMap((q) => q.choices.flatMap((c) => [c.label, ...(c.synonyms ?? [])]));
}

export function loadCrisisExamples(dir: string): Array<{ text: string; kind: CrisisKind; language?: 'en' | 'es' }> {
  return loadYamlFile(path.join(dir, CRISIS_EXAMPLES_FILE), CrisisExamplesFileSchema).messages;
}

export function loadBenignExamples(dir: string): string[] {
  return loadYamlFile(path.join(dir, BENIGN_EXAMPLES_FILE), BenignExamplesFileSchema).messages;
}

/** Every training example, crisis first. A message listed both as a crisis and as benign is an error. */
export function loadTrainingExamples(kb: Pick<KnowledgeBase, 'dir' | 'faq' | 'offTopic'>): LabelledExample[] {
  const crisis = loadCrisisExamples(kb.dir);
  const benign = loadBenignExamples(kb.dir);
  const conversations = loadBenignConversations(kb.dir);
  const crisisTexts = new Map(crisis.map((m, i) => [basicNormalize(m.text), i]));
  // A message listed both as a crisis and as ordinary would teach the classifier both ways.
  for (const [file, texts] of [[BENIGN_EXAMPLES_FILE, benign], [BENIGN_CONVERSATIONS_FILE, conversations]] as const) {
    const problems = texts.flatMap((text, i) => {
      const j = crisisTexts.get(basicNormalize(text));
      return j === undefined ? [] : [`entry messages[${i}]: "${text}" is also a crisis example (${CRISIS_EXAMPLES_FILE} messages[${j}])`];
    });
    if (problems.length) throw new KnowledgeFileError(path.join(kb.dir, file), problems);
  }
  return [
    ...crisis.map((m): LabelledExample => ({ text: m.text, label: m.kind, source: 'crisis-examples' })),
    ...loadTierExamples(kb.dir).map((m): LabelledExample => ({ text: m.text, label: m.kind, source: 'tier-examples' })),
    ...benign.map((text): LabelledExample => ({ text, label: 'none', source: 'benign-examples' })),
    ...loadBenignReplies(kb.dir).map((text): LabelledExample => ({ text, label: 'none', source: 'benign-replies' })),
    ...conversations.map((text): LabelledExample => ({ text, label: 'none', source: 'benign-conversations' })),
    ...screeningAnswers(kb.dir).map((text): LabelledExample => ({ text, label: 'none', source: 'screening' })),
    // With phrasings.yaml's: realistic visitor questions the classifier must not alarm on ("I'm a single dad
    // and I can't just disappear for a month. Can I do your program…" scored 0.81 for suicide without them).
    // Not phrasings-more.yaml's: many are withdrawal and relapse stories told as questions (see that file).
    ...kb.faq.entries.flatMap((e) => e.questions.map((text): LabelledExample => ({ text, label: 'none', source: 'faq' }))),
    ...kb.offTopic.examples.map((text): LabelledExample => ({ text, label: 'none', source: 'off-topic' })),
  ];
}
