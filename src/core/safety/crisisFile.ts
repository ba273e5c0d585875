import { readFileSync } from 'node:fs';
import { parseYamlCached } from '../knowledge/load';
import { compiledFiles, compileFile } from './compiledCrisisFile';
import { CrisisFileSchema, type CrisisFile } from './schema';

/**
 * Read and validate a crisis file. Throws an Error naming the file, the entry
 * and the field, e.g.
 *   knowledge/crisis.yaml: patterns[3] (id: od-not-breathing), field "kind": Invalid option…
 */
export function loadCrisisFile(path: string): CrisisFile {
  let raw: unknown;
  try {
    raw = parseYamlCached(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read crisis file: ${(err as Error).message}`);
  }
  const result = CrisisFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((issue) => `${path}: ${describePath(raw, issue.path)}: ${issue.message}`);
    const more = result.error.issues.length > 10 ? `\n… and ${result.error.issues.length - 10} more problems` : '';
    throw new Error(lines.join('\n') + more);
  }
  // Compile now to report pattern-language errors with the same precision; the detector reuses it.
  compiledFiles.set(result.data, compileFile(result.data, path));
  return result.data;
}

/** How many path segments name the entry, per section: patterns[3], responses.suicide.es, checkIn.en… */
const ENTRY_DEPTH: Record<string, number> = { patterns: 2, exceptions: 2, questionGuard: 3, responses: 3, checkIn: 2, safe: 2, sets: 2, shorthand: 2, classifier: 1 };

/**
 * "patterns[3] (id: od-not-breathing), field \"kind\"" or
 * "responses.suicide.es, field \"text\"" from an issue path into the raw file.
 */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  const depth = ENTRY_DEPTH[String(path[0])] ?? 1;
  let node: unknown = raw;
  let entry = '';
  let field = '';
  path.forEach((seg, i) => {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[seg as never] : undefined;
    const part = typeof seg === 'number' ? `[${seg}]` : String(seg);
    if (i < depth) {
      entry += typeof seg === 'number' || i === 0 ? part : `.${part}`;
      const entryId = typeof seg === 'number' && node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      if (typeof entryId === 'string') entry += ` (id: ${entryId})`;
    } else {
      field += typeof seg === 'number' || field === '' ? part : `.${part}`;
    }
  });
  return field ? `${entry}, field "${field}"` : entry;
}
