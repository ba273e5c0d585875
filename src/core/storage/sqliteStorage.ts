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

  constructor(private readonly db: SqliteDatabase) {
    this.selectStmt = db.prepare<[string], { value: string; etag: number }>('SELECT value, etag FROM state WHERE key = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO state (key, value, etag, updated_at) VALUES (?, ?, 1, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = state.etag + 1, updated_at = excluded.updated_at`,
    );
    this.updateIfStmt = db.prepare('UPDATE state SET value = ?, etag = etag + 1, updated_at = ? WHERE key = ? AND etag = ?');
    this.insertIfAbsentStmt = db.prepare('INSERT OR IGNORE INTO state (key, value, etag, updated_at) VALUES (?, ?, 1, ?)');
    this.deleteStmt = db.prepare('DELETE FROM state WHERE key = ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectStmt.get(key);
      if (row) items[key] = { ...JSON.parse(row.value), eTag: String(row.etag) };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...rest } = (item ?? {}) as StoreItem;
        const value = JSON.stringify(rest);
        if (eTag === undefined || eTag === '*' || eTag === '') {
          this.upsertStmt.run(key, value, now);
        } else {
          const updated = this.updateIfStmt.run(value, now, key, Number(eTag));
          if (updated.changes === 0) {
            // The row may not exist yet (a first write carrying a client eTag) or was changed meanwhile.
            const exists = this.selectStmt.get(key);
            if (exists) throw new ETagConflictError(key);
            this.insertIfAbsentStmt.run(key, value, now);
          }
        }
      }
    })();
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => {
      for (const key of keys) this.deleteStmt.run(key);
    })();
  }

  /** Delete every key that starts with a prefix: "forget me" and retention purges. */
  deletePrefix(prefix: string): number {
    return this.db.prepare("DELETE FROM state WHERE key LIKE ? ESCAPE '\\'").run(`${prefix.replace(/[\\%_]/g, '\\$&')}%`).changes;
  }
}
