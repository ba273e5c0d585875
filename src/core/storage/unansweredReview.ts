import { createHash } from 'node:crypto';
import { scrubPersonalData } from '../privacy/scrub';
import type { UnansweredSummary } from './unansweredLog';

/**
 * The unanswered review: staff mark each group of unanswered questions (same words) with
 * what the knowledge base needs, and `npm run kb:suggestions` exports the marks for the
 * content maintainer. The knowledge base itself is still changed in git, reviewed.
 */
export const MARK_KINDS = ['add-to-entry', 'new-entry', 'off-topic'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** What a staff member said of a group: "add to entry X", "new entry needed", "off-topic, fine". */
export interface GroupMark {
  kind: MarkKind;
  /** The FAQ entry to add the question to ('add-to-entry' only). */
  entryId?: string;
  by: string;
  at: Date;
}

/** A group of the log (one wording, any case or punctuation) and its mark, if any. */
export interface UnansweredGroup extends UnansweredSummary {
  mark?: GroupMark;
}

/** Marks live only as long as the log rows they are about (their group key is the question's words). */
export const ORPHAN_MARKS_SQL = 'DELETE FROM unanswered_mark WHERE NOT EXISTS (SELECT 1 FROM unanswered u WHERE u.normalized = unanswered_mark.normalized)';

/** A group's id outside the database: its key is the question's words, which an id in a URL must not carry. */
export function groupId(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex').slice(0, 24);
}

/** Labels the scrubber puts in place of personal data ("[phone]", "[name]"…). */
const SCRUB_LABEL = /\[(?:phone|email|ssn|date|date of birth|address|number|name)\]/i;

/**
 * The question as staff may read it: only when the scrubber (as it is today) finds nothing
 * in it and nothing was taken out when it was logged. Otherwise undefined: the text once held
 * personal details, and what is left around a label can still point to the person.
 */
export function reviewText(stored: string): string | undefined {
  if (SCRUB_LABEL.test(stored)) return undefined;
  return scrubPersonalData(stored) === stored ? stored : undefined;
}

/** What staff see in place of a hidden question. */
export const HIDDEN_TEXT = '(text hidden: it held personal details)';

/** A mark row as both stores keep it. */
export interface MarkRow {
  kind: MarkKind;
  entry_id: string | null;
  marked_by: string;
  marked_at: Date | number;
}

export function markOf(row: Partial<MarkRow>): GroupMark | undefined {
  if (!row.kind || !row.marked_by || row.marked_at === undefined || row.marked_at === null) return undefined;
  return { kind: row.kind, entryId: row.entry_id ?? undefined, by: row.marked_by, at: new Date(row.marked_at) };
}

/** The review file for the content maintainer: the marked groups, by mark, most frequent first. */
export interface SuggestionsFile {
  generatedAt: string;
  from: string;
  'add-to-entry': Array<{ entry: string; example: string; count: number; lastSeen: string; markedBy: string }>;
  'new-entry': Array<{ example: string; count: number; lastSeen: string; closestEntry?: string; markedBy: string }>;
  'off-topic': Array<{ example: string; count: number; lastSeen: string; markedBy: string }>;
}

export function suggestionsFile(groups: UnansweredGroup[], from: string, now = new Date()): SuggestionsFile {
  const file: SuggestionsFile = { generatedAt: now.toISOString(), from, 'add-to-entry': [], 'new-entry': [], 'off-topic': [] };
  for (const g of [...groups].sort((a, b) => b.count - a.count)) {
    if (!g.mark) continue;
    const common = { example: reviewText(g.example) ?? HIDDEN_TEXT, count: g.count, lastSeen: g.lastSeen.toISOString() };
    if (g.mark.kind === 'add-to-entry') file['add-to-entry'].push({ entry: g.mark.entryId ?? '', ...common, markedBy: g.mark.by });
    else if (g.mark.kind === 'new-entry') file['new-entry'].push({ ...common, ...(g.bestCandidate ? { closestEntry: g.bestCandidate } : {}), markedBy: g.mark.by });
    else file['off-topic'].push({ ...common, markedBy: g.mark.by });
  }
  return file;
}
