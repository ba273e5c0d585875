import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import type { ReplyComposer } from '../core/conversation/composer';
import type { Expectation } from '../core/conversation/expectation';
import type { Understanding } from '../core/understanding/acts';
import type { Choice } from '../core/reply';
import type { ContactPreference } from '../core/handoff/contactPreferences';
import type { ScreeningAnswers, ScreeningResult } from '../core/screening/screening';

/** What the bot remembers about a conversation between turns (durable, in conversation state). */
export interface ConversationData {
  welcomed?: boolean;
  /** This conversation is counted in the daily reports (its first message was). */
  counted?: boolean;
  /** The choices last offered, so "2" (typed on SMS) means the second one. */
  lastChoices?: Choice[];
  /** What the bot's last question or offer waits for (see src/core/conversation/expectation.ts). */
  expectation?: Expectation;
  /** Fallbacks in a row; two in a row offer a person (handoff trigger). */
  fallbacks?: number;
  /** Set by any crisis signal and kept (the check-in does not clear it): a handoff from this conversation goes first. */
  flagged?: { kind: string; at: number };
  /** When the withdrawal guidance was given: said once, not on every message about the shakes. */
  withdrawalWarned?: number;
  /** When the concern line was said under an answer: once in a while, not under every answer. */
  concernNoted?: number;
  /** The screening is on hold after a crisis message, until the visitor asks to continue. */
  screeningPaused?: boolean;
  /** When the screening last moved, for expiry. */
  screeningAt?: number;
  /**
   * What the visitor told before the screening that answers its questions ("my son drinks
   * every day"): question id → choice id, no words. Taken as answers when they consent.
   */
  volunteered?: ScreeningAnswers;
  /** The visitor answers for someone else ("it's for my dad"): the screening's questions say "they". */
  answeringForOther?: boolean;
  /** The last completed screening, for the admissions handoff. */
  lastScreening?: ScreeningResult;
  /** How the visitor asked to be contacted ("no texts", "no voicemail"), for the callback request. */
  contactPreferences?: ContactPreference[];
  /**
   * The visitor's last few messages (src/core/handoff/excerpt.ts), never the bot's: offered to
   * admissions with a callback, and shared only if the visitor says yes. Not kept while they
   * answer the callback's or the screening's steps (a name, a number, "2").
   */
  recent?: string[];
  /** The callback request filed in this conversation: later conditions are added to it. */
  filedRequest?: { id: string; reference: string };
  /** The last FAQ entry answered, at any turn: a short follow-up ("and for PHP?") is read with it. */
  lastTopic?: string;
  /** The language the bot answers this conversation in, set by its first message (src/turn/stages/language.ts); English when unset. */
  language?: 'en' | 'es';
  /** The FAQ entry answered last turn: asked again at once, it is not pasted twice. */
  lastAnswer?: string;
  // Before expectations (kept so stored conversations load; read once by fromLegacy).
  didYouMeanOpen?: boolean;
  screeningOffered?: boolean;
  personOffered?: boolean;
  crisis?: { kind: string; at: number; language: 'en' | 'es'; checkInAsked: boolean };
}

/** One visitor message on its way through the stages (src/turn/pipeline.ts). */
export interface Turn {
  readonly context: TurnContext;
  readonly data: ConversationData;
  /** The message as typed, trimmed, and cut to what a turn reads (see readLimit): no stage works on more. */
  readonly text: string;
  /** The whole message's length, trimmed (over the limit it is answered "one question at a time"). */
  readonly length: number;
  /** What the visitor said: the text, or the value of the choice they picked by number. */
  said: string;
  /** The message read into parts and acts (set by the understanding stage). */
  u: Understanding;
  /** The reply of this turn, built part by part and sent by the compose stage (or before a dialog speaks). */
  readonly reply: ReplyComposer;
  /** The turn's DialogContext, built on first use (it is costly, and most turns have no dialog). */
  dialogs(): Promise<DialogContext>;
  /** The dialog being answered: the top of the stack (a handoff can sit on a screening). */
  top?: 'screening' | 'handoff' | string;
  /** The dialog stack's depth. */
  depth: number;
  /** The FAQ entry the previous turn answered, if it answered one. */
  previousAnswer?: string;
  /** The message picks one of the choices just shown (a number, a label, a button's value): it says nothing of the visitor's language. */
  picked?: boolean;
  /** A number was typed that is none of the choices shown. */
  outOfRange?: boolean;
  /** An offer the message accepted: its command runs. */
  accepted?: 'talk-to-person' | 'start-screening';
  /** An offer the message declined ("no thanks"). */
  declined?: boolean;
  /** "Did you mean" was shown last turn: "none of these" answers it. */
  noneOfTheseOpen?: boolean;
  /** A question about crisis help was answered from follow-ups.yaml: the FAQ does not answer it again ("where do i get it" is about naloxone, not our location). */
  safetyAnswered?: boolean;
  /** An expectation this turn left open, asked again at the end of the reply. */
  reask?: Expectation;
  /** Log fields that name the conversation without its id. */
  readonly where: { conversation?: string; channel?: string };
}

/**
 * The safety net reads this much of a message, more than the longest one answered: a long story
 * that ends in a crisis ("...and last night he said he wants to kill himself") is still caught.
 */
export const SAFETY_READ_CHARS = 10_000;

/**
 * How much of a message a turn reads: the safety net's window, or the longest message answered.
 * Nothing past it is looked at: a 100,000-character post costs one slice, not a pass of every stage.
 */
export const readLimit = (maxMessageChars: number): number => Math.max(maxMessageChars, SAFETY_READ_CHARS);

/** The screening is on the stack top and not paused by a crisis message. */
export const screeningRunning = (t: Turn): boolean => t.top === 'screening' && !t.data.screeningPaused;

/** A stage handles what it can and says whether the turn is over. */
export type Stage = (turn: Turn) => Promise<'done' | void>;
