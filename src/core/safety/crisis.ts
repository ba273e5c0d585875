import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cached, cacheKey, sourceHash } from '../cache/artifactCache';
import { parseYamlCached, type KnowledgeBase } from '../knowledge/load';
import type { Reply } from '../reply';
import { basicNormalize, foldCase } from '../text/normalize';
import { classifyCheckInAnswer } from './checkIn';
import { CLASSIFIER_SOURCE, CrisisClassifier, type ClassifierOptions, type ClassifierScore } from './classifier';
import { loadTrainingExamples } from './examples';
import {
  CRISIS_KINDS,
  PATTERN_KINDS,
  type TIERS,
  CrisisFileSchema,
  type CrisisFile,
  type CrisisLanguage,
} from './schema';

/**
 * The crisis and emergency safety net's detector. It runs first on every turn,
 * before commands, dialogs and intent matching, so it is framework-free and fast:
 * everything is compiled to RegExp once, at load.
 *
 * All content (patterns, exceptions, shorthand, responses) lives in
 * knowledge/crisis.yaml, reviewed by clinicians as data. This file only knows
 * the small pattern language that file is written in:
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
 *
 * Exceptions ("not suicidal", "dying to know", "overdose prevention") hide
 * only the words they match, and only from the kinds they name. Everything
 * else in the message is still checked, so "i'm not suicidal but i took 30
 * pills" still alarms: an exception never silences a signal elsewhere. Every
 * exception sees the unmasked message; the union of what they match is hidden.
 *
 * The question guard (crisis.yaml, questionGuard) hides a whole SENTENCE that
 * opens as an informational question ("do you screen for suicide risk?") from
 * the kinds it names, but only when no emergency marker ("right now", "took",
 * "is not breathing", "I want to die") matches anywhere in the unmasked
 * message. Other sentences are still checked, and the classifier sees all.
 * A comma followed by a new clause ("do you have a chaplain, i want to make
 * peace before i go") ends the hidden part early: what the visitor adds after
 * the question is checked like any sentence (a list, "suicide, overdose and
 * violence", stays hidden).
 *
 * Speed: each pattern line (each side of "A & B") is indexed by the words it
 * cannot match without, and a message is cut into chunks of whole sentences
 * (no pattern crosses a sentence end), so a chunk only runs the few RegExps
 * whose words it contains. A line is tried only when all its sides can match.
 */

export type CrisisKind = 'suicide' | 'overdose' | 'withdrawal-emergency' | 'violence' | 'withdrawal';
/** What a pattern can name: a crisis kind, or a concern (src/core/safety/schema.ts PATTERN_KINDS). */
export type PatternKind = CrisisKind | 'concern';

export interface CrisisSignal {
  kind: CrisisKind;
  /**
   * The id of the pattern that matched, or "classifier:<score>" when only the
   * classifier alarmed; never the message text (it is logged).
   */
  evidence: string;
  language: 'en' | 'es';
}

// Keep the exported union and the schema's enum in lock-step at compile time.
type SameKinds = [CrisisKind] extends [(typeof CRISIS_KINDS)[number]]
  ? [(typeof CRISIS_KINDS)[number]] extends [CrisisKind]
    ? true
    : never
  : never;
const kindsInSync: SameKinds = true;
void kindsInSync;

/**
 * When a message matches several kinds, the first kind in this order wins.
 * Overdose and withdrawal emergencies come first: minutes matter, and their
 * replies send the visitor to 911 (with naloxone and Poison Control for an
 * overdose). "I took all my pills because I want to die" needs 911 and
 * naloxone before 988. Suicide comes before violence because the suicide reply
 * already says "call 911 if you are in immediate danger", so it covers a threat
 * from someone else too, and it carries 988, which the violence reply only
 * mentions in passing. Withdrawal (a risk, not an emergency now) comes last: any
 * other kind in the same message is the more urgent reply. Whatever kind wins,
 * every reply names 911.
 */
/** Below this classifier score, a message the concern patterns recognise is a concern, not a crisis. */
const CONCERN_OVER_GUESS = 0.9;

export const CRISIS_PRIORITY: readonly CrisisKind[] = ['overdose', 'withdrawal-emergency', 'suicide', 'violence', 'withdrawal'];

// ---------------------------------------------------------------- loading

/**
 * Read and validate a crisis file. Throws an Error naming the file, the entry
 * and the field, e.g.
 *   knowledge/crisis.yaml: patterns[3] (id: od-not-breathing), field "kind": Invalid option…
 */
export function loadCrisisFile(path: string): CrisisFile {
  let raw: unknown;
  try {
    raw = parseYamlCached(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read crisis file: ${(err as Error).message}`);
  }
  const result = CrisisFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((issue) => `${path}: ${describePath(raw, issue.path)}: ${issue.message}`);
    const more = result.error.issues.length > 10 ? `\n… and ${result.error.issues.length - 10} more problems` : '';
    throw new Error(lines.join('\n') + more);
  }
  // Compile now to report pattern-language errors with the same precision; the detector reuses it.
  compiledFiles.set(result.data, compileFile(result.data, path));
  return result.data;
}

/** How many path segments name the entry, per section: patterns[3], responses.suicide.es, checkIn.en… */
const ENTRY_DEPTH: Record<string, number> = { patterns: 2, exceptions: 2, questionGuard: 3, responses: 3, checkIn: 2, safe: 2, sets: 2, shorthand: 2, classifier: 1 };

/**
 * "patterns[3] (id: od-not-breathing), field \"kind\"" or
 * "responses.suicide.es, field \"text\"" from an issue path into the raw file.
 */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  const depth = ENTRY_DEPTH[String(path[0])] ?? 1;
  let node: unknown = raw;
  let entry = '';
  let field = '';
  path.forEach((seg, i) => {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[seg as never] : undefined;
    const part = typeof seg === 'number' ? `[${seg}]` : String(seg);
    if (i < depth) {
      entry += typeof seg === 'number' || i === 0 ? part : `.${part}`;
      const entryId = typeof seg === 'number' && node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof entryId === 'string') entry += ` (id: ${entryId})`;
    } else {
      field += typeof seg === 'number' || field === '' ? part : `.${part}`;
    }
  });
  return field ? `${entry}, field "${field}"` : entry;
}

// ---------------------------------------------------------------- the pattern language

/** Sentence boundary kept in the normalized text: a letter no visitor types, so basicNormalize keeps it. */
const BOUNDARY = '\u01c0';
const END_OF_SENTENCE = `(?= (?:${BOUNDARY}|$))`;
const WORD = /^[a-z0-9]+$/;
const MAX_GAP = 8;

class PatternError extends Error {}

interface CompileContext {
  sets: Record<string, string[]>;
  setCache: Map<string, Piece>;
  shorthand: Map<string, string>;
  /** The shorthand keys of two words or more, as " key " for substring search. */
  multiWord: Array<[string, string]>;
  /** Set names being expanded, to catch @a -> @b -> @a. */
  expanding: string[];
}

/** Fold a pattern the way messages are folded: lower case, no accents, no apostrophes. */
function foldPattern(text: string): string {
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

/**
 * What a piece of pattern needs to find in the message before its RegExp is
 * worth running: one of these exact words, a word starting with one of these
 * stems, or a number. null means "cannot tell" (the piece may match nothing).
 * The detector indexes patterns by these anchors, so a message only runs the
 * few RegExps whose anchor words it contains. The RegExp still decides.
 */
interface Anchors {
  words: Set<string>;
  stems: Set<string>;
  number: boolean;
}

interface Piece {
  src: string;
  anchors: Anchors | null;
}

// Words so frequent that anchoring on them selects nearly every pattern.
const COMMON = new Set([
  'i', 'im', 'my', 'me', 'a', 'an', 'the', 'to', 'and', 'is', 'it', 'he', 'she', 'hes', 'shes', 'of', 'in', 'on', 'no', 'not',
  'que', 'de', 'la', 'el', 'se', 'mi', 'y', 'you', 'be', 'that', 'this', 'for', 'with', 'at',
  // frequent in visitors' questions too: a rarer word of the same line is a better anchor
  'do', 'does', 'did', 'can', 'will', 'would', 'could', 'should', 'what', 'how', 'if', 'was', 'were', 'are', 'have', 'has', 'had',
  'get', 'got', 'so', 'just', 'like', 'your', 'we', 'they', 'them', 'his', 'her', 'him', 'our', 'or', 'but', 'as', 'from', 'by',
  'about', 'all', 'when', 'there', 'out', 'up', 'some', 'any', 'really', 'please', 'know', 'want', 'wanna', 'gonna', 'going',
  'dont', 'cant', 'ill', 'ive', 'its', 'one', 'now', 'been', 'being', 'again', 'still', 'us', 'who', 'why', 'where', 'here',
  'en', 'por', 'para', 'con', 'es', 'lo', 'le', 'un', 'una', 'los', 'las', 'me', 'te', 'su', 'ya', 'si', 'esta', 'estoy', 'va', 'voy',
]);

function anchorCost(a: Anchors): number {
  let cost = a.words.size + a.stems.size * 2 + (a.number ? 20 : 0);
  for (const w of a.words) if (COMMON.has(w)) cost += 50;
  return cost;
}

function union(list: Array<Anchors | null>): Anchors | null {
  const out: Anchors = { words: new Set(), stems: new Set(), number: false };
  for (const a of list) {
    if (!a) return null;
    a.words.forEach((w) => out.words.add(w));
    a.stems.forEach((st) => out.stems.add(st));
    out.number ||= a.number;
  }
  return out;
}

function cheapest(list: Array<Anchors | null>): Anchors | null {
  let best: Anchors | null = null;
  for (const a of list) if (a && (!best || anchorCost(a) < anchorCost(best))) best = a;
  return best;
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
function compilePatternLine(line: string, ctx: CompileContext): Piece {
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

/** One part of a pattern line: the whole line, or one side of "A & B". */
interface CompiledPart {
  re: RegExp;
  /** null: no usable anchor, always tested. */
  anchors: Anchors | null;
}

/** One pattern line: it matches when each of its parts matches somewhere in the message. */
interface CompiledLine {
  /** Indexes in CompiledFile.parts, most selective first. */
  parts: number[];
}

/** Separates the parts of a conjunction line: "A & B". */
const AND = /\s+&\s+/;

interface CompiledPattern {
  id: string;
  kind: PatternKind;
  tier?: (typeof TIERS)[number];
  weak?: boolean;
  language: CrisisLanguage;
  /** Indexes of the pattern's lines in CompiledFile.lines. */
  lines: number[];
}

interface PlanStep {
  pattern: CompiledPattern;
  partIndexes: number[];
}

/** Pattern lines in the order they are tried, and per part the positions of the lines it leads (is the most selective part of). */
interface Plan {
  steps: PlanStep[];
  ledBy: number[][];
}

interface CompiledExceptionLine {
  /** Global, to hide every match of the line. */
  re: RegExp;
  kinds: PatternKind[];
  anchors: Anchors | null;
  /** A question-guard line: hides the whole sentence it matches in, unless the message has an emergency marker. */
  sentence: boolean;
  /**
   * "A & B": A is hidden only when each condition matches somewhere in the unmasked message
   * ("a suicide attempt in 2015" hidden when another sentence says "stable since").
   */
  conditions?: RegExp[];
}

/** An emergency marker of the question guard (matched on the unmasked message). */
interface CompiledMarkerLine {
  re: RegExp;
  anchors: Anchors | null;
}

interface CompiledFile {
  patterns: CompiledPattern[];
  /** Every pattern line of every pattern. */
  lines: CompiledLine[];
  /** Every part of every pattern line; each is indexed by its own anchors. */
  parts: CompiledPart[];
  /** Every exception line, in file order, then the question guard's lines. */
  exceptionLines: CompiledExceptionLine[];
  /** The question guard's emergency markers. */
  markerLines: CompiledMarkerLine[];
  shorthand: RegExp | null;
  shorthandMap: Map<string, string>;
}

/** Files compiled while loading, so a detector built from one does not compile it a second time. */
const compiledFiles = new WeakMap<CrisisFile, CompiledFile>();

function compileFile(file: CrisisFile, source: string): CompiledFile {
  const shorthandMap = new Map<string, string>();
  for (const [key, value] of Object.entries(file.shorthand)) shorthandMap.set(key, foldPattern(value));
  const multiWord = [...shorthandMap].filter(([key]) => key.includes(' ')).map(([key, value]): [string, string] => [` ${key} `, value]);
  for (const [key, value] of shorthandMap) {
    // Rewrites are applied once: a rewrite that contains another key would stay half-rewritten.
    const nested =
      value.split(' ').find((word) => !WORD.test(word) || shorthandMap.has(word)) ??
      multiWord.find(([k]) => ` ${value} `.includes(k))?.[0].trim();
    if (nested !== undefined) {
      throw new Error(
        WORD.test(nested)
          ? `${source}: shorthand, field "${key}": "${value}" contains "${nested}", which is itself rewritten; write its rewrite instead`
          : `${source}: shorthand, field "${key}": "${value}" must be plain words (letters and digits)`,
      );
    }
  }
  const ctx: CompileContext = { sets: file.sets, setCache: new Map(), shorthand: shorthandMap, multiWord, expanding: [] };

  const compileLines = (section: string, i: number, entryId: string, lines: string[]): Piece[][] =>
    lines.map((line, j) => {
      try {
        const parts = line.split(AND);
        if (parts.length > 1 && section !== 'patterns' && section !== 'exceptions') {
          throw new PatternError('"&" is for patterns and exceptions only: a guard question or a marker is one match');
        }
        if (parts.some((part) => part.trim() === '')) throw new PatternError('"&" must sit between two patterns');
        const pieces = parts.map((part) => compilePatternLine(part, ctx));
        // An exception hides what its first part matches; the parts after "&" are conditions, kept in order.
        if (section === 'exceptions') return pieces;
        // Most selective part first, so a line that cannot match fails on its first test.
        return pieces.sort((a, b) => (a.anchors ? anchorCost(a.anchors) : Infinity) - (b.anchors ? anchorCost(b.anchors) : Infinity));
      } catch (err) {
        if (err instanceof PatternError) {
          throw new Error(`${source}: ${section}[${i}] (id: ${entryId}), field "match[${j}]": ${err.message} (in "${line}")`);
        }
        throw err;
      }
    });

  const lines: CompiledLine[] = [];
  const parts: CompiledPart[] = [];
  const patterns = file.patterns.map((p, i): CompiledPattern => {
    const first = lines.length;
    for (const pieces of compileLines('patterns', i, p.id, p.match)) {
      lines.push({ parts: pieces.map((piece) => parts.push({ re: new RegExp(piece.src), anchors: piece.anchors }) - 1) });
    }
    return { id: p.id, kind: p.kind, tier: p.tier, weak: p.weak, language: p.language, lines: lines.slice(first).map((_, j) => first + j) };
  });

  const exceptionLines = file.exceptions.flatMap((e, i) =>
    compileLines('exceptions', i, e.id, e.match).map(([hide, ...conditions]): CompiledExceptionLine => ({
      re: new RegExp(hide!.src, 'g'),
      kinds: e.kinds ?? [...PATTERN_KINDS],
      anchors: hide!.anchors,
      sentence: false,
      conditions: conditions.length ? conditions.map((c) => new RegExp(c.src)) : undefined,
    })),
  );
  const guard = file.questionGuard;
  guard?.questions.forEach((q, i) => {
    for (const pieces of compileLines('questionGuard.questions', i, q.id, q.match)) {
      for (const piece of pieces) exceptionLines.push({ re: new RegExp(piece.src, 'g'), kinds: q.kinds ?? [...CRISIS_KINDS], anchors: piece.anchors, sentence: true });
    }
  });
  const markerLines = (guard?.emergencies ?? []).flatMap((m, i) =>
    compileLines('questionGuard.emergencies', i, m.id, m.match).flatMap((pieces) => pieces.map((piece): CompiledMarkerLine => ({ re: new RegExp(piece.src), anchors: piece.anchors }))),
  );

  const keys = [...shorthandMap.keys()].sort((a, b) => b.length - a.length);
  const shorthand = keys.length ? new RegExp(` (?:${keys.join('|')})(?= )`, 'g') : null;
  return { patterns, lines, parts, exceptionLines, markerLines, shorthand, shorthandMap };
}

/**
 * Which entries could match a message, from the words it contains. Built once;
 * candidates() costs a few map lookups per word of the message.
 */
class AnchorIndex {
  private readonly words = new Map<string, number[]>();
  private readonly stems = new Map<string, number[]>();
  private readonly numbers: number[] = [];
  private readonly always: number[] = [];
  /** The lengths of the indexed stems, shortest first. */
  private readonly stemLengths: number[] = [];

  constructor(private readonly size: number, anchors: Array<Anchors | null>) {
    anchors.forEach((a, i) => {
      if (!a) {
        this.always.push(i);
        return;
      }
      for (const w of a.words) push(this.words, w, i);
      for (const st of a.stems) {
        push(this.stems, st, i);
        if (!this.stemLengths.includes(st.length)) this.stemLengths.push(st.length);
      }
      if (a.number) this.numbers.push(i);
    });
    this.stemLengths.sort((x, y) => x - y);
  }

  candidates(tokens: readonly string[]): Uint8Array {
    const out = new Uint8Array(this.size);
    for (const i of this.always) out[i] = 1;
    let sawNumber = false;
    for (const token of tokens) {
      if (token.length === 0) continue;
      const hit = this.words.get(token);
      if (hit) for (const i of hit) out[i] = 1;
      if (!sawNumber && token.charCodeAt(0) >= 48 && token.charCodeAt(0) <= 57) {
        sawNumber = true;
        for (const i of this.numbers) out[i] = 1;
      }
      for (const n of this.stemLengths) {
        if (n > token.length) break;
        const stemHit = this.stems.get(token.slice(0, n));
        if (stemHit) for (const i of stemHit) out[i] = 1;
      }
    }
    return out;
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---------------------------------------------------------------- detection

// Apostrophe forms that basicNormalize would blur ("od'd" -> "odd", "o.d." -> "o d").
// "od'd", "o.d.'d", "oded", "od'ed"; not "odd" ("the odd one out"), unless written "ODd" (OD_PAST_CAPS, before folding case).
const OD_PAST = /\bo\.?d\.?(?:'d|'ed|ed)\b/g;
const OD_PAST_CAPS = /\bO\.?D\.?'?(?:d|ed|D|ED)\b/g;
const OD_ING = /\bo\.?d\.?'?ing\b/g;
const OD_DOTTED = /\bo\.d\.?(?=\s|$)/g;
const ELLIPSIS = /\.{2,}/g;
const SENTENCE_END = /[.!?;\n\r]+/g;
const COMMAS = /,+/g;
/** Where a comma was, in the copy of the prepared text that keeps them (never in the text patterns see). */
const CLAUSE = '\u01c1';
/**
 * A comma starts a new clause (for the question guard) when the next word is one
 * of these, or "and", "but", "so"... followed by one of these: "do you take
 * masshealth, i need..." yes; "suicide, overdose and violence" no.
 */
const CLAUSE_SUBJECTS = new Set([
  'i', 'im', 'ive', 'id', 'ill', 'my', 'me', 'he', 'hes', 'she', 'shes', 'they', 'theyre', 'we', 'its', 'it', 'there', 'theres',
  'this', 'that', 'thats', 'honestly', 'tbh', 'because', 'cause', 'since', 'btw', 'ngl', 'idk',
  'yo', 'mi', 'mis', 'ella', 'ellos', 'porque', 'estoy', 'tengo', 'ya',
]);
const CLAUSE_JOINS = new Set(['and', 'but', 'so', 'because', 'cause', 'plus', 'also', 'cuz', 'y', 'pero', 'pues', 'o']);

/** Sentences are grouped into chunks of about this many characters (see CrisisDetector.chunks). */
const CHUNK_CHARS = 400;

/** What every chunk of one message shares. */
interface MessageState {
  chunks: Chunk[];
  /** Whether the message holds an emergency marker of the question guard; computed on first use. */
  emergency?: boolean;
  /** The visitor's text and its prepared form, for the comma positions the guard asks for. */
  original?: string;
  prepared: string;
  /** Offsets in `prepared` of the space before each word that followed a comma; computed on first use. */
  clauses?: number[];
}

interface Chunk {
  /** Whole sentences, wrapped in sentence boundaries: "ǀ word word ǀ word ǀ". */
  text: string;
  message: MessageState;
  tokens: string[];
  /** Candidate pattern parts (by anchor words). */
  parts: Uint8Array;
  /** Candidate exception lines, computed on first use. */
  exceptions?: Uint8Array;
  /** Masked text per set of applicable exception lines. */
  masked: Map<string, string>;
  /** Offset in the message's prepared text of this chunk's first character (text[1]). */
  start: number;
}

// Function words that tell English from Spanish when a message mixes them.
const ES_MARKERS = new Set([
  'que', 'el', 'la', 'los', 'las', 'mi', 'mis', 'es', 'esta', 'estoy', 'por', 'para', 'con', 'se', 'de', 'y', 'un', 'una', 'muy', 'ya',
  'tiene', 'tengo', 'quiero', 'pero', 'su', 'lo', 'le', 'del', 'al', 'como', 'hijo', 'hija', 'esposo', 'esposa', 'ayuda',
  'voy', 'va', 'vas', 'van', 'quiere', 'estar', 'morir', 'matar', 'matarme', 'hoy', 'ayer', 'manana', 'nadie', 'nada', 'todo', 'todos',
  'porque', 'cuando', 'donde', 'aqui', 'ahora', 'ahorita', 'mucho', 'muchas', 'muchos', 'pastillas', 'noche', 'vida', 'ojala', 'mejor',
  'siempre', 'nunca', 'vez', 'dice', 'dijo', 'creo', 'siento', 'puedo', 'puede', 'sin', 'hasta', 'desde', 'ese', 'esa', 'este', 'novio',
  'novia', 'hermano', 'hermana', 'amigo', 'amiga', 'casa', 'mama', 'papa', 'despierta', 'respira', 'miedo', 'ni', 'mas', 'tambien',
]);
const EN_MARKERS = new Set(['the', 'i', 'im', 'my', 'is', 'and', 'to', 'he', 'she', 'it', 'you', 'of', 'in', 'on', 'with', 'have', 'has', 'just', 'was', 'hes', 'shes', 'not', 'help', 'please', 'what', 'do', 'dont', 'cant', 'wont', 'took', 'wanna', 'gonna', 'want', 'think']);

/** Classifiers already trained in this process, by a hash of their training data and options. */
const trainedModels = new Map<string, CrisisClassifier>();
const MAX_TRAINED_MODELS = 4;

export class CrisisDetector {
  private readonly compiled: CompiledFile;
  /** The crisis kinds' pattern lines, by priority; the concern lines apart (they never alarm). */
  private readonly plan: Plan;
  private readonly concernPlan: Plan;
  private readonly overdosePlan: Plan;
  /** Per kind: the exception lines that apply to it. */
  private readonly exceptionsByKind: Map<PatternKind | 'classifier', number[]>;
  /** Indexes pattern line PARTS (not whole patterns): a sentence runs only the parts whose anchor words it contains. */
  private readonly partIndex: AnchorIndex;
  private readonly exceptionIndex: AnchorIndex;
  private readonly markerIndex: AnchorIndex;
  /** The chunks of the last message read (see chunks()). */
  private lastChunks: { prepared: string; original?: string; chunks: Chunk[] } | undefined;
  /** The second signal, when the detector was built with one (fromKnowledge). */
  private classifier: CrisisClassifier | null = null;

  constructor(private readonly file: CrisisFile, source = 'crisis file') {
    this.compiled = compiledFiles.get(file) ?? compileFile(file, source);
    const { patterns, lines, parts, exceptionLines } = this.compiled;
    const planOf = (kinds: readonly PatternKind[]): Plan => {
      // Every kind's patterns by priority, then the weak ones (the word alone) by priority.
      const stepsOf = (weak: boolean) =>
        kinds.flatMap((kind) =>
          patterns.filter((p) => p.kind === kind && Boolean(p.weak) === weak).flatMap((pattern) => pattern.lines.map((l) => ({ pattern, partIndexes: lines[l]?.parts ?? [] }))),
        );
      const steps = [...stepsOf(false), ...stepsOf(true)];
      const ledBy: number[][] = parts.map(() => []);
      steps.forEach((step, r) => {
        const lead = step.partIndexes[0];
        if (lead !== undefined) ledBy[lead]?.push(r);
      });
      return { steps, ledBy };
    };
    this.plan = planOf(CRISIS_PRIORITY);
    this.concernPlan = planOf(['concern']);
    this.overdosePlan = planOf(['overdose']);
    this.exceptionsByKind = new Map<PatternKind | 'classifier', number[]>(PATTERN_KINDS.map((kind) => [kind, exceptionLines.flatMap((e, i) => (e.kinds.includes(kind) ? [i] : []))]));
    // The classifier reads the message without what any exception hides (not the guard's questions: it sees those).
    this.exceptionsByKind.set('classifier', exceptionLines.flatMap((e, i) => (e.sentence ? [] : [i])));
    this.partIndex = new AnchorIndex(parts.length, parts.map((part) => part.anchors));
    this.exceptionIndex = new AnchorIndex(exceptionLines.length, exceptionLines.map((e) => e.anchors));
    this.markerIndex = new AnchorIndex(this.compiled.markerLines.length, this.compiled.markerLines.map((m) => m.anchors));
  }

  /** The patterns of a crisis file alone (no classifier). */
  static fromFile(file: string): CrisisDetector {
    return new CrisisDetector(loadCrisisFile(file), file);
  }

  /**
   * The full safety net of a knowledge base: the patterns of crisis.yaml and
   * the classifier, trained on the examples in knowledge/ (see examples.ts).
   * Training takes a few hundred ms; a process reuses a model trained on the
   * same examples (tests build many bots).
   */
  static fromKnowledge(kb: Pick<KnowledgeBase, 'dir' | 'faq' | 'offTopic'>, options: Partial<ClassifierOptions> = {}): CrisisDetector {
    const detector = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));
    detector.classifier = detector.trainClassifier(loadTrainingExamples(kb), options, true);
    return detector;
  }

  /**
   * Train a classifier on labelled messages, in this detector's normal form (shared across calls with the same data).
   * onDisk: also keep it in the artifact cache (the service's model; evaluation folds would only fill the cache).
   */
  trainClassifier(examples: ReadonlyArray<{ text: string; label: CrisisKind | 'none' }>, options: Partial<ClassifierOptions> = {}, onDisk = false): CrisisClassifier {
    const prepared = examples.map((e) => ({ prepared: this.prepare(e.text), label: e.label }));
    const hash = createHash('sha256').update(JSON.stringify(options));
    for (const e of prepared) hash.update(`${e.label}\u0000${e.prepared}\u0000`);
    const key = hash.digest('hex');
    let model = trainedModels.get(key);
    if (!model) {
      // Training is deterministic, so a model trained on the same examples by the same code is reused from disk.
      const codec = { encode: (m: CrisisClassifier) => m.toBytes(), decode: (b: Buffer) => CrisisClassifier.fromBytes(b, options) };
      const train = () => new CrisisClassifier(prepared, options);
      model = onDisk ? cached('crisis-classifier', cacheKey(key, sourceHash(CLASSIFIER_SOURCE)), codec, train) : train();
      // A few models at most (5 MB each): evaluation folds train many, the service one.
      if (trainedModels.size >= MAX_TRAINED_MODELS) trainedModels.delete(trainedModels.keys().next().value!);
      trainedModels.set(key, model);
    }
    return model;
  }

  /** A detector with the same patterns and this classifier (null: patterns alone). */
  withClassifier(classifier: CrisisClassifier | null): CrisisDetector {
    const copy = Object.create(CrisisDetector.prototype) as CrisisDetector;
    Object.assign(copy, this);
    copy.classifier = classifier;
    return copy;
  }

  /** The score threshold of the second signal (crisis.yaml, classifier.threshold). */
  get threshold(): number {
    return this.file.classifier.threshold;
  }

  /** Whether this detector has the second signal. */
  get hasClassifier(): boolean {
    return this.classifier !== null;
  }

  /**
   * The message in the form patterns are written for: " word word ǀ word " (padded
   * with spaces, sentence ends as ǀ, shorthand applied). Exposed for tests and tools.
   */
  prepare(text: string): string {
    return this.prepareText(text, false);
  }

  /** prepare(), or with " ǁ " where the visitor typed a comma (clauses: the question guard's copy). */
  private prepareText(text: string, clauses: boolean): string {
    let t = foldCase(text.replace(OD_PAST_CAPS, ' overdosed '));
    t = t.replace(OD_PAST, ' overdosed ').replace(OD_ING, ' overdosing ').replace(OD_DOTTED, ' od ');
    t = t.replace(ELLIPSIS, ' ').replace(SENTENCE_END, ` ${BOUNDARY} `);
    if (clauses) t = t.replace(COMMAS, ` ${CLAUSE} `);
    t = ` ${basicNormalize(t)} `;
    const { shorthand, shorthandMap } = this.compiled;
    if (shorthand) t = t.replace(shorthand, (m) => ` ${shorthandMap.get(m.slice(1)) ?? m.slice(1)}`);
    return t;
  }

  /**
   * The crisis signal in a message, or null. Never throws on any string.
   * Patterns first (their kind wins); when none matches, the classifier's
   * signal if its score reaches the threshold.
   */
  detect(text: string): CrisisSignal | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    const prepared = this.prepare(text);
    const signal = this.matchPatterns(prepared, text);
    // An answer to "Are you safe right now?" is the check-in's to read, never a new alarm.
    if (signal || !this.classifier || classifyCheckInAnswer(text) !== 'other') return signal;
    const { kind, score } = this.classifier.score(this.unmasked(prepared, text));
    if (score < this.file.classifier.threshold) return null;
    // What the concern patterns recognise ("lo veo muy triste", "I worry about next time"), with only the classifier's
    // unsure guess beyond it, is a concern: the answer and the safety line, not the crisis reply.
    if (score < CONCERN_OVER_GUESS && this.matchPlan(this.concernPlan, prepared, text)) return null;
    return { kind, evidence: `classifier:${score.toFixed(2)}`, language: guessLanguage(prepared.split(' '), 'en') };
  }

  /** The patterns' signal alone (for evaluation). */
  detectByPatterns(text: string): CrisisSignal | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    return this.matchPatterns(this.prepare(text), text);
  }

  /** The classifier's score alone, whatever the threshold (null without a classifier). */
  classifierScore(text: string): ClassifierScore | null {
    return this.classifier && typeof text === 'string' ? this.classifier.score(this.unmasked(text === '' ? '' : this.prepare(text), text)) : null;
  }

  /**
   * What the classifier reads: the message without what the exceptions of every
   * kind hide ("no thoughts of harming myself", "the word overdose", a past attempt
   * said to be over), so a denial or a quote is not scored as the risk it names.
   */
  private unmasked(prepared: string, text: string): string {
    const chunks = this.chunks(prepared, text);
    if (chunks.length === 0) return prepared;
    let out = '';
    for (const c of chunks) {
      const kept = this.subject(c, 'classifier');
      out += kept === c.text ? c.text : kept.replaceAll(' ~', ' ');
    }
    return out;
  }

  /**
   * A concern without a crisis ("I'm scared he'll overdose one day", "she OD'd last
   * year"): the id of the concern pattern that matched, or null. Never an alarm: the
   * answer gets one safety line under it (crisis.yaml, concern).
   */
  concern(text: string): string | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    const prepared = this.prepare(text);
    return this.matchPlan(this.concernPlan, prepared, text)?.pattern.id ?? null;
  }

  /** The tier a pattern's alarms belong to when it is not its kind's (crisis.yaml, a pattern's `tier`). */
  patternTier(evidence: string): (typeof TIERS)[number] | undefined {
    return this.compiled.patterns.find((p) => p.id === evidence)?.tier;
  }

  /** The line said under an answer when concern() found one. */
  concernLine(language: CrisisLanguage): string {
    return this.file.concern[language].text.trim();
  }

  /** The crisis file this detector was built from (for evaluation tools). */
  get source(): CrisisFile {
    return this.file;
  }

  private matchPatterns(prepared: string, original?: string): CrisisSignal | null {
    let step = this.matchPlan(this.plan, prepared, original);
    if (!step) return null;
    // Within the emergency tier an overdose named anywhere wins ("se está muriendo, creo que es sobredosis"): its reply has
    // naloxone. The word alone is weak against the other tiers ("overdosing wouldn't be the worst thing" is thoughts of suicide).
    if (step.pattern.kind === 'withdrawal-emergency') step = this.matchPlan(this.overdosePlan, prepared, original) ?? step;
    return { kind: step.pattern.kind as CrisisKind, evidence: step.pattern.id, language: guessLanguage(prepared.split(' '), step.pattern.language) };
  }

  private matchPlan(plan: Plan, prepared: string, original?: string): PlanStep | null {
    const chunks = this.chunks(prepared, original);
    const first = chunks[0];
    if (!first) return null;
    const { parts } = this.compiled;
    // Which parts could match anywhere: a line is only tested when all its parts could.
    let anywhere = first.parts;
    if (chunks.length > 1) {
      anywhere = new Uint8Array(parts.length);
      for (const c of chunks) for (let i = 0; i < c.parts.length; i++) if (c.parts[i] === 1) anywhere[i] = 1;
    }
    // The lines whose most selective part could match, in priority order (kind, then file order).
    const order: number[] = [];
    for (let pi = 0; pi < anywhere.length; pi++) {
      if (anywhere[pi] !== 1) continue;
      const led = plan.ledBy[pi];
      if (led) for (const r of led) order.push(r);
    }
    order.sort((x, y) => x - y);
    for (const r of order) {
      const step = plan.steps[r];
      if (!step) continue;
      const { pattern, partIndexes } = step;
      let possible = true;
      for (const pi of partIndexes) {
        if (anywhere[pi] !== 1) {
          possible = false;
          break;
        }
      }
      if (!possible || !partIndexes.every((pi) => this.partMatches(pi, pattern.kind, chunks))) continue;
      return step;
    }
    return null;
  }

  /** Whether one part of a line matches in some chunk of the message (exceptions applied). */
  private partMatches(pi: number, kind: PatternKind, chunks: readonly Chunk[]): boolean {
    const part = this.compiled.parts[pi];
    if (!part) return false;
    for (const c of chunks) if (c.parts[pi] === 1 && part.re.test(this.subject(c, kind))) return true;
    return false;
  }

  /**
   * The prepared message cut into chunks of whole sentences (about CHUNK_CHARS
   * each), each wrapped in sentence boundaries. No pattern or exception crosses a
   * sentence end, so a chunk only runs the parts whose anchor words it contains:
   * a long message costs about what its sentences cost one by one.
   */
  private chunks(prepared: string, original?: string): Chunk[] {
    // A turn reads the same message several times (the crisis kinds, the classifier's view, the concern line):
    // its chunks, and what each exception hid in them, are kept for the next call with the same text.
    const last = this.lastChunks;
    if (last && last.prepared === prepared && last.original === original) return last.chunks;
    const out: Chunk[] = [];
    this.lastChunks = { prepared, original, chunks: out };
    const message: MessageState = { chunks: out, prepared, original };
    let current = '';
    let start = 0;
    let at = 0;
    const flush = () => {
      if (current.trim() === '') return;
      const tokens = current.split(' ');
      out.push({ text: `${BOUNDARY}${current}${BOUNDARY}`, message, tokens, parts: this.partIndex.candidates(tokens), masked: new Map(), start });
      current = '';
    };
    for (const sentence of prepared.split(BOUNDARY)) {
      if (current !== '' && current.length + sentence.length > CHUNK_CHARS) flush();
      if (current === '') {
        current = sentence;
        start = at;
      } else current = `${current}${BOUNDARY}${sentence}`;
      at += sentence.length + BOUNDARY.length;
    }
    flush();
    return out;
  }

  /**
   * Where the visitor put commas, as offsets in the message's prepared text (the
   * space before the word after each comma). Empty when the shorthand rewrote
   * words across a comma (the two forms differ): the guard then hides the whole sentence.
   */
  private clauseBreaks(message: MessageState): number[] {
    if (message.clauses) return message.clauses;
    message.clauses = [];
    if (message.original === undefined || !message.original.includes(',')) return message.clauses;
    const breaks: number[] = [];
    let out = '';
    this.prepareText(message.original, true)
      .split(' ')
      .forEach((token, k) => {
        if (token !== '' && token.replaceAll(CLAUSE, '') === '') breaks.push(out.length);
        else out += k === 0 ? token : ` ${token}`;
      });
    if (out === message.prepared) message.clauses = breaks;
    return message.clauses;
  }

  /**
   * The end of a guarded question's hidden part: the sentence end `to`, or the
   * first comma after the question words (`from`) that starts a new clause.
   */
  private clauseEnd(chunk: Chunk, from: number, to: number): number {
    const breaks = this.clauseBreaks(chunk.message);
    if (breaks.length === 0) return to;
    const text = chunk.text;
    for (const b of breaks) {
      const at = b - chunk.start + 1; // chunk.text[i] is prepared[start + i - 1]
      if (at < from || at >= to) continue;
      const [w1 = '', w2 = ''] = text.slice(at + 1, at + 60).split(' ');
      if (CLAUSE_SUBJECTS.has(w1) || (CLAUSE_JOINS.has(w1) && CLAUSE_SUBJECTS.has(w2))) return at;
    }
    return to;
  }

  /** A chunk with the words of the exceptions that apply to this kind hidden (" ~"), cached per chunk. */
  private subject(chunk: Chunk, kind: PatternKind | 'classifier'): string {
    chunk.exceptions ??= this.exceptionIndex.candidates(chunk.tokens);
    const applicable: number[] = [];
    const candidates = chunk.exceptions;
    for (const i of this.exceptionsByKind.get(kind) ?? []) if (candidates[i] === 1) applicable.push(i);
    if (applicable.length === 0) return chunk.text;
    // Kinds with the same applicable exception lines share one result.
    const key = applicable.join(',');
    const cached = chunk.masked.get(key);
    if (cached !== undefined) return cached;
    // Every exception sees the unmasked text; the union of what they match is hidden.
    const ranges: Array<[number, number]> = [];
    const text = chunk.text;
    for (const i of applicable) {
      const e = this.compiled.exceptionLines[i];
      if (!e) continue;
      if (e.conditions && !e.conditions.every((re) => chunk.message.chunks.some((c) => re.test(c.text)))) continue;
      for (const m of text.matchAll(e.re)) {
        if (!e.sentence) {
          ranges.push([m.index, m.index + m[0].length]);
          continue;
        }
        // A guarded question: its whole sentence, as long as nothing in the message says "emergency".
        if (this.hasEmergency(chunk.message)) break;
        const start = text.lastIndexOf(BOUNDARY, m.index) + 1;
        const next = text.indexOf(BOUNDARY, m.index + m[0].length);
        const end = next < 0 ? text.length : Math.max(start, next - 1);
        ranges.push([start, this.clauseEnd(chunk, m.index + m[0].length, end)]);
      }
    }
    let subject = chunk.text;
    if (ranges.length > 0) {
      ranges.sort((a, b) => a[0] - b[0]);
      let out = '';
      let at = 0;
      for (const [start, end] of ranges) {
        if (end <= at) continue; // inside a range already hidden
        if (start >= at) out += `${chunk.text.slice(at, start)} ~`; // else it extends the range just hidden
        at = end;
      }
      subject = out + chunk.text.slice(at);
    }
    chunk.masked.set(key, subject);
    return subject;
  }

  /** Whether any emergency marker of the question guard matches anywhere in the (unmasked) message. */
  private hasEmergency(message: MessageState): boolean {
    if (message.emergency !== undefined) return message.emergency;
    const { markerLines } = this.compiled;
    message.emergency = message.chunks.some((c) => {
      const candidates = this.markerIndex.candidates(c.tokens);
      for (let i = 0; i < markerLines.length; i++) if (candidates[i] === 1 && markerLines[i]!.re.test(c.text)) return true;
      return false;
    });
    return message.emergency;
  }

  /**
   * The life-saving reply for a signal: numbers written in the text (SMS), tel:/sms: buttons.
   * A classifier-only signal of thoughts of suicide gets the gentler reply (with 988 and 911) when
   * the file has one; an overdose, a withdrawal emergency or violence gets its own kind's reply, whatever
   * caught it (the gentle reply speaks of suicide, the wrong tier for "we gave him 2 narcans already").
   */
  response(signal: CrisisSignal): Reply {
    const gentle = signal.evidence.startsWith('classifier:') && signal.kind === 'suicide' ? this.file.responses.gentle : undefined;
    const msg = (gentle ?? this.file.responses[signal.kind])[signal.language];
    return { text: msg.text, links: msg.links.map((l) => ({ ...l })), tag: `crisis:${signal.kind}` };
  }

  /** The next turn's question after a crisis reply: "Are you safe right now?" */
  checkIn(language: CrisisLanguage): Reply {
    const msg = this.file.checkIn[language];
    return { text: msg.text, choices: msg.choices.map((c) => ({ ...c })), tag: 'crisis:check-in' };
  }

  /** The acknowledgement when the visitor answers that they are safe. */
  safeAcknowledgement(language: CrisisLanguage): Reply {
    const msg = this.file.safe[language];
    return { text: msg.text, links: msg.links.map((l) => ({ ...l })), tag: 'crisis:safe' };
  }
}

/** The check-in Reply of a detector, as a function (for callers that hold only the detector). */
export function checkIn(detector: CrisisDetector, language: CrisisLanguage): Reply {
  return detector.checkIn(language);
}

/**
 * The reply language: the message's own when its function words say so (an
 * English pattern such as "overdos*" can match "mi hijo tuvo un overdose",
 * which gets the Spanish reply), otherwise the matched pattern's language.
 */
function guessLanguage(tokens: readonly string[], fallback: CrisisLanguage): CrisisLanguage {
  let es = 0;
  let en = 0;
  for (const w of tokens) {
    if (ES_MARKERS.has(w)) es++;
    else if (EN_MARKERS.has(w)) en++;
  }
  if (es > en) return 'es';
  if (en > es) return 'en';
  return fallback;
}
