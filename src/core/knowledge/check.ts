import type { KnowledgeBase } from './load';
import { basicNormalize } from '../text/normalize';

export interface CheckReport {
  problems: string[];
  stats: { entries: number; questions: number; sections: number; faqQuestions: number };
}

/** Numbers the bot may say that are not in the guide: emergency and help lines. */
const ALLOWED_NUMBERS = new Set(['911', '988', '1', '800', '222', '1222', '662', '4357', '24', '7', '2']);

/** The FAQ's own questions: the lines ending in "?" after the FAQ heading. */
export function faqQuestions(sourceText: string, faqHeading: string): string[] {
  const lines = sourceText.split(/\r?\n/).map((l) => l.trim());
  const start = lines.indexOf(faqHeading);
  if (start < 0) return [];
  return lines.slice(start + 1).filter((l) => l.endsWith('?'));
}

/**
 * Proves the knowledge base's link to its source, beyond what the schemas check:
 * every section heading exists in the guide, every FAQ question maps to an entry,
 * no two entries claim the same training phrase, and no answer states a number
 * the guide does not (prices, hours and doses are never invented).
 */
export function checkKnowledgeBase(kb: KnowledgeBase): CheckReport {
  const problems: string[] = [];
  const lines = new Set(kb.sourceText.split(/\r?\n/).map((l) => l.trim()));
  for (const s of kb.sections.sections) {
    if (!lines.has(s.heading)) problems.push(`sections.yaml: section "${s.id}": heading not found in ${kb.sections.source}: "${s.heading}"`);
  }

  const owner = new Map<string, string>();
  let questions = 0;
  for (const entry of kb.faq.entries) {
    for (const q of [...entry.questions, ...entry.morePhrasings]) {
      questions++;
      const key = basicNormalize(q);
      const other = owner.get(key);
      if (other && other !== entry.id) problems.push(`faq.yaml: entry "${entry.id}": question "${q}" is also claimed by "${other}"`);
      else owner.set(key, entry.id);
    }
  }

  const faqHeading = kb.sections.sections.find((s) => s.id === 'faq')?.heading ?? 'FAQ';
  const faq = faqQuestions(kb.sourceText, faqHeading);
  if (faq.length === 0) problems.push(`${kb.sections.source}: no FAQ questions found under "${faqHeading}"`);
  for (const q of faq) {
    if (!owner.has(basicNormalize(q))) problems.push(`faq.yaml: the guide's FAQ question "${q}" maps to no entry`);
  }

  const sourceDigits = new Set(kb.sourceText.match(/\d+/g) ?? []);
  const admissionsDigits: string[] = kb.messages.admissions.display.match(/\d+/g) ?? [];
  for (const entry of kb.faq.entries) {
    for (const n of entry.answer.match(/\d+/g) ?? []) {
      if (!sourceDigits.has(n) && !ALLOWED_NUMBERS.has(n) && !admissionsDigits.includes(n)) {
        problems.push(`faq.yaml: entry "${entry.id}": answer states the number ${n}, which the guide does not`);
      }
    }
    if (/\$\s?\d/.test(entry.answer)) problems.push(`faq.yaml: entry "${entry.id}": answer states a price`);
    if (entry.kind === 'gap' && !entry.answer.includes(kb.messages.admissions.display)) {
      problems.push(`faq.yaml: entry "${entry.id}": a gap answer must give the admissions line ${kb.messages.admissions.display}`);
    }
  }
  // A topic that neither names a synonym group nor occurs in any question could never be matched.
  const questionWords = new Set(kb.faq.entries.flatMap((e) => e.questions.flatMap((q) => basicNormalize(q).split(' '))));
  for (const topic of kb.lexicon.topics) {
    const t = basicNormalize(topic);
    if (!(t in kb.lexicon.synonyms) && !questionWords.has(t)) {
      problems.push(`lexicon.yaml: topic "${topic}" is neither a synonyms key nor a word of any question`);
    }
  }
  for (const key of ['fallback', 'smsShortened', 'rateLimited'] as const) {
    if (!kb.messages.messages[key].text.includes(kb.messages.admissions.display)) {
      problems.push(`messages.yaml: ${key} must give the admissions line ${kb.messages.admissions.display}`);
    }
  }

  return {
    problems,
    stats: { entries: kb.faq.entries.length, questions, sections: kb.sections.sections.length, faqQuestions: faq.length },
  };
}
