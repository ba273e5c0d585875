import { z } from 'zod';

/**
 * Schema of knowledge/crisis.yaml, the crisis safety net's content. Clinicians
 * review it as data, so every rule a broken file can break is checked here and
 * named in the error (file, entry, field) by loadCrisisFile().
 *
 * The pattern language itself (words, stems, gaps, alternatives…) is checked
 * when the patterns are compiled, with errors in the same format.
 */

/**
 * The kinds that raise the alarm. Each has its own reply; the tiers of the issue
 * "safety in context" are emergency (overdose, withdrawal-emergency), suicide,
 * harm (violence) and withdrawal (a risk of stopping or using again, not an
 * emergency now: src/core/safety/tiers.ts).
 */
export const CRISIS_KINDS = ['suicide', 'overdose', 'withdrawal-emergency', 'violence', 'withdrawal'] as const;
/** The tiers of the safety net (src/core/safety/tiers.ts says how kinds map to them). */
export const TIERS = ['emergency', 'suicide', 'harm', 'withdrawal', 'concern'] as const;

/** Patterns may also name a concern: no alarm, one safety line under the answer. */
export const PATTERN_KINDS = [...CRISIS_KINDS, 'concern'] as const;
export const CrisisKindSchema = z.enum(CRISIS_KINDS);
export const LanguageSchema = z.enum(['en', 'es']);

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, dashes)');

const patternText = z.string().trim().min(1, 'must not be empty');

/** A set name, used in patterns as @name. */
const setName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'set names are lower-case words (a-z, 0-9, dashes)');

export const CrisisPatternSchema = z.strictObject({
  id,
  kind: z.enum(PATTERN_KINDS),
  language: LanguageSchema,
  /** The tier of this pattern's alarms when it is not its kind's ("a gun out right now" is violence, and an emergency). */
  tier: z.enum(TIERS).optional(),
  /**
   * The word alone ("overdose", "suicide"): tried after every other pattern of every kind, so a
   * message that says more ("overdosing wouldn't be the worst thing") gets the kind of what it says.
   */
  weak: z.boolean().optional(),
  /** One or more pattern lines; any one matching is enough. */
  match: z.array(patternText).min(1, 'needs at least one pattern line'),
  /** Why the pattern exists, for reviewers (never shown). */
  note: z.string().optional(),
});

export const CrisisExceptionSchema = z.strictObject({
  id,
  language: LanguageSchema,
  /** The kinds this exception hides its words from; all kinds when omitted. */
  kinds: z.array(z.enum(PATTERN_KINDS)).min(1).optional(),
  match: z.array(patternText).min(1, 'needs at least one pattern line'),
  note: z.string().optional(),
});

/** An emergency marker of the question guard: one of its lines anywhere in the message turns the guard off. */
export const CrisisMarkerSchema = z.strictObject({
  id,
  language: LanguageSchema,
  match: z.array(patternText).min(1, 'needs at least one pattern line'),
  note: z.string().optional(),
});

/**
 * The benign-question guard: a sentence that matches one of its `questions`
 * lines (an informational question about services or a topic: "do you screen
 * for suicide risk", "how do your nurses handle seizures") is hidden WHOLE from
 * the patterns of the kinds named, unless the message holds any `emergencies`
 * marker (now, tonight, is not breathing, took, I want to die…). The other
 * sentences are still checked, and the classifier still sees everything.
 */
export const QuestionGuardSchema = z.strictObject({
  questions: z.array(CrisisExceptionSchema).min(1, 'needs at least one question entry'),
  emergencies: z.array(CrisisMarkerSchema).min(1, 'needs at least one emergency marker: without them the guard could hide a real emergency'),
});

/** tel: or sms: with a US E.164 number or a 3-digit service number (988, 911). */
const uri = z
  .string()
  .regex(/^(tel|sms):(\+1\d{10}|\d{3})$/, 'must be tel: or sms: followed by +1 and 10 digits, or a 3-digit number (tel:988)');

export const CrisisLinkSchema = z.strictObject({
  label: z.string().min(2).max(30),
  uri,
});

export const CrisisMessageSchema = z
  .strictObject({
    text: z.string().min(20).max(900),
    links: z.array(CrisisLinkSchema).min(1).max(5),
    /** The public health sources of what the text says (the guide covers programs, not emergencies). */
    sources: z.array(z.url()).optional(),
  })
  .superRefine((msg, ctx) => {
    // SMS shows no buttons: every number behind a button must be written in the text.
    const digits = msg.text.replace(/\D/g, '');
    msg.links.forEach((link, i) => {
      const number = link.uri.replace(/^(tel|sms):(\+1)?/, '');
      if (!digits.includes(number)) {
        ctx.addIssue({
          code: 'custom',
          path: ['links', i, 'uri'],
          message: `the number ${number} must also be written in the text (SMS shows no buttons)`,
        });
      }
    });
  });

const bilingual = <T extends z.ZodType>(schema: T) => z.strictObject({ en: schema, es: schema });

const ChoiceSchema = z.strictObject({ label: z.string().min(1).max(40), value: z.string().min(1) });

export const CheckInSchema = z.strictObject({
  text: z.string().min(5).max(300),
  choices: z.array(ChoiceSchema).min(2).max(3),
});

export const SafeMessageSchema = z.strictObject({
  text: z.string().min(5).max(500),
  links: z.array(CrisisLinkSchema).max(3).default([]),
});

export const CrisisFileSchema = z
  .strictObject({
    /** Whole-word rewrites applied to the message before matching: "kms" -> "kill myself". */
    shorthand: z.record(z.string().regex(/^[a-z0-9]+( [a-z0-9]+)*$/, 'keys are lower-case words without accents'), z.string().min(1)),
    /** Named word lists, used in patterns as @name. */
    sets: z.record(setName, z.array(z.string().min(1)).min(1)).default({}),
    patterns: z.array(CrisisPatternSchema).min(1),
    exceptions: z.array(CrisisExceptionSchema).default([]),
    /** Informational questions whose sentences the patterns do not see (see QuestionGuardSchema). */
    questionGuard: QuestionGuardSchema.optional(),
    /**
     * The second signal (src/core/safety/classifier.ts): when no pattern matches, a
     * message whose crisis score reaches this threshold still gets a crisis reply.
     */
    classifier: z
      .strictObject({
        threshold: z.number().min(0.3, 'below 0.3 the classifier alarms on ordinary questions').max(0.99, 'at most 0.99'),
      })
      .default({ threshold: 0.7 }),
    responses: z.strictObject({
      suicide: bilingual(CrisisMessageSchema),
      overdose: bilingual(CrisisMessageSchema),
      'withdrawal-emergency': bilingual(CrisisMessageSchema),
      violence: bilingual(CrisisMessageSchema),
      withdrawal: bilingual(CrisisMessageSchema),
      /** The reply when only the classifier alarmed (no pattern matched); the kind's own reply when omitted. */
      gentle: bilingual(CrisisMessageSchema).optional(),
    }),
    checkIn: bilingual(CheckInSchema),
    /** The acknowledgement after the visitor says they are safe. */
    safe: bilingual(SafeMessageSchema),
    /** The one line under an answer when a message shows concern but no crisis (patterns of kind concern). */
    concern: bilingual(z.strictObject({ text: z.string().min(20).max(300), sources: z.array(z.url()).optional() })),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    const checkId = (path: Array<string | number>, entryId: string) => {
      const first = seen.get(entryId);
      const here = path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
      if (first) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate id (already used by ${first})` });
      else seen.set(entryId, here);
    };
    file.patterns.forEach((p, i) => checkId(['patterns', i], p.id));
    file.exceptions.forEach((e, i) => checkId(['exceptions', i], e.id));
    file.questionGuard?.questions.forEach((q, i) => checkId(['questionGuard', 'questions', i], q.id));
    file.questionGuard?.emergencies.forEach((m, i) => checkId(['questionGuard', 'emergencies', i], m.id));

    for (const kind of CRISIS_KINDS) {
      for (const lang of ['en', 'es'] as const) {
        if (!file.patterns.some((p) => p.kind === kind && p.language === lang)) {
          ctx.addIssue({ code: 'custom', path: ['patterns'], message: `no pattern for kind "${kind}" in language "${lang}"` });
        }
        // The numbers that make each response life-saving, in both languages.
        const text = file.responses[kind][lang].text;
        const required = [kind === 'suicide' ? '988' : '911', '(877) 920-6583', '1-800-662-4357'];
        for (const number of required) {
          if (!text.includes(number)) {
            ctx.addIssue({ code: 'custom', path: ['responses', kind, lang, 'text'], message: `must contain ${number}` });
          }
        }
      }
    }
    // The gentle reply stands in for every kind: it needs both 988 and 911.
    for (const lang of ['en', 'es'] as const) {
      const text = file.responses.gentle?.[lang].text;
      if (text === undefined) continue;
      for (const number of ['988', '911', '(877) 920-6583', '1-800-662-4357']) {
        if (!text.includes(number)) ctx.addIssue({ code: 'custom', path: ['responses', 'gentle', lang, 'text'], message: `must contain ${number}` });
      }
    }
  });

export type CrisisFile = z.infer<typeof CrisisFileSchema>;
export type CrisisPatternEntry = z.infer<typeof CrisisPatternSchema>;
export type CrisisExceptionEntry = z.infer<typeof CrisisExceptionSchema>;
export type QuestionGuard = z.infer<typeof QuestionGuardSchema>;
export type CrisisMessage = z.infer<typeof CrisisMessageSchema>;
export type CrisisLanguage = z.infer<typeof LanguageSchema>;

/**
 * knowledge/safety/crisis-examples.yaml: messages that must alarm, with their kind.
 * The tests hold the patterns to them and the classifier is trained on them.
 */
export const CrisisExamplesFileSchema = z.strictObject({
  messages: z
    .array(z.strictObject({ kind: CrisisKindSchema, text: z.string().trim().min(1, 'must not be empty'), language: LanguageSchema.optional() }))
    .min(1),
});

/** knowledge/safety/benign-examples.yaml: messages that must not alarm. */
export const BenignExamplesFileSchema = z.strictObject({
  messages: z.array(z.string().trim().min(1, 'must not be empty')).min(1),
});

export type CrisisExamplesFile = z.infer<typeof CrisisExamplesFileSchema>;
