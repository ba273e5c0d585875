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
  private readonly weights = new Map<string, Float64Array>();
  private readonly bias: Float64Array;

  constructor(
    private readonly classes: number,
    samples: Array<{ label: number; x: SparseVector }>,
    options: Partial<SoftmaxOptions> = {},
  ) {
    const o = { ...DEFAULTS, ...options };
    this.bias = new Float64Array(classes);
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
        const { label, x } = samples[idx]!;
        this.probabilities(x.terms, 1, probs);
        for (let c = 0; c < classes; c++) {
          const g = probs[c]! - (c === label ? 1 : 0);
          biasGrad2[c]! += g * g;
          this.bias[c]! -= (o.learningRate * g) / Math.sqrt(biasGrad2[c]!);
        }
        for (const [term, value] of x.terms) {
          let w = this.weights.get(term);
          let g2 = grad2.get(term);
          if (!w || !g2) {
            w = new Float64Array(classes);
            g2 = new Float64Array(classes).fill(1e-8);
            this.weights.set(term, w);
            grad2.set(term, g2);
          }
          for (let c = 0; c < classes; c++) {
            const g = (probs[c]! - (c === label ? 1 : 0)) * value + o.l2 * w[c]!;
            g2[c]! += g * g;
            w[c]! -= (o.learningRate * g) / Math.sqrt(g2[c]!);
          }
        }
      }
    }
  }

  /** The trained state as bytes (the artifact cache keeps it): a JSON header of terms, then the numbers. */
  toBytes(): Buffer {
    const terms = [...this.weights.keys()];
    const header = Buffer.from(JSON.stringify({ classes: this.classes, terms }), 'utf8');
    const numbers = new Float64Array(this.classes * (terms.length + 1));
    numbers.set(this.bias);
    terms.forEach((term, i) => numbers.set(this.weights.get(term)!, this.classes * (i + 1)));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    return Buffer.concat([length, header, Buffer.from(numbers.buffer)]);
  }

  /** A classifier with the state toBytes() wrote; throws on bytes of another shape. */
  static fromBytes(bytes: Buffer): SoftmaxClassifier {
    const headerEnd = 4 + bytes.readUInt32LE(0);
    const { classes, terms } = JSON.parse(bytes.subarray(4, headerEnd).toString('utf8')) as { classes: number; terms: string[] };
    const numbers = new Float64Array(bytes.buffer.slice(bytes.byteOffset + headerEnd, bytes.byteOffset + bytes.length));
    if (numbers.length !== classes * (terms.length + 1)) throw new Error('softmax classifier bytes of the wrong size');
    const model = Object.create(SoftmaxClassifier.prototype) as SoftmaxClassifier;
    const weights = new Map(terms.map((term, i) => [term, numbers.subarray(classes * (i + 1), classes * (i + 2))]));
    Object.assign(model, { classes, bias: numbers.slice(0, classes), weights });
    return model;
  }

  /** Class probabilities for the feature vector terms × scale, written into out (allocated when omitted). */
  probabilities(terms: Map<string, number>, scale = 1, out: Float64Array = new Float64Array(this.classes)): Float64Array {
    out.set(this.bias);
    for (const [term, raw] of terms) {
      const w = this.weights.get(term);
      if (!w) continue;
      const value = raw * scale;
      for (let c = 0; c < this.classes; c++) out[c]! += w[c]! * value;
    }
    let max = -Infinity;
    for (let c = 0; c < this.classes; c++) if (out[c]! > max) max = out[c]!;
    let sum = 0;
    for (let c = 0; c < this.classes; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < this.classes; c++) out[c]! /= sum;
    return out;
  }
}
