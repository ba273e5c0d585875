import { foldCase } from '../text/normalize';
import { cheapest, union, type Anchors } from './anchorIndex';

/**
 * The small pattern language knowledge/crisis.yaml is written in, compiled to
 * RegExp sources for the detector (crisis.ts), one line (one side of "A & B")
 * at a time; compiledCrisisFile.ts compiles a whole file:
 *
 *   word        the exact word                      overdose
 *   stem*       any word starting with stem         overdos*   (overdose, overdosed, overdosing)
 *   (a|b c|d*)  one of the alternatives             (kill|end|hurt) myself
 *   x?          optional word, stem, group or set   i? (wanna|want) die
 *   ...         0 to 3 words in between             not ... breathing
 *   ...N        0 to N words in between (N <= 8)    took ...2 whole bottle
 *   @name       one of the phrases of set "name"    my @relative
 *   #           a number; #4+ a number >= 4         took #4+ pills
 *   !x          the next word is NOT x              hes blue !(cross|shield)
 *   ^  $        start / end of a sentence           ^ beats me
 *   A & B       A and B each match somewhere in     (quit|stopped) drinking & passed out
 *               the message, in any order, in any sentence (patterns only, not exceptions)
 *
 * Patterns are matched on the message after the same normal form the rest of
 * the bot uses (basicNormalize: lower case, no accents, "don't" -> "dont",
 * punctuation -> spaces), with sentence ends kept as boundaries that gaps never
 * cross, then the file's crisis-specific shorthand ("kms" -> "kill myself",
 * "going to" -> "gonna"). Patterns are written in that same canonical form; the
 * loader rejects a pattern word that the shorthand would have rewritten.
 */

/** Sentence boundary kept in the normalized text: a letter no visitor types, so basicNormalize keeps it. */
export const BOUNDARY = '\u01c0';
const END_OF_SENTENCE = `(?= (?:${BOUNDARY}|$))`;
export const WORD = /^[a-z0-9]+$/;
const MAX_GAP = 8;

export class PatternError extends Error {}

export interface CompileContext {
  sets: Record<string, string[]>;
  setCache: Map<string, Piece>;
  shorthand: Map<string, string>;
  /** The shorthand keys of two words or more, as " key " for substring search. */
  multiWord: Array<[string, string]>;
  /** Set names being expanded, to catch @a -> @b -> @a. */
  expanding: string[];
}

/** Fold a pattern the way messages are folded: lower case, no accents, no apostrophes. */
export function foldPattern(text: string): string {
  return foldCase(text).replace(/'/g, '').replace(/\s+/g, ' ').trim();
}

/** Split a pattern line into its elements; a group "(a b|c)" is one element. */
function splitElements(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    if (src[i] === ' ') {
      i++;
      continue;
    }
    const start = i;
    const groupStart = src[i] === '(' ? i : src[i] === '!' && src[i + 1] === '(' ? i + 1 : -1;
    if (groupStart >= 0) {
      const close = src.indexOf(')', groupStart);
      if (close < 0) throw new PatternError('unbalanced "(": a group is missing its ")"');
      const nested = src.indexOf('(', groupStart + 1);
      if (nested >= 0 && nested < close) throw new PatternError('groups cannot be nested');
      i = close + 1;
      if (src[i] === '?') i++;
      if (i < src.length && src[i] !== ' ') throw new PatternError(`put a space after ")" in "${src.slice(start, i + 1)}"`);
    } else {
      while (i < src.length && src[i] !== ' ') {
        if (src[i] === ')') throw new PatternError('unbalanced ")"');
        if (src[i] === '(') throw new PatternError(`put a space before "(" in "${src.slice(start, i + 1)}"`);
        i++;
      }
    }
    out.push(src.slice(start, i));
  }
  return out;
}

function checkWord(word: string, ctx: CompileContext): void {
  if (!WORD.test(word)) {
    throw new PatternError(`"${word}" is not a word: use letters and digits only (syntax: word, stem*, (a|b), x?, ..., ...N, @set, #, !x, ^, $)`);
  }
  const rewritten = ctx.shorthand.get(word);
  if (rewritten !== undefined) {
    throw new PatternError(`"${word}" never reaches the patterns: the shorthand rewrites it to "${rewritten}"; write "${rewritten}"`);
  }
}

/** Check a run of plain words for a multi-word shorthand key ("going to" -> "gonna"). */
function checkRun(run: string[], ctx: CompileContext): void {
  if (run.length < 2 || ctx.multiWord.length === 0) return;
  const joined = ` ${run.join(' ')} `;
  for (const [key, value] of ctx.multiWord) {
    if (joined.includes(key)) {
      throw new PatternError(`"${key.trim()}" never reaches the patterns: the shorthand rewrites it to "${value}"; write "${value}"`);
    }
  }
}

export interface Piece {
  src: string;
  anchors: Anchors | null;
}

/**
 * Compile a sequence of atoms (word, stem*, @set, #, #N+) separated by spaces,
 * as used inside a group alternative or a set item. Each atom's source starts
 * with the space that precedes its word in the padded text.
 */
function compileSequence(seq: string, ctx: CompileContext): Piece {
  const atoms = seq.split(' ').filter(Boolean);
  if (atoms.length === 0) throw new PatternError('empty alternative: use x? to make something optional');
  // "(anymore|$)": the end of the sentence as an alternative.
  if (atoms.length === 1 && atoms[0] === '$') return { src: END_OF_SENTENCE, anchors: null };
  const run: string[] = [];
  let src = '';
  const anchors: Array<Anchors | null> = [];
  for (const atom of atoms) {
    if (WORD.test(atom)) run.push(atom);
    else {
      checkRun(run, ctx);
      run.length = 0;
    }
    const piece = compileAtom(atom, ctx);
    src += piece.src;
    anchors.push(piece.anchors);
  }
  checkRun(run, ctx);
  return { src, anchors: cheapest(anchors) };
}

function compileAtom(atom: string, ctx: CompileContext): Piece {
  if (atom.startsWith('@')) return compileSet(atom.slice(1), ctx);
  const number = { words: new Set<string>(), stems: new Set<string>(), number: true };
  if (atom === '#') return { src: ' \\d+', anchors: number };
  // A year, for histories ("took too many in 2022"): 1950 to 2029.
  if (atom === '#year') return { src: ' (?:19[5-9]\\d|20[0-2]\\d)(?!\\d)', anchors: number };
  const min = /^#([1-9])\+$/.exec(atom);
  if (min) return { src: ` (?:[${min[1]}-9]|[1-9]\\d+)`, anchors: number };
  if (atom.endsWith('*')) {
    const stem = atom.slice(0, -1);
    if (!WORD.test(stem)) throw new PatternError(`"${atom}" is not a stem: letters and digits followed by one "*"`);
    if (stem.length < 2) throw new PatternError(`"${atom}": a stem needs at least 2 letters`);
    return { src: ` ${stem}[^ ]*`, anchors: { words: new Set(), stems: new Set([stem]), number: false } };
  }
  checkWord(atom, ctx);
  return { src: ` ${atom}`, anchors: { words: new Set([atom]), stems: new Set(), number: false } };
}

function compileSet(name: string, ctx: CompileContext): Piece {
  const cached = ctx.setCache.get(name);
  if (cached !== undefined) return cached;
  const items = ctx.sets[name];
  if (!items) throw new PatternError(`unknown set "@${name}" (sets: ${Object.keys(ctx.sets).join(', ') || 'none'})`);
  if (ctx.expanding.includes(name)) throw new PatternError(`set "@${name}" refers to itself (${[...ctx.expanding, name].join(' -> ')})`);
  ctx.expanding.push(name);
  try {
    const alts = items.map((item, i) => {
      try {
        return compileSequence(foldPattern(item), ctx);
      } catch (err) {
        if (err instanceof PatternError) throw new PatternError(`in set "@${name}" item ${i} ("${item}"): ${err.message}`);
        throw err;
      }
    });
    const piece = { src: `(?:${alts.map((a) => a.src).join('|')})`, anchors: union(alts.map((a) => a.anchors)) };
    ctx.setCache.set(name, piece);
    return piece;
  } finally {
    ctx.expanding.pop();
  }
}

/** Compile one pattern line to a RegExp source for the padded, normalized text. */
export function compilePatternLine(line: string, ctx: CompileContext): Piece {
  const elements = splitElements(foldPattern(line));
  if (elements.length === 0) throw new PatternError('empty pattern');
  let src = '';
  const required: Array<Anchors | null> = [];
  const run: string[] = [];
  elements.forEach((el, i) => {
    const last = i === elements.length - 1;
    if (!WORD.test(el)) {
      checkRun(run, ctx);
      run.length = 0;
    }
    if (el === '^') {
      if (i !== 0) throw new PatternError('"^" (start of sentence) must come first');
      src += `(?:^|(?<=${BOUNDARY}))`;
      return;
    }
    if (el === '$') {
      if (!last) throw new PatternError('"$" (end of sentence) must come last');
      src += END_OF_SENTENCE;
      return;
    }
    const gap = /^\.\.\.(\d+)?$/.exec(el);
    if (gap) {
      const n = gap[1] === undefined ? 3 : Number(gap[1]);
      if (n < 1 || n > MAX_GAP) throw new PatternError(`gap "${el}" must allow 1 to ${MAX_GAP} words`);
      if (i === 0 || last) throw new PatternError(`a gap ("${el}") must sit between two words`);
      // Words that are neither spaces nor the sentence boundary: gaps never cross sentences.
      src += `(?: [^ ${BOUNDARY}]+){0,${n}}`;
      return;
    }
    if (el.startsWith('.')) throw new PatternError(`"${el}" is not a gap: write ... or ...N`);
    const negative = el.startsWith('!');
    const body0 = negative ? el.slice(1) : el;
    const optional = body0.endsWith('?');
    const body = optional ? body0.slice(0, -1) : body0;
    if (negative && optional) throw new PatternError(`"${el}": "!" and "?" cannot be combined`);
    if (negative && i === 0) throw new PatternError(`"${el}": a pattern cannot start with "!"`);
    let piece: Piece;
    if (body.startsWith('(')) {
      const alts = body
        .slice(1, -1)
        .split('|')
        .map((a) => compileSequence(a.trim(), ctx));
      piece = { src: `(?:${alts.map((a) => a.src).join('|')})`, anchors: union(alts.map((a) => a.anchors)) };
    } else {
      piece = compileAtom(body, ctx);
      if (WORD.test(body) && !negative && !optional) run.push(body);
      else {
        checkRun(run, ctx);
        run.length = 0;
      }
    }
    if (negative) {
      src += `(?!${piece.src}(?= ))`;
    } else if (optional) {
      src += `(?:${piece.src})?`;
    } else {
      src += piece.src;
      required.push(piece.anchors);
    }
  });
  checkRun(run, ctx);
  if (required.length === 0) throw new PatternError('a pattern needs at least one word that is not optional');
  if (!src.endsWith(END_OF_SENTENCE)) src += '(?= )';
  return { src, anchors: cheapest(required) };
}
