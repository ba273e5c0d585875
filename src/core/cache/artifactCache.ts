import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A disk cache for what start-up derives from content: parsed YAML, trained
 * classifiers, word lists. Everything cached is a pure function of its key (a
 * hash of the inputs and of the code that builds it), so a changed knowledge
 * file or a changed trainer simply misses and is rebuilt; nothing is ever
 * invalidated by hand.
 *
 * It fails safe: a write goes to a temporary file renamed into place (a reader
 * never sees half a file), a file whose checksum does not match is rebuilt and
 * replaced, and a directory that cannot be written only costs the rebuild.
 *
 * Where: MODEL_CACHE_DIR, or node_modules/.cache/gbac-admissions beside the
 * project (wiped by `npm ci`, never committed). MODEL_CACHE_DIR=off disables it.
 */

export interface Codec<T> {
  encode(value: T): Buffer;
  decode(bytes: Buffer): T;
}

export const jsonCodec: Codec<unknown> = {
  encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')) as unknown,
};

const MAGIC = Buffer.from('GBACache1\n', 'latin1');
const DIGEST_BYTES = 32;
/** Files kept per cache directory; the oldest go first (several knowledge dirs in tests share one). */
const MAX_FILES = 64;

/** What happened on the last look-ups (tests and the bench read it). */
export const cacheStats = { hits: 0, misses: 0, rejected: 0, writeFailures: 0 };

let dirOverride: string | null | undefined;

/** Use this directory (null: no disk cache) instead of the environment's; undefined restores the default. */
export function setCacheDir(dir: string | null | undefined): void {
  dirOverride = dir;
}

function projectRoot(): string {
  for (let dir = __dirname; ; ) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function cacheDir(): string | null {
  if (dirOverride !== undefined) return dirOverride;
  const env = process.env.MODEL_CACHE_DIR?.trim();
  if (env === 'off' || env === 'false' || env === '0') return null;
  return env ? path.resolve(env) : path.join(projectRoot(), 'node_modules', '.cache', 'gbac-admissions');
}

/** A hex key over parts: strings and buffers, each length-prefixed so ["ab","c"] ≠ ["a","bc"]. */
export function cacheKey(...parts: ReadonlyArray<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

const sourceHashes = new Map<string, string>();

/**
 * A hash of a module's own source: a cached result built by that code is keyed on it. Compiled
 * code (dist/…/x.js) is keyed on its TypeScript source (…/x.ts) when that is present, so the
 * cache warmed by a script run through tsx serves `npm start` too.
 */
export function sourceHash(file: string): string {
  let hash = sourceHashes.get(file);
  if (!hash) {
    const root = projectRoot();
    const dist = path.join(root, 'dist') + path.sep;
    const ts = file.startsWith(dist) ? path.join(root, file.slice(dist.length)).replace(/\.js$/, '.ts') : null;
    hash = cacheKey(readFileSync(ts && existsSync(ts) ? ts : file));
    sourceHashes.set(file, hash);
  }
  return hash;
}

function read(file: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const header = MAGIC.length + DIGEST_BYTES;
  const payload = bytes.subarray(header);
  const ok =
    bytes.length >= header &&
    bytes.subarray(0, MAGIC.length).equals(MAGIC) &&
    createHash('sha256').update(payload).digest().equals(bytes.subarray(MAGIC.length, header));
  if (ok) return payload;
  cacheStats.rejected++;
  return null;
}

function write(dir: string, file: string, payload: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]));
    renameSync(tmp, file);
    prune(dir);
  } catch {
    // A read-only disk or a full one only costs the rebuild next time.
    cacheStats.writeFailures++;
  }
}

function prune(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bin'));
  if (files.length <= MAX_FILES) return;
  const aged = files.map((f) => ({ f, at: statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => a.at - b.at);
  for (const { f } of aged.slice(0, files.length - MAX_FILES)) unlinkSync(path.join(dir, f));
}

/**
 * The value cached under kind and key, or build() it and cache it. A cached
 * file that fails its checksum or cannot be decoded is rebuilt, never trusted.
 */
export function cached<T>(kind: string, key: string, codec: Codec<T>, build: () => T): T {
  const dir = cacheDir();
  if (!dir) return build();
  const file = path.join(dir, `${kind}-${key}.bin`);
  const payload = read(file);
  if (payload) {
    try {
      const value = codec.decode(payload);
      cacheStats.hits++;
      return value;
    } catch {
      cacheStats.rejected++;
    }
  }
  cacheStats.misses++;
  const value = build();
  write(dir, file, codec.encode(value));
  return value;
}
