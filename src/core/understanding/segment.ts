import { basicNormalize } from '../text/normalize';

/** One sentence or clause of a message, as typed and in its plain form. */
export interface Part {
  text: string;
  normalized: string;
  /** Ended with a question mark, or opens like a question ("what", "do you", "can i"). */
  interrogative: boolean;
}

/** How a question opens. "when I stop I get the shakes" is not one (see STATEMENT). */
const QUESTION_OPENING =
  /^(?:(?:and|but|so|also|ok|okay|oh|well|um|hey|hi|wait|btw|plus|then)\s+)*(?:what|whats|wat|wats|wut|how|hows|when|where|wheres|who|whos|why|which|do|does|did|can|could|is|are|will|would|should|shall|may|might|have you|has|tell me|explain|r u|ru|r you|are u|i (?:just )?(?:want|wanna|need|would like|d like) to know|i was wondering|im wondering|wondering|any (?!(?:time|day|of|more|longer|way|one)\b)(?=\w))\b/;
/** Spanish question openings, accent-folded ("¿cuánto cuesta?", "y aceptan masshealth?", "hay parqueo?"). */
const SPANISH_OPENING =
  /^(?:(?:y|tambien|oiga|hola|ok|bueno|pues)\s+)*(?:que (?:es|son|pasa|tipo|clase|programa|programas|dias|horario|horarios|hora|necesito|necesita|hay|incluye|ofrecen|significa|seguro|seguros|hago|debo|puedo|tengo|tan)|cuanto|cuanta|cuantos|cuantas|cuando|donde|como|quien|quienes|cual|cuales|por que|aceptan|acepta|tienen|tiene|hay|pueden|puede|puedo|ofrecen|atienden|necesito saber|quisiera saber)\b/;

const STATEMENT = /^(?:when|whenever|if)\s+(?:i|he|she|they|we|my|his|her|their|it|its|im)\b/;

/** What can split a message: sentence ends, line breaks, commas, and "and"/"also"/"plus"/"or" before a question. */
const ONE_PART_BREAKS = /[.!?;\n…,¿]|\s(?:and|also|plus|or|y|tambi[eé]n)\s/i;

/**
 * "my roommates drink a lot, can iop still work for me": a question after a comma, opened by a question
 * word or by a verb and its subject ("does anyone", "is that", "can he"); not "my son, who is 17, ...".
 */
const QUESTION_AFTER_COMMA =
  /,\s*(?:and\s+|so\s+|but\s+)?(?:(?:what|whats|how|where|which|any|i (?:just )?(?:want|wanna|need) to know)\s|(?:do|does|did|can|could|is|are|will|would|should|was|were|has|have)\s+(?:you|u|ya|yall|y'all|anyone|anybody|someone|somebody|i|he|she|they|we|it|that|this|there|iop|php|the|a|an|my|your|ur|his|her|their|our)\b)/i;

/** Where a clause can start a new question inside one sentence: "..., and do you take MassHealth". */
const SECOND_QUESTION = /\s*(?:(?:,\s*|\s)(?:and|also|plus|or)\s+|,\s*(?:so\s+|but\s+)?)(?=(?:what|whats|how|when|where|who|why|which|any|do|does|did|can|could|is|are|will|would|should|i (?:just )?(?:want|wanna|need) to know)\s)|\s*(?:,\s*|\s)(?:y|tambi[eé]n)\s+(?=¿?(?:qu[eé]|cu[aá]nt[oa]s?|cu[aá]ndo|d[oó]nde|c[oó]mo|qui[eé]n(?:es)?|cu[aá]l(?:es)?|aceptan|tienen|hay|pueden?|puedo|ofrecen|dan|atienden)\s)/gi;

/**
 * Split a message into parts: sentences (., !, ?, ;, line breaks), then a sentence
 * that joins two questions with "and" ("do you have a waitlist and do you take
 * MassHealth") into its two questions. Very long messages keep at most `max` parts;
 * the rest joins the last one, so nothing is dropped.
 */
export function segment(text: string, max = 8): Part[] {
  // Most messages are one short sentence: no split to do.
  if (!ONE_PART_BREAKS.test(text) && inlineQuestionAt(text) < 0) {
    const normalized = basicNormalize(text);
    return normalized ? [{ text: text.trim(), normalized, interrogative: looksLikeQuestion(normalized) }] : [];
  }
  const sentences = text
    .replace(/\.\.\.+|…/g, '. ')
    .split(/(?<=[.!?;])\s+|\n+|(?<=\?)(?=\S)/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
  const pieces: string[] = [];
  for (const s of sentences) {
    // "my son needs help, what is iop": a statement, then the question.
    const asking = looksLikeQuestion(basicNormalize(s)) || /\?\s*$/.test(s) || QUESTION_AFTER_COMMA.test(s);
    if (!asking) {
      // "i have ptsd and drink too much can u help w both": texted without a "?", a question still starts mid-sentence.
      const at = inlineQuestionAt(s);
      if (at > 0) pieces.push(s.slice(0, at).trim(), s.slice(at).trim());
      else pieces.push(s);
      continue;
    }
    let last = 0;
    for (const m of s.matchAll(SECOND_QUESTION)) {
      const head = s.slice(last, m.index).trim();
      if (head && (looksLikeQuestion(basicNormalize(head)) || m[0].includes(','))) {
        pieces.push(head);
        last = m.index! + m[0].length;
      }
    }
    pieces.push(s.slice(last).trim());
  }
  if (pieces.length > max) pieces.splice(max - 1, pieces.length, pieces.slice(max - 1).join(' '));
  return pieces.map((p) => {
    const normalized = basicNormalize(p);
    return { text: p, normalized, interrogative: /\?\s*$/.test(p) || looksLikeQuestion(normalized) };
  });
}

/**
 * Where an unpunctuated question starts inside a sentence: a verb before its subject ("can u", "do they",
 * "is that"), after at least three words that are not leading into a clause of their own ("if i can",
 * "what he is", "so that it") and not a question already. -1 when there is none.
 */
const INLINE_QUESTION = /\s(?:(?:and|but|so)\s+)?(?=(?:(?:can|could|will|would|do|does|did|should)\s+(?:u|you|ya|yall|they|he|she|i|we|it|that|there|someone|anyone|anybody|somebody)|(?:is|are)\s+(?:that|there|it|this))\s+\S+)/gi;
const LEADS_INTO_CLAUSE =
  /(?:^|\s)(?:if|whether|that|what|when|how|who|where|why|which|than|as|because|cause|cuz|till|until|to|and|but|so|or|not|know|wonder|ask|asked|asking|see|will|would|can|could|should|might|must|may|gonna|wanna|gotta|cant|wont|dont|doesnt|didnt|cannot|never|always|just|also|even|still|really)$/i;

function inlineQuestionAt(sentence: string): number {
  for (const m of sentence.matchAll(INLINE_QUESTION)) {
    const head = sentence.slice(0, m.index).trim();
    // Four words at least ("is that dangerous": three), as "can u help" alone would read as the command for help.
    const question = sentence.slice(m.index! + m[0].length).trim();
    const enough = question.split(/\s+/).length >= (/^(?:is|are)\s/i.test(question) ? 3 : 4);
    if (head.split(/\s+/).length >= 3 && enough && !LEADS_INTO_CLAUSE.test(head) && !looksLikeQuestion(basicNormalize(head))) return m.index! + m[0].length;
  }
  return -1;
}

/** A question inside a statement: "not sure what i even need", "honestly i want to know if they will understand". */
const EMBEDDED_QUESTION =
  /\b(?:not sure|unsure|wondering|curious|(?:dont|do not|didnt|did not) (?:really |even )?know|idk|no idea|(?:want|wanna|need|would like|like) to know|trying to (?:figure out|understand|find out|work out))\s+(?:what|whats|which|if|whether|how|where|who|when|why)\b/;

export function looksLikeQuestion(normalized: string): boolean {
  return (QUESTION_OPENING.test(normalized) && !STATEMENT.test(normalized)) || EMBEDDED_QUESTION.test(normalized) || SPANISH_OPENING.test(normalized) || CONDITIONAL_QUESTION.test(normalized);
}

/** "if he slips up will he be thrown out", "when i stop do i need detox": a condition, then a question asked with the verb first. */
const CONDITIONAL_QUESTION = /^(?:if|when|once|after)\s+\S+(?:\s+\S+){0,8}?\s+(?:will|would|do|does|can|could|should|is|are)\s+(?:i|he|she|they|you|u|we|it|my|his|her|their)\s+\S+/;
