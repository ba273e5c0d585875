import type { SqliteDatabase } from './database';

/** Structurally the same as botbuilder's StoreItems / Storage, without importing it. */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}
export type StoreItems = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KeyValueStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Optional fast path for callers that already hold JSON: the stored JSON and its eTag. */
  readJson?(key: string): { json: string; eTag: string } | undefined;
  /** Optional fast path: write JSON with eTag concurrency ("*" or undefined = unconditional); returns the new eTag. */
  writeJson?(key: string, json: string, eTag?: string): string;
}

export class ETagConflictError extends Error {
  constructor(key: string) {
    super(`Storage: eTag conflict writing "${key}"`);
    this.name = 'ETagConflictError';
  }
}

/**
 * Conversation and user state in SQLite, with eTag optimistic concurrency
 * like botbuilder's own stores: a write carrying a stale eTag fails instead of
 * silently overwriting someone else's turn. "*" or no eTag writes unconditionally.
 */
export class SqliteStorage implements KeyValueStorage {
  private readonly selectStmt;
  private readonly upsertStmt;
  private readonly updateIfStmt;
  private readonly insertIfAbsentStmt;
  private readonly deleteStmt;
  // Transactions are compiled once: better-sqlite3 builds a wrapper per db.transaction() call.
  private readonly writeAll: (changes: StoreItems, now: number) => void;
  private readonly deleteAll: (keys: string[]) => void;

  /**
   * The last value this process read or wrote per key. The embedded store has a
   * single writer (this process), so a hit saves the SELECT; writes still check
   * the eTag in SQL, and a conflict drops the entry, so a stale copy can never
   * overwrite anything.
   */
  private readonly recent = new Map<string, { json: string; etag: number }>();
  /**
   * A conversation's turns come seconds apart, so only conversations active right now gain from
   * the cache; a thousand at once is far beyond one instance. At 10,000 it held the state of every
   * conversation of a busy day (several KB each) for no gain.
   */
  private static readonly RECENT_LIMIT = 1_000;

  constructor(db: SqliteDatabase) {
    this.selectStmt = db.prepare<[string], { value: string; etag: number }>('SELECT value, etag FROM state WHERE key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO state (key, value, etag, updated_at) VALUES (?, ?, 1, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = state.etag + 1, updated_at = excluded.updated_at
       RETURNING etag`,
    );
    this.updateIfStmt = db.prepare('UPDATE state SET value = ?, etag = etag + 1, updated_at = ? WHERE key = ? AND etag = ? RETURNING etag');
    this.insertIfAbsentStmt = db.prepare('INSERT OR IGNORE INTO state (key, value, etag, updated_at) VALUES (?, ?, 1, ?) RETURNING etag');
    this.deleteStmt = db.prepare('DELETE FROM state WHERE key = ?');
    this.writeAll = db.transaction((changes: StoreItems, now: number) => {
      for (const [key, item] of Object.entries(changes)) this.writeOne(key, item as StoreItem | undefined, now);
    });
    this.deleteAll = db.transaction((keys: string[]) => {
      for (const key of keys) {
        this.recent.delete(key);
        this.deleteStmt.run(key);
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.readJson(key);
      if (row) items[key] = { ...JSON.parse(row.json), eTag: row.eTag };
    }
    return items;
  }

  readJson(key: string): { json: string; eTag: string } | undefined {
    const hit = this.recent.get(key);
    const row = hit ? { value: hit.json, etag: hit.etag } : this.selectStmt.get(key);
    if (!row) return undefined;
    if (!hit) this.remember(key, row.value, row.etag);
    return { json: row.value, eTag: String(row.etag) };
  }

  writeJson(key: string, json: string, eTag?: string): string {
    return String(this.writeRow(key, json, eTag, Date.now()));
  }

  private remember(key: string, json: string, etag: number): void {
    if (this.recent.size >= SqliteStorage.RECENT_LIMIT) {
      // Drop the oldest entry (Maps iterate in insertion order).
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.recent.delete(key);
    this.recent.set(key, { json, etag });
  }

  async write(changes: StoreItems): Promise<void> {
    const keys = Object.keys(changes);
    // One statement is atomic on its own; only several need BEGIN/COMMIT around them.
    if (keys.length === 1) this.writeOne(keys[0]!, changes[keys[0]!] as StoreItem | undefined, Date.now());
    else this.writeAll(changes, Date.now());
  }

  /** Write one item; its eTag is updated in place to the stored version, as Cosmos and Blob stores do. */
  private writeOne(key: string, item: StoreItem | undefined, now: number): void {
    const { eTag, ...rest } = item ?? {};
    const etag = this.writeRow(key, JSON.stringify(rest), eTag, now);
    if (item) item.eTag = String(etag);
  }

  private writeRow(key: string, value: string, eTag: string | undefined, now: number): number {
    this.recent.delete(key);
    let row: { etag: number } | undefined;
    if (eTag === undefined || eTag === '*' || eTag === '') {
      row = this.upsertStmt.get(key, value, now) as { etag: number } | undefined;
    } else {
      row = this.updateIfStmt.get(value, now, key, Number(eTag)) as { etag: number } | undefined;
      if (!row) {
        // The row may not exist yet (a first write carrying a client eTag) or was changed meanwhile.
        if (this.selectStmt.get(key)) throw new ETagConflictError(key);
        row = this.insertIfAbsentStmt.get(key, value, now) as { etag: number } | undefined;
      }
    }
    const etag = row?.etag ?? 0;
    this.remember(key, value, etag);
    return etag;
  }

  /** Forget every cached copy (after rows were deleted behind the cache's back, e.g. by retention). */
  clearCache(): void {
    this.recent.clear();
  }

  async delete(keys: string[]): Promise<void> {
    this.deleteAll(keys);
  }
}
