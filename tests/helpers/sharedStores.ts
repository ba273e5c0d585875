import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AlertOutbox } from '../../src/core/handoff/alertOutbox';
import type { HandoffStore } from '../../src/core/handoff/handoffRequest';
import type { LiveTakeoverStore, StaffSessionStore } from '../../src/core/handoff/liveTakeover';
import { SqliteAlertOutbox } from '../../src/core/handoff/sqliteAlertOutbox';
import { SqliteHandoffStore } from '../../src/core/handoff/sqliteHandoffStore';
import { SqliteLiveTakeoverStore, SqliteStaffSessionStore } from '../../src/core/handoff/sqliteLiveTakeoverStore';
import { openDatabase, type SqliteDatabase } from '../../src/core/storage/database';
import { PgAlertOutbox } from '../../src/core/storage/postgres/pgAlertOutbox';
import { PgDatabase } from '../../src/core/storage/postgres/pgDatabase';
import { PgHandoffStore } from '../../src/core/storage/postgres/pgHandoffStore';
import { PgLiveTakeoverStore } from '../../src/core/storage/postgres/pgLiveTakeoverStore';
import { PgStaffSessionStore } from '../../src/core/storage/postgres/pgStaffSessionStore';
import { PgUnansweredLog } from '../../src/core/storage/postgres/pgUnansweredLog';
import { pgPurgers } from '../../src/core/storage/postgres/pgRetention';
import type { Purger } from '../../src/core/retention';
import { sqlitePurgers } from '../../src/core/storage/sqliteRetention';
import { SqliteStorage } from '../../src/core/storage/sqliteStorage';
import { SqliteUnansweredLog, type UnansweredLog } from '../../src/core/storage/unansweredLog';
import { createSchema, type TestSchema } from './pg';

export type StoreKind = 'sqlite' | 'postgresql';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgresql'];

/** The stores one instance of the service has, on the test's database. */
export interface InstanceStores {
  takeovers: LiveTakeoverStore;
  sessions: StaffSessionStore;
  outbox: AlertOutbox;
  handoffs: HandoffStore;
  /** The unanswered log (a pseudonym key kept in the database, as without LOG_ID_SECRET). */
  unanswered: UnansweredLog;
  /** What retention deletes in this store. */
  purgers: Purger[];
}

/**
 * A fresh database per test (a SQLite file or a PostgreSQL schema); instance()
 * opens one more connection to it, as another process of the service would.
 */
export function useSharedStores(kind: StoreKind): () => InstanceStores {
  let dir: string | undefined;
  let schema: TestSchema | undefined;
  let sqlite: SqliteDatabase[] = [];
  let pg: PgDatabase[] = [];
  beforeEach(async () => {
    if (kind === 'sqlite') dir = mkdtempSync(path.join(tmpdir(), 'gbac-stores-'));
    else schema = await createSchema('shared');
  });
  afterEach(async () => {
    for (const db of sqlite) db.close();
    await Promise.all(pg.map((db) => db.close()));
    sqlite = [];
    pg = [];
    if (dir) rmSync(dir, { recursive: true, force: true });
    await schema?.drop();
    dir = undefined;
    schema = undefined;
  });
  return () => {
    if (kind === 'sqlite') {
      const db = openDatabase(path.join(dir!, 'bot.sqlite'));
      sqlite.push(db);
      const handoffs = new SqliteHandoffStore(db);
      return {
        takeovers: new SqliteLiveTakeoverStore(db),
        sessions: new SqliteStaffSessionStore(db),
        outbox: new SqliteAlertOutbox(db),
        handoffs,
        unanswered: new SqliteUnansweredLog(db),
        purgers: sqlitePurgers(db, new SqliteStorage(db), handoffs),
      };
    }
    const db = new PgDatabase(schema!.url);
    pg.push(db);
    const handoffs = new PgHandoffStore(db);
    return {
      takeovers: new PgLiveTakeoverStore(db),
      sessions: new PgStaffSessionStore(db),
      outbox: new PgAlertOutbox(db),
      handoffs,
      unanswered: new PgUnansweredLog(db),
      purgers: pgPurgers(db, handoffs),
    };
  };
}
