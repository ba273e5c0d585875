import { englishWords, functionWords, nameLikeWords, nounOnlyWords, properNouns } from '../nlu/english';
import { digitsOf, NUMBER_WORDS } from './numberWords';

/**
 * Personal data taken out of free text before it is stored for the knowledge-base
 * maintainers (the unanswered-question log). Each kind is replaced by a label
 * ("[phone]", "[email]"…) so the question stays readable; anything that is not
 * personal data is left exactly as typed. When in doubt it removes: a lost word
 * costs the maintainers little, a kept phone number costs the visitor a lot.
 */
export function scrubPersonalData(text: string): string {
  let t = text;
  t = t.replace(EMAIL, '[email]').replace(SPELLED_EMAIL, '[email]');
  t = t.replace(BIRTH_DATE, (_m, context: string) => `${context}[date of birth]`);
  for (const date of DATES) t = t.replace(date, '[date]');
  t = t.replace(SSN_AFTER_CONTEXT, (_m, context: string) => `${context}[ssn]`).replace(SSN, '[ssn]');
  t = t.replace(PO_BOX, '[address]').replace(STREET_ADDRESS, streetAddress);
  t = scrubDigitRuns(t);
  t = t.replace(LONG_NUMBER, '[number]');
  return scrubNames(t);
}

// --- emails ----------------------------------------------------------------

const TLD = '(?:com|net|org|edu|gov|mil|us|io|co|me|info|biz|ca|uk|de|fr|es|it|nl|ie|in|au|mx|br|ru|ai|app|dev|email|online|live|icloud)';
const EMAIL = /[\p{L}\p{N}._%+-]+\s*@\s*[\p{L}\p{N}-]+(?:(?:\.|\s+dot\s+)[\p{L}\p{N}-]+)*/giu;
// "john at gmail dot com", "j.smith (at) example (dot) org", "mary at aol.com": the last part must be a real top-level domain.
const S_AT = String.raw`(?:\s*[([{<]\s*at\s*[)\]}>]\s*|\s+at\s+)`;
const S_DOT = String.raw`(?:\.|\s*[([{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)`;
const S_LABEL = String.raw`[\p{L}\p{N}_%+-]+`;
const SPELLED_EMAIL = new RegExp(String.raw`(?<![\p{L}\p{N}])${S_LABEL}(?:${S_DOT}${S_LABEL})*${S_AT}[\p{L}\p{N}-]+(?:${S_DOT}[\p{L}\p{N}-]+)*${S_DOT}${TLD}(?![\p{L}\p{N}])`, 'giu');

// --- dates ------------------------------------------------------------------

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const DAY_NUMBER = String.raw`(?:0?[1-9]|[12]\d|3[01])`;
const NUMERIC_DATE = String.raw`${DAY_NUMBER}\s*(?<sep>[/.-])\s*${DAY_NUMBER}\s*\k<sep>\s*(?:${YEAR}|'?\d{2})`;
const DATES = [
  new RegExp(String.raw`\b${NUMERIC_DATE}(?!\d)`, 'g'),
  new RegExp(String.raw`\b${YEAR}\s*(?<sep>[/.-])\s*(?:0?[1-9]|1[0-2])\s*\k<sep>\s*${DAY_NUMBER}(?!\d)`, 'g'),
  new RegExp(String.raw`\b${MONTH}\s+${DAY},?\s+${YEAR}\b`, 'gi'),
  new RegExp(String.raw`\b(?:the\s+)?${DAY}\s+(?:of\s+)?${MONTH},?\s+${YEAR}\b`, 'gi'),
];
// With "born", "birthday" or "DOB" before it, even a date without a year (or a year alone) is a date of birth.
const BIRTH_CONTEXT = String.raw`\b(?:born(?:\s+(?:on|in))?|birth\s*day(?:\s+is)?|birth\s*date(?:\s+is)?|date\s+of\s+birth(?:\s+is)?|d\.?o\.?b\.?)\s*[:-]?\s*`;
const BIRTH_DATE = new RegExp(
  String.raw`(${BIRTH_CONTEXT})(?:${NUMERIC_DATE}|${DAY_NUMBER}\s*[/-]\s*${DAY_NUMBER}|${MONTH}\s+${DAY}(?:,?\s+${YEAR})?|(?:the\s+)?${DAY}\s+(?:of\s+)?${MONTH}(?:,?\s+${YEAR})?|${MONTH}\s+${YEAR}|${YEAR}\s*[/.-]\s*${DAY_NUMBER}\s*[/.-]\s*${DAY_NUMBER}|${YEAR})(?!\d)`,
  'gi',
);

// --- identity numbers and addresses ----------------------------------------

const SSN = /(?<!\d)\d{3}\s*[-./_ ]\s*\d{2}\s*[-./_ ]\s*\d{4}(?!\d)/g;
const SSN_AFTER_CONTEXT = /(\b(?:ssn|ss#|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)(?:\s*(?:is|:|#))?\s*)\d(?:[\s.-]*\d){8}(?!\d)/gi;
const PO_BOX = /\bp\.?\s*o\.?\s*box\s*#?\s*\d+\b/gi;
const CLEAR_SUFFIX = 'street|st|avenue|ave|av|road|rd|boulevard|blvd|highway|hwy|parkway|pkwy|terrace|ter|lane|ln|drive|dr';
// Also ordinary words ("the 12 step way", "a 3 lane road"): a street only after a capitalised name.
const VAGUE_SUFFIX = 'way|place|pl|court|ct|circle|cir|square|sq|plaza|row|path|trail|pike|turnpike|wharf|park';
const STREET_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\d{1,6}[a-z]?\s+((?:[\p{L}][\p{L}'.-]*\s+){1,4}?)(${CLEAR_SUFFIX}|${VAGUE_SUFFIX})\b(?:(?<=\b(?:st|ave?|rd|blvd|dr|ln|hwy|pkwy|ter|ct|pl|sq|cir))\.)?(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*[\p{L}\p{N}-]+)?`,
  'giu',
);
/** Units and distances, not streets: "2 blocks from Main Street" keeps its number. */
const NOT_A_STREET_NAME = new Set(['blocks', 'block', 'minutes', 'mins', 'miles', 'mile', 'hours', 'days', 'weeks', 'years', 'step', 'steps', 'times', 'people']);

function streetAddress(match: string, words: string, suffix: string): string {
  const names = words.trim().split(/\s+/);
  const fn = functionWords();
  if (names.some((w) => fn.has(w.toLowerCase()) || NOT_A_STREET_NAME.has(w.toLowerCase()))) return match;
  const vague = new RegExp(`^(?:${VAGUE_SUFFIX})$`, 'i').test(suffix);
  if (vague && !/^\p{Lu}/u.test(names[names.length - 1] ?? '')) return match;
  return '[address]';
}

// --- phone numbers and other digit runs --------------------------------------

const LONG_NUMBER = /\d{5,}/g;
/** Digits, words, and everything else, in order. */
const TOKEN = /(\d+)|([\p{L}]+)|([^\p{L}\d]+)/gu;
const SEPARATOR = /^[\s.,()/_+#*-]+$/;
const SEPARATOR_WORDS = new Set(['dash', 'hyphen']);
const WEAK_ZERO = new Set(['o', 'oh']);

/**
 * Phone numbers however they are written: any separators ("617 - 555 - 0199",
 * "617/555/0199"), spelled out ("six one seven five five five oh one nine nine")
 * or mixed. A run of digits and number words joined only by separators, holding
 * seven digits or more, is a phone number (nine grouped 3-2-4: a social security number).
 */
function scrubDigitRuns(text: string): string {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], at: m.index, digit: Boolean(m[1]), word: m[2]?.toLowerCase() }));
  const out: string[] = [];
  let i = 0;
  let copied = 0;
  while (i < tokens.length) {
    const start = tokens[i]!;
    if (!isNumberToken(start) || WEAK_ZERO.has(start.word ?? '')) {
      i++;
      continue;
    }
    // Extend the run over separators and number tokens; remember the last number token.
    let last = i;
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (isNumberToken(t)) last = j;
      else if (!isSeparator(t)) break;
    }
    const run = tokens.slice(i, last + 1);
    const digits = digitsOf(run.filter(isNumberToken).map((t) => (t.digit ? t.text : t.word!)));
    if (digits.length >= 7 && !isAmount(run)) {
      // It may begin with "oh" ("oh one two…"), though no run starts on one ("oh, 3 days?").
      let first = i;
      while (first >= 2 && WEAK_ZERO.has(tokens[first - 2]!.word ?? '') && isSeparator(tokens[first - 1]!)) first -= 2;
      // An opening parenthesis or a plus sign right before belongs to the number: "(617)", "+1".
      const before = tokens[first - 1];
      const lead = before && !before.word && !before.digit ? (/[(+]\s*$/.exec(before.text)?.[0].length ?? 0) : 0;
      const from = tokens[first]!.at - lead;
      const end = tokens[last]!.at + tokens[last]!.text.length;
      const grouped = run.filter((t) => t.digit).map((t) => t.text.length).join('-');
      out.push(text.slice(copied, from), digits.length === 9 && grouped === '3-2-4' ? '[ssn]' : '[phone]');
      copied = end;
    }
    i = last + 1;
  }
  out.push(text.slice(copied));
  return out.join('');
}

function isSeparator(t: { text: string; digit: boolean; word?: string }): boolean {
  return t.word ? SEPARATOR_WORDS.has(t.word) : !t.digit && SEPARATOR.test(t.text);
}

function isNumberToken(t: { digit: boolean; word?: string }): boolean {
  return t.digit || (t.word !== undefined && NUMBER_WORDS.has(t.word));
}

/** "1,250,000": an amount with thousands separators, not a phone number. */
function isAmount(run: Array<{ text: string; digit: boolean }>): boolean {
  const groups = run.filter((t) => t.digit).map((t) => t.text);
  const separators = run.filter((t) => !t.digit).map((t) => t.text);
  return separators.length > 0 && separators.every((s) => s === ',') && groups.slice(1).every((g) => g.length === 3) && groups[0]!.length <= 3;
}

// --- names ------------------------------------------------------------------

/** After these, the next word is a name whatever it looks like ("my name is jo"). */
const NAME_IS = /\b(?:my\s+names?|names?\s+is|name\s*['’]\s*s|name\s*:|mi\s+nombre\s+es|me\s+llamo)\s*['"]?\s*$/i;
/** After these, the next word is a name only if it looks like one ("I'm Linda", not "I'm tired"). */
const MAYBE_NAME =
  /\b(?:i\s*['’]?\s*m|i\s+am|this\s+is|it\s*['’]?\s*s|call\s+me|named|called|(?:my|our)\s+(?:son|daughter|husband|wife|boyfriend|girlfriend|partner|fianc[ée]e?|brother|sister|mom|mother|dad|father|friend|cousin|uncle|aunt|nephew|niece|grandson|granddaughter|kid|child|roommate)(?:\s*['’]\s*s)?)\s*$/i;
/** Chat shorthand and our own program words are not names, though no dictionary has them ("im tryna", "this is iop"). */
const NOT_NAMES = new Set(
  'ok okay k kk tryna gonna wanna gotta lemme gimme kinda sorta ya yea yeah yep yup nope nah lol idk tbh rn bc cuz u ur ty thx pls plz sry im ive dont cant wont didnt doesnt isnt wasnt aint thats whats hes shes theyre youre iop php op mat moud detox rehab suboxone narcan vivitrol sublocade masshealth medicaid medicare tricare bcbs gbac aa na smart'.split(' '),
);
/** An unfamiliar lower-case word is taken for a name only where a name ends: "hi im oksana, …", "this is oksana calling". */
const NAME_END = /^\s*(?:$|[.,!;:)-]|(?:and|here|from|calling|texting|writing|again|speaking)\b)/i;
const WORD = /^[\p{L}][\p{L}'’-]*/u;
/** "my name was…", "my name is not…": a verb or a negation, not the name. */
const NOT_A_NAME_AFTER_NAME = new Set(['is', 'was', 'are', 'were', 'be', 'been', 'has', 'have', 'had', 'does', 'did', 'will', 'would', 'should', 'can', 'could', 'not', 'isnt', 'wasnt']);

function scrubNames(text: string): string {
  const allCaps = !/\p{Ll}/u.test(text);
  let out = '';
  let from = 0;
  // At each word start, look at the few words before it for a phrase that introduces a name.
  for (const m of text.matchAll(/\s+/g)) {
    const at = m.index + m[0].length;
    if (at < from) continue;
    const before = text.slice(Math.max(from, at - 40), at);
    const always = NAME_IS.test(before);
    const taken = always || MAYBE_NAME.test(before) ? nameAt(text.slice(at), always, allCaps) : 0;
    if (taken > 0) {
      out += `${text.slice(from, at)}[name]`;
      from = at + taken;
    }
  }
  return out + text.slice(from);
}

/** How many characters of `text` (from its start) are a name: a first name and up to two more that look like names. */
function nameAt(text: string, always: boolean, allCaps: boolean): number {
  const first = WORD.exec(text)?.[0];
  const plain = first?.toLowerCase().replace(/['’]/g, '') ?? '';
  if (!first || first.length < 2 || functionWords().has(plain) || NOT_NAMES.has(plain) || NOT_A_NAME_AFTER_NAME.has(plain)) return 0;
  if (!always && !looksLikeName(first, text.slice(first.length), allCaps)) return 0;
  let end = first.length;
  for (let k = 0; k < 2; k++) {
    const gap = /^\s+/.exec(text.slice(end))?.[0] ?? '';
    const next = WORD.exec(text.slice(end + gap.length))?.[0];
    if (!next || allCaps || !/^\p{Lu}/u.test(next) || !looksLikeName(next, '', false)) break;
    end += gap.length + next.length;
  }
  return end;
}

/**
 * Whether a word after "I'm", "this is"… reads as a name: capitalised, a proper noun, no word at
 * all or a noun used as a name ("Destiny"); in lower case, a name-like word ("linda") or an
 * unfamiliar word where a name ends (`after` is the text that follows it).
 */
export function looksLikeName(word: string, after: string, allCaps: boolean): boolean {
  const w = word.toLowerCase().replace(/['’].*$/, '');
  if (functionWords().has(w) || NOT_NAMES.has(w)) return false;
  // Capitalised after "I'm" or "this is": a proper noun, no word at all, or a plain noun used as a name ("Destiny", "Hunter").
  if (!allCaps && /^\p{Lu}/u.test(word)) return properNouns().has(w) || !englishWords().has(w) || nounOnlyWords().has(w);
  if (nameLikeWords().has(w)) return true;
  return !englishWords().has(w) && !/\d/.test(w) && NAME_END.test(after);
}
