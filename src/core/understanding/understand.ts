import type { AnswerValue, DialogueAct, Understanding } from './acts';
import type { Phrases } from './phrases';
import { segment } from './segment';
import { basicNormalize } from '../text/normalize';

/**
 * Whether a message asks who answers the chat ("am i talking to a human or not", "bot or human?", "r u a real person"),
 * which is no request for a person.
 */
export function asksWhoAnswers(normalized: string): boolean {
  return WHO_ANSWERS.test(normalized);
}
const WHO_ANSWERS = /\b(?:bot|robot|chatbot|automated|ai|computer|machine)\b|^(?:am i|are you|are u|r u|r you|ru|is this|is it)\b(?:\s+\S+){0,4}\s+(?:human|person|real)\b/;

/** Words that speak to the bot ("you keep giving me…"): a protest so worded needs no earlier reply to make sense. */
export const ABOUT_THE_BOT = /\b(?:you|u|ur|your|youre)\b/;

/**
 * Read one message into parts and dialogue acts (see acts.ts). Only the words
 * are read here; what they mean in the conversation (is "ok" a yes to the offer?)
 * is the expectation's to decide, and risk is the safety net's.
 */
export function understand(text: string, phrases: Phrases): Understanding {
  const parts = segment(text);
  const acts: DialogueAct[] = [];
  parts.forEach((p, part) => {
    const n = p.normalized;
    // "r u a real person?", "bot or human?" ask who the bot is; they are not a request for a person.
    const command = phrases.command(n);
    if (command && !(command === 'talk-to-person' && ((p.interrogative && /^(?:are|r|is|am)\b/.test(n)) || asksWhoAnswers(n)))) {
      acts.push({ act: 'request', command, part });
      return;
    }
    const denial = denialText(p.text);
    for (const what of ['risk', 'action', 'said'] as const) if (phrases.denials[what].test(denial)) acts.push({ act: 'deny', what, part });
    if (phrases.feeling(n)) acts.push({ act: 'feeling', part });
    // A statement about use; a question that mentions it ("do you treat alcohol?") is a question.
    const relapse = phrases.disclosures.relapse.test(n);
    if (!p.interrogative && (relapse || phrases.disclosures.use.test(n))) acts.push({ act: 'disclose', relapse, part });
    const answer = answerWord(n, phrases);
    if (answer) acts.push({ act: 'answer', value: answer.value, part });
    for (const what of ['ack', 'thanks', 'bye', 'notReady', 'greeting'] as const) {
      if (phrases[what].test(n)) {
        acts.push({ act: 'smalltalk', what, part });
        break;
      }
    }
    // "my therapist said i should do iop and i just said ok" tells a story that holds "i just said": its content still counts.
    const narrated = !ABOUT_THE_BOT.test(n) && wordCount(n) > 6 && acts.every((a) => !('part' in a) || a.part !== part || (a.act === 'deny' && a.what === 'said'));
    const said = !narrated && acts.some((a) => 'part' in a && a.part === part);
    // "why do you keep giving me the suicide line??" complains about the bot's replies: heard as that, not looked up
    // ("whats an iop, my therapist said it and i just said ok" speaks of no reply of the bot's: still a question).
    const complaint = ABOUT_THE_BOT.test(n) && acts.some((a) => a.act === 'deny' && a.what === 'said' && a.part === part);
    if (p.interrogative && !complaint && !(answer?.whole && answer.value === 'why')) acts.push({ act: 'question', part });
    // "yes my son drinks every day": the yes, and the rest as something said.
    else if (!said || (answer && !answer.whole && !acts.some((a) => a.act === 'smalltalk' && a.part === part))) acts.push({ act: 'statement', part });
  });
  return { text, normalized: parts.length === 1 ? parts[0]!.normalized : basicNormalize(text), parts, acts };
}

/**
 * The plain form a denial is read on: a "no" cut off by punctuation is an answer of its own, so
 * "no, me quiero morir" is not the denial "no me quiero morir" (nor "no, it's an emergency" one).
 */
export function denialText(text: string): string {
  return basicNormalize(text.replace(/(?<![\p{L}\p{N}])no\s*[,;:.!?¡¿\-–—]+/giu, 'nope '));
}

/** The answer word a part opens with, and whether it is the whole part. */
function answerWord(n: string, phrases: Phrases): { value: AnswerValue; whole: boolean } | undefined {
  // "no idea", "not sure" are unsure, not no; "why do you need that" is why, not a question to look up.
  for (const value of ['unsure', 'why', 'back'] as const) if (phrases[value].test(n)) return { value, whole: true };
  if (phrases.refuse.test(n)) return { value: 'refuse', whole: true };
  for (const value of ['no', 'yes'] as const) {
    const m = phrases[value].match(n);
    if (m) return { value, whole: m.length >= n.length - 1 || wordCount(n) - wordCount(m) <= 1 };
  }
  return undefined;
}

function wordCount(n: string): number {
  return n ? n.split(' ').length : 0;
}
