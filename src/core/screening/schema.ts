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
  /** Words visitors use for this choice ("daily", "every night"). */
  synonyms: z.array(z.string().min(1)).default([]),
});

export const QuestionSchema = z.strictObject({
  id,
  /** The placement dimension it feeds (ASAM-style), for the summary admissions sees. */
  dimension: z.enum(['use', 'withdrawal', 'medical', 'emotional', 'readiness', 'relapse', 'environment', 'function', 'logistics']),
  text: z.string().min(5),
  choices: z.array(ChoiceSchema).min(2).max(8),
  askIf: ConditionSchema.optional(),
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
  giveUp: z.string().min(10),
  resumed: z.string().min(5),
  expired: z.string().min(5),
  paused: z.string().min(5),
  cancelled: z.string().min(5),
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
export type Rule = z.infer<typeof RuleSchema>;
export type ScreeningFile = z.infer<typeof ScreeningFileSchema>;
