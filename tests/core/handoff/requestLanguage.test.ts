import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SqliteHandoffStore } from '../../../src/core/handoff/sqliteHandoffStore';
import { MIGRATIONS as SQLITE_MIGRATIONS, migrate as migrateSqlite, openDatabase } from '../../../src/core/storage/database';
import { MIGRATIONS as PG_MIGRATIONS, migrate as migratePg } from '../../../src/core/storage/postgres/migrations';
import { PgDatabase } from '../../../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../../../src/core/storage/postgres/pgHandoffStore';
import { createPgPool } from '../../../src/core/storage/postgres/pool';
import { createSchema } from '../../helpers/pg';
import { STORE_KINDS, useSharedStores } from '../../helpers/sharedStores';
import { fullRequest } from './helpers';

const BEFORE_LANGUAGE = 'webchat-old-conv';

describe.each(STORE_KINDS)('HandoffStore (%s): the language of the callback', (kind) => {
  const instance = useSharedStores(kind);

  it('when a request is filed in Spanish, then every read (get, the queue, a claim) gives es', async () => {
    const created = await instance().handoffs.create(fullRequest({ language: 'es' }));
    expect(created.language).toBe('es');
    const other = instance().handoffs;
    expect((await other.get(created.id))?.language).toBe('es');
    expect((await other.listActive()).find((r) => r.id === created.id)?.language).toBe('es');
    const claim = await other.claim(created.id, 'maria');
    expect(claim.ok && claim.request.language).toBe('es');
  });

  it('when a request is filed without a language, then it is English', async () => {
    const created = await instance().handoffs.create(fullRequest());
    expect(created.language).toBe('en');
    expect((await instance().handoffs.get(created.id))?.language).toBe('en');
  });
});

describe('a request stored before requests had a language', () => {
  const oldBody = (id: string) => JSON.stringify({ ...fullRequest({ conversationId: BEFORE_LANGUAGE }), id, reference: 'GB-OLD01', status: 'open' });

  it('when the SQLite file is upgraded, then the old request reads as English', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gbac-lang-'));
    try {
      const file = path.join(dir, 'old.sqlite');
      const old = new Database(file);
      migrateSqlite(old, SQLITE_MIGRATIONS.slice(0, SQLITE_MIGRATIONS.length - 1));
      old.prepare(
        `INSERT INTO handoff_request (id, reference, channel, conversation_id, priority, status, created_at, updated_at, body)
         VALUES ('old-1', 'GB-OLD01', 'webchat', ?, 1, 'open', 0, 0, ?)`,
      ).run(BEFORE_LANGUAGE, oldBody('old-1'));
      old.close();
      const db = openDatabase(file);
      const read = await new SqliteHandoffStore(db).get('old-1');
      db.close();
      expect(read?.language).toBe('en');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the PostgreSQL schema is upgraded, then the old request reads as English', async () => {
    const schema = await createSchema('lang');
    const pool = createPgPool(schema.url);
    const db = new PgDatabase(schema.url);
    try {
      await migratePg(pool, PG_MIGRATIONS.filter((m) => m.version < 6));
      await pool.query(
        `INSERT INTO handoff_request (id, reference, channel, conversation_id, priority, status, created_at, updated_at, body)
         VALUES ('old-1', 'GB-OLD01', 'webchat', $1, 1, 'open', now(), now(), $2)`,
        [BEFORE_LANGUAGE, oldBody('old-1')],
      );
      expect((await new PgHandoffStore(db).get('old-1'))?.language).toBe('en');
    } finally {
      await pool.end();
      await db.close();
      await schema.drop();
    }
  });
});
