import { readFileSync } from 'node:fs';

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
let proper: ReadonlySet<string> | null = null;
let nameLike: ReadonlySet<string> | null = null;
let nounsOnly: ReadonlySet<string> | null = null;

/**
 * Tags of words that say how, when or how much, not what about: adverbs, prepositions,
 * conjunctions, determiners, pronouns, modals, interjections ("somehow", "anyway", "pretty").
 */
const FUNCTION_TAGS = new Set(['RB', 'RBR', 'RBS', 'WRB', 'IN', 'CC', 'DT', 'PDT', 'WDT', 'PRP', 'PRP$', 'WP', 'WP$', 'MD', 'UH', 'TO', 'EX', 'RP']);

function load(): void {
  const file = require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
  const lexicon = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
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
  english = words;
  functional = fn;
  proper = properNouns;
  nameLike = named;
  nounsOnly = nouns;
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

/** Lower-cased words whose capitalised form is mostly a proper noun ("Linda", "Hope", "Boston"). */
export function properNouns(): ReadonlySet<string> {
  if (!proper) load();
  return proper!;
}

/** Proper nouns that are no ordinary lower-case word either: a name even when typed in lower case ("linda", "maria"). */
export function nameLikeWords(): ReadonlySet<string> {
  if (!nameLike) load();
  return nameLike!;
}

/** Lower-case words that are only ever nouns ("destiny", "hunter"): capitalised mid-sentence, most likely a name. */
export function nounOnlyWords(): ReadonlySet<string> {
  if (!nounsOnly) load();
  return nounsOnly!;
}
