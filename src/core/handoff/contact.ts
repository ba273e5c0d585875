import { basicNormalize } from '../text/normalize';

/**
 * A US phone number as typed ("617-555-0123", "(617) 555 0123", "+1 617.555.0123",
 * "6175550123") in E.164 (+16175550123), or null. NANP rules: area code and
 * exchange start with 2-9; 555-01xx and N11 codes are allowed (callers test with them).
 */
export function parseUsPhone(text: string): string | null {
  const trimmed = text.trim();
  // Letters other than an extension marker mean this is not (only) a number.
  if (/[a-z]/i.test(trimmed.replace(/\b(?:my|number|is|phone|cell|its|it's|call|me|at|text)\b/gi, ''))) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10) return null;
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  return `+1${digits}`;
}

/** +16175550123 → (617) 555-0123, the way people read it. */
export function formatUsPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
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
