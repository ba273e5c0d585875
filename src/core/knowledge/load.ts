import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cached, cacheKey, jsonCodec } from '../cache/artifactCache';
import type { z } from 'zod';
import {
  FaqFileSchema,
  LexiconFileSchema,
  PhrasingsFileSchema,
  MessagesFileSchema,
  OffTopicFileSchema,
  SectionsFileSchema,
  type FaqFile,
  type Lexicon,
  type MessagesFile,
  type OffTopicFile,
  type SectionsFile,
} from './schema';

/** A content file that failed its schema: the message names the file, the entry and the field. */
export class KnowledgeFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'KnowledgeFileError';
  }
}

type PathKey = PropertyKey;

/** "entries[3] (id: what-is-iop), field answer" from a zod issue path and the raw data. */
export function describeIssuePath(data: unknown, issuePath: readonly PathKey[]): string {
  const parts: string[] = [];
  let node: unknown = data;
  let i = 0;
  // Walk down to the innermost list element that has an id: that is "the entry".
  let entry = '';
  let entryDepth = -1;
  for (; i < issuePath.length; i++) {
    const key = issuePath[i]!;
    if (node && typeof node === 'object') node = (node as Record<PropertyKey, unknown>)[key as string];
    else node = undefined;
    if (typeof key === 'number') {
      const id = node && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      entry = `${parts.join('.')}[${key}]${typeof id === 'string' ? ` (id: ${id})` : ''}`;
      entryDepth = i;
    }
    parts.push(String(key));
  }
  const field = issuePath
    .slice(entryDepth + 1)
    .map(String)
    .join('.');
  if (entry) return field ? `entry ${entry}, field "${field}"` : `entry ${entry}`;
  return field ? `field "${field}"` : 'file root';
}

function formatZodError(data: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${describeIssuePath(data, issue.path)}: ${issue.message}`);
}

/**
 * YAML text parsed, through the artifact cache: the knowledge files are large (crisis.yaml alone is
 * over 300 KB) and parsing them was a third of start-up; JSON of the same data loads many times faster.
 */
export function parseYamlCached(text: string): unknown {
  return cached('yaml', cacheKey(text), jsonCodec, () => parseYaml(text) as unknown);
}

export function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeFileError(file, [`cannot read: ${(err as Error).message}`]);
  }
  try {
    return parseYamlCached(text);
  } catch (err) {
    throw new KnowledgeFileError(file, [`not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
}

/** Parse a YAML file against a schema, or throw a KnowledgeFileError naming entry and field. */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const data = readYaml(file);
  const result = schema.safeParse(data);
  if (!result.success) throw new KnowledgeFileError(file, formatZodError(data, result.error));
  return result.data;
}

export interface KnowledgeBase {
  dir: string;
  sections: SectionsFile;
  faq: FaqFile;
  lexicon: Lexicon;
  messages: MessagesFile;
  offTopic: OffTopicFile;
  /** The source guide's text, for traceability checks. */
  sourceText: string;
}

/** knowledge/ at the repository root, whether running from src/ (ts-jest) or dist/ (node). */
export function knowledgeDir(): string {
  // Found once: it never moves while the process runs.
  return (foundKnowledgeDir ??= existsSync(path.join(path.resolve(__dirname, '../../../knowledge'), 'faq.yaml'))
    ? path.resolve(__dirname, '../../../knowledge')
    : path.resolve(__dirname, '../../../../knowledge'));
}
let foundKnowledgeDir: string | undefined;

/**
 * Load and cross-check every knowledge file. Cross-file problems (a follow-up
 * or a source section that does not exist, a duplicate id) are reported the
 * same way as schema problems, so a broken edit stops start-up with one clear message.
 */
export function loadKnowledgeBase(dir: string = knowledgeDir()): KnowledgeBase {
  const sectionsFile = path.join(dir, 'source', 'sections.yaml');
  const faqFile = path.join(dir, 'faq.yaml');
  const sections = loadYamlFile(sectionsFile, SectionsFileSchema);
  const faq = loadYamlFile(faqFile, FaqFileSchema);
  const phrasingsFile = path.join(dir, 'phrasings.yaml');
  const phrasings = existsSync(phrasingsFile) ? loadYamlFile(phrasingsFile, PhrasingsFileSchema) : {};
  const moreFile = path.join(dir, 'phrasings-more.yaml');
  const more = existsSync(moreFile) ? loadYamlFile(moreFile, PhrasingsFileSchema) : {};
  const lexicon = loadYamlFile(path.join(dir, 'lexicon.yaml'), LexiconFileSchema);
  const messages = loadYamlFile(path.join(dir, 'messages.yaml'), MessagesFileSchema);
  const offTopic = loadYamlFile(path.join(dir, 'off-topic.yaml'), OffTopicFileSchema);
  const sourceText = readFileSync(path.join(dir, 'source', sections.source), 'utf8');

  const sectionIds = new Set(sections.sections.map((s) => s.id));
  const entryIds = new Set<string>();
  const problems: string[] = [];
  faq.entries.forEach((entry, i) => {
    const where = `entry entries[${i}] (id: ${entry.id})`;
    if (entryIds.has(entry.id)) problems.push(`${where}, field "id": duplicate id`);
    entryIds.add(entry.id);
    entry.source.forEach((s, j) => {
      if (!sectionIds.has(s)) problems.push(`${where}, field "source.${j}": no section "${s}" in sections.yaml`);
    });
  });
  faq.entries.forEach((entry, i) => {
    entry.followUps.forEach((f, j) => {
      if (!entryIds.has(f)) problems.push(`entry entries[${i}] (id: ${entry.id}), field "followUps.${j}": no entry "${f}"`);
    });
  });
  // More phrasings follow each entry's own questions (its first stays the FAQ's wording, used on buttons).
  for (const [entryId, questions] of Object.entries(phrasings)) {
    const entry = faq.entries.find((e) => e.id === entryId);
    if (entry) entry.questions.push(...questions);
    else problems.push(`phrasings.yaml ${entryId}: no entry "${entryId}" in faq.yaml`);
  }
  for (const [entryId, questions] of Object.entries(more)) {
    const entry = faq.entries.find((e) => e.id === entryId);
    if (entry) entry.morePhrasings.push(...questions);
    else problems.push(`phrasings-more.yaml ${entryId}: no entry "${entryId}" in faq.yaml`);
  }
  const { namedPrograms } = lexicon;
  for (const [word, entry] of Object.entries(namedPrograms.entries)) if (!entryIds.has(entry)) problems.push(`lexicon.yaml namedPrograms.entries.${word}: no entry "${entry}"`);
  for (const entry of namedPrograms.aboutIop) if (!entryIds.has(entry)) problems.push(`lexicon.yaml namedPrograms.aboutIop: no entry "${entry}"`);
  if (problems.length > 0) throw new KnowledgeFileError(faqFile, problems);

  return { dir, sections, faq, lexicon, messages, offTopic, sourceText };
}
