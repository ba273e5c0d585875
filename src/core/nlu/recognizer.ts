// The Porter stemmer's own module: the stemmers index loads every language's stemmer (70 ms of start-up).
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import type { KnowledgeBase } from '../knowledge/load';
import type { Entry, Lexicon } from '../knowledge/schema';
import { basicNormalize, words } from '../text/normalize';
import { detectLanguage, type Language } from './language';
import { cached, cacheKey, sourceHash } from '../cache/artifactCache';
import { SOFTMAX_SOURCE, SoftmaxClassifier, type SparseVector } from './softmax';
import { englishWords, functionWords } from './english';
import { SpellingCorrector } from './spelling';
import { Postings } from './postings';

export interface Candidate {
  id: string;
  score: number;
}

/** confident: answer. ambiguous: "did you mean". none: honest fallback. */
export type Outcome = 'confident' | 'ambiguous' | 'none';

export interface Recognition {
  outcome: Outcome;
  language: Language;
  /** Best first, one per entry, at most five. */
  candidates: Candidate[];
  /** Declined because the off-topic examples came close ("evening yoga in somerville"), not for want of a match. */
  offTopic?: boolean;
}

/**
 * Score thresholds, calibrated on eval/intents.yaml with `npm run eval`
 * (which prints the sweep). Scores are cosine similarities in [0, 1].
 */
export interface Thresholds {
  /** At or above: answer, provided the runner-up is far enough behind. */
  confident: number;
  /** The lead the best entry needs over the runner-up to answer outright. */
  margin: number;
  /** At or above this the margin no longer matters. */
  certain: number;
  /** At or above (and not confident): "did you mean". Below: fallback. */
  ambiguous: number;
  /**
   * A clear lead: below `confident`, the best entry is still answered when it scores at least
   * `clear` and leads the runner-up by `clearMargin`, provided the message is mostly words the
   * bot knows (at most `unknownShare` of its weight on words no entry uses) and the off-topic
   * reading is weak (below `offTopicDoubt` of the best score).
   */
  clear: number;
  clearMargin: number;
  unknownShare: number;
  offTopicDoubt: number;
  /** At or above this share of the message's weight on unknown words, no "did you mean": fallback. */
  unknownDoubt: number;
  /**
   * Below `certain`, decline (fallback) when the off-topic examples score at least this share of
   * the best entry: a message that is plainly about one of them ("what time is it in tokyo",
   * "evening yoga classes near cambridge") gets the honest decline, not a "did you mean" with
   * unrelated programs. At `certain` and above only a higher off-topic score declines: a one-word
   * question ("parking?") shares its word with near-miss examples too.
   */
  offTopicRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  confident: 0.6,
  margin: 0.08,
  certain: 0.7,
  ambiguous: 0.25,
  clear: 0.33,
  clearMargin: 0.12,
  unknownShare: 0.2,
  offTopicDoubt: 0.2,
  unknownDoubt: 0.5,
  offTopicRatio: 0.32,
};

/** How many recent texts' recognitions are kept (a turn asks about a handful). */
const RECENT = 16;

/** Feature weights: phrases (two words in a row) carry more meaning than either word. */
const BIGRAM_WEIGHT = 0.6;
/** An entry's score blends its nearest training question with its whole vocabulary. */
const NEAREST_WEIGHT = 0.6;
/** How much the trained classifier's probability counts against plain similarity. */
const CLASSIFIER_WEIGHT = 0.5;

interface Vector {
  terms: Map<string, number>;
  norm: number;
  /** The part of norm² carried by words no training phrase uses. */
  unknown: number;
}

/**
 * Intent matching over the knowledge base, built on natural's stemmer and
 * distance functions: normalize (case, contractions, SMS shorthand, spelling
 * against the KB's own vocabulary), map domain synonyms, stem, then rank
 * entries by TF-IDF cosine similarity to their training questions.
 */
export class Recognizer {
  private readonly shorthand: Map<string, string[]>;
  private readonly stopwords: Set<string>;
  private readonly synonymPattern: RegExp | null;
  private readonly synonymOf = new Map<string, string>();
  private readonly topicTokens: Set<string>;
  /** Opening greetings and thanks, as token sequences, longest first. */
  private readonly openers: string[][];
  /** Closing thanks and goodbyes, as token sequences, longest first. */
  private readonly closers: string[][];
  /** Every word of the openers and closers ("ok", "thanks", "hi"): no content of their own. */
  private readonly courtesy: Set<string>;
  private readonly speller: SpellingCorrector;
  /** English adverbs and function words: in a message, those no training phrase uses are skipped like stop words. */
  private readonly functionWords = functionWords();
  private readonly stemCache = new Map<string, string>();
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  /** term -> the training questions that contain it, with the term's weight there (flat typed arrays: this is the hot loop). */
  private readonly index: Postings;
  /** term -> the entries whose centroid contains it, with its weight there. */
  private readonly centroidIndex: Postings;
  private readonly questionEntry: number[] = [];
  private readonly questionNorm: number[] = [];
  private readonly centroidNorm: number[] = [];
  private readonly entries: Entry[];
  private readonly offTopicIndex: number;
  private readonly recent = new Map<string, Recognition>();
  /** lexicon.yaml namedPrograms: a program's word -> its entry, and the entries about IOP alone. */
  private readonly namedPrograms: Map<string, string>;
  private readonly aboutIop: Set<string>;
  private readonly classifier: SoftmaxClassifier;
  private readonly dotScratch: Float64Array;
  private readonly centroidScratch: Float64Array;

  /** The stemmer of the training phrases' language (English Porter unless told otherwise: the Spanish recognizer's). */
  private readonly stemmer: (word: string) => string;

  constructor(
    kb: Pick<KnowledgeBase, 'faq' | 'lexicon' | 'offTopic'>,
    readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
    options: { stem?: (word: string) => string } = {},
  ) {
    this.stemmer = options.stem ?? ((w) => PorterStemmer.stem(w));
    const lexicon: Lexicon = kb.lexicon;
    this.entries = kb.faq.entries;
    this.stopwords = new Set(lexicon.stopwords.map((w) => basicNormalize(w)));
    this.shorthand = new Map();
    for (const [k, v] of [...Object.entries(lexicon.contractions), ...Object.entries(lexicon.shorthand)]) {
      this.shorthand.set(basicNormalize(k), words(basicNormalize(v)));
    }

    this.topicTokens = new Set(lexicon.topics.map((t) => basicNormalize(t)));
    this.namedPrograms = new Map(Object.entries(lexicon.namedPrograms.entries));
    this.aboutIop = new Set(lexicon.namedPrograms.aboutIop);
    this.openers = lexicon.openers.map((o) => words(basicNormalize(o))).filter((o) => o.length).sort((a, b) => b.length - a.length);
    this.closers = lexicon.closers.map((o) => words(basicNormalize(o))).filter((o) => o.length).sort((a, b) => b.length - a.length);
    this.courtesy = new Set([...this.openers, ...this.closers].flat());
    const phrases: string[] = [];
    for (const [canonical, list] of Object.entries(lexicon.synonyms)) {
      for (const phrase of list) {
        const p = basicNormalize(phrase);
        if (p && p !== canonical) {
          this.synonymOf.set(p, canonical);
          phrases.push(p);
        }
      }
    }
    phrases.sort((a, b) => b.length - a.length);
    this.synonymPattern = phrases.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'gu')
      : null;

    // The speller's vocabulary is every word the bot could match on.
    const vocabulary: string[] = [];
    const addWords = (text: string) => {
      for (const w of words(basicNormalize(text))) vocabulary.push(w);
    };
    for (const entry of this.entries) {
      entry.questions.forEach(addWords);
      entry.morePhrasings.forEach(addWords);
      entry.synonyms.forEach(addWords);
      addWords(entry.title);
    }
    for (const [canonical, list] of Object.entries(lexicon.synonyms)) {
      addWords(canonical);
      list.forEach(addWords);
    }
    for (const expansion of this.shorthand.values()) vocabulary.push(...expansion);
    vocabulary.push(...this.stopwords);
    this.speller = new SpellingCorrector(vocabulary, englishWords());

    // Training documents: each question (plus each synonym line) of each entry.
    const docs: Array<{ entry: number; features: Map<string, number> }> = [];
    this.entries.forEach((entry, e) => {
      for (const q of [...entry.questions, ...entry.morePhrasings, ...entry.synonyms]) {
        docs.push({ entry: e, features: this.features(q) });
      }
    });
    // Off-topic examples form one more pseudo-entry: when it wins, the bot declines honestly.
    this.offTopicIndex = this.entries.length;
    for (const q of kb.offTopic.examples) docs.push({ entry: this.offTopicIndex, features: this.features(q) });

    // IDF over entries, not questions: a word used by every question of one entry is still specific.
    const entryDf = new Map<string, Set<number>>();
    for (const d of docs) {
      for (const term of d.features.keys()) {
        let set = entryDf.get(term);
        if (!set) entryDf.set(term, (set = new Set()));
        set.add(d.entry);
      }
    }
    const n = this.entries.length + 1;
    for (const [term, set] of entryDf) this.idf.set(term, Math.log(1 + n / set.size));
    this.maxIdf = Math.log(1 + n);

    const centroidTerms = [...this.entries, null].map(() => new Map<string, number>());
    const postings = new Map<string, Array<[number, number]>>();
    docs.forEach((d, qi) => {
      const vector = this.weigh(d.features);
      this.questionEntry.push(d.entry);
      this.questionNorm.push(vector.norm);
      for (const [term, w] of vector.terms) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push([qi, w]);
        const c = centroidTerms[d.entry]!;
        c.set(term, (c.get(term) ?? 0) + w / (vector.norm || 1));
      }
    });
    this.index = new Postings(postings);
    const byTerm = new Map<string, Array<[number, number]>>();
    centroidTerms.forEach((terms, e) => {
      let sum = 0;
      for (const w of terms.values()) sum += w * w;
      this.centroidNorm.push(Math.sqrt(sum));
      for (const [term, w] of terms) {
        let list = byTerm.get(term);
        if (!list) byTerm.set(term, (list = []));
        list.push([e, w]);
      }
    });
    this.centroidIndex = new Postings(byTerm);
    // Each entry weighs the same in training, however many phrasings it has: an entry with 90 phrasings
    // would otherwise draw ordinary words ("anyone", "there") to itself, away from a greeting with 20.
    const perEntry = new Map<number, number>();
    for (const d of docs) perEntry.set(d.entry, (perEntry.get(d.entry) ?? 0) + 1);
    const samples = docs.map((d) => ({ label: d.entry, x: unit(this.weigh(d.features)), weight: docs.length / (perEntry.size * perEntry.get(d.entry)!) }));
    this.classifier = trainedClassifier(this.entries.length + 1, samples);
    this.dotScratch = new Float64Array(docs.length);
    this.centroidScratch = new Float64Array(this.entries.length + 1);
  }

  /** The normalized, corrected, synonym-mapped words of a message (before stemming). */
  normalizeWords(text: string): string[] {
    return this.expand(tokenize(text));
  }

  /** Shorthand, spelling and synonyms over basic-normalized words. */
  private expand(base: string[], query = true): string[] {
    const expanded: string[] = [];
    for (const w of base) {
      const sh = this.shorthand.get(w);
      if (sh) expanded.push(...sh);
      else expanded.push(this.speller.correct(w));
    }
    this.dropOpeners(expanded, query);
    let joined = expanded.join(' ');
    if (this.synonymPattern) joined = joined.replace(this.synonymPattern, (m) => this.synonymOf.get(m) ?? m);
    return words(joined);
  }

  /** Drop greetings and thanks at the start of a message when something with content follows them, and thanks and goodbyes at its end after content. */
  private dropOpeners(tokens: string[], query: boolean): void {
    // Closers only in a message: the thanks entry is taught on "that helped, thanks" as written.
    for (let changed = query; changed; ) {
      changed = false;
      for (const closer of this.closers) {
        const at = tokens.length - closer.length;
        if (at <= 0 || !closer.every((w, i) => tokens[at + i] === w)) continue;
        // Only after words with content: "ok thanks" stays a thanks.
        if (!tokens.slice(0, at).some((w) => !this.stopwords.has(w) && !this.courtesy.has(w))) continue;
        tokens.splice(at, closer.length);
        changed = true;
        break;
      }
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const opener of this.openers) {
        if (opener.length >= tokens.length || !opener.every((w, i) => tokens[i] === w)) continue;
        if (!tokens.slice(opener.length).some((w) => !this.stopwords.has(w))) continue;
        tokens.splice(0, opener.length);
        changed = true;
        break;
      }
    }
  }

  private stem(word: string): string {
    let s = this.stemCache.get(word);
    if (s === undefined) {
      s = this.stemmer(word);
      if (this.stemCache.size < 20000) this.stemCache.set(word, s);
    }
    return s;
  }

  /**
   * Bag of stemmed unigrams and adjacent-content-word bigrams, with counts. In a message (`query`),
   * an adverb or function word that no training phrase uses ("somehow", "anyway", "pretty") is
   * skipped: as an unknown word it would weigh as much as the rarest topic word.
   */
  private features(text: string, base: string[] = tokenize(text), query = false): Map<string, number> {
    const out = new Map<string, number>();
    const stems: string[] = [];
    for (const w of this.expand(base, query)) {
      if (this.stopwords.has(w)) continue;
      const s = this.stem(w);
      if (query && this.functionWords.has(w) && !this.idf.has(s)) continue;
      stems.push(s);
    }
    for (let i = 0; i < stems.length; i++) {
      const s = stems[i]!;
      out.set(s, (out.get(s) ?? 0) + 1);
      if (i > 0) {
        const bigram = `${stems[i - 1]}_${s}`;
        out.set(bigram, (out.get(bigram) ?? 0) + BIGRAM_WEIGHT);
      }
    }
    return out;
  }

  private weigh(features: Map<string, number>): Vector {
    const terms = new Map<string, number>();
    let sum = 0;
    let unknown = 0;
    for (const [term, tf] of features) {
      const idf = this.idf.get(term);
      // Two known words never seen side by side in training say nothing either way (each still counts
      // on its own): weighing such pairs as rare drowned a long message's question in its story.
      if (idf === undefined && term.includes('_')) continue;
      // Unknown words weigh as the rarest known ones: an off-topic message stays far from everything.
      const w = tf * (idf ?? this.maxIdf);
      terms.set(term, w);
      sum += w * w;
      if (idf === undefined) unknown += w * w;
    }
    return { terms, norm: Math.sqrt(sum), unknown };
  }

  /**
   * Rank the entries for one message. A message of several sentences that the whole does not settle
   * is read again through its question: a long story dilutes the question it ends with.
   */
  recognize(text: string): Recognition {
    // One turn asks about the same text several times (the whole message, its question, "would the guide
    // answer this?"): the last few answers are kept. A Recognition is never changed by its readers.
    const known = this.recent.get(text);
    if (known) return known;
    const r = this.preferNamedProgram(text, this.ranked(text));
    if (this.recent.size >= RECENT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(text, r);
    return r;
  }

  /**
   * "how many hours is partial hospitalization per day" reads like the IOP schedule; the program it
   * names decides: an answer about IOP alone becomes the named program's (lexicon.yaml namedPrograms),
   * when the message names exactly one other program and not IOP.
   */
  private preferNamedProgram(text: string, r: Recognition): Recognition {
    const top = r.candidates[0];
    if (r.outcome === 'none' || !top || !this.aboutIop.has(top.id)) return r;
    const named = this.programsNamed(text);
    if (named.size !== 1 || named.has('iop')) return r;
    const [entry] = named as unknown as [string];
    return { ...r, candidates: [{ id: entry, score: top.score }, ...r.candidates.filter((c) => c.id !== entry)].slice(0, 5) };
  }

  /** The program an entry describes, as programsNamed names it: 'iop' for the entries about IOP alone. */
  programOf(entryId: string): string | undefined {
    if (this.aboutIop.has(entryId)) return 'iop';
    for (const entry of this.namedPrograms.values()) if (entry === entryId) return entry;
    return undefined;
  }

  /** The programs a message names, as the entries describing them ('iop' for IOP): "detox or php" names two. */
  programsNamed(text: string): Set<string> {
    const named = new Set<string>();
    for (const w of this.normalizeWords(text)) {
      const entry = w === 'iop' ? 'iop' : this.namedPrograms.get(w);
      if (entry) named.add(entry);
    }
    return named;
  }

  private ranked(text: string): Recognition {
    const base = tokenize(text);
    const language = detectLanguage(text, base);
    const whole = this.rank(base);
    if (whole.outcome === 'confident') return { outcome: whole.outcome, language, candidates: whole.candidates, offTopic: whole.offTopic };
    const sentences = splitSentences(text);
    if (sentences.length < 2) return { outcome: whole.outcome, language, candidates: whole.candidates, offTopic: whole.offTopic };

    const question = questionSentence(sentences);
    // A question that refers back ("is that something you offer?", "would I have to come off it?")
    // is read with the programs and services the other sentences name.
    const resolved = this.resolveReference(question, sentences);
    // "...never cooked a turkey. how long does it take?": "it" is what the story is about, and when the story
    // names nothing the bot knows, the question alone says nothing about which answer is meant.
    if (!resolved && whole.outcome === 'none' && REFERENCE.test(question)) return { outcome: whole.outcome, language, candidates: whole.candidates, offTopic: whole.offTopic };
    const asked = this.rank(tokenize(resolved ?? question));
    if (asked.outcome !== 'confident') return { outcome: whole.outcome, language, candidates: whole.candidates, offTopic: whole.offTopic };
    // "My doctor mentioned an IOP. What is it?": when the question has almost no words of its own,
    // what it points back to is the topic, and the story around it is only context.
    if (resolved && this.contentWords(question) <= 2) return { outcome: 'confident', language, candidates: asked.candidates };
    // Otherwise the question alone must agree with the best entry for the whole message,
    const agrees = whole.outcome === 'ambiguous' && asked.candidates[0]?.id === whole.candidates[0]?.id;
    if (agrees) return { outcome: 'confident', language, candidates: whole.candidates };
    // or, asked plainly ("...we're scared of what happens if he stops. Can he get detox with you?"), be
    // one of the whole message's first three, in a story that did not read as off-topic.
    const best = asked.candidates[0]!;
    const plain = !whole.offTopic && best.score >= this.thresholds.certain && whole.candidates.slice(0, 3).some((c) => c.id === best.id);
    if (plain) return { outcome: 'confident', language, candidates: asked.candidates };
    return { outcome: whole.outcome, language, candidates: whole.candidates, offTopic: whole.offTopic };
  }

  /** How many words of a sentence count for matching (not stop words). */
  private contentWords(sentence: string): number {
    return this.normalizeWords(sentence).filter((w) => !this.stopwords.has(w)).length;
  }

  /**
   * The question followed by the topics (lexicon.yaml `topics`) the other sentences name, when it
   * refers back with "it", "that", "this", "they"... or is too short to name a topic of its own
   * ("could you explain?"); null when it does neither or nothing is named.
   */
  private resolveReference(question: string, sentences: string[]): string | null {
    if (!REFERENCE.test(question) && this.contentWords(question) > 2) return null;
    const topics = new Set<string>();
    for (const sentence of sentences) {
      if (sentence === question) continue;
      for (const w of this.normalizeWords(sentence)) if (this.topicTokens.has(w)) topics.add(w);
    }
    return topics.size ? `${question} ${[...topics].join(' ')}` : null;
  }

  /** Candidates and outcome for basic-normalized words; offTopic: declined because the off-topic examples came close. */
  private rank(base: string[]): { outcome: Outcome; candidates: Candidate[]; offTopic: boolean } {
    const query = this.weigh(this.features('', base, true));
    if (query.norm === 0) return { outcome: 'none', candidates: [], offTopic: false };

    // Dense scratch arrays, reused: this runs on every turn and should not feed the garbage collector.
    const dots = this.dotScratch;
    const touched: number[] = [];
    const central = this.centroidScratch;
    central.fill(0);
    const { starts, ids, weights } = this.index;
    const c = this.centroidIndex;
    for (const [term, w] of query.terms) {
      const slot = this.index.slot(term);
      if (slot < 0) continue;
      for (let i = starts[slot]!, end = starts[slot + 1]!; i < end; i++) {
        const qi = ids[i]!;
        if (dots[qi] === 0) touched.push(qi);
        dots[qi]! += w * weights[i]!;
      }
      const cs = c.slot(term);
      if (cs < 0) continue;
      for (let i = c.starts[cs]!, end = c.starts[cs + 1]!; i < end; i++) central[c.ids[i]!]! += w * c.weights[i]!;
    }
    const nearest = new Map<number, number>();
    for (const qi of touched) {
      const sim = dots[qi]! / (query.norm * (this.questionNorm[qi] || 1));
      dots[qi] = 0;
      const e = this.questionEntry[qi]!;
      if (sim > (nearest.get(e) ?? 0)) nearest.set(e, sim);
    }
    const probs = this.classifier.probabilities(query.terms, 1 / query.norm);
    const candidates: Candidate[] = [];
    let offTopicScore = 0;
    for (const [e, near] of nearest) {
      const norm = this.centroidNorm[e]!;
      const centroidSim = norm ? central[e]! / (query.norm * norm) : 0;
      // The off-topic examples share no theme, so their centroid says nothing: the nearest one alone counts.
      const similarity = e === this.offTopicIndex ? near : NEAREST_WEIGHT * near + (1 - NEAREST_WEIGHT) * centroidSim;
      const score = (1 - CLASSIFIER_WEIGHT) * similarity + CLASSIFIER_WEIGHT * probs[e]!;
      if (e === this.offTopicIndex) offTopicScore = score;
      else candidates.push({ id: this.entries[e]!.id, score });
    }
    candidates.sort((a, b) => b.score - a.score);
    const top = candidates.slice(0, 5);
    // Bigrams never seen in training are left out of the query (weigh), so any bigram here is a known phrase.
    let phrase = false;
    for (const term of query.terms.keys()) if (term.includes('_')) phrase = true;
    const outcome = this.decide(top, offTopicScore, query.unknown / (query.norm * query.norm), phrase);
    return { outcome, candidates: top, offTopic: outcome === 'none' && this.offTopicWins(top[0]?.score ?? 0, offTopicScore) };
  }

  /** Whether the off-topic examples outscore the best entry, or below `certain` come within offTopicRatio of it. */
  private offTopicWins(first: number, offTopic: number): boolean {
    const t = this.thresholds;
    return offTopic >= first || (first < t.certain && offTopic >= t.offTopicRatio * first);
  }

  /**
   * The outcome for the ranked entries, given the off-topic examples' score, the share of the message's
   * weight on unknown words and whether it holds a known phrase (two words side by side as in training).
   */
  private decide(top: Candidate[], offTopic: number, unknownShare: number, phrase: boolean): Outcome {
    const t = this.thresholds;
    const first = top[0]?.score ?? 0;
    const second = top[1]?.score ?? 0;
    if (first <= 0 || this.offTopicWins(first, offTopic)) return 'none';
    if (first >= t.certain || (first >= t.confident && first - second >= t.margin)) return 'confident';
    const clear = first >= t.clear && first - second >= t.clearMargin && unknownShare <= t.unknownShare && offTopic < t.offTopicDoubt * first;
    if (clear) return 'confident';
    // A "did you mean" needs a message made mostly of words the bot knows, or a phrase it knows: when most
    // of its weight is on words no entry uses and no two of its words sit together as in a training
    // question ("whats the best lobster roll in boston"), what it shares with an entry is incidental.
    // "i work at the navy yard, any evening groups" keeps its "did you mean" through "evening groups".
    if (first >= t.ambiguous && (unknownShare < t.unknownDoubt || phrase)) return 'ambiguous';
    return 'none';
  }
}

/** Basic-normalized words of a message; a dollar sign, which normalizing drops, reads as "money" ("how much $$"). */
function tokenize(text: string): string[] {
  return words(basicNormalize(text.includes('$') ? text.replace(/\$+/g, ' money ') : text));
}

/** Words that point back to something named earlier in the message. */
const REFERENCE = /(?<![\p{L}\p{N}])(?:it|that|this|those|these|they|them)(?![\p{L}\p{N}])/iu;

/** The sentences of a message: split after . ? ! ; followed by a space, and at line breaks. */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.?!;])\s+|\n+/)
    .map((x) => x.trim())
    .filter((x) => /[\p{L}\p{N}]/u.test(x));
}

/** The sentence a message asks in: the last one ending in "?", else the last one. */
function questionSentence(sentences: string[]): string {
  for (let i = sentences.length - 1; i >= 0; i--) if (sentences[i]!.endsWith('?')) return sentences[i]!;
  return sentences[sentences.length - 1]!;
}

function unit(v: Vector): SparseVector {
  const terms = new Map<string, number>();
  for (const [t, w] of v.terms) terms.set(t, v.norm ? w / v.norm : 0);
  return { terms };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The intent classifier for these samples. Training is deterministic, so a model trained on the
 * same samples by the same code comes from the artifact cache (training was 0.4 s of every start).
 */
function trainedClassifier(classes: number, samples: Array<{ label: number; x: SparseVector; weight?: number }>): SoftmaxClassifier {
  const data = samples.map((s) => `${s.label}\u0000${s.weight ?? 1}\u0000${[...s.x.terms].map(([t, v]) => `${t}=${v}`).join('\u0001')}`).join('\u0002');
  const key = cacheKey(String(classes), data, sourceHash(SOFTMAX_SOURCE));
  const codec = { encode: (m: SoftmaxClassifier) => m.toBytes(), decode: (b: Buffer) => SoftmaxClassifier.fromBytes(b) };
  return cached('intent-classifier', key, codec, () => new SoftmaxClassifier(classes, samples));
}
