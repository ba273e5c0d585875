import { ETagConflictError, type KeyValueStorage, type StoreItem, type StoreItems } from '../sqliteStorage';
import type { PgDatabase } from './pgDatabase';
import type { Queryable } from './transaction';

/**
 * Conversation and user state in PostgreSQL, shared by every instance of the
 * service, with the same eTag optimistic concurrency as SqliteStorage: a write
 * carrying a stale eTag fails (ETagConflictError) instead of silently
 * overwriting another instance's turn; "*" or no eTag writes unconditionally.
 * Deliberately no cache: another instance may have written the row since.
 */
interface EtagRow {
  etag: string;
}
const etagOf = (result: { rows: EtagRow[] }): string | undefined => result.rows[0]?.etag;

export class PgStorage implements KeyValueStorage {
  constructor(private readonly db: PgDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    const { rows } = await this.db.query<{ key: string; value: string; etag: string }>(
      'SELECT key, value, etag::text AS etag FROM state WHERE key = ANY($1::text[])',
      [keys],
    );
    for (const row of rows) items[row.key] = { ...JSON.parse(row.value), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes) as [string, StoreItem | undefined][];
    if (entries.length === 0) return;
    // One statement (or an update then an insert that cannot both succeed) needs no transaction; several keys do.
    if (entries.length === 1) {
      const [key, item] = entries[0]!;
      await this.writeOne(this.db, key, item);
      return;
    }
    await this.db.transaction(async (client) => {
      for (const [key, item] of entries) await this.writeOne(client, key, item);
    });
  }

  /** Write one item; its eTag is updated in place to the stored version, as Cosmos and Blob stores do. */
  private async writeOne(q: Queryable, key: string, item: StoreItem | undefined): Promise<void> {
    const { eTag, ...rest } = item ?? {};
    const value = JSON.stringify(rest);
    let etag: string | undefined;
    if (eTag === undefined || eTag === '*' || eTag === '') {
      etag = etagOf(
        await q.query<EtagRow>(
          `INSERT INTO state (key, value, etag, updated_at) VALUES ($1, $2, 1, now())
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = state.etag + 1, updated_at = excluded.updated_at
           RETURNING etag::text AS etag`,
          [key, value],
        ),
      );
    } else {
      // eTags this store hands out are whole numbers; anything else can only match a row that does not exist.
      if (/^\d{1,18}$/.test(eTag)) {
        etag = etagOf(
          await q.query<EtagRow>('UPDATE state SET value = $2, etag = etag + 1, updated_at = now() WHERE key = $1 AND etag = $3::bigint RETURNING etag::text AS etag', [
            key,
            value,
            eTag,
          ]),
        );
      }
      if (etag === undefined) {
        // A first write carrying a client eTag creates the row; if the row exists, it was changed meanwhile.
        etag = etagOf(
          await q.query<EtagRow>('INSERT INTO state (key, value, etag, updated_at) VALUES ($1, $2, 1, now()) ON CONFLICT (key) DO NOTHING RETURNING etag::text AS etag', [
            key,
            value,
          ]),
        );
        if (etag === undefined) throw new ETagConflictError(key);
      }
    }
    if (item) item.eTag = etag;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('DELETE FROM state WHERE key = ANY($1::text[])', [keys]);
  }
}
