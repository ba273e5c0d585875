/**
 * What a piece of pattern needs to find in the message before its RegExp is
 * worth running: one of these exact words, a word starting with one of these
 * stems, or a number. null means "cannot tell" (the piece may match nothing).
 * The detector indexes patterns by these anchors, so a message only runs the
 * few RegExps whose anchor words it contains. The RegExp still decides.
 */
export interface Anchors {
  words: Set<string>;
  stems: Set<string>;
  number: boolean;
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

export function anchorCost(a: Anchors): number {
  let cost = a.words.size + a.stems.size * 2 + (a.number ? 20 : 0);
  for (const w of a.words) if (COMMON.has(w)) cost += 50;
  return cost;
}

export function union(list: Array<Anchors | null>): Anchors | null {
  const out: Anchors = { words: new Set(), stems: new Set(), number: false };
  for (const a of list) {
    if (!a) return null;
    a.words.forEach((w) => out.words.add(w));
    a.stems.forEach((st) => out.stems.add(st));
    out.number ||= a.number;
  }
  return out;
}

export function cheapest(list: Array<Anchors | null>): Anchors | null {
  let best: Anchors | null = null;
  for (const a of list) if (a && (!best || anchorCost(a) < anchorCost(best))) best = a;
  return best;
}

/**
 * Which entries could match a message, from the words it contains. Built once;
 * candidates() costs a few map lookups per word of the message.
 */
export class AnchorIndex {
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
