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

export function englishWords(): ReadonlySet<string> {
  if (!english) {
    const file = require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
    const lexicon = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // Names count too ("Taylor", "Maine"): the speller sees them lower-cased.
    english = new Set(Object.keys(lexicon).filter((w) => /^[A-Za-z]+$/.test(w)).map((w) => w.toLowerCase()));
  }
  return english;
}
