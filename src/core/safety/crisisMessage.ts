import { basicNormalize, foldCase } from '../text/normalize';
import type { AnchorIndex } from './anchorIndex';
import type { CompiledFile } from './compiledCrisisFile';
import { BOUNDARY } from './patternLanguage';

/**
 * A message as the detector reads it: prepared (normal form, sentence ends,
 * shorthand), cut into chunks of whole sentences, with the commas the question
 * guard asks for.
 */

/** The file's shorthand, applied by prepareText. */
type Shorthand = Pick<CompiledFile, 'shorthand' | 'shorthandMap'>;

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

/** Sentences are grouped into chunks of about this many characters (see chunksOf). */
const CHUNK_CHARS = 400;

/** What every chunk of one message shares. */
export interface MessageState {
  chunks: Chunk[];
  /** Whether the message holds an emergency marker of the question guard; computed on first use. */
  emergency?: boolean;
  /** The visitor's text and its prepared form, for the comma positions the guard asks for. */
  original?: string;
  prepared: string;
  /** Offsets in `prepared` of the space before each word that followed a comma; computed on first use. */
  clauses?: number[];
}

export interface Chunk {
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

/** CrisisDetector.prepare(), or with " ǁ " where the visitor typed a comma (clauses: the question guard's copy). */
export function prepareText(text: string, clauses: boolean, compiled: Shorthand): string {
  let t = foldCase(text.replace(OD_PAST_CAPS, ' overdosed '));
  t = t.replace(OD_PAST, ' overdosed ').replace(OD_ING, ' overdosing ').replace(OD_DOTTED, ' od ');
  t = t.replace(ELLIPSIS, ' ').replace(SENTENCE_END, ` ${BOUNDARY} `);
  if (clauses) t = t.replace(COMMAS, ` ${CLAUSE} `);
  t = ` ${basicNormalize(t)} `;
  const { shorthand, shorthandMap } = compiled;
  if (shorthand) t = t.replace(shorthand, (m) => ` ${shorthandMap.get(m.slice(1)) ?? m.slice(1)}`);
  return t;
}

/**
 * The prepared message cut into chunks of whole sentences (about CHUNK_CHARS
 * each), each wrapped in sentence boundaries. No pattern or exception crosses a
 * sentence end, so a chunk only runs the parts whose anchor words it contains:
 * a long message costs about what its sentences cost one by one.
 */
export function chunksOf(prepared: string, original: string | undefined, partIndex: AnchorIndex): Chunk[] {
  const out: Chunk[] = [];
  const message: MessageState = { chunks: out, prepared, original };
  let current = '';
  let start = 0;
  let at = 0;
  const flush = () => {
    if (current.trim() === '') return;
    const tokens = current.split(' ');
    out.push({ text: `${BOUNDARY}${current}${BOUNDARY}`, message, tokens, parts: partIndex.candidates(tokens), masked: new Map(), start });
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
function clauseBreaks(message: MessageState, compiled: Shorthand): number[] {
  if (message.clauses) return message.clauses;
  message.clauses = [];
  if (message.original === undefined || !message.original.includes(',')) return message.clauses;
  const breaks: number[] = [];
  let out = '';
  prepareText(message.original, true, compiled)
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
export function clauseEnd(chunk: Chunk, from: number, to: number, compiled: Shorthand): number {
  const breaks = clauseBreaks(chunk.message, compiled);
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
