/**
 * Splitting a long SMS reply into parts a phone shows well. Pure: no I/O, no framework.
 *
 * Rules: parts of at most `maxPart` characters (320 = two GSM segments), cut at
 * sentence or line boundaries; a sentence longer than a part is cut between words
 * (a single word longer than a part, e.g. a long URL, is the only thing ever cut
 * mid-word). The whole reply stays within `maxTotal` characters (1,600, the common
 * carrier and Twilio limit): when it would not, whole sentences are dropped from the
 * end of the text and `shortenedNote` (e.g. "call admissions at …") takes their place,
 * while `ending` (e.g. the numbered choices) is always kept.
 */
export interface SegmentOptions {
  /** Longest part, in characters. */
  maxPart?: number;
  /** Longest reply, all parts together, in characters. */
  maxTotal?: number;
  /** Kept after the text, never dropped (numbered choices). */
  ending?: string;
  /** Said in place of what was cut when the reply is too long. */
  shortenedNote?: string;
}

export const SMS_PART_MAX = 320;
export const SMS_TOTAL_MAX = 1600;

/** A sentence or line, with the whitespace that followed it (kept when the next unit shares its part). */
interface Unit {
  text: string;
  sep: string;
}

export function smsSegments(text: string, options: SegmentOptions = {}): string[] {
  const maxPart = options.maxPart ?? SMS_PART_MAX;
  const maxTotal = options.maxTotal ?? SMS_TOTAL_MAX;
  if (maxPart < 1 || maxTotal < maxPart) throw new RangeError('smsSegments: need 1 <= maxPart <= maxTotal');

  const body = units(text, maxPart);
  const ending = block(options.ending ?? '', maxPart);
  // The ending's leading line breaks say how it joins what comes before ("\n\nReply with a number:").
  const beforeEnding = lineBreak(/^\s*/.exec(options.ending ?? '')?.[0] ?? '');
  const parted = pack(joined([body, ending], [beforeEnding]), maxPart);
  if (length(parted) <= maxTotal) return parted;

  // Too long: keep as many whole sentences as fit with the note (a paragraph of its own) and the ending.
  const note = block(options.shortenedNote ?? '', maxPart);
  for (let keep = body.length - 1; keep >= 0; keep--) {
    const candidate = pack(joined([body.slice(0, keep), note, ending], ['\n\n', beforeEnding]), maxPart);
    if (length(candidate) <= maxTotal) return candidate;
  }
  // Even the note and the ending alone are too long: keep the parts that fit, in order.
  const out: string[] = [];
  let total = 0;
  for (const part of pack(joined([note, ending], [beforeEnding]), maxPart)) {
    if (total + part.length > maxTotal) break;
    out.push(part);
    total += part.length;
  }
  return out;
}

/** Runs of units one after the other; seps[i] joins the end of the i-th non-empty run to the next. */
function joined(runs: Unit[][], seps: string[]): Unit[] {
  const out: Unit[] = [];
  runs.forEach((run, i) => {
    if (!run.length) return;
    const last = out[out.length - 1];
    if (last) last.sep = seps[i - 1] ?? '\n';
    out.push(...run.map((u) => ({ ...u })));
  });
  return out;
}

function length(parts: string[]): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

/** Greedy packing: each part takes as many whole units as fit. */
function pack(all: Unit[], maxPart: number): string[] {
  const parts: string[] = [];
  let current = '';
  let sep = '';
  for (const unit of all) {
    if (!current) current = unit.text;
    else if (current.length + sep.length + unit.text.length <= maxPart) current += sep + unit.text;
    else {
      parts.push(current);
      current = unit.text;
    }
    sep = unit.sep;
  }
  if (current) parts.push(current);
  return parts;
}

/** The note and the ending stay in one part when they fit in one. */
function block(text: string, maxPart: number): Unit[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  return trimmed.length <= maxPart ? [{ text: trimmed, sep: '\n' }] : units(trimmed, maxPart);
}

/** Lines, then sentences within a line; a sentence longer than a part becomes word runs that fit. */
function units(text: string, maxPart: number): Unit[] {
  const out: Unit[] = [];
  const pieces = text.trim().split(/(\s*\n\s*)/);
  for (let i = 0; i < pieces.length; i += 2) {
    const line = pieces[i]!.trim();
    // A blank line between paragraphs stays a blank line inside a part.
    const lineSep = lineBreak(pieces[i + 1] ?? '');
    if (!line) continue;
    const sentences = line.split(SENTENCE_END);
    for (let j = 0; j < sentences.length; j++) {
      const sentence = sentences[j]!;
      const sep = j === sentences.length - 1 ? lineSep : ' ';
      if (sentence.length <= maxPart) out.push({ text: sentence, sep });
      else out.push(...words(sentence, maxPart, sep));
    }
  }
  return out;
}

/** One line break, or a blank line when the whitespace held more than one. */
function lineBreak(whitespace: string): string {
  return (whitespace.match(/\n/g) ?? []).length > 1 ? '\n\n' : '\n';
}

/**
 * A sentence ends at . ! or ? (with any closing quote or bracket) followed by
 * whitespace and a character that is not a lower-case letter, so "e.g. a visit"
 * and "9 a.m. to noon" stay whole, nor after a list number ("2. Levels of care").
 */
const SENTENCE_END = /(?<=[.!?…][)"'”’\]]*)(?<!^\d{1,3}[.)])\s+(?=[^\sa-z])/u;

/** A too-long sentence in runs of whole words (a word longer than a part is cut: there is no other way). */
function words(sentence: string, maxPart: number, lastSep: string): Unit[] {
  const runs: string[] = [];
  let current = '';
  for (const word of sentence.split(/\s+/)) {
    if (!word) continue;
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxPart) current += ` ${word}`;
    else {
      runs.push(current);
      current = word;
    }
    while (current.length > maxPart) {
      runs.push(current.slice(0, maxPart));
      current = current.slice(maxPart);
    }
  }
  if (current) runs.push(current);
  return runs.map((text, i) => ({ text, sep: i === runs.length - 1 ? lastSep : ' ' }));
}
