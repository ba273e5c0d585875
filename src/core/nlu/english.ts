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
type WordSets = Record<keyof WordLists, ReadonlySet<string>>;
let sets: WordSets | null = null;

/**
 * Tags of words that say how, when or how much, not what about: adverbs, prepositions,
 * conjunctions, determiners, pronouns, modals, interjections ("somehow", "anyway", "pretty").
 */
const FUNCTION_TAGS = new Set(['RB', 'RBR', 'RBS', 'WRB', 'IN', 'CC', 'DT', 'PDT', 'WDT', 'PRP', 'PRP$', 'WP', 'WP$', 'MD', 'UH', 'TO', 'EX', 'RP']);

/** The word sets, read once (from the artifact cache: parsing the 90,000-entry lexicon was a tenth of start-up). */
function loaded(): WordSets {
  if (sets) return sets;
  const file = require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
  const text = readFileSync(file, 'utf8');
  const lists = cached('english-words', cacheKey(text, sourceHash(__filename)), wordListsCodec, () => wordLists(text));
  sets = { words: new Set(lists.words), fn: new Set(lists.fn), proper: new Set(lists.proper), named: new Set(lists.named), nouns: new Set(lists.nouns) };
  return sets;
}

type WordLists = Record<'words' | 'fn' | 'proper' | 'named' | 'nouns', string[]>;
const LIST_NAMES = ['words', 'fn', 'proper', 'named', 'nouns'] as const;

/** One list a line block, blocks apart by NUL: a fraction of the lexicon's JSON to read back. */
const wordListsCodec = {
  encode: (l: WordLists) => Buffer.from(LIST_NAMES.map((n) => l[n].join('\n')).join('\u0000'), 'utf8'),
  decode: (b: Buffer): WordLists => {
    const blocks = b.toString('utf8').split('\u0000');
    if (blocks.length !== LIST_NAMES.length) throw new Error('word lists of another shape');
    return Object.fromEntries(LIST_NAMES.map((n, i) => [n, blocks[i] ? blocks[i]!.split('\n') : []])) as WordLists;
  },
};

function wordLists(text: string): WordLists {
  const lexicon = JSON.parse(text) as Record<string, unknown>;
  const words = new Set<string>();
  const fn = new Set<string>();
  const properNouns = new Set<string>();
  const nouns = new Set<string>();
  for (const [word, tags] of Object.entries(lexicon)) {
    if (!/^[A-Za-z]+$/.test(word)) continue;
    // Names count too ("Taylor", "Maine"): the speller sees them lower-cased.
    const w = word.toLowerCase();
    words.add(w);
    const first = Array.isArray(tags) ? String(tags[0]) : '';
    // The first tag is the word's most frequent use.
    if (word === w && FUNCTION_TAGS.has(first)) fn.add(w);
    if (word !== w && /^[A-Z][a-z]+$/.test(word) && (first === 'NNP' || first === 'NNPS')) properNouns.add(w);
    if (word === w && Array.isArray(tags) && tags.every((t) => t === 'NN' || t === 'NNS')) nouns.add(w);
  }
  // A proper noun whose lower-case form is no word, or only a noun ("maria" is a plural of mare): "im linda" names someone.
  const named = new Set<string>();
  for (const w of properNouns) {
    const tags = lexicon[w];
    if (!Array.isArray(tags) || tags.every((t) => t === 'NN' || t === 'NNS')) named.add(w);
  }
  return { words: [...words], fn: [...fn], proper: [...properNouns], named: [...named], nouns: [...nouns] };
}

export function englishWords(): ReadonlySet<string> {
  return loaded().words;
}

/** English words whose most frequent use is a function word or an adverb (first tag in FUNCTION_TAGS). */
export function functionWords(): ReadonlySet<string> {
  return loaded().fn;
}

/** Lower-cased words whose capitalised form is mostly a proper noun ("Linda", "Hope", "Boston"). */
export function properNouns(): ReadonlySet<string> {
  return loaded().proper;
}

/** Proper nouns that are no ordinary lower-case word either: a name even when typed in lower case ("linda", "maria"). */
export function nameLikeWords(): ReadonlySet<string> {
  return loaded().named;
}

/** Lower-case words that are only ever nouns ("destiny", "hunter"): capitalised mid-sentence, most likely a name. */
export function nounOnlyWords(): ReadonlySet<string> {
  return loaded().nouns;
}
