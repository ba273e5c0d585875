/**
 * Text clean-up shared by crisis detection and intent matching. It only does
 * what is safe for both: case, accents, apostrophes, punctuation, repeated
 * letters and spacing. Vocabulary work (shorthand, synonyms, spelling) belongs
 * to the recognizer.
 */

const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
// Plain ASCII without a backtick (which counts as an apostrophe) needs no decomposition.
// eslint-disable-next-line no-control-regex -- a range test, not a pattern for control characters
const ASCII = /^[\x00-\x5f\x61-\x7f]*$/;

/** Lower-case, strip accents ("sobredósis" -> "sobredosis"), unify apostrophes. */
export function foldCase(text: string): string {
  // Most messages are plain ASCII: skip Unicode decomposition for them (it runs several times a turn).
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(APOSTROPHES, "'").toLowerCase();
}

/**
 * The basic normal form: folded case, apostrophes removed inside words
 * ("don't" -> "dont"), any other non-letter/digit turned into a space,
 * letters repeated 3+ times squeezed to two ("sooooo" -> "soo"), single spaces.
 */
export function basicNormalize(text: string): string {
  return foldCase(text)
    .replace(INNER_APOSTROPHE, '$1$2')
    .replace(NON_WORD, ' ')
    .replace(REPEATED, '$1$1')
    .trim();
}

const INNER_APOSTROPHE = /(\p{L})'(\p{L})/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const REPEATED = /(\p{L})\1{2,}/gu;

/** Split basic-normalized text into word tokens. */
export function words(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}
