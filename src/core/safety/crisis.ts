import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { cached, cacheKey, sourceHash } from '../cache/artifactCache';
import type { KnowledgeBase } from '../knowledge/load';
import type { Reply } from '../reply';
import { AnchorIndex } from './anchorIndex';
import { classifyCheckInAnswer } from './checkIn';
import { CLASSIFIER_SOURCE, CrisisClassifier, type ClassifierOptions, type ClassifierScore } from './classifier';
import { compiledFiles, compileFile, type CompiledFile, type CompiledPattern } from './compiledCrisisFile';
import { loadCrisisFile } from './crisisFile';
import { CRISIS_PRIORITY, type CrisisKind, type CrisisSignal, type PatternKind } from './crisisKinds';
import { chunksOf, clauseEnd, prepareText, type Chunk, type MessageState } from './crisisMessage';
import { loadTrainingExamples } from './examples';
import { BOUNDARY } from './patternLanguage';
import { guessLanguage } from './replyLanguage';
import { PATTERN_KINDS, type TIERS, type CrisisFile, type CrisisLanguage } from './schema';

export { CRISIS_PRIORITY, type CrisisKind, type CrisisSignal, type PatternKind } from './crisisKinds';
export { loadCrisisFile } from './crisisFile';

/**
 * The crisis and emergency safety net's detector. It runs first on every turn,
 * before commands, dialogs and intent matching, so it is framework-free and fast:
 * everything is compiled to RegExp once, at load.
 *
 * All content (patterns, exceptions, shorthand, responses) lives in
 * knowledge/crisis.yaml, reviewed by clinicians as data. This code only knows
 * the small pattern language that file is written in (patternLanguage.ts
 * describes it and compiles it; compiledCrisisFile.ts compiles a whole file,
 * crisisFile.ts loads and validates one).
 *
 * The message is prepared and cut into chunks of sentences by crisisMessage.ts.
 *
 * Exceptions ("not suicidal", "dying to know", "overdose prevention") hide
 * only the words they match, and only from the kinds they name. Everything
 * else in the message is still checked, so "i'm not suicidal but i took 30
 * pills" still alarms: an exception never silences a signal elsewhere. Every
 * exception sees the unmasked message; the union of what they match is hidden.
 *
 * The question guard (crisis.yaml, questionGuard) hides a whole SENTENCE that
 * opens as an informational question ("do you screen for suicide risk?") from
 * the kinds it names, but only when no emergency marker ("right now", "took",
 * "is not breathing", "I want to die") matches anywhere in the unmasked
 * message. Other sentences are still checked, and the classifier sees all.
 * A comma followed by a new clause ("do you have a chaplain, i want to make
 * peace before i go") ends the hidden part early: what the visitor adds after
 * the question is checked like any sentence (a list, "suicide, overdose and
 * violence", stays hidden).
 *
 * Speed: each pattern line (each side of "A & B") is indexed by the words it
 * cannot match without, and a message is cut into chunks of whole sentences
 * (no pattern crosses a sentence end), so a chunk only runs the few RegExps
 * whose words it contains. A line is tried only when all its sides can match.
 */

/** Below this classifier score, a message the concern patterns recognise is a concern, not a crisis. */
const CONCERN_OVER_GUESS = 0.9;

interface PlanStep {
  pattern: CompiledPattern;
  partIndexes: number[];
}

/** Pattern lines in the order they are tried, and per part the positions of the lines it leads (is the most selective part of). */
interface Plan {
  steps: PlanStep[];
  ledBy: number[][];
}

/** Classifiers already trained in this process, by a hash of their training data and options. */
const trainedModels = new Map<string, CrisisClassifier>();
const MAX_TRAINED_MODELS = 4;

export class CrisisDetector {
  private readonly compiled: CompiledFile;
  /** The crisis kinds' pattern lines, by priority; the concern lines apart (they never alarm). */
  private readonly plan: Plan;
  private readonly concernPlan: Plan;
  private readonly overdosePlan: Plan;
  /** Per kind: the exception lines that apply to it. */
  private readonly exceptionsByKind: Map<PatternKind | 'classifier', number[]>;
  /** Indexes pattern line PARTS (not whole patterns): a sentence runs only the parts whose anchor words it contains. */
  private readonly partIndex: AnchorIndex;
  private readonly exceptionIndex: AnchorIndex;
  private readonly markerIndex: AnchorIndex;
  /** The chunks of the last message read (see chunks()). */
  private lastChunks: { prepared: string; original?: string; chunks: Chunk[] } | undefined;
  /** The last message prepared (see prepare()). */
  private lastPrepared: { text: string; prepared: string } | undefined;
  /** The second signal, when the detector was built with one (fromKnowledge). */
  private classifier: CrisisClassifier | null = null;

  constructor(private readonly file: CrisisFile, source = 'crisis file') {
    this.compiled = compiledFiles.get(file) ?? compileFile(file, source);
    const { patterns, lines, parts, exceptionLines } = this.compiled;
    const planOf = (kinds: readonly PatternKind[]): Plan => {
      // Every kind's patterns by priority, then the weak ones (the word alone) by priority.
      const stepsOf = (weak: boolean) =>
        kinds.flatMap((kind) =>
          patterns.filter((p) => p.kind === kind && Boolean(p.weak) === weak).flatMap((pattern) => pattern.lines.map((l) => ({ pattern, partIndexes: lines[l]?.parts ?? [] }))),
        );
      const steps = [...stepsOf(false), ...stepsOf(true)];
      const ledBy: number[][] = parts.map(() => []);
      steps.forEach((step, r) => {
        const lead = step.partIndexes[0];
        if (lead !== undefined) ledBy[lead]?.push(r);
      });
      return { steps, ledBy };
    };
    this.plan = planOf(CRISIS_PRIORITY);
    this.concernPlan = planOf(['concern']);
    this.overdosePlan = planOf(['overdose']);
    this.exceptionsByKind = new Map<PatternKind | 'classifier', number[]>(PATTERN_KINDS.map((kind) => [kind, exceptionLines.flatMap((e, i) => (e.kinds.includes(kind) ? [i] : []))]));
    // The classifier reads the message without what any exception hides (not the guard's questions: it sees those).
    this.exceptionsByKind.set('classifier', exceptionLines.flatMap((e, i) => (e.sentence ? [] : [i])));
    this.partIndex = new AnchorIndex(parts.length, parts.map((part) => part.anchors));
    this.exceptionIndex = new AnchorIndex(exceptionLines.length, exceptionLines.map((e) => e.anchors));
    this.markerIndex = new AnchorIndex(this.compiled.markerLines.length, this.compiled.markerLines.map((m) => m.anchors));
  }

  /** The patterns of a crisis file alone (no classifier). */
  static fromFile(file: string): CrisisDetector {
    return new CrisisDetector(loadCrisisFile(file), file);
  }

  /**
   * The full safety net of a knowledge base: the patterns of crisis.yaml and
   * the classifier, trained on the examples in knowledge/ (see examples.ts).
   * Training takes a few hundred ms; a process reuses a model trained on the
   * same examples (tests build many bots).
   */
  static fromKnowledge(kb: Pick<KnowledgeBase, 'dir' | 'faq' | 'offTopic'>, options: Partial<ClassifierOptions> = {}): CrisisDetector {
    const detector = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));
    detector.classifier = detector.trainClassifier(loadTrainingExamples(kb), options, true);
    return detector;
  }

  /**
   * Train a classifier on labelled messages, in this detector's normal form (shared across calls with the same data).
   * onDisk: also keep it in the artifact cache (the service's model; evaluation folds would only fill the cache).
   */
  trainClassifier(examples: ReadonlyArray<{ text: string; label: CrisisKind | 'none' }>, options: Partial<ClassifierOptions> = {}, onDisk = false): CrisisClassifier {
    const prepared = examples.map((e) => ({ prepared: this.prepare(e.text), label: e.label }));
    const hash = createHash('sha256').update(JSON.stringify(options));
    for (const e of prepared) hash.update(`${e.label}\u0000${e.prepared}\u0000`);
    const key = hash.digest('hex');
    let model = trainedModels.get(key);
    if (!model) {
      // Training is deterministic, so a model trained on the same examples by the same code is reused from disk.
      const codec = { encode: (m: CrisisClassifier) => m.toBytes(), decode: (b: Buffer) => CrisisClassifier.fromBytes(b, options) };
      const train = () => new CrisisClassifier(prepared, options);
      model = onDisk ? cached('crisis-classifier', cacheKey(key, sourceHash(CLASSIFIER_SOURCE)), codec, train) : train();
      // A few models at most (5 MB each): evaluation folds train many, the service one.
      if (trainedModels.size >= MAX_TRAINED_MODELS) trainedModels.delete(trainedModels.keys().next().value!);
      trainedModels.set(key, model);
    }
    return model;
  }

  /** A detector with the same patterns and this classifier (null: patterns alone). */
  withClassifier(classifier: CrisisClassifier | null): CrisisDetector {
    const copy = Object.create(CrisisDetector.prototype) as CrisisDetector;
    Object.assign(copy, this);
    copy.classifier = classifier;
    return copy;
  }

  /** The score threshold of the second signal (crisis.yaml, classifier.threshold). */
  get threshold(): number {
    return this.file.classifier.threshold;
  }

  /** Whether this detector has the second signal. */
  get hasClassifier(): boolean {
    return this.classifier !== null;
  }

  /**
   * The message in the form patterns are written for: " word word ǀ word " (padded
   * with spaces, sentence ends as ǀ, shorthand applied). Exposed for tests and tools.
   */
  prepare(text: string): string {
    // A turn reads the same message more than once (the crisis kinds, then the concern line): prepared once.
    if (this.lastPrepared?.text === text) return this.lastPrepared.prepared;
    const prepared = prepareText(text, false, this.compiled);
    this.lastPrepared = { text, prepared };
    return prepared;
  }

  /**
   * The crisis signal in a message, or null. Never throws on any string.
   * Patterns first (their kind wins); when none matches, the classifier's
   * signal if its score reaches the threshold.
   */
  detect(text: string): CrisisSignal | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    const prepared = this.prepare(text);
    const signal = this.matchPatterns(prepared, text);
    // An answer to "Are you safe right now?" is the check-in's to read, never a new alarm.
    if (signal || !this.classifier || classifyCheckInAnswer(text) !== 'other') return signal;
    const { kind, score } = this.classifier.score(this.unmasked(prepared, text));
    if (score < this.file.classifier.threshold) return null;
    // What the concern patterns recognise ("lo veo muy triste", "I worry about next time"), with only the classifier's
    // unsure guess beyond it, is a concern: the answer and the safety line, not the crisis reply.
    if (score < CONCERN_OVER_GUESS && this.matchPlan(this.concernPlan, prepared, text)) return null;
    return { kind, evidence: `classifier:${score.toFixed(2)}`, language: guessLanguage(prepared.split(' '), 'en') };
  }

  /** The patterns' signal alone (for evaluation). */
  detectByPatterns(text: string): CrisisSignal | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    return this.matchPatterns(this.prepare(text), text);
  }

  /** The classifier's score alone, whatever the threshold (null without a classifier). */
  classifierScore(text: string): ClassifierScore | null {
    return this.classifier && typeof text === 'string' ? this.classifier.score(this.unmasked(text === '' ? '' : this.prepare(text), text)) : null;
  }

  /**
   * What the classifier reads: the message without what the exceptions of every
   * kind hide ("no thoughts of harming myself", "the word overdose", a past attempt
   * said to be over), so a denial or a quote is not scored as the risk it names.
   */
  private unmasked(prepared: string, text: string): string {
    const chunks = this.chunks(prepared, text);
    if (chunks.length === 0) return prepared;
    let out = '';
    for (const c of chunks) {
      const kept = this.subject(c, 'classifier');
      out += kept === c.text ? c.text : kept.replaceAll(' ~', ' ');
    }
    return out;
  }

  /**
   * A concern without a crisis ("I'm scared he'll overdose one day", "she OD'd last
   * year"): the id of the concern pattern that matched, or null. Never an alarm: the
   * answer gets one safety line under it (crisis.yaml, concern).
   */
  concern(text: string): { id: string; language: CrisisLanguage } | null {
    if (typeof text !== 'string' || text.length === 0) return null;
    const prepared = this.prepare(text);
    const step = this.matchPlan(this.concernPlan, prepared, text);
    return step ? { id: step.pattern.id, language: guessLanguage(prepared.split(' '), step.pattern.language) } : null;
  }

  /** The tier a pattern's alarms belong to when it is not its kind's (crisis.yaml, a pattern's `tier`). */
  patternTier(evidence: string): (typeof TIERS)[number] | undefined {
    return this.compiled.patterns.find((p) => p.id === evidence)?.tier;
  }

  /** The line said under an answer when concern() found one. */
  concernLine(language: CrisisLanguage): string {
    return this.file.concern[language].text.trim();
  }

  /** The crisis file this detector was built from (for evaluation tools). */
  get source(): CrisisFile {
    return this.file;
  }

  private matchPatterns(prepared: string, original?: string): CrisisSignal | null {
    let step = this.matchPlan(this.plan, prepared, original);
    if (!step) return null;
    // Within the emergency tier an overdose named anywhere wins ("se está muriendo, creo que es sobredosis"): its reply has
    // naloxone. The word alone is weak against the other tiers ("overdosing wouldn't be the worst thing" is thoughts of suicide).
    if (step.pattern.kind === 'withdrawal-emergency') step = this.matchPlan(this.overdosePlan, prepared, original) ?? step;
    return { kind: step.pattern.kind as CrisisKind, evidence: step.pattern.id, language: guessLanguage(prepared.split(' '), step.pattern.language) };
  }

  private matchPlan(plan: Plan, prepared: string, original?: string): PlanStep | null {
    const chunks = this.chunks(prepared, original);
    const first = chunks[0];
    if (!first) return null;
    const { parts } = this.compiled;
    // Which parts could match anywhere: a line is only tested when all its parts could.
    let anywhere = first.parts;
    if (chunks.length > 1) {
      anywhere = new Uint8Array(parts.length);
      for (const c of chunks) for (let i = 0; i < c.parts.length; i++) if (c.parts[i] === 1) anywhere[i] = 1;
    }
    // The lines whose most selective part could match, in priority order (kind, then file order).
    const order: number[] = [];
    for (let pi = 0; pi < anywhere.length; pi++) {
      if (anywhere[pi] !== 1) continue;
      const led = plan.ledBy[pi];
      if (led) for (const r of led) order.push(r);
    }
    order.sort((x, y) => x - y);
    for (const r of order) {
      const step = plan.steps[r];
      if (!step) continue;
      const { pattern, partIndexes } = step;
      let possible = true;
      for (const pi of partIndexes) {
        if (anywhere[pi] !== 1) {
          possible = false;
          break;
        }
      }
      if (!possible || !partIndexes.every((pi) => this.partMatches(pi, pattern.kind, chunks))) continue;
      return step;
    }
    return null;
  }

  /** Whether one part of a line matches in some chunk of the message (exceptions applied). */
  private partMatches(pi: number, kind: PatternKind, chunks: readonly Chunk[]): boolean {
    const part = this.compiled.parts[pi];
    if (!part) return false;
    for (const c of chunks) if (c.parts[pi] === 1 && part.re.test(this.subject(c, kind))) return true;
    return false;
  }

  /** The message cut into chunks of whole sentences (crisisMessage.ts, chunksOf). */
  private chunks(prepared: string, original?: string): Chunk[] {
    // A turn reads the same message several times (the crisis kinds, the classifier's view, the concern line):
    // its chunks, and what each exception hid in them, are kept for the next call with the same text.
    const last = this.lastChunks;
    if (last && last.prepared === prepared && last.original === original) return last.chunks;
    const chunks = chunksOf(prepared, original, this.partIndex);
    this.lastChunks = { prepared, original, chunks };
    return chunks;
  }

  /** A chunk with the words of the exceptions that apply to this kind hidden (" ~"), cached per chunk. */
  private subject(chunk: Chunk, kind: PatternKind | 'classifier'): string {
    chunk.exceptions ??= this.exceptionIndex.candidates(chunk.tokens);
    const applicable: number[] = [];
    const candidates = chunk.exceptions;
    for (const i of this.exceptionsByKind.get(kind) ?? []) if (candidates[i] === 1) applicable.push(i);
    if (applicable.length === 0) return chunk.text;
    // Kinds with the same applicable exception lines share one result.
    const key = applicable.join(',');
    const cached = chunk.masked.get(key);
    if (cached !== undefined) return cached;
    // Every exception sees the unmasked text; the union of what they match is hidden.
    const ranges: Array<[number, number]> = [];
    const text = chunk.text;
    for (const i of applicable) {
      const e = this.compiled.exceptionLines[i];
      if (!e) continue;
      if (e.conditions && !e.conditions.every((re) => chunk.message.chunks.some((c) => re.test(c.text)))) continue;
      for (const m of text.matchAll(e.re)) {
        if (!e.sentence) {
          ranges.push([m.index, m.index + m[0].length]);
          continue;
        }
        // A guarded question: its whole sentence, as long as nothing in the message says "emergency".
        if (this.hasEmergency(chunk.message)) break;
        const start = text.lastIndexOf(BOUNDARY, m.index) + 1;
        const next = text.indexOf(BOUNDARY, m.index + m[0].length);
        const end = next < 0 ? text.length : Math.max(start, next - 1);
        ranges.push([start, clauseEnd(chunk, m.index + m[0].length, end, this.compiled)]);
      }
    }
    let subject = chunk.text;
    if (ranges.length > 0) {
      ranges.sort((a, b) => a[0] - b[0]);
      let out = '';
      let at = 0;
      for (const [start, end] of ranges) {
        if (end <= at) continue; // inside a range already hidden
        if (start >= at) out += `${chunk.text.slice(at, start)} ~`; // else it extends the range just hidden
        at = end;
      }
      subject = out + chunk.text.slice(at);
    }
    chunk.masked.set(key, subject);
    return subject;
  }

  /** Whether any emergency marker of the question guard matches anywhere in the (unmasked) message. */
  private hasEmergency(message: MessageState): boolean {
    if (message.emergency !== undefined) return message.emergency;
    const { markerLines } = this.compiled;
    message.emergency = message.chunks.some((c) => {
      const candidates = this.markerIndex.candidates(c.tokens);
      for (let i = 0; i < markerLines.length; i++) if (candidates[i] === 1 && markerLines[i]!.re.test(c.text)) return true;
      return false;
    });
    return message.emergency;
  }

  /**
   * The life-saving reply for a signal: numbers written in the text (SMS), tel:/sms: buttons.
   * A classifier-only signal of thoughts of suicide gets the gentler reply (with 988 and 911) when
   * the file has one; an overdose, a withdrawal emergency or violence gets its own kind's reply, whatever
   * caught it (the gentle reply speaks of suicide, the wrong tier for "we gave him 2 narcans already").
   */
  response(signal: CrisisSignal): Reply {
    const gentle = signal.evidence.startsWith('classifier:') && signal.kind === 'suicide' ? this.file.responses.gentle : undefined;
    const msg = (gentle ?? this.file.responses[signal.kind])[signal.language];
    return { text: msg.text, links: msg.links.map((l) => ({ ...l })), tag: `crisis:${signal.kind}` };
  }

  /** The next turn's question after a crisis reply: "Are you safe right now?" */
  checkIn(language: CrisisLanguage): Reply {
    const msg = this.file.checkIn[language];
    return { text: msg.text, choices: msg.choices.map((c) => ({ ...c })), tag: 'crisis:check-in' };
  }

  /** The acknowledgement when the visitor answers that they are safe. */
  safeAcknowledgement(language: CrisisLanguage): Reply {
    const msg = this.file.safe[language];
    return { text: msg.text, links: msg.links.map((l) => ({ ...l })), tag: 'crisis:safe' };
  }
}

/** The check-in Reply of a detector, as a function (for callers that hold only the detector). */
export function checkIn(detector: CrisisDetector, language: CrisisLanguage): Reply {
  return detector.checkIn(language);
}
