import { basicNormalize } from '../text/normalize';

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

const NAME_PREFIX = /^(?:(?:hi|hey|hello)[,!]?\s+)?(?:my name is|my names|my name's|name is|name's|i am|i'm|im|it's|its|this is|call me|me llamo|soy)\s+/i;
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
  const words = t.split(/\s+/);
  if (words.length > 3) return null;
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
function besideNumber(text: string, match: RegExpExecArray): string {
  const before = text.slice(0, match.index).replace(NUMBER_LEAD, '').replace(COURTESY, '').trim();
  if (before) return before;
  const after = text.slice(match.index + match[0].length).replace(/^[\s,;:.-]*(?:(?:and|&)\s+)?/i, '');
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
  const name = extractFirstName(besideNumber(text, match));
  return name ? { name, phone } : null;
}
