import type { CrisisSignal } from '../safety/crisis';
import type { Command } from './phrases';
import type { Part } from './segment';

/**
 * What a visitor does with one part of a message. A part can do several things
 * at once ("ok" is an acknowledgement and a yes; "I'm safe, it's about my son"
 * answers the check-in and corrects the bot). The stages of a turn read these,
 * never the raw text: the safety net, the expectation, the commands, the
 * dialogs and the answerer.
 */
export type DialogueAct =
  /** An answer word to whatever was asked: yes, no, "idk", "I'd rather not say", "why?", "go back". */
  | { act: 'answer'; value: AnswerValue; part: number }
  /** A question, to be answered from the guide. */
  | { act: 'question'; part: number }
  /** A request for something the bot does: a person, start over, forget me... */
  | { act: 'request'; command: Command; part: number }
  /** "I'm not suicidal" (risk), "I didn't ask for a callback" (action), "that's not what I asked" (said). */
  | { act: 'deny'; what: 'risk' | 'action' | 'said'; part: number }
  /** "I feel like such a failure", "we're at our wits' end". */
  | { act: 'feeling'; part: number }
  /** "i drink like 6 beers every nite", "my son relapsed": telling about use, heard before anything else. */
  | { act: 'disclose'; relapse: boolean; part: number }
  /** Words of risk, from the safety net (see src/core/safety). */
  | { act: 'risk'; signal: CrisisSignal }
  | { act: 'smalltalk'; what: 'ack' | 'thanks' | 'bye' | 'notReady' | 'greeting'; part: number }
  /** Anything else: a story, a name, a slot value. */
  | { act: 'statement'; part: number };

export type AnswerValue = 'yes' | 'no' | 'unsure' | 'refuse' | 'why' | 'back';

/** One message, read: its parts and what each does. */
export interface Understanding {
  text: string;
  /** The whole message in its plain form (src/core/text/normalize.ts), read once. */
  normalized: string;
  parts: Part[];
  acts: DialogueAct[];
}

type ActOf<K extends DialogueAct['act']> = Extract<DialogueAct, { act: K }>;

/** The acts of one kind, in message order. */
export function actsOf<K extends DialogueAct['act']>(u: Understanding, act: K): Array<ActOf<K>> {
  return u.acts.filter((a): a is ActOf<K> => a.act === act);
}

export function has(u: Understanding, act: DialogueAct['act']): boolean {
  return u.acts.some((a) => a.act === act);
}

/** The acts of one part. */
export function actsAt(u: Understanding, part: number): DialogueAct[] {
  return u.acts.filter((a) => 'part' in a && a.part === part);
}

/** Did the message answer with this value (yes, no...)? */
export function answered(u: Understanding, value: AnswerValue): boolean {
  return u.acts.some((a) => a.act === 'answer' && a.value === value);
}

/**
 * The parts that are neither an answer word, small talk, a command nor a denial:
 * what is left to answer as a question or to read as a slot value.
 */
export function substantiveParts(u: Understanding): Part[] {
  return u.parts.filter((_, i) => {
    const acts = actsAt(u, i);
    return acts.some((a) => a.act === 'question' || a.act === 'statement' || a.act === 'feeling' || a.act === 'disclose');
  });
}
