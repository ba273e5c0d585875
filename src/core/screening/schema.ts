import { z } from 'zod';

/** The levels of care a screening can suggest; detox and residential are by referral. */
export const LevelOfCareSchema = z.enum(['detox', 'residential', 'php', 'iop', 'outpatient']);
export type LevelOfCare = z.infer<typeof LevelOfCareSchema>;

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, dashes)');

/** A condition over the answers so far. An unanswered question satisfies no `in`. */
export type Condition = { q: string; in: string[] } | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ q: id, in: z.array(z.string().min(1)).min(1) }),
    z.strictObject({ all: z.array(ConditionSchema) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
  ]),
);

export const ChoiceSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1).max(48),
  /** Quoted back in the suggestion: "you told me <reason>". */
  reason: z.string().min(3).optional(),
  /** The same about someone else, when the visitor answers for them ("they're using every day or almost"). */
  reasonOther: z.string().min(3).optional(),
  /** Words visitors use for this choice ("daily", "every night"). */
  synonyms: z.array(z.string().min(1)).default([]),
  /**
   * More words visitors use, read like synonyms. Kept apart from `synonyms`, which
   * also train the crisis classifier as "not a crisis" (safety/examples.ts).
   */
  phrasings: z.array(z.string().min(1)).default([]),
  /**
   * Regular expressions over the visitor's words (lower case, no punctuation,
   * shorthand spelled out: "3x a wk" reads "3 times a week"), for answers a list
   * cannot hold, such as any number of times a week. A match counts as a synonym.
   */
  patterns: z.array(z.string().min(1)).default([]),
});

/**
 * Whether an answer to a question may be taken from what the visitor says without
 * being asked: before the screening, or beside the answer to another question. Only
 * where the words name the fact itself ("alcohol", "every day", "the shakes"); never
 * words that mean something only as a reply to this question ("my husband drinks" to
 * "is your home safe?").
 */
export const VolunteerSchema = z.strictObject({
  /** Put before the choice's label in the note when the label alone does not say what it answers ("Withdrawal symptoms: Yes"). */
  name: z.string().min(2).max(40).optional(),
  /**
   * Only from a message that also speaks of what the question is about: one of these
   * words, or an answer it states to one of these questions ("he drinks every day",
   * not "I call every day").
   */
  near: z.strictObject({ words: z.array(z.string().min(1)).default([]), questions: z.array(id).default([]) }).optional(),
  /** Phrases of this question's choices that say nothing when said unasked ("sick": "sick of waiting"). */
  ignore: z.array(z.string().min(1)).default([]),
});

export const QuestionSchema = z.strictObject({
  id,
  /** The placement dimension it feeds (ASAM-style), for the summary admissions sees. */
  dimension: z.enum(['use', 'withdrawal', 'medical', 'emotional', 'readiness', 'relapse', 'environment', 'function', 'logistics']),
  text: z.string().min(5),
  /** Asks about now ("how often right now?"): what a clause says of before ("before that every day") counts only when nothing is said of now. */
  now: z.boolean().default(false),
  /** The question asked about someone else, when the visitor answers for them ("When they stop…"). */
  textOther: z.string().min(5).optional(),
  choices: z.array(ChoiceSchema).min(2).max(8),
  askIf: ConditionSchema.optional(),
  /**
   * Phrases that name what the question is about rather than answer it ("work",
   * "anxiety"): they count only when nothing more direct is said, so "a lot, I
   * keep missing work" is "a lot".
   */
  topics: z.array(z.string().min(1)).default([]),
  /**
   * Words that show the visitor is answering, but not which choice ("rehab" to
   * "have you tried treatment before?"): the bot asks which choice fits best.
   */
  clarify: z.array(z.string().min(1)).default([]),
  /** The choice an answer naming two or more different choices means ("weed and alcohol" is "several"). */
  several: z.string().min(1).optional(),
  /**
   * The choice a negated answer means when nothing else is said ("it doesn't really
   * affect anything" is "a little or not at all"). Default: the choice "no", if any.
   */
  ifNegated: z.string().min(1).optional(),
  /** Answers to it may be taken from what the visitor says unasked (absent: never). */
  volunteer: VolunteerSchema.optional(),
});

export const LevelSchema = z.strictObject({
  name: z.string().min(2),
  describe: z.string().min(10),
  /** Guide sections the description is drawn from. */
  source: z.array(id).min(1),
});

export const RuleSchema = z.strictObject({
  id,
  level: LevelOfCareSchema,
  when: ConditionSchema,
  /** Question ids whose answers' reasons are quoted back, in this order. */
  because: z.array(id).default([]),
});

export const ScreeningFileSchema = z.strictObject({
  consent: z.strictObject({ text: z.string().min(10), yes: z.string().min(1), no: z.string().min(1), declined: z.string().min(10) }),
  reask: z.string().min(5),
  /** Said instead of `reask` when the visitor says they don't know and the question has no "Not sure" choice. */
  unsure: z.string().min(5).optional(),
  /** Said instead of `reask` when the answer is a yes, or names something, but not which choice fits. */
  which: z.string().min(5).optional(),
  giveUp: z.string().min(10),
  resumed: z.string().min(5),
  expired: z.string().min(5),
  paused: z.string().min(5),
  cancelled: z.string().min(5),
  /**
   * Said before the next question when questions are skipped because the visitor already
   * answered them ("From what you've told me, I've noted: {{answers}}."); {{answers}} is
   * the choices' labels.
   */
  noted: z.string().min(10).refine((t) => t.includes('{{answers}}'), 'must contain {{answers}}'),
  /** The suggestion at the end: {{level}} is the level's name; then `because`, and the level's description, each on its own line. */
  suggestion: z.strictObject({
    you: z.string().min(10),
    other: z.string().min(10),
    /** {{reasons}}: the choices' reasons, "a, b and c". */
    because: z.string().min(5),
    note: z.string().min(10),
  }),
  questions: z.array(QuestionSchema).min(3).max(14),
  levels: z.strictObject({
    detox: LevelSchema,
    residential: LevelSchema,
    php: LevelSchema,
    iop: LevelSchema,
    outpatient: LevelSchema,
  }),
  rules: z.array(RuleSchema).min(1),
});

export type Choice = z.infer<typeof ChoiceSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type Volunteer = z.infer<typeof VolunteerSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type ScreeningFile = z.infer<typeof ScreeningFileSchema>;
