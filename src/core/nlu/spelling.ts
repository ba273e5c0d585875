import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance';

/**
 * Spelling correction against the knowledge base's own vocabulary, so a typo
 * can only become a word the bot knows ("theraphy" -> "therapy"). Candidates
 * are found with symmetric deletes (one lookup per deletion variant instead of
 * a distance to every word), then ranked by natural's Damerau-Levenshtein
 * distance and the word's frequency in the knowledge base.
 */
export class SpellingCorrector {
  private readonly frequency = new Map<string, number>();
  private readonly deletes = new Map<string, string[]>();
  private readonly cache = new Map<string, string | null>();
  private static readonly CACHE_LIMIT = 5000;
  /** The longest word a typo may become: a word longer by more than its edits can become none. */
  private readonly longest: number = 0;

  /**
   * @param vocabulary the words a typo may become (with repeats: frequency breaks ties).
   * @param keep real words that are never corrected, though the vocabulary lacks them.
   */
  constructor(
    vocabulary: Iterable<string>,
    private readonly keep: ReadonlySet<string> = new Set(),
  ) {
    for (const word of vocabulary) this.frequency.set(word, (this.frequency.get(word) ?? 0) + 1);
    for (const word of this.frequency.keys()) {
      if (word.length < 4 || /\d/.test(word)) continue;
      this.longest = Math.max(this.longest, word.length);
      for (const variant of deletionVariants(word, maxDistance(word.length))) {
        const list = this.deletes.get(variant);
        if (list) list.push(word);
        else this.deletes.set(variant, [word]);
      }
    }
  }

  has(word: string): boolean {
    return this.frequency.has(word);
  }

  /** The corrected word, or the word itself when it is known, a real word, short, or has no close match. */
  correct(word: string): string {
    // A dropped g, as typed on phones ("workin", "doin", "goin"), when the -ing word is known.
    if (word.endsWith('in') && !this.frequency.has(word) && this.frequency.has(`${word}g`)) return `${word}g`;
    if (word.length < 4 || this.frequency.has(word) || this.keep.has(word) || /\d/.test(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached ?? word;

    const limit = maxDistance(word.length);
    // No word of the vocabulary is within `limit` edits (each changes the length by one at most); and the
    // deletion variants grow as length^3 (a 2,000-letter "word" built 2 million strings, 30 s of blocked event loop).
    if (word.length - limit > this.longest) return word;
    let best: string | null = null;
    let bestDistance = Infinity;
    let bestFrequency = -1;
    const seen = new Set<string>();
    for (const variant of deletionVariants(word, limit)) {
      for (const candidate of this.deletes.get(variant) ?? []) {
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        const distance = DamerauLevenshteinDistance(word, candidate, { restricted: true });
        const frequency = this.frequency.get(candidate) ?? 0;
        if (distance <= limit && (distance < bestDistance || (distance === bestDistance && frequency > bestFrequency))) {
          best = candidate;
          bestDistance = distance;
          bestFrequency = frequency;
        }
      }
    }
    if (this.cache.size >= SpellingCorrector.CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, best);
    return best ?? word;
  }
}

/** Short words tolerate one edit, long ones two: "detx" -> "detox", "outpatiant" -> "outpatient". */
function maxDistance(length: number): number {
  return length >= 8 ? 2 : 1;
}

/** The word and every string made from it by deleting up to `depth` letters. */
function deletionVariants(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return out;
}
