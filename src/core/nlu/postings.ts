/**
 * An inverted index in three flat arrays (compressed sparse rows): for each term, the
 * documents it occurs in and its weight there. One Int32Array and one Float64Array for
 * every term together instead of two typed arrays per term, which cost more in object
 * headers than in numbers (11,000 terms: about 10 MB less heap).
 */
export class Postings {
  private readonly slots = new Map<string, number>();
  /** Term slot s holds the postings starts[s] .. starts[s + 1] - 1. */
  readonly starts: Int32Array;
  readonly ids: Int32Array;
  readonly weights: Float64Array;

  constructor(lists: Map<string, Array<[id: number, weight: number]>>) {
    let total = 0;
    for (const list of lists.values()) total += list.length;
    this.starts = new Int32Array(lists.size + 1);
    this.ids = new Int32Array(total);
    this.weights = new Float64Array(total);
    let at = 0;
    let slot = 0;
    for (const [term, list] of lists) {
      this.slots.set(term, slot);
      this.starts[slot] = at;
      for (const [id, weight] of list) {
        this.ids[at] = id;
        this.weights[at] = weight;
        at++;
      }
      slot++;
    }
    this.starts[slot] = at;
  }

  /** The term's slot (its postings are starts[slot] .. starts[slot + 1] - 1), or -1 for a term no document has. */
  slot(term: string): number {
    return this.slots.get(term) ?? -1;
  }

  get size(): number {
    return this.slots.size;
  }
}
