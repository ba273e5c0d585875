import { isNegative } from '../affirm';
import { englishWords, functionWords, nameLikeWords, properNouns } from '../nlu/english';
import { looksLikeName } from '../privacy/scrub';
import { basicNormalize } from '../text/normalize';
import { contactPreferencesFile, matchContactPreferences, type ContactPreference, type ContactPreferencesFile } from './contactPreferences';

export {
  CONTACT_PREFERENCES,
  describePreferences,
  readContactPreferences,
  type ContactPreference,
  type ContactPreferencesFile,
} from './contactPreferences';

/** Digits said as words ("six one seven…", "oh" for zero), as people type a number they read aloud. */
const DIGIT_WORDS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
/** An extension at the end: "ext 12", "ext. 12", "x12", "extension 12", or a bare "ext" with no digits yet. */
const EXTENSION = /[\s,;]*(?:ext|extension|x)\.?\s*#?\s*(\d{1,6})?\s*$/i;

/**
 * A US phone number as typed ("617-555-0123", "(617) 555 0123", "+1 617.555.0123",
 * "6175550123", "six one seven five five five oh one two three") in E.164 (+16175550123),
 * or null. An extension is kept the way a tel: URI writes it ("…0123 ext 12" →
 * +16175550123;ext=12). NANP rules: area code and exchange start with 2-9; 555-01xx
 * and N11 codes are allowed (callers test with them).
 */
export function parseUsPhone(text: string): string | null {
  let trimmed = text.trim().replace(/\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b/gi, (w) => DIGIT_WORDS[w.toLowerCase()]!);
  let extension = '';
  const ext = EXTENSION.exec(trimmed);
  if (ext && /\d/.test(trimmed.slice(0, ext.index))) {
    extension = ext[1] ?? '';
    trimmed = trimmed.slice(0, ext.index);
  }
  // Letters other than a few filler words mean this is not (only) a number.
  if (/[a-z]/i.test(trimmed.replace(/\b(?:my|number|numbers|is|s|phone|cell|mobile|its|it's|call|me|at|text|on|you|can|reach|please|pls|thanks|thank|thx)\b/gi, ''))) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10) return null;
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  return `+1${digits}${extension ? `;ext=${extension}` : ''}`;
}

/** +16175550123 → (617) 555-0123 (and +16175550123;ext=12 → (617) 555-0123 ext. 12), the way people read it. */
export function formatUsPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})(?:;ext=(\d+))?$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}${m[4] ? ` ext. ${m[4]}` : ''}` : e164;
}

const NAME_PREFIX =
  /^(?:(?:hi|hey|hello|hola|buenas)[,!]?\s+)?(?:my name is|my names|my name's|name is|name's|i am|i'm|im|it's|its|this is|call me|me llamo|mi nombre es|soy|yo soy|habla|le habla)\s+/i;
/** Titles before a name ("señora Rosa", "don Luis"): skipped when a name follows ("Don" alone stays a name). */
const TITLES = new Set(['senora', 'senor', 'sra', 'sr', 'srta', 'senorita', 'dona', 'don', 'mrs', 'mr', 'ms', 'miss']);
const NOT_A_NAME = new Set([
  'yes', 'no', 'ok', 'okay', 'sure', 'skip', 'none', 'nothing', 'idk', 'why', 'what', 'help', 'cancel', 'stop', 'anonymous', 'no thanks', 'nope',
]);

/**
 * The first name in a reply to "what first name should admissions ask for?",
 * or null when the reply is not a name (a question, a sentence, digits).
 * "my name is sam" → "Sam"; "Maria Lopez" → "Maria Lopez"; "what is iop?" → null.
 */
export function extractFirstName(text: string): string | null {
  let t = text.trim().replace(/[.!]+$/, '').replace(NAME_PREFIX, '').trim();
  if (!t || t.length > 40 || /[?\d@#/\\:;<>{}[\]=+*_|~^$%]/.test(t)) return null;
  if (NOT_A_NAME.has(basicNormalize(t))) return null;
  // "call me tmrw", "Sam thanks": words that are never a name are not part of it ("tmrw" alone is no name at all).
  const words = t.split(/\s+/);
  while (words.length && NEVER_A_NAME.has(plainWord(words[0]!.replace(/[.,!]+$/, '')))) words.shift();
  while (words.length && NEVER_A_NAME.has(plainWord(words[words.length - 1]!.replace(/[.,!]+$/, '')))) words.pop();
  while (words.length > 1 && TITLES.has(plainWord(words[0]!.replace(/[.,!]+$/, '')))) words.shift();
  if (!words.length || words.length > 3) return null;
  // "Rosa, gracias": the comma went with the courtesy.
  words[words.length - 1] = words[words.length - 1]!.replace(/[,;]+$/, '');
  if (!words.every((w) => /^[\p{L}][\p{L}'’.-]*$/u.test(w))) return null;
  t = words.map((w) => (w === w.toLowerCase() || w === w.toUpperCase() ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w)).join(' ');
  return t;
}

/** A US number inside a longer message: "my name is Sam and my number is 617-555-0123". */
const PHONE_IN_TEXT = /(?:\+?1[\s.-]*)?\(?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}(?:[\s,]*(?:ext|extension|x)\.?\s*#?\s*\d{1,6})?/i;
/** What joins a name to the number that follows it: ", and my cell number is", "- call me at". */
const LEAD_WORDS = ['and', 'my', 'the', 'a', 'phone', 'cell', 'mobile', 'best', 'home', 'work', 'number', 'num', 'no', 'is', 's', 'at', 'on', 'call', 'text', 'reach', 'me'];
/**
 * Whole words only, each after a separator: "Linda " keeps its "a" (the "a" of "a number" is
 * a word of its own). "&", "#" and the apostrophe separate too: "Dana's # is 617…" → "Dana".
 */
const SEP = String.raw`[\s,;:'’.#&-]`;
const NUMBER_LEAD = new RegExp(String.raw`(?:^|${SEP}+)(?:(?:${LEAD_WORDS.join('|')})(?:${SEP}+|$))*$`, 'i');
/** Courtesy words around a name given with a number: "617 555 0123 Sam thanks", "ok, Linda, 617…". */
const COURTESY = /^(?:(?:hi|hey|hello|ok|okay|yes|yeah|sure|thanks|thank you|thx|ty|please|pls|plz)\b[\s,;:.!-]*)+|(?:[\s,;:.!-]+(?:thanks|thank you|thx|ty|please|pls|plz))+[\s.!]*$/gi;

/** The text a name given with a number stands in: before the number, or else the clause right after it. */
function besideNumber(text: string, number: { index: number; length: number }): string {
  const before = text.slice(0, number.index).replace(NUMBER_LEAD, '').replace(COURTESY, '').trim();
  if (before) return before;
  const after = text.slice(number.index + number.length).replace(/^[\s,;:.-]*(?:(?:and|&)\s+)?/i, '');
  return (after.split(/[,;.!?()]|\s[-–—]+\s/)[0] ?? '').replace(COURTESY, '').trim();
}

/**
 * A first name and a number given together when only the name was asked for
 * ("Sam, 617-555-0123", "my name is Sam and my number is 617 555 0123"), or null.
 */
export function extractNameAndPhone(text: string): { name: string; phone: string } | null {
  const match = PHONE_IN_TEXT.exec(text);
  if (!match) return null;
  const phone = parseUsPhone(match[0]);
  if (!phone) return null;
  const name = extractFirstName(besideNumber(text, { index: match.index, length: match[0].length }));
  return name ? { name, phone } : null;
}

/** The first US number typed in a message, as typed ("617-555-0148"), or null. */
export function phoneInText(text: string): string | null {
  return PHONE_IN_TEXT.exec(text)?.[0] ?? null;
}

/**
 * The name nearest a number in a longer message: "call me back please. Denise Ruiz,
 * 617-555-0148" → Denise Ruiz. First as extractNameAndPhone reads it, then the one or
 * two capitalised words just before the number.
 */
export function nameBesideNumber(text: string): string | undefined {
  // "please call me back at 617-…": "back" is a word, not a name.
  const plausible = (name: string | undefined) => (name && !name.split(/\s+/).some(neverAName) ? name : undefined);
  const whole = plausible(extractNameAndPhone(text)?.name);
  if (whole) return whole;
  const m = PHONE_IN_TEXT.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index).replace(NUMBER_LEAD, '').split(/[\s,;:.!?]+/).filter(Boolean);
  for (const n of [2, 1]) {
    const words = before.slice(-n);
    if (words.length === n && words.every((w) => /^[A-Z]/.test(w))) {
      const name = plausible(extractNameAndPhone(`${words.join(' ')} ${m[0]}`)?.name);
      if (name) return name;
    }
  }
  return undefined;
}

// --- everything a visitor volunteers in one message -------------------------------

/** What one message volunteers for a callback (not the dialog's CallbackDetails, which is what it files). */
export interface VolunteeredContact {
  name?: string;
  /** E.164, as parseUsPhone gives it. */
  phone?: string;
  /** As typed: "after 6", "evenings are best", "tuesday afternoon". */
  bestTime?: string;
  preferences: ContactPreference[];
}

/**
 * Words that are never a name, however they are written ("Free 617…", "its ok"), though some are
 * proper nouns somewhere: answers, question words, family, times, how to contact, how one feels.
 */
const NEVER_A_NAME = new Set(
  (
    'yes yeah yep yup ya yea no nope nah ok okay k sure fine good great cool alright right hi hello hey thanks thank thx ty please pls plz ' +
    'help idk skip stop cancel none nothing anonymous nobody someone anyone what whats who whos why how when where which whom ' +
    'son daughter mom mother dad father husband wife kid kids child brother sister friend partner boyfriend girlfriend family parent parents ' +
    'morning mornings afternoon afternoons evening evenings night nights tonight today tomorrow anytime weekday weekdays weekend weekends ' +
    'monday tuesday wednesday thursday friday saturday sunday noon lunch ' +
    'text texts texting call calls calling phone cell mobile number voicemail message spanish english email ' +
    'free available busy home here back looking wondering interested worried scared ready new sorry not just also still only asking trying ' +
    'sober clean drunk high fine tired done ok ' +
    'tmrw tmr tmrow tomorow tonite asap later again soon lol wtf omg start over restart reset questions screening huh ' +
    // "actually hold on", "q no!!", "pregunten x Beto": fillers and SMS shorthand around (or instead of) a name.
    'actually hold on wait hang sec x q k nel ' +
    // Spanish: the words around a name at the name step ("ya te dije Jorge", "dígale que pregunte por Carmen", "Rosa, gracias").
    'si ya te le les dije dicho soy me llamo mi nombre es que pregunte pregunten pregunta preguntar por digale digales dile diganle ' +
    'gracias favor porfa hola buenas claro bueno pues solo nada ninguno nadie alguien hijo hija mama papa esposo esposa ' +
    'manana tarde noche llamada llamar llamen llameme mensaje numero telefono celular el la los las de del en con para'
  ).split(' '),
);

/** A run of digits or digits said as words that may be a number: "six one seven, five five five…". */
const SPOKEN_RUN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:${Object.keys(DIGIT_WORDS).join('|')}|\d+)(?:[\s,.()+-]+(?=[\p{L}\p{N}])|(?![\p{L}\p{N}]))){3,}`,
  'giu',
);

/** The first US number in a message, and where it stands. */
function findPhone(text: string): { phone: string; index: number; length: number } | null {
  const typed = PHONE_IN_TEXT.exec(text);
  const phone = typed && parseUsPhone(typed[0]);
  if (typed && phone) return { phone, index: typed.index, length: typed[0].length };
  for (const run of text.matchAll(SPOKEN_RUN)) {
    const spoken = parseUsPhone(run[0].replace(/[\s,.(+-]+$/, ''));
    if (spoken) return { phone: spoken, index: run.index, length: run[0].length };
  }
  return null;
}

/** After these, what follows is a name whatever it looks like ("my name is jo"). */
const NAME_IS = /(?<![\p{L}])(?:my\s+name\s+is|my\s+names|my\s+name\s*['’]\s*s|name\s*(?:is|:)|me\s+llamo|mi\s+nombre\s+es)\s+/giu;
/** After these, only a word that looks like a name ("I'm Linda", not "I'm free after 6", "this is for my son"). */
const MAYBE_NAME = /(?<![\p{L}])(?:i\s*['’]?\s*m|i\s+am|it\s*['’]?\s*s|this\s+is|call\s+me|ask\s+for|soy|pregunte(?:n)?\s+por|preguntar\s+por|pregunta\s+por)\s+/giu;
const NAME_WORD = /^[\p{L}][\p{L}'’-]*/u;

function titleCase(word: string): string {
  return word === word.toLowerCase() || word === word.toUpperCase() ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase() : word;
}

function plainWord(word: string): string {
  // Accents folded: "dígale" is "digale", "señora" is "senora".
  return word.toLowerCase().replace(/['’]/g, '').normalize('NFD').replace(/\p{M}/gu, '');
}

/** Never a name: the words above, function words ("for", "at"), a possessive ("Tom's mom"). */
function neverAName(word: string): boolean {
  const w = plainWord(word);
  return word.length < 2 || NEVER_A_NAME.has(w) || functionWords().has(w) || /['’]s$/i.test(word);
}

/** A name given with a word that introduces it ("this is Tom", "my name is jo"), with a second name if it looks like one. */
function introducedName(text: string, allCaps: boolean): string | undefined {
  for (const [pattern, always] of [[NAME_IS, true], [MAYBE_NAME, false]] as const) {
    for (const m of text.matchAll(pattern)) {
      const from = m.index + m[0].length;
      const first = NAME_WORD.exec(text.slice(from))?.[0];
      if (!first || neverAName(first)) continue;
      const after = text.slice(from + first.length);
      if (!always && !looksLikeName(first, after, allCaps)) continue;
      const next = /^\s+([\p{L}][\p{L}'’-]*)/u.exec(after)?.[1];
      const second = next && !allCaps && /^\p{Lu}/u.test(next) && !neverAName(next) && looksLikeName(next, '', false) ? next : undefined;
      return [first, second].filter(Boolean).map((w) => titleCase(w!)).join(' ');
    }
  }
  return undefined;
}

/**
 * A name standing alone beside the number ("Linda 617…", "617… Sam"). A capital at the start of a
 * message proves little, so a word that is an ordinary English word must be known as a name.
 */
function bareName(text: string, number: { index: number; length: number }, allCaps: boolean): string | undefined {
  const words = besideNumber(text, number).split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 2) return undefined;
  const isName = (word: string) => {
    if (!/^[\p{L}][\p{L}'’-]*$/u.test(word) || neverAName(word)) return false;
    const w = plainWord(word);
    const capital = !allCaps && /^\p{Lu}/u.test(word);
    return nameLikeWords().has(w) || !englishWords().has(w) || (capital && properNouns().has(w));
  };
  return words.every(isName) ? words.map(titleCase).join(' ') : undefined;
}

// Best times: a clock time with its preposition, a part of the day, a day, "any time"; several joined ("tuesday afternoon", "weekdays after 5").
const HOUR = String.raw`(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?|o['’]?clock|ish)?|noon|midday|midnight)`;
const CLOCK =
  String.raw`(?:(?:after|before|around|about|by|until|till|til|from|past|at|no\s+later\s+than|no\s+earlier\s+than)\s+(?:${HOUR}|work|school|lunch|dinner)|` +
  String.raw`between\s+${HOUR}\s*(?:and|&|-|to)\s*${HOUR}|\d{1,2}(?:[:.]\d{2})?\s*(?:-|to)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?))`;
const PART = String.raw`(?:(?:early|late|this|tomorrow)\s+)?(?:morning|afternoon|evening|night|weekday|weekend|lunch\s*time)s?|tonight|today|tomorrow`;
const DAY = String.raw`(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|tues|weds|thurs`;
const ANY = String.raw`any\s*time(?:\s+of\s+(?:the\s+)?day)?|any\s+day|whenever|all\s+day`;
const UNIT = String.raw`(?:(?:not|no)\s+)?(?:${CLOCK}|${PART}|${DAY}|${ANY})(?![\p{L}\p{N}])`;
const QUALIFIER = String.raw`(?:\s+(?:is|are|would\s+be|works?|work)?\s*(?:best|better|good|fine|ok|okay|great|preferred|ideal)|\s+works?)?(?![\p{L}\p{N}])`;
const BEST_TIME = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<!(?:every|each|last|past|yesterday|per)\s+)${UNIT}(?:(?:\s*,\s*|\s+(?:or|and|&|/)\s+|\s+)${UNIT})*${QUALIFIER}`,
  'giu',
);
/** Words that say the message is about being reached, so a time in it is when to call. */
const CONTACT_CONTEXT = /\b(?:call|calls|text|texts|reach|contact|ring|callback|available|free|best|good time|works for me|prefer|catch me|get me|get hold of me|home)\b/i;
/** What may stand around a time in a message that is only a time ("usually evenings are best, thanks"). */
const TIME_FILLER = /^(?:please|pls|plz|thanks|thank|you|thx|ok|okay|usually|probably|maybe|i|guess|is|are|best|good|fine|works|any|the|preferably|im|i'm|either|or|and|but|like|around|ish)$/i;

function readBestTime(text: string, context: boolean): string | undefined {
  const found = [...text.matchAll(BEST_TIME)].map((m) => m[0].trim()).filter(Boolean);
  if (found.length === 0) return undefined;
  const left = found.reduce((t, f) => t.replace(f, ' '), text).split(/[^\p{L}'’]+/u).filter(Boolean);
  if (!context && !CONTACT_CONTEXT.test(text) && !left.every((w) => TIME_FILLER.test(w))) return undefined;
  const joined = found.join(', ');
  return joined.length <= 60 ? joined : found[0]!.slice(0, 60).trim();
}

/**
 * What a visitor volunteers about being called back, in one message and at any moment:
 * "this is Tom 617-555-0123, call after 6, no voicemail" → { name: 'Tom', phone: '+16175550123',
 * bestTime: 'after 6', preferences: ['no-voicemail'] }. A name only when it is clearly one (after
 * "my name is", "this is", "I'm", "its", or standing alone beside the number; never "yes", "help",
 * "my son"), a best time only when the message is about being reached. Nothing found: only
 * `preferences`, empty.
 */
export function readCallbackDetails(text: string, file: ContactPreferencesFile = contactPreferencesFile()): VolunteeredContact {
  const { preferences } = matchContactPreferences(text, file);
  const found = findPhone(text);
  // The number out (a comma in its place: a name before it ends there, and "617" is no hour).
  const rest = found ? `${text.slice(0, found.index)}, ${text.slice(found.index + found.length)}` : text;
  const allCaps = !/\p{Ll}/u.test(text);
  const name = introducedName(rest, allCaps) ?? (found ? bareName(text, found, allCaps) : undefined);
  const bestTime = readBestTime(rest, Boolean(found || name || preferences.length > 0));
  return {
    ...(name ? { name } : {}),
    ...(found ? { phone: found.phone } : {}),
    ...(bestTime ? { bestTime } : {}),
    preferences,
  };
}

// --- a consent answer with a condition ------------------------------------------

export interface ConsentAnswer {
  answer: 'yes' | 'no' | null;
  preferences: ContactPreference[];
}

/** Saying yes, anywhere in what is left once the preferences are read ("calls ok", "yes but", "sure"). */
const YES_WORDS = /\b(?:y|yes|yess|yeah|yea|yep|yup|ya|yah|si|sure|ok|okay|k|kk|alright|fine|good|great|go ahead|of course|absolutely|definitely|please do|sounds good|that works|works for me|i guess|why not|claro|vale)\b/;
/** Saying no to being contacted at all: "don't contact me", "no thanks", "leave me alone", "not ok". */
const NO_WORDS =
  /\b(?:no|nope|nah|never|dont|not ok|not okay|not fine|not now|not really|no thanks|no thank you|rather not|no way|leave me alone|never mind|nevermind|not interested|stop)\b/;
/** A yes first, then a condition ("yes but…", "sí, pero…", "ok as long as…"). */
const YES_WITH_CONDITION = /^(?:y|yes|yess|yeah|yea|yep|yup|ya|si|sure|ok|okay|claro|of course|please|por favor|dale|esta bien)\b[\s,.!]*(?:but|pero|as long as|mientras|just|only|solo|nomas)\b/;
/** Preferences that name a way to be contacted, so they say yes to it ("text only", "no voicemail" is a call). */
const OPENS_A_CHANNEL: ReadonlySet<ContactPreference> = new Set(['text-only', 'no-texts', 'no-calls', 'no-voicemail']);

/**
 * The answer to "Is it OK for admissions to call or text you at …?", with the conditions that come
 * with it: "yes, but please don't text" → yes + no-texts; "calls ok, no texts" → yes + no-texts;
 * "text only pls" → yes + text-only; "no" / "don't contact me" / "no thanks" → no. A no to one way
 * of contacting ("no texts") is not a no to being contacted; a no to both ("don't call or text")
 * is. "no, don't text" says no and names one way: unclear (null), so the question is asked again.
 */
export function readConsentAnswer(text: string, file: ContactPreferencesFile = contactPreferencesFile()): ConsentAnswer {
  const { preferences, rest } = matchContactPreferences(text, file);
  // "no problem", "no worries" say yes.
  const words = rest
    .map((clause) => clause.join(' '))
    .join(' , ')
    .replace(/\bno (?:problem|prob|worries)\b/g, 'ok');
  const restrictsChannel = preferences.some((p) => OPENS_A_CHANNEL.has(p));
  const bothClosed = preferences.includes('no-calls') && preferences.includes('no-texts');
  let answer: ConsentAnswer['answer'];
  if (bothClosed) answer = 'no';
  // "yes, but please don't tell my brother", "sí, pero que no le digan nada": a yes with a condition, not a no.
  else if (YES_WITH_CONDITION.test(words)) answer = 'yes';
  else if (isNegative(words) || NO_WORDS.test(words)) {
    // "no, text only" is a yes to texts; "no, don't text" could be either.
    answer = preferences.includes('text-only') ? 'yes' : restrictsChannel ? null : 'no';
  } else if (YES_WORDS.test(words) || restrictsChannel) answer = 'yes';
  else answer = null;
  return { answer, preferences };
}
