import { actsOf, answered, has, type Understanding } from '../understanding/acts';
import type { Phrases } from '../understanding/phrases';
import { basicNormalize } from '../text/normalize';

/**
 * What the bot's last question or offer waits for, as typed state (kept in the
 * conversation between turns). A message consumes it only when one of its parts
 * answers it; otherwise the message is handled on its own merits and the
 * expectation stays open (asked again after the answer) or lapses. It is never
 * silently taken as yes or no. The dialogs' own steps (screening, callback) are
 * expectations too; they live on the dialog stack and are read from there.
 */
export type Expectation =
  /** "Shall I connect you?" / "Shall I ask a few questions?": lives one turn, or two when a question came first. */
  | { kind: 'offer'; offer: 'person' | 'screening'; reasked?: boolean }
  /** "Did you mean…": its buttons, or "none of these", for one turn. */
  | { kind: 'did-you-mean' }
  /**
   * A crisis episode after a crisis reply, read against "Are you safe right now?": asked at most once,
   * open until the visitor is clearly safe, asks something else after answering, or 30 minutes pass.
   */
  | {
      kind: 'check-in';
      crisis: string;
      language: 'en' | 'es';
      /** The question "Are you safe right now?" was asked (it never is again in this episode). */
      asked: boolean;
      gentle?: boolean;
      about?: 'self' | 'other';
      /** When the episode began (the crisis reply); missing in conversations stored before. */
      since?: number;
      /** Answers read as "not safe" so far: the guidance is said again once, then shorter. */
      unsafe?: number;
      /** The short word that help is there was said after an unclear answer (once an episode). */
      nudged?: boolean;
    };

export type OfferReading = 'accepted' | 'declined' | 'open' | 'lapsed';

/**
 * A message read against an open offer. A yes accepts only when nothing else in
 * the message asks or requests ("ok. what levels of care do you have?" is a
 * question with an ok, not a yes); a no declines; a question leaves it open once.
 */
export function readOffer(u: Understanding, e: Extract<Expectation, { kind: 'offer' }>): OfferReading {
  if (has(u, 'request') || has(u, 'deny')) return 'lapsed';
  if (answered(u, 'no')) return 'declined';
  const asks = has(u, 'question');
  // "ok thx. btw delete this whole chat": an ok beside something else said is not a yes.
  const more = u.parts.some((_, i) => u.acts.some((a) => 'part' in a && a.part === i && (a.act === 'statement' || a.act === 'disclose')) && !u.acts.some((a) => a.act === 'answer' && a.part === i));
  // "ok thx bye" closes the conversation; it does not accept anything.
  const closing = u.acts.some((a) => a.act === 'smalltalk' && (a.what === 'bye' || a.what === 'thanks'));
  if (answered(u, 'yes') && !asks && !more && !closing && !has(u, 'feeling')) return 'accepted';
  if (asks && !e.reasked) return 'open';
  return 'lapsed';
}

export type CheckInReading = 'safe' | 'unsafe' | 'other';

/**
 * A message read against "Are you safe right now?". "yes I'm safe", "im not
 * suicidal", "I'm safe, it's about my son" are safe; "no", "idk. prob not",
 * "i need help now" are not; anything else is other (the message is handled on
 * its own merits and the check-in asked once more).
 */
const BARE_NO = /^(?:no|n|nope|nah|never)$/;

export function readCheckIn(u: Understanding, phrases: Phrases): CheckInReading {
  const whole = u.parts.map((p) => p.normalized).join(' ');
  // "he's in the ER with psych, he's safe": the clause that says so, inside a longer sentence.
  const clauses = u.parts.flatMap((p) => p.text.split(/[,;:]/)).map(basicNormalize).filter(Boolean);
  if (clauses.length > u.parts.length && clauses.some((c) => phrases.safe.test(c)) && !clauses.some((c) => phrases.unsafe.test(c))) return 'safe';
  if (phrases.unsafe.test(whole)) return 'unsafe';
  // "Nope, never been in treatment": a bare "no" that opens an answer to something else is not "not safe".
  const unsafeParts = u.parts.filter((p) => phrases.unsafe.test(p.normalized));
  // "he opened the door, hes ok. i dont know. sorry": someone said to be ok in a longer answer; an "i dont know" beside it is no "not safe".
  if (u.parts.length > 1 && phrases.safeWithin.test(whole) && unsafeParts.every((p) => phrases.unsure.test(p.normalized))) return 'safe';
  if (unsafeParts.length && !unsafeParts.every((p) => BARE_NO.test(p.normalized) && u.parts.length > 1)) return 'unsafe';
  if (phrases.safe.test(whole) || u.parts.some((p) => phrases.safe.test(p.normalized))) return 'safe';
  if (actsOf(u, 'deny').some((d) => d.what === 'risk')) return 'safe';
  if (answered(u, 'unsure')) return 'unsafe';
  // "yes" alone to "are you safe?" is a yes; "ok fine. ill text 988" is not.
  if (u.parts.length !== 1) return 'other';
  const first = u.acts.find((a) => 'part' in a && a.part === 0);
  if (first?.act === 'answer' && first.value === 'yes') return 'safe';
  // "No previous treatment" answers a screening question, not "are you safe?": only a bare "no" is "not safe".
  if (first?.act === 'answer' && first.value === 'no' && BARE_NO.test(u.parts[0]!.normalized)) return 'unsafe';
  return 'other';
}

/** The conversation's stored flags before expectations (kept loadable). */
export interface LegacyFlags {
  didYouMeanOpen?: boolean;
  screeningOffered?: boolean;
  personOffered?: boolean;
  crisis?: { kind: string; at: number; language: 'en' | 'es'; checkInAsked: boolean };
}

/** The expectation a conversation stored under the old flags waits for; the flags are cleared. */
export function fromLegacy(data: LegacyFlags & { expectation?: Expectation }): void {
  if (data.expectation) return;
  if (data.crisis) data.expectation = { kind: 'check-in', crisis: data.crisis.kind, language: data.crisis.language, asked: data.crisis.checkInAsked };
  else if (data.screeningOffered) data.expectation = { kind: 'offer', offer: 'screening' };
  else if (data.personOffered) data.expectation = { kind: 'offer', offer: 'person' };
  else if (data.didYouMeanOpen) data.expectation = { kind: 'did-you-mean' };
  delete data.crisis;
  delete data.screeningOffered;
  delete data.personOffered;
  delete data.didYouMeanOpen;
}
