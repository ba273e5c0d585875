import { z } from 'zod';
import { KnowledgeFileError, loadYamlFile } from '../knowledge/load';
import type { ScreeningFile } from './schema';
import type { ScreeningResult } from './screening';

/** knowledge/staff-summary.yaml: how a completed screening reads for admissions staff. */
export const STAFF_SUMMARY_FILE = 'staff-summary.yaml';

/** Words that address the visitor: staff wording speaks of them ("uses every day"), never to them. */
const SECOND_PERSON = /\b(?:you|your|yours|yourself|you're|youre|you've|youve)\b/i;

const StaffText = z
  .string()
  .trim()
  .min(2, { error: 'must not be empty' })
  .max(160)
  .refine((t) => !SECOND_PERSON.test(t), { error: 'is written to the visitor ("you"): write it for staff, in the third person' });

export const StaffSummaryFileSchema = z.strictObject({
  /** "Suggested: IOP", per level of care. */
  levels: z.strictObject({ detox: StaffText, residential: StaffText, php: StaffText, iop: StaffText, outpatient: StaffText }),
  /** Who answered: the person seeking care, or someone for them. */
  answeredBy: z.strictObject({ self: StaffText, other: StaffText }),
  /** Before the answers behind the suggestion ("The visitor said"). */
  said: StaffText,
  /** Before the other answers ("Also"). */
  also: StaffText,
  /** Question id → choice id → the answer as staff read it ("uses every day or almost"). */
  answers: z.record(z.string().min(1), z.record(z.string().min(1), StaffText)),
});
export type StaffSummaryFile = z.infer<typeof StaffSummaryFileSchema>;

/**
 * Read and check the file against the screening it sums up: every key names a real
 * question and choice, and every choice the visitor's suggestion quotes (a `reason`)
 * has a phrase for staff. A problem stops start-up, naming the file and the key.
 */
export function loadStaffSummary(file: string, screening: ScreeningFile): StaffSummaryFile {
  const data = loadYamlFile(file, StaffSummaryFileSchema);
  const problems: string[] = [];
  const questions = new Map(screening.questions.map((q) => [q.id, q]));
  for (const [qid, choices] of Object.entries(data.answers)) {
    const q = questions.get(qid);
    if (!q) {
      problems.push(`answers.${qid}: no such question in screening.yaml`);
      continue;
    }
    for (const cid of Object.keys(choices)) {
      if (!q.choices.some((c) => c.id === cid)) problems.push(`answers.${qid}.${cid}: question "${qid}" has no choice "${cid}" in screening.yaml`);
    }
  }
  for (const q of screening.questions) {
    for (const c of q.choices) {
      if (c.reason && !data.answers[q.id]?.[c.id]) problems.push(`answers.${q.id}.${c.id}: missing (screening.yaml quotes this answer to the visitor, so staff need it too)`);
    }
  }
  if (problems.length > 0) throw new KnowledgeFileError(file, problems);
  return data;
}

/** A completed screening as staff read it on the request page. */
export interface StaffSummary {
  /** "Suggested: IOP". */
  suggested: string;
  /** "Answered for someone else". */
  answeredBy: string;
  /** The answers behind the suggestion (those the visitor was quoted), in the placement rule's order. */
  because: string[];
  /** The other answers, in the order asked. */
  also: string[];
  /** The titles of the two lists ("The visitor said", "Also"). */
  titles: { because: string; also: string };
  /** All of it in a few lines: "Suggested: IOP. Answered for someone else. The visitor said: …". */
  text: string;
}

/** The staff summary of a screening result (never a word of the visitor's own: only their choices, in staff wording). */
export function staffSummary(result: ScreeningResult, content: StaffSummaryFile, screening: ScreeningFile): StaffSummary {
  const phrase = (qid: string) => {
    const choice = result.answers?.[qid];
    return choice === undefined ? undefined : content.answers[qid]?.[choice];
  };
  // The answers the visitor was quoted as reasons (a choice with a `reason`), as the placement rule orders them.
  const quoted = (qid: string) => screening.questions.find((q) => q.id === qid)?.choices.find((c) => c.id === result.answers?.[qid])?.reason !== undefined;
  const rule = screening.rules.find((r) => r.id === result.rule);
  const because = unique((rule?.because ?? []).filter(quoted).map(phrase));
  const also = unique(screening.questions.map((q) => phrase(q.id))).filter((p) => !because.includes(p));
  const suggested = content.levels[result.level];
  const answeredBy = result.forSomeoneElse ? content.answeredBy.other : content.answeredBy.self;
  const lines = [`${suggested}.`, `${answeredBy}.`];
  if (because.length) lines.push(`${content.said}: ${because.join('; ')}.`);
  if (also.length) lines.push(`${content.also}: ${also.join('; ')}.`);
  return { suggested, answeredBy, because, also, titles: { because: content.said, also: content.also }, text: lines.join(' ') };
}

function unique(phrases: Array<string | undefined>): string[] {
  return [...new Set(phrases.filter((p): p is string => Boolean(p)))];
}
