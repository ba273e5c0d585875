/**
 * A small multinomial logistic-regression classifier over sparse feature
 * vectors. Nearest-neighbour similarity finds what a message resembles; this
 * learns which words tell confusable entries apart (PHP vs levels of care,
 * cost vs insurance). Trained at start-up in well under a second, deterministic.
 */
export interface SparseVector {
  terms: Map<string, number>;
}

export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  l2: number;
}

const DEFAULTS: SoftmaxOptions = { epochs: 40, learningRate: 0.5, l2: 1e-4 };

/** This module's file: cached models are keyed on its content, so a change to training retrains. */
export const SOFTMAX_SOURCE = __filename;

export class SoftmaxClassifier {
  /** Term -> the offset of its row in `numbers` (a row per term: one weight per class). */
  private readonly rows = new Map<string, number>();
  /** The bias (the first `classes` numbers), then every term's row: one array, not one per term (about 2 MB less heap). */
  private numbers: Float64Array;

  constructor(
    private readonly classes: number,
    samples: Array<{ label: number; x: SparseVector; weight?: number }>,
    options: Partial<SoftmaxOptions> = {},
  ) {
    const o = { ...DEFAULTS, ...options };
    const bias = new Float64Array(classes);
    // While training, a row per term as it is first seen; packed into `numbers` at the end.
    const weights = new Map<string, Float64Array>();
    this.numbers = bias;
    const order = samples.map((_, i) => i);
    const probs = new Float64Array(classes);
    // Adagrad-style per-weight step sizes keep rare, telling words learning fast.
    const grad2 = new Map<string, Float64Array>();
    const biasGrad2 = new Float64Array(classes).fill(1e-8);
    let seed = 42;
    const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const idx of order) {
        // A sample's weight scales its whole gradient (entries with many phrasings weigh no more than others).
        const { label, x, weight = 1 } = samples[idx]!;
        softmax(classes, bias, (term) => weights.get(term), x.terms, 1, probs);
        for (let c = 0; c < classes; c++) {
          const g = (probs[c]! - (c === label ? 1 : 0)) * weight;
          biasGrad2[c]! += g * g;
          bias[c]! -= (o.learningRate * g) / Math.sqrt(biasGrad2[c]!);
        }
        for (const [term, value] of x.terms) {
          let w = weights.get(term);
          let g2 = grad2.get(term);
          if (!w || !g2) {
            w = new Float64Array(classes);
            g2 = new Float64Array(classes).fill(1e-8);
            weights.set(term, w);
            grad2.set(term, g2);
          }
          for (let c = 0; c < classes; c++) {
            const g = (probs[c]! - (c === label ? 1 : 0)) * value * weight + o.l2 * w[c]!;
            g2[c]! += g * g;
            w[c]! -= (o.learningRate * g) / Math.sqrt(g2[c]!);
          }
        }
      }
    }
    this.numbers = new Float64Array(classes * (weights.size + 1));
    this.numbers.set(bias);
    let row = classes;
    for (const [term, w] of weights) {
      this.numbers.set(w, row);
      this.rows.set(term, row);
      row += classes;
    }
  }

  /** The trained state as bytes (the artifact cache keeps it): a JSON header of terms, then the numbers. */
  toBytes(): Buffer {
    // Rows are packed in the order of `rows`: the header lists the terms in that order.
    const terms = [...this.rows.keys()];
    const header = Buffer.from(JSON.stringify({ classes: this.classes, terms }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    return Buffer.concat([length, header, Buffer.from(this.numbers.buffer, this.numbers.byteOffset, this.numbers.byteLength)]);
  }

  /** A classifier with the state toBytes() wrote; throws on bytes of another shape. */
  static fromBytes(bytes: Buffer): SoftmaxClassifier {
    const headerEnd = 4 + bytes.readUInt32LE(0);
    const { classes, terms } = JSON.parse(bytes.subarray(4, headerEnd).toString('utf8')) as { classes: number; terms: string[] };
    const numbers = new Float64Array(bytes.buffer.slice(bytes.byteOffset + headerEnd, bytes.byteOffset + bytes.length));
    if (numbers.length !== classes * (terms.length + 1)) throw new Error('softmax classifier bytes of the wrong size');
    const model = Object.create(SoftmaxClassifier.prototype) as SoftmaxClassifier;
    const rows = new Map(terms.map((term, i) => [term, classes * (i + 1)]));
    Object.assign(model, { classes, numbers, rows });
    return model;
  }

  /** Class probabilities for the feature vector terms × scale, written into out (allocated when omitted). */
  probabilities(terms: Map<string, number>, scale = 1, out: Float64Array = new Float64Array(this.classes)): Float64Array {
    const { classes, numbers, rows } = this;
    for (let c = 0; c < classes; c++) out[c] = numbers[c]!;
    for (const [term, raw] of terms) {
      const row = rows.get(term);
      if (row === undefined) continue;
      const value = raw * scale;
      for (let c = 0; c < classes; c++) out[c]! += numbers[row + c]! * value;
    }
    return normalize(classes, out);
  }
}

/** The training-time forward pass: the same sums as probabilities(), over rows still kept per term. */
function softmax(classes: number, bias: Float64Array, row: (term: string) => Float64Array | undefined, terms: Map<string, number>, scale: number, out: Float64Array): Float64Array {
  out.set(bias);
  for (const [term, raw] of terms) {
    const w = row(term);
    if (!w) continue;
    const value = raw * scale;
    for (let c = 0; c < classes; c++) out[c]! += w[c]! * value;
  }
  return normalize(classes, out);
}

/** Logits to probabilities, in place. */
function normalize(classes: number, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) if (out[c]! > max) max = out[c]!;
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < classes; c++) out[c]! /= sum;
  return out;
}
