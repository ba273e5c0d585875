import { existsSync } from 'node:fs';
import * as path from 'node:path';
// The Spanish Porter stemmer's own module (the stemmers index loads every language's).
import PorterStemmerEs from 'natural/lib/natural/stemmers/porter_stemmer_es';
import { words as spanishStopwords } from 'natural/lib/natural/util/stopwords_es';
import { z } from 'zod';
import { KnowledgeFileError, loadYamlFile, type KnowledgeBase } from '../knowledge/load';
import { LexiconFileSchema, OffTopicFileSchema } from '../knowledge/schema';
import { basicNormalize, words } from '../text/normalize';
import { englishWords } from './english';
import { detectLanguage, type Language } from './language';
import { Recognizer, type Recognition } from './recognizer';

/** What the turn asks of intent matching, in either language. */
export interface IntentRecognizer {
  recognize(text: string): Recognition;
  programsNamed(text: string): Set<string>;
  /** The program an entry describes, as programsNamed names it ('iop', 'php', 'detox'…), or undefined. */
  programOf(entryId: string): string | undefined;
  /** The message's language: "hay parqueo?" is Spanish though its function words are too few to tell. `normalized`: basicNormalize(text), when known. */
  languageOf(text: string, normalized?: string): Language;
}

const PhrasingsSchema = z.record(z.string(), z.array(z.string().min(1)));
/** Question words natural lists as stop words that decide the topic here ("donde": location, "cuanto": cost). */
const KEEP = new Set(['donde', 'cuando', 'quien', 'cual', 'como', 'no', 'sin', 'contra', 'durante', 'poco']);

/**
 * The English recognizer and, when knowledge/es/ has its phrasings, a Spanish one over
 * the same entries: trained on visitors' Spanish (knowledge/es/phrasings.yaml), read with
 * Spanish shorthand, synonyms and stemming (knowledge/es/lexicon.yaml), declining
 * knowledge/es/off-topic.yaml. A Spanish message goes to the Spanish one; Spanglish
 * the Spanish one cannot place ("tienen IOP de noche?") is tried in English too.
 */
export class BilingualRecognizer implements IntentRecognizer {
  /** Words of the Spanish phrasings that are no English word ("parqueo", "aseguranza", "bendiga"). */
  private readonly spanishOnly: Set<string>;
  /** Built on first need (a third of start-up otherwise): null when there is no Spanish. */
  private built: Recognizer | null | undefined;
  /** The texts last asked about: a turn asks several times about the same message and its parts. */
  private readonly seen = new Map<string, Language>();

  constructor(
    readonly english: Recognizer,
    private readonly buildSpanish?: () => Recognizer,
    spanishVocabulary: Iterable<string> = [],
  ) {
    const dictionary = englishWords();
    this.spanishOnly = new Set([...spanishVocabulary].filter((w) => w.length > 2 && /^\p{L}+$/u.test(w) && !dictionary.has(w)));
  }

  /** The Spanish recognizer, built the first time it is needed. */
  get spanish(): Recognizer | undefined {
    if (this.built === undefined) this.built = this.buildSpanish?.() ?? null;
    return this.built ?? undefined;
  }

  /** Build the Spanish recognizer now (after start-up, so the first Spanish visitor does not wait for it). */
  warm(): void {
    void this.spanish;
  }

  languageOf(text: string, normalized?: string): Language {
    const known = this.seen.get(text);
    if (known) return known;
    const language = this.readLanguage(text, normalized ?? basicNormalize(text));
    if (this.seen.size >= 16) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(text, language);
    return language;
  }

  private readLanguage(text: string, normalized: string): Language {
    const tokens = words(normalized);
    if (detectLanguage(text, tokens) === 'es') return 'es';
    if (!this.buildSpanish) return 'en';
    // Too few function words to tell: as many words only Spanish visitors use as other words. Not
    // from one word alone: a first name ("Jose") at the callback's name step is no language.
    const spanish = tokens.filter((t) => this.spanishOnly.has(t)).length;
    return tokens.length > 1 && spanish > 0 && spanish >= tokens.length - spanish ? 'es' : 'en';
  }

  static fromKnowledge(kb: Pick<KnowledgeBase, 'dir' | 'faq' | 'lexicon' | 'offTopic'>, english = new Recognizer(kb)): BilingualRecognizer {
    const spanish = spanishRecognizer(kb);
    return new BilingualRecognizer(english, spanish?.build, spanish?.vocabulary);
  }

  recognize(text: string): Recognition {
    if (!this.buildSpanish || this.languageOf(text) !== 'es') return this.english.recognize(text);
    const es = this.spanish!.recognize(text);
    if (es.outcome === 'confident' || es.offTopic) return es;
    const en = this.english.recognize(text);
    return en.outcome === 'confident' ? { ...en, language: 'es' } : es;
  }

  programsNamed(text: string): Set<string> {
    return this.english.programsNamed(text);
  }

  programOf(entryId: string): string | undefined {
    return this.english.programOf(entryId);
  }
}

/**
 * How to build the Spanish recognizer, and the words it is taught, or undefined when knowledge/es/
 * has no phrasings. The files are read and checked now (a broken file stops start-up); the
 * recognizer itself is built on `build()`.
 */
export function spanishRecognizer(kb: Pick<KnowledgeBase, 'dir' | 'faq'>): { build: () => Recognizer; vocabulary: Set<string> } | undefined {
  const dir = path.join(kb.dir, 'es');
  const phrasingsFile = path.join(dir, 'phrasings.yaml');
  if (!existsSync(phrasingsFile)) return undefined;
  const phrasings = loadYamlFile(phrasingsFile, PhrasingsSchema);
  const lexicon = loadYamlFile(path.join(dir, 'lexicon.yaml'), LexiconFileSchema);
  const offTopic = loadYamlFile(path.join(dir, 'off-topic.yaml'), OffTopicFileSchema);
  const unknown = Object.keys(phrasings).filter((id) => !kb.faq.entries.some((e) => e.id === id));
  if (unknown.length) throw new KnowledgeFileError(phrasingsFile, unknown.map((id) => `${id}: no entry "${id}" in faq.yaml`));
  const stopwords = [...lexicon.stopwords, ...spanishStopwords.map((w) => basicNormalize(w)).filter((w) => /^\p{L}+$/u.test(w) && !KEEP.has(w))];
  // The same entries, in the same order, asked in Spanish: an entry without Spanish phrasings is never matched in Spanish.
  const entries = kb.faq.entries.map((e) => ({ ...e, questions: phrasings[e.id] ?? [], synonyms: [] }));
  const build = () => new Recognizer({ faq: { entries }, lexicon: { ...lexicon, stopwords }, offTopic }, undefined, { stem: (w) => PorterStemmerEs.stem(w) });
  const vocabulary = new Set(Object.values(phrasings).flatMap((list) => list.flatMap((q) => words(basicNormalize(q)))));
  return { build, vocabulary };
}
