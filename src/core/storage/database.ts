import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

export type SqliteDatabase = Database.Database;

/**
 * Schema migrations, applied in order once each (tracked in PRAGMA user_version).
 * Append new ones; never edit one that has shipped.
 */
export const MIGRATIONS: string[] = [
  `CREATE TABLE state (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     etag INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE unanswered (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     text TEXT NOT NULL,
     normalized TEXT NOT NULL,
     channel TEXT NOT NULL,
     best_candidate TEXT,
     best_score REAL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX unanswered_normalized ON unanswered(normalized);`,
  `CREATE TABLE sms_opt_out (
     channel TEXT NOT NULL,
     address TEXT NOT NULL,
     opted_out_at INTEGER NOT NULL,
     PRIMARY KEY (channel, address)
   );`,
  `CREATE TABLE handoff_request (
     id TEXT PRIMARY KEY,
     reference TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     priority INTEGER NOT NULL,
     status TEXT NOT NULL,
     claimed_by TEXT,
     claimed_at INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX handoff_active ON handoff_request(status, priority, created_at);
   CREATE INDEX handoff_conversation ON handoff_request(channel, conversation_id);
   CREATE TABLE handoff_audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     request_id TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     detail TEXT,
     at INTEGER NOT NULL
   );
   CREATE INDEX handoff_audit_request ON handoff_audit(request_id);`,
  // Staff alerts (Teams, webhook) not yet delivered survive a restart; delivered and failed ones are the console's delivery log.
  `CREATE TABLE alert_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id TEXT NOT NULL,
     target TEXT NOT NULL,
     request_id TEXT NOT NULL,
     reference TEXT NOT NULL,
     event TEXT NOT NULL,
     payload TEXT,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     UNIQUE (event_id, target)
   );
   CREATE INDEX alert_outbox_due ON alert_outbox(target, status, next_attempt_at);
   CREATE INDEX alert_outbox_request ON alert_outbox(request_id, target, status);
   CREATE INDEX alert_outbox_finished ON alert_outbox(status, updated_at);`,
  // Live takeover (staff chatting with the visitor), its bounded transcript, and console sessions.
  `CREATE TABLE live_takeover (
     request_id TEXT PRIMARY KEY,
     channel TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     staff TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     staff_seen_at INTEGER NOT NULL,
     ended_at INTEGER,
     ended_by TEXT
   );
   CREATE UNIQUE INDEX live_takeover_one_per_conversation ON live_takeover(channel, conversation_id) WHERE ended_at IS NULL;
   CREATE TABLE live_message (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     request_id TEXT NOT NULL,
     sender TEXT NOT NULL,
     staff TEXT,
     text TEXT NOT NULL,
     crisis INTEGER NOT NULL DEFAULT 0,
     at INTEGER NOT NULL
   );
   CREATE INDEX live_message_request ON live_message(request_id, id);
   CREATE TABLE staff_presence (
     login TEXT PRIMARY KEY,
     seen_at INTEGER NOT NULL
   );
   CREATE TABLE staff_session_revoked (
     session_id TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   );`,
  // The unanswered log links each row to its conversation by a keyed pseudonym, so "forget me" reaches it
  // (rows logged before have none and stay until retention). Keys for pseudonyms when no secret is configured.
  `ALTER TABLE unanswered ADD COLUMN conversation_pseudonym TEXT;
   CREATE INDEX unanswered_conversation ON unanswered(conversation_pseudonym);
   CREATE TABLE pseudonym_key (
     purpose TEXT PRIMARY KEY,
     key BLOB NOT NULL
   );`,
  // Daily counts for the staff Reports page: no personal data, kept METRICS_RETENTION_DAYS.
  `CREATE TABLE metrics_daily (
     day TEXT NOT NULL,
     key TEXT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (day, key)
   ) WITHOUT ROWID;`,
  // The language the visitor was answered in, for the callback ('en' or 'es'); requests stored before are English.
  `ALTER TABLE handoff_request ADD COLUMN language TEXT NOT NULL DEFAULT 'en';`,
  // Staff marks on groups of the unanswered log (the group's words, as the log keeps them): kept and purged with the log.
  `CREATE TABLE unanswered_mark (
     group_id TEXT PRIMARY KEY,
     normalized TEXT NOT NULL,
     kind TEXT NOT NULL,
     entry_id TEXT,
     marked_by TEXT NOT NULL,
     marked_at INTEGER NOT NULL
   );
   CREATE INDEX unanswered_mark_normalized ON unanswered_mark(normalized);`,
];

/** Files written before this version kept deleted rows in free pages (secure_delete was off). */
const SECURE_DELETE_SINCE = 6;

/** Open (creating folders and tables as needed) the embedded SQLite database. */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  // WAL: readers don't block the writer, and a crash loses no committed transaction.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Deleted rows ("forget me", retention) are overwritten with zeros, not left readable in free pages.
  db.pragma('secure_delete = ON');
  const before = db.pragma('user_version', { simple: true }) as number;
  migrate(db);
  if (before > 0 && before < SECURE_DELETE_SINCE) {
    // Once, on the first start after the upgrade: rewrite the file so what was deleted before is gone too.
    db.exec('VACUUM');
    truncateWal(db);
  }
  return db;
}

/**
 * After a deletion: copy the write-ahead log into the database file and empty it. Until
 * then the WAL keeps every earlier version of the changed pages, deleted rows included.
 */
export function truncateWal(db: SqliteDatabase): void {
  if (db.open && !db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
}

export function migrate(db: SqliteDatabase, migrations: string[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** A random key kept in the database for one purpose (the same for every process using the file). */
export function storedKey(db: SqliteDatabase, purpose: string): Buffer {
  db.prepare('INSERT OR IGNORE INTO pseudonym_key (purpose, key) VALUES (?, ?)').run(purpose, randomBytes(32));
  return db.prepare<[string], { key: Buffer }>('SELECT key FROM pseudonym_key WHERE purpose = ?').get(purpose)!.key;
}
