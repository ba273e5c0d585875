import { anchorCost, type Anchors } from './anchorIndex';
import type { PatternKind } from './crisisKinds';
import { compilePatternLine, foldPattern, PatternError, WORD, type CompileContext, type Piece } from './patternLanguage';
import { CRISIS_KINDS, PATTERN_KINDS, type TIERS, type CrisisFile, type CrisisLanguage } from './schema';

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

export interface CompiledPattern {
  id: string;
  kind: PatternKind;
  tier?: (typeof TIERS)[number];
  weak?: boolean;
  language: CrisisLanguage;
  /** Indexes of the pattern's lines in CompiledFile.lines. */
  lines: number[];
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

export interface CompiledFile {
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
export const compiledFiles = new WeakMap<CrisisFile, CompiledFile>();

export function compileFile(file: CrisisFile, source: string): CompiledFile {
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
