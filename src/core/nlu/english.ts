import { readFileSync } from 'node:fs';
import { cached, cacheKey, sourceHash } from '../cache/artifactCache';

/**
 * English words the speller must leave alone. The spelling corrector only knows
 * the knowledge base's own vocabulary, so without this it turned ordinary words
 * into the nearest domain word ("joke" -> "coke", "rice" -> "price", "drain" ->
 * "train"), and an off-topic message then looked like a question about drugs,
 * cost or transit. The list is the English lexicon natural ships for its Brill
 * part-of-speech tagger (about 90,000 words); only the words are kept.
 */
let english: ReadonlySet<string> | null = null;
let functional: ReadonlySet<string> | null = null;

/**
 * Tags of words that say how, when or how much, not what about: adverbs, prepositions,
 * conjunctions, determiners, pronouns, modals, interjections ("somehow", "anyway", "pretty").
 */
const FUNCTION_TAGS = new Set(['RB', 'RBR', 'RBS', 'WRB', 'IN', 'CC', 'DT', 'PDT', 'WDT', 'PRP', 'PRP$', 'WP', 'WP$', 'MD', 'UH', 'TO', 'EX', 'RP']);

function load(): void {
  const file = require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
  const text = readFileSync(file, 'utf8');
  // Parsing the 90,000-entry lexicon was a tenth of start-up: the two word lists come from the artifact cache.
  const lists = cached('english-words', cacheKey(text, sourceHash(__filename)), wordListsCodec, () => wordLists(text));
  english = new Set(lists.words);
  functional = new Set(lists.fn);
}

const wordListsCodec = {
  encode: (l: { words: string[]; fn: string[] }) => Buffer.from(`${l.words.join('\n')}\u0000${l.fn.join('\n')}`, 'utf8'),
  decode: (b: Buffer) => {
    const [words = '', fn = ''] = b.toString('utf8').split('\u0000');
    return { words: words.split('\n'), fn: fn.split('\n') };
  },
};

function wordLists(text: string): { words: string[]; fn: string[] } {
  const lexicon = JSON.parse(text) as Record<string, unknown>;
  const words = new Set<string>();
  const fn = new Set<string>();
  for (const [word, tags] of Object.entries(lexicon)) {
    if (!/^[A-Za-z]+$/.test(word)) continue;
    // Names count too ("Taylor", "Maine"): the speller sees them lower-cased.
    const w = word.toLowerCase();
    words.add(w);
    // The first tag is the word's most frequent use.
    if (word === w && Array.isArray(tags) && FUNCTION_TAGS.has(String(tags[0]))) fn.add(w);
  }
  return { words: [...words], fn: [...fn] };
}

export function englishWords(): ReadonlySet<string> {
  if (!english) load();
  return english!;
}

/** English words whose most frequent use is a function word or an adverb (first tag in FUNCTION_TAGS). */
export function functionWords(): ReadonlySet<string> {
  if (!functional) load();
  return functional!;
}
