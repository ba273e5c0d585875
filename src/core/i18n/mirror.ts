import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { KnowledgeFileError, loadYamlFile, readYaml } from '../knowledge/load';
import { Catalogue } from './catalogue';

/**
 * The Spanish texts live in knowledge/es/, one mirror per English content file: the
 * same keys and nesting, keeping only what the visitor sees (a reviewer reads the two
 * side by side). Lists of objects with an `id` are matched by id, other lists by
 * position. knowledge/es/labels.yaml holds the few labels built in code.
 */
export const MIRRORED_FILES = ['faq', 'messages', 'handoff', 'screening', 'safety/follow-ups'] as const;

type Tree = string | Tree[] | { [key: string]: Tree };
const TreeSchema: z.ZodType<Tree> = z.lazy(() => z.union([z.string(), z.array(TreeSchema), z.record(z.string(), TreeSchema)]));

const LabelsSchema = z.object({
  labels: z.array(z.object({ en: z.string().min(1), es: z.string().min(1) })),
});

/** Every digit group, sorted: a translation carries the same numbers as its source ("3–5", "(877) 920-6583"). */
export function numbersOf(text: string): string {
  return (text.match(/\d+/g) ?? []).sort().join(',');
}

/**
 * Walk a Spanish mirror beside its English file: each Spanish string with its English
 * one (`pair`), and a problem for a Spanish key the English file does not have.
 */
export function walkMirror(english: unknown, spanish: Tree, where: string, pair: (en: string, es: string, at: string) => void, problems: string[]): void {
  if (typeof spanish === 'string') {
    if (typeof english === 'string') pair(english, spanish, where);
    else problems.push(`${where}: no English text here`);
    return;
  }
  if (Array.isArray(spanish)) {
    const list = Array.isArray(english) ? (english as unknown[]) : [];
    spanish.forEach((item, i) => {
      const id = item && typeof item === 'object' && !Array.isArray(item) ? item.id : undefined;
      const match = typeof id === 'string' ? list.find((x) => x && typeof x === 'object' && (x as { id?: unknown }).id === id) : list[i];
      if (match === undefined) problems.push(`${where}[${typeof id === 'string' ? id : i}]: no English item here`);
      else walkMirror(match, item, `${where}[${typeof id === 'string' ? id : i}]`, pair, problems);
    });
    return;
  }
  const object = english && typeof english === 'object' && !Array.isArray(english) ? (english as Record<string, unknown>) : undefined;
  for (const [key, value] of Object.entries(spanish)) {
    if (key === 'id') continue;
    if (!object || !(key in object)) problems.push(`${where}.${key}: no English key here`);
    else walkMirror(object[key], value, `${where}.${key}`, pair, problems);
  }
}

/**
 * The English -> Spanish catalogue from knowledge/ and knowledge/es/. A mirror key the
 * English file lacks, or a translation whose numbers differ from its source, stops
 * start-up with the file and the place named. Without knowledge/es/, an empty catalogue.
 */
export function loadCatalogue(dir: string): Catalogue {
  const catalogue = new Catalogue();
  const esDir = path.join(dir, 'es');
  for (const name of MIRRORED_FILES) {
    const file = path.join(esDir, `${name}.yaml`);
    if (!existsSync(file)) continue;
    const spanish = loadYamlFile(file, TreeSchema);
    const problems: string[] = [];
    walkMirror(readYaml(path.join(dir, `${name}.yaml`)), spanish, name, (en, es, at) => {
      if (numbersOf(en) !== numbersOf(es)) problems.push(`${at}: the numbers differ from the English (${numbersOf(en) || 'none'} / ${numbersOf(es) || 'none'})`);
      catalogue.add(en, es);
    }, problems);
    if (problems.length) throw new KnowledgeFileError(file, problems);
  }
  const labelsFile = path.join(esDir, 'labels.yaml');
  if (existsSync(labelsFile)) for (const l of loadYamlFile(labelsFile, LabelsSchema).labels) catalogue.add(l.en, l.es);
  return catalogue;
}

/**
 * What a Spanish conversation would still be told in English: an entry without its Spanish
 * title or answer, a bot message or button label without its Spanish, an entry the Spanish
 * matcher has no phrasings for. One line per gap, for `npm run kb:check`.
 */
export function missingSpanish(dir: string, entries: ReadonlyArray<{ id: string; title: string; answer: string; smsNote?: string }>, messages: Record<string, { text: string; choices: ReadonlyArray<{ label: string }> }>): string[] {
  const catalogue = loadCatalogue(dir);
  const missing: string[] = [];
  const phrasingsFile = path.join(dir, 'es', 'phrasings.yaml');
  const phrasings = existsSync(phrasingsFile) ? (readYaml(phrasingsFile) as Record<string, unknown[]>) : {};
  for (const e of entries) {
    if (catalogue.lookup(e.title) === undefined) missing.push(`es/faq.yaml: entry "${e.id}": no Spanish title`);
    if (catalogue.lookup(e.answer) === undefined) missing.push(`es/faq.yaml: entry "${e.id}": no Spanish answer`);
    if (e.smsNote && catalogue.lookup(e.smsNote) === undefined) missing.push(`es/faq.yaml: entry "${e.id}": no Spanish smsNote`);
    if (!phrasings[e.id]?.length) missing.push(`es/phrasings.yaml: entry "${e.id}": no Spanish phrasings`);
  }
  for (const [key, m] of Object.entries(messages)) {
    if (catalogue.lookup(m.text) === undefined) missing.push(`es/messages.yaml: message "${key}": no Spanish text`);
    for (const c of m.choices) if (catalogue.lookup(c.label) === undefined) missing.push(`es/messages.yaml: message "${key}": no Spanish for the button "${c.label}"`);
  }
  return missing;
}
