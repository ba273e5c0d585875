import { z } from 'zod';

/**
 * Schemas of the files in knowledge/. They are the contract a clinician or
 * content editor works against: every field is named in the error when a file
 * is broken, so nobody has to read code to fix content.
 */

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, dashes)');

/** A section of the source guide, identified by the heading line it starts with. */
export const SectionSchema = z.strictObject({
  id,
  heading: z.string().min(3),
});
export const SectionsFileSchema = z.strictObject({
  source: z.string().min(1),
  sections: z.array(SectionSchema).min(1),
});

/**
 * answer: a fact drawn from the guide (must cite a section).
 * gap: a topic the guide does not cover; the answer says so and offers admissions.
 * action: the entry triggers a flow (screening, handoff) rather than only answering.
 * smalltalk: greetings, thanks, bot identity.
 */
export const EntryKindSchema = z.enum(['answer', 'gap', 'action', 'smalltalk']);

export const ActionSchema = z.enum(['start-screening', 'handoff', 'help', 'welcome']);

export const EntrySchema = z
  .strictObject({
    id,
    kind: EntryKindSchema.default('answer'),
    /** Short human title, used on "did you mean" buttons. */
    title: z.string().min(2).max(60),
    /** The FAQ's own question first when there is one, then alternates as visitors write. */
    questions: z.array(z.string().min(2)).min(3),
    answer: z.string().min(10).max(900),
    /** Section ids of knowledge/source/sections.yaml the answer is drawn from. */
    source: z.array(id).default([]),
    followUps: z.array(id).max(4).default([]),
    /** Extra words that mean this topic; they are added to the entry's vocabulary. */
    synonyms: z.array(z.string().min(1)).default([]),
    action: ActionSchema.optional(),
    /** After the answer, offer the self-screen ("Want me to ask a few questions?"). */
    offerScreening: z.boolean().default(false),
    /** Said after the answer on SMS only (texts stay on the phone, where others may read them). */
    smsNote: z.string().min(10).max(300).optional(),
    /** Filled from knowledge/phrasings-more.yaml: ways of asking the matcher learns, and the crisis classifier does not (see that file). */
    morePhrasings: z.array(z.string().min(2)).default([]),
  })
  .superRefine((entry, ctx) => {
    if (entry.kind === 'answer' && entry.source.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'an answer must cite at least one guide section' });
    }
    if (entry.kind === 'action' && !entry.action) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'an action entry must name its action' });
    }
  });

export const FaqFileSchema = z.strictObject({
  entries: z.array(EntrySchema).min(1),
});

/** knowledge/phrasings.yaml: more ways visitors ask, per entry id; training only. */
export const PhrasingsFileSchema = z.record(id, z.array(z.string().min(2)).min(1));

export const LexiconFileSchema = z.strictObject({
  /** Whole-word SMS shorthand and common misspellings: "u" -> "you". */
  shorthand: z.record(z.string().min(1), z.string().min(1)),
  /** Contractions, written without apostrophes as visitors often do: "dont" -> "do not". */
  contractions: z.record(z.string().min(1), z.string().min(1)),
  /**
   * Domain synonyms: each key is the canonical term, the values are phrases
   * that mean the same ("iop": ["intensive outpatient", ...]). Applied before stemming.
   */
  synonyms: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
  /** Words ignored when matching. */
  stopwords: z.array(z.string().min(1)),
  /**
   * Greetings and thanks that open a message ("hi", "good morning", "thanks"): dropped when
   * a question follows them, so "hey, is there parking" is matched as a parking question.
   */
  openers: z.array(z.string().min(1)).default([]),
  /** Thanks and goodbyes that close a message ("what time is the night group, thanks bye"): dropped after a question. */
  closers: z.array(z.string().min(1)).default([]),
  /**
   * Terms a later "it" or "that" can stand for: in "my doctor mentioned IOP. what is it?" the
   * question is read with "iop" in place of "it". Canonical synonym keys or plain words.
   */
  topics: z.array(z.string().min(1)).default([]),
  /**
   * A program named in a question decides whose answer it gets: word (after synonyms) -> the entry
   * describing that program; `aboutIop` are the entries that describe IOP alone.
   */
  namedPrograms: z.strictObject({ entries: z.record(z.string().min(1), id), aboutIop: z.array(id) }).default({ entries: {}, aboutIop: [] }),
});

const ChoiceSchema = z.strictObject({ label: z.string().min(1).max(40), value: z.string().min(1) });

export const MessageSchema = z.strictObject({
  text: z.string().min(1),
  choices: z.array(ChoiceSchema).default([]),
  /** Show the admissions line as a tap-to-call button where the channel allows it. */
  callButton: z.boolean().default(false),
});

export const MessagesFileSchema = z.strictObject({
  admissions: z.strictObject({
    display: z.string().min(7),
    e164: z.string().regex(/^\+1\d{10}$/, 'must be E.164, e.g. +18779206583'),
  }),
  messages: z.strictObject({
    welcome: MessageSchema,
    help: MessageSchema,
    fallback: MessageSchema,
    didYouMean: MessageSchema,
    /** A statement the guide has no answer for: heard, and the ways to help offered. */
    heard: MessageSchema,
    /** Before an answer the bot is fairly but not fully sure of; {{topic}} is the entry's title. */
    answerCheck: MessageSchema,
    noneOfThese: MessageSchema,
    talkToPerson: MessageSchema,
    startOver: MessageSchema,
    cancel: MessageSchema,
    /** The conversation's language switched on request ("en español", "English please"). */
    language: MessageSchema,
    empty: MessageSchema,
    attachmentOnly: MessageSchema,
    tooLong: MessageSchema,
    error: MessageSchema,
    screeningOffer: MessageSchema,
    forgotten: MessageSchema,
    smsStopped: MessageSchema,
    smsStarted: MessageSchema,
    smsHelp: MessageSchema,
    /** SMS: ends a reply cut to the 1,600-character limit, in place of what was cut. */
    smsShortened: MessageSchema,
    /** Live takeover: a staff member joined the chat from the console. */
    liveStarted: MessageSchema,
    /** Live takeover ended: the bot answers again. */
    liveEnded: MessageSchema,
    /** The visitor sends faster than the per-conversation rate limit allows (crisis messages are still answered). */
    rateLimited: MessageSchema,
    /** Only emoji or punctuation ("👍", "🙏🙏"): not a question the bot failed to understand. */
    emojiOnly: MessageSchema,
    /** "ok", "got it", "cool" after an answer: an acknowledgement, not a question. */
    acknowledged: MessageSchema,
    /** A number that is not one of the choices offered ({{count}} is how many there are); the choices are shown again. */
    pickNumber: MessageSchema,
    /** "start over" in the middle of the screening: it begins again from its first question. */
    startOverScreening: MessageSchema,
    /** "what did you suggest?" before any screening in this conversation. */
    noScreeningYet: MessageSchema,
    /** A feeling shared with no question ("I feel like such a failure"); feelingAck when a question follows. */
    feeling: MessageSchema,
    feelingAck: MessageSchema,
    /** "I didn't ask for a callback": the bot stops what it started. */
    deniedAction: MessageSchema,
    /** "That's not what I asked": an apology and another way; deniedSaidAck when the message asks again. */
    deniedSaid: MessageSchema,
    deniedSaidAck: MessageSchema,
    /** "I'm not suicidal", "it's about my son". */
    deniedRisk: MessageSchema,
    /** The same answer asked for right after it was given: never the same paragraph twice. */
    repeated: MessageSchema,
    /** An offer left open by a question, asked again after the answer. */
    offerPersonAgain: MessageSchema,
    offerScreeningAgain: MessageSchema,
    /** An offer declined with nothing else said. */
    offerDeclined: MessageSchema,
    thanks: MessageSchema,
    bye: MessageSchema,
    /** A question mid-step the guide can't answer; the step follows. */
    sideQuestion: MessageSchema,
    /** "How many more questions?" mid-screening ({{count}}). */
    screeningRemaining: MessageSchema,
    /** "Why do you need to know?" mid-screening. */
    screeningWhy: MessageSchema,
    /** "skip" mid-screening. */
    screeningSkip: MessageSchema,
    /** A screening answer corrected ("I said nah to withdrawal"). */
    answerCorrected: MessageSchema,
    /** A contact preference noted during a callback request ({{preferences}}). */
    preferencesNoted: MessageSchema,
    /** "cancel my callback": withdrawn ({{reference}}), or none waiting. */
    callbackCancelled: MessageSchema,
    noCallbackToCancel: MessageSchema,
    /** "why do you need my number?" mid-callback. */
    handoffWhy: MessageSchema,
    /** The name corrected mid-callback ({{name}}). */
    nameCorrected: MessageSchema,
    /** A condition added to a filed request ({{reference}}, {{what}}). */
    requestUpdated: MessageSchema,
    /** Telling about use or a relapse, with no question; the Ack versions when a question follows. */
    /** "not ready yet", "i need to think about it". */
    notReady: MessageSchema,
    /** Letters that make no words. */
    gibberish: MessageSchema,
    disclosure: MessageSchema,
    relapse: MessageSchema,
    disclosureAck: MessageSchema,
    relapseAck: MessageSchema,
    disclosureOther: MessageSchema,
    relapseOther: MessageSchema,
    relapseOtherAck: MessageSchema,
    consentForOther: MessageSchema,
    staffLanguages: MessageSchema,
    numberNotSeen: MessageSchema,
  }),
});

/**
 * Messages that are NOT about the center (weather, code, recipes, other
 * meanings of IOP/PHP/detox). They teach the matcher what to decline, so a
 * near miss like "what is php in web development" gets the honest fallback.
 */
export const OffTopicFileSchema = z.strictObject({
  examples: z.array(z.string().min(2)).min(10),
});

export type Section = z.infer<typeof SectionSchema>;
export type SectionsFile = z.infer<typeof SectionsFileSchema>;
export type Entry = z.infer<typeof EntrySchema>;
export type EntryKind = z.infer<typeof EntryKindSchema>;
export type FaqFile = z.infer<typeof FaqFileSchema>;
export type Lexicon = z.infer<typeof LexiconFileSchema>;
export type OffTopicFile = z.infer<typeof OffTopicFileSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type MessagesFile = z.infer<typeof MessagesFileSchema>;
export type MessageKey = keyof MessagesFile['messages'];
