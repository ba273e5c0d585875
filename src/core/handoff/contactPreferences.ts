import * as path from 'node:path';
import { z } from 'zod';
import { KnowledgeFileError, knowledgeDir, loadYamlFile } from '../knowledge/load';
import { basicNormalize } from '../text/normalize';

/** How a visitor asked to be contacted, or not: what staff must honour when they call back. */
export const CONTACT_PREFERENCES = ['no-texts', 'text-only', 'no-calls', 'no-voicemail', 'spanish', 'discreet'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

const Text = z.string().trim().min(1, { error: 'must not be empty' });
const Phrase = Text.refine((p) => basicNormalize(p).length > 0, { error: 'must have at least one word' });
const Phrases = z.array(Phrase).min(1, { error: 'needs at least one phrase' });
const Preference = z.strictObject({
  /** What staff read ("no texts"). */
  label: Text,
  /** Not counted right after a word of notWords ("it's not a shared phone"). */
  negatable: z.boolean().default(false),
  phrases: Phrases,
});

/** knowledge/contact-preferences.yaml: the ways visitors say each preference, and its label for staff. */
export const ContactPreferencesFileSchema = z.strictObject({
  sameWords: z.record(Phrase, z.array(Phrase)).default({}),
  notWords: z.array(Text.regex(/^[^\s]+$/, { error: 'one word each' })).default([]),
  preferences: z.strictObject({
    'no-texts': Preference,
    /** withNoCalls: "text me" said together with "don't call" is "text only". */
    'text-only': Preference.extend({ withNoCalls: z.array(Phrase).default([]) }),
    'no-calls': Preference,
    'no-voicemail': Preference,
    spanish: Preference,
    discreet: Preference,
  }),
});
export type ContactPreferencesFile = z.infer<typeof ContactPreferencesFileSchema>;

export const CONTACT_PREFERENCES_FILE = 'contact-preferences.yaml';

/** Parse and check the file; a variant given for two words is an error (which one would it be?). */
export function loadContactPreferences(file: string): ContactPreferencesFile {
  const data = loadYamlFile(file, ContactPreferencesFileSchema);
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const [word, variants] of Object.entries(data.sameWords)) {
    for (const v of variants) {
      const key = basicNormalize(v);
      const other = owner.get(key);
      if (other && other !== word) problems.push(`field "sameWords.${word}": "${v}" is also a variant of "${other}"`);
      owner.set(key, word);
    }
  }
  if (problems.length > 0) throw new KnowledgeFileError(file, problems);
  return data;
}

let current: ContactPreferencesFile | undefined;

/** The phrase lists in use: those given to useContactPreferences, or else the shipped file (read once). */
export function contactPreferencesFile(): ContactPreferencesFile {
  return (current ??= loadContactPreferences(path.join(knowledgeDir(), CONTACT_PREFERENCES_FILE)));
}

/** Use these lists from now on (start-up loads them from the configured knowledge folder, so a broken file stops it). */
export function useContactPreferences(file: ContactPreferencesFile): void {
  current = file;
}

// --- reading -----------------------------------------------------------------

interface Compiled {
  /** Variants of sameWords, longest first, and the word each stands for. */
  same: RegExp | null;
  canonical: Map<string, string>;
  not: ReadonlySet<string>;
  phrases: Array<{ id: ContactPreference; negatable: boolean; tokens: string[] }>;
  withNoCalls: string[][];
}

const compiledFiles = new WeakMap<ContactPreferencesFile, Compiled>();

function compiled(file: ContactPreferencesFile): Compiled {
  let c = compiledFiles.get(file);
  if (c) return c;
  const canonical = new Map<string, string>();
  for (const [word, variants] of Object.entries(file.sameWords)) for (const v of variants) canonical.set(basicNormalize(v), basicNormalize(word));
  const variants = [...canonical.keys()].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const same = variants.length > 0 ? new RegExp(`(?<=^| )(?:${variants.join('|')})(?= |$)`, 'gu') : null;
  const partial: Compiled = { same, canonical, not: new Set(), phrases: [], withNoCalls: [] };
  const tokens = (phrase: string) => normalized(phrase, partial);
  c = {
    ...partial,
    not: new Set(file.notWords.map((w) => basicNormalize(w))),
    phrases: CONTACT_PREFERENCES.flatMap((id) => file.preferences[id].phrases.map((p) => ({ id, negatable: file.preferences[id].negatable, tokens: tokens(p) }))),
    withNoCalls: file.preferences['text-only'].withNoCalls.map(tokens),
  };
  compiledFiles.set(file, c);
  return c;
}

/** Words as the phrases are written: basic normal form, then every variant read as its word. */
function normalized(text: string, c: Pick<Compiled, 'same' | 'canonical'>): string[] {
  let t = basicNormalize(text);
  if (c.same) t = t.replace(c.same, (v) => c.canonical.get(v) ?? v);
  return t ? t.split(' ') : [];
}

/** A phrase never runs across a comma, a full stop, a dash between words or a bracket: "no, texts are fine". */
const CLAUSE_BREAK = /[,.;:!?\n()[\]{}"“”]+|\s[-–—]+\s|[–—]+/;

export interface PreferenceReading {
  preferences: ContactPreference[];
  /** The message's words (normal form) outside the phrases read, clause by clause. */
  rest: string[][];
}

function findAt(words: string[], phrase: string[], from = 0): number {
  outer: for (let i = from; i + phrase.length <= words.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (words[i + k] !== phrase[k]) continue outer;
    return i;
  }
  return -1;
}

/** The preferences a message states, and what else it says (for a consent answer around them). */
export function matchContactPreferences(text: string, file: ContactPreferencesFile = contactPreferencesFile()): PreferenceReading {
  const c = compiled(file);
  const clauses = text.split(CLAUSE_BREAK).map((clause) => normalized(clause, c));
  const used = clauses.map((words) => words.map(() => false));
  const found = new Set<ContactPreference>();
  const mark = (ci: number, at: number, length: number) => used[ci]!.fill(true, at, at + length);
  clauses.forEach((words, ci) => {
    for (const { id, negatable, tokens } of c.phrases) {
      for (let at = findAt(words, tokens); at >= 0; at = findAt(words, tokens, at + 1)) {
        if (negatable && words.slice(Math.max(0, at - 2), at).some((w) => c.not.has(w))) continue;
        found.add(id);
        mark(ci, at, tokens.length);
      }
    }
  });
  if (found.has('no-calls')) {
    clauses.forEach((words, ci) => {
      for (const tokens of c.withNoCalls) {
        const at = findAt(words, tokens);
        if (at >= 0) {
          found.add('text-only');
          mark(ci, at, tokens.length);
        }
      }
    });
  }
  // "Text only" already says no calls.
  if (found.has('text-only')) found.delete('no-calls');
  return {
    preferences: CONTACT_PREFERENCES.filter((p) => found.has(p)),
    rest: clauses.map((words, ci) => words.filter((_, i) => !used[ci]![i])).filter((words) => words.length > 0),
  };
}

/**
 * How a visitor asks to be contacted, in their words: "calls yes, no texts" → ['no-texts'];
 * "text me, don't call" → ['text-only']; "no voicemail, he reads my phone" → ['no-voicemail', 'discreet'];
 * "en español" → ['spanish']. In a fixed order (the file's), each once.
 */
export function readContactPreferences(text: string, file: ContactPreferencesFile = contactPreferencesFile()): ContactPreference[] {
  return matchContactPreferences(text, file).preferences;
}

/** For staff: "No texts; no voicemail; discreet: others may see the phone" ("" when there are none). Unknown values are left out. */
export function describePreferences(prefs: readonly string[] | undefined, file: ContactPreferencesFile = contactPreferencesFile()): string {
  const labels = CONTACT_PREFERENCES.filter((p) => prefs?.includes(p)).map((p) => file.preferences[p].label);
  const text = labels.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
