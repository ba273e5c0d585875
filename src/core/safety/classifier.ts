import type { CrisisKind } from './crisis';
import type { ExampleLabel } from './examples';

/**
 * The crisis net's second signal: a small multinomial logistic-regression
 * classifier (none + the four crisis kinds) trained at start-up on the
 * examples in knowledge/ (see examples.ts). The patterns catch what they were
 * written for; this catches phrasings nobody wrote a pattern for, because it
 * scores a message by every word, word pair and letter sequence it shares with
 * the crisis and benign examples ("tonight I cut the chain" shares "tonight",
 * "cut" with many crisis examples and little with admissions questions).
 *
 * Features (hashed into 2^bits buckets, so nothing is stored per word):
 *   - words and adjacent word pairs (within a sentence) of the detector's
 *     prepared text (normal form + crisis shorthand, "kms" -> "kill myself");
 *   - letter 3-, 4- and 5-grams of each word ("<overd", "dose>"), which keep
 *     typos and word forms close ("overdoesd", "od'ing", "suicidal"/"suicide").
 * Each group is scaled to unit length, so long and short messages score alike.
 *
 * Training: Adagrad stochastic gradient descent with L2, each epoch in an order
 * fixed by the examples' own texts, so the same examples always give the same weights. The same
 * idea as src/core/nlu/softmax.ts, over typed arrays and hashed features:
 * that is what keeps training a few hundred ms and scoring a few µs.
 */

/** This module's file: cached models are keyed on its content, so a change to training retrains. */
export const CLASSIFIER_SOURCE = __filename;

/** Class order of the model's outputs. */
export const CLASSES: readonly ExampleLabel[] = ['none', 'suicide', 'overdose', 'withdrawal-emergency', 'violence', 'withdrawal'];
const K = CLASSES.length;

export interface ClassifierOptions {
  /** log2 of the number of hashed feature buckets. */
  bits: number;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Weight of the letter n-gram group relative to the word group. */
  charWeight: number;
  /** Weight of "none" examples in the loss (more = fewer alarms, less recall). */
  noneWeight: number;
  /** Letter n-gram sizes, smallest and largest. */
  charMin: number;
  charMax: number;
  /** Also score each sentence alone (the highest window wins). */
  sentences: boolean;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  bits: 18,
  epochs: 5,
  learningRate: 0.4,
  l2: 1e-6,
  charWeight: 1,
  noneWeight: 1,
  charMin: 3,
  charMax: 5,
  sentences: true,
};

/** The classifier's view of a message: the most likely crisis kind and 1 - P(none). */
export interface ClassifierScore {
  kind: CrisisKind;
  /** Probability that the message is a crisis of any kind, 0..1. */
  score: number;
}

/** The sentence boundary the detector's prepare() leaves in the text. */
const BOUNDARY = '\u01c0';
/**
 * Windows of fewer words are not scored: a word or two ("never mind", "i'm safe")
 * gives a few weights all the say, and short crisis messages are the patterns' ground.
 */
const MIN_WORDS = 4;
/** Sentences are scored in windows of about this many characters; the highest window wins. */
const WINDOW_CHARS = 400;
const MAX_FEATURES = 8192;

// ---------------------------------------------------------------- features

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then mixed). */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix(h);
}

/** Hashed sparse features of one window of prepared text, written into reusable buffers. */
class Featurizer {
  readonly idx = new Int32Array(MAX_FEATURES);
  readonly val = new Float32Array(MAX_FEATURES);
  private readonly codes = new Int32Array(256);

  constructor(
    private readonly mask: number,
    private readonly charWeight: number,
    private readonly charMin: number,
    private readonly charMax: number,
  ) {}

  /** Fill idx/val for the tokens [from, to) and return how many features were written. */
  extract(tokens: readonly string[], from: number, to: number): number {
    const { idx, mask } = this;
    let n = 0;
    let prev = 0;
    // Words and word pairs first.
    for (let t = from; t < to && n < MAX_FEATURES / 4; t++) {
      const token = tokens[t]!;
      if (token.length === 0) continue;
      if (token === BOUNDARY) {
        prev = 0;
        continue;
      }
      let h = 0x811c9dc5;
      for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
      idx[n++] = fmix(h ^ 0x5bd1e995) & mask;
      if (prev !== 0) idx[n++] = fmix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x27d4eb2f) & mask;
      prev = h | 1;
    }
    const words = n;
    // Letter n-grams of each word, with < and > marking its ends.
    const codes = this.codes;
    for (let t = from; t < to && n < MAX_FEATURES - 64; t++) {
      const token = tokens[t]!;
      if (token.length === 0 || token === BOUNDARY) continue;
      const len = Math.min(token.length, codes.length - 2);
      codes[0] = 60;
      for (let i = 0; i < len; i++) codes[i + 1] = token.charCodeAt(i);
      codes[len + 1] = 62;
      const padded = len + 2;
      for (let size = this.charMin; size <= this.charMax; size++) {
        for (let start = 0; start + size <= padded && n < MAX_FEATURES; start++) {
          let h = Math.imul(0x811c9dc5 ^ size, 0x01000193);
          for (let i = start; i < start + size; i++) h = Math.imul(h ^ codes[i]!, 0x01000193);
          idx[n++] = fmix(h) & mask;
        }
      }
    }
    const chars = n - words;
    const wordValue = words > 0 ? 1 / Math.sqrt(words) : 0;
    const charValue = chars > 0 ? this.charWeight / Math.sqrt(chars) : 0;
    this.val.fill(wordValue, 0, words);
    this.val.fill(charValue, words, n);
    return n;
  }
}

/** The windows of whole sentences a prepared text is scored in, as token ranges. */
/** The sentences of a prepared text worth a row of their own (MIN_WORDS or more), when it has several. */
function sentencesOf(prepared: string): Array<{ prepared: string; label: ExampleLabel }> {
  const parts = prepared.split(` ${BOUNDARY} `);
  if (parts.length < 2) return [];
  return parts.filter((p) => p.trim().split(/\s+/).length >= MIN_WORDS).map((p) => ({ prepared: ` ${p.trim()} `, label: 'none' as const }));
}

function windows(tokens: readonly string[], sentences: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  let chars = 0;
  let sentenceStart = 0;
  let sentenceWords = 0;
  let sentenceCount = 0;
  let windowWords = 0;
  for (let t = 0; t <= tokens.length; t++) {
    const token = tokens[t];
    if (token !== undefined && token !== BOUNDARY) {
      if (token.length > 0) {
        chars += token.length + 1;
        sentenceWords++;
        windowWords++;
      }
      continue;
    }
    // A sentence ends at t.
    if (sentenceWords > 0) {
      sentenceCount++;
      if (sentences && sentenceWords >= MIN_WORDS) out.push([sentenceStart, t]);
    }
    sentenceStart = t + 1;
    sentenceWords = 0;
    if ((chars > WINDOW_CHARS || token === undefined) && chars > 0) {
      // The window of sentences so far, unless it is one sentence already scored alone.
      if (!(sentences && sentenceCount === 1) && windowWords >= MIN_WORDS) out.push([start, t]);
      start = t + 1;
      chars = 0;
      sentenceCount = 0;
      windowWords = 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------- the model

export class CrisisClassifier {
  private readonly weights: Float32Array;
  private readonly bias = new Float64Array(K);
  private readonly featurizer: Featurizer;
  private readonly logits = new Float64Array(K);
  private readonly sentences: boolean;
  /** Features per training example, on average (for reports). */
  readonly meanFeatures: number;

  /**
   * Train on prepared texts (CrisisDetector.prepare) and their labels.
   * Deterministic: the same examples and options always give the same model.
   */
  constructor(
    given: ReadonlyArray<{ prepared: string; label: ExampleLabel }>,
    options: Partial<ClassifierOptions> = {},
  ) {
    const o = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options };
    // A message is scored sentence by sentence too (the highest wins), so each sentence of an ordinary
    // message is also taught as ordinary: "Me and my husband. Good support, dry house." scored 0.95 on its
    // first sentence alone. Crisis examples stay whole (a sentence of one can be ordinary alone).
    const examples = o.sentences ? [...given, ...given.flatMap((e) => (e.label === 'none' ? sentencesOf(e.prepared) : []))] : given;
    const dim = 1 << o.bits;
    this.weights = new Float32Array(dim * K);
    this.featurizer = new Featurizer(dim - 1, o.charWeight, o.charMin, o.charMax);
    this.sentences = o.sentences;

    // Featurize once: the training set as compact sparse rows.
    const rows = examples.map(({ prepared, label }) => {
      const tokens = prepared.split(' ');
      const n = this.featurizer.extract(tokens, 0, tokens.length);
      const y = CLASSES.indexOf(label);
      if (y < 0) throw new Error(`unknown label "${label}"`);
      return { idx: this.featurizer.idx.slice(0, n), val: this.featurizer.val.slice(0, n), y, weight: y === 0 ? o.noneWeight : 1 };
    });

    this.meanFeatures = rows.reduce((sum, r) => sum + r.idx.length, 0) / Math.max(rows.length, 1);
    const w = this.weights;
    // Adagrad with one step size per feature (not per feature and class): a fifth of the square roots.
    const g2 = new Float32Array(dim).fill(1e-6);
    const biasG2 = new Float64Array(K).fill(1e-6);
    const p = new Float64Array(K);
    const grad = new Float64Array(K);
    // Each example's place in an epoch comes from a hash of its own text and the epoch, not from a
    // shuffle of the whole list: adding or removing one example leaves the others' order as it was
    // (with a shuffle, one more FAQ line reordered everything and moved unrelated scores).
    const textHash = examples.map(({ prepared }) => stringHash(prepared));
    const order = rows.map((_, i) => i);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const key = textHash.map((h) => fmix(h ^ Math.imul(epoch + 1, 0x9e3779b1)));
      order.sort((a, b) => key[a]! - key[b]! || a - b);
      for (const r of order) {
        const { idx, val, y, weight } = rows[r]!;
        this.forward(idx, val, idx.length, p);
        let norm = 0;
        for (let c = 0; c < K; c++) {
          const g = weight * (p[c]! - (c === y ? 1 : 0));
          grad[c] = g;
          norm += g * g;
          biasG2[c]! += g * g;
          this.bias[c]! -= (o.learningRate * g) / Math.sqrt(biasG2[c]!);
        }
        for (let f = 0; f < idx.length; f++) {
          const feature = idx[f]!;
          const v = val[f]!;
          g2[feature]! += norm * v * v;
          const step = o.learningRate / Math.sqrt(g2[feature]!);
          const base = feature * K;
          for (let c = 0; c < K; c++) {
            const at = base + c;
            w[at]! -= step * (grad[c]! * v + o.l2 * w[at]!);
          }
        }
      }
    }
  }

  /** The trained state as bytes (the artifact cache keeps it): mean features, biases, weights. */
  toBytes(): Buffer {
    const head = Float64Array.of(this.meanFeatures, ...this.bias);
    return Buffer.concat([Buffer.from(head.buffer), Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength)]);
  }

  /** A classifier with the state toBytes() wrote, for the same options; throws on bytes of another shape. */
  static fromBytes(bytes: Buffer, options: Partial<ClassifierOptions> = {}): CrisisClassifier {
    const o = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options };
    const dim = 1 << o.bits;
    const headBytes = (K + 1) * 8;
    if (bytes.length !== headBytes + dim * K * 4) throw new Error('crisis classifier bytes of the wrong size');
    // Copy out of the file's buffer: typed arrays need aligned offsets.
    const head = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + headBytes));
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset + headBytes, bytes.byteOffset + bytes.length));
    const model = Object.create(CrisisClassifier.prototype) as CrisisClassifier;
    Object.assign(model, {
      weights,
      bias: head.slice(1),
      featurizer: new Featurizer(dim - 1, o.charWeight, o.charMin, o.charMax),
      logits: new Float64Array(K),
      sentences: o.sentences,
      meanFeatures: head[0]!,
    });
    return model;
  }

  /** Softmax probabilities of the sparse row, written into out. */
  private forward(idx: Int32Array, val: Float32Array, n: number, out: Float64Array): void {
    const w = this.weights;
    for (let c = 0; c < K; c++) out[c] = this.bias[c]!;
    for (let f = 0; f < n; f++) {
      const base = idx[f]! * K;
      const v = val[f]!;
      for (let c = 0; c < K; c++) out[c]! += w[base + c]! * v;
    }
    let max = -Infinity;
    for (let c = 0; c < K; c++) if (out[c]! > max) max = out[c]!;
    let sum = 0;
    for (let c = 0; c < K; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < K; c++) out[c]! /= sum;
  }

  /**
   * The crisis score of a prepared text: 1 - P(none) and the likeliest kind.
   * A long message is scored by windows of whole sentences; the highest wins,
   * so a crisis sentence buried in a long story is not diluted.
   */
  score(prepared: string): ClassifierScore {
    const tokens = prepared.split(' ');
    const p = this.logits;
    let best: ClassifierScore = { kind: 'suicide', score: 0 };
    for (const [from, to] of windows(tokens, this.sentences)) {
      const n = this.featurizer.extract(tokens, from, to);
      if (n === 0) continue;
      this.forward(this.featurizer.idx, this.featurizer.val, n, p);
      const score = 1 - p[0]!;
      if (score > best.score) {
        let kind = 1;
        for (let c = 2; c < K; c++) if (p[c]! > p[kind]!) kind = c;
        best = { kind: CLASSES[kind] as CrisisKind, score };
      }
    }
    return best;
  }
}
