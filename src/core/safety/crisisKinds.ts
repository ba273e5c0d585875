import { CRISIS_KINDS } from './schema';

export type CrisisKind = 'suicide' | 'overdose' | 'withdrawal-emergency' | 'violence' | 'withdrawal';
/** What a pattern can name: a crisis kind, or a concern (src/core/safety/schema.ts PATTERN_KINDS). */
export type PatternKind = CrisisKind | 'concern';

export interface CrisisSignal {
  kind: CrisisKind;
  /**
   * The id of the pattern that matched, or "classifier:<score>" when only the
   * classifier alarmed; never the message text (it is logged).
   */
  evidence: string;
  language: 'en' | 'es';
}

// Keep the exported union and the schema's enum in lock-step at compile time.
type SameKinds = [CrisisKind] extends [(typeof CRISIS_KINDS)[number]]
  ? [(typeof CRISIS_KINDS)[number]] extends [CrisisKind]
    ? true
    : never
  : never;
const kindsInSync: SameKinds = true;
void kindsInSync;

/**
 * When a message matches several kinds, the first kind in this order wins.
 * Overdose and withdrawal emergencies come first: minutes matter, and their
 * replies send the visitor to 911 (with naloxone and Poison Control for an
 * overdose). "I took all my pills because I want to die" needs 911 and
 * naloxone before 988. Suicide comes before violence because the suicide reply
 * already says "call 911 if you are in immediate danger", so it covers a threat
 * from someone else too, and it carries 988, which the violence reply only
 * mentions in passing. Withdrawal (a risk, not an emergency now) comes last: any
 * other kind in the same message is the more urgent reply. Whatever kind wins,
 * every reply names 911.
 */
export const CRISIS_PRIORITY: readonly CrisisKind[] = ['overdose', 'withdrawal-emergency', 'suicide', 'violence', 'withdrawal'];
