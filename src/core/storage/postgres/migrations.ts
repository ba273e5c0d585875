import type { Pool, QueryConfig } from 'pg';
import { withTransaction } from './transaction';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, applied in order once each (tracked in schema_migrations).
 * Append new ones; never edit one that has shipped. Times are timestamptz,
 * JSON bodies are TEXT (as written: jsonb would reject a \u0000 a visitor typed).
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'state and unanswered log',
    sql: `CREATE TABLE state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            etag BIGINT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
          );
          CREATE TABLE unanswered (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            text TEXT NOT NULL,
            normalized TEXT NOT NULL,
            channel TEXT NOT NULL,
            best_candidate TEXT,
            best_score DOUBLE PRECISION,
            created_at TIMESTAMPTZ NOT NULL
          );
          CREATE INDEX unanswered_normalized ON unanswered (normalized);`,
  },
  {
    version: 2,
    name: 'sms opt-outs',
    sql: `CREATE TABLE sms_opt_out (
            channel TEXT NOT NULL,
            address TEXT NOT NULL,
            opted_out_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (channel, address)
          );`,
  },
  {
    version: 3,
    name: 'handoff queue and audit',
    sql: `CREATE TABLE handoff_request (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            priority SMALLINT NOT NULL,
            status TEXT NOT NULL,
            claimed_by TEXT,
            claimed_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            body TEXT NOT NULL
          );
          CREATE INDEX handoff_active ON handoff_request (status, priority, created_at);
          CREATE INDEX handoff_conversation ON handoff_request (channel, conversation_id);
          CREATE TABLE handoff_audit (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            request_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT,
            at TIMESTAMPTZ NOT NULL
          );
          CREATE INDEX handoff_audit_request ON handoff_audit (request_id);`,
  },
  {
    version: 4,
    name: 'alert outbox, live takeover, staff sessions',
    sql: `CREATE TABLE alert_outbox (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id TEXT NOT NULL,
            target TEXT NOT NULL,
            request_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TIMESTAMPTZ NOT NULL,
            last_error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            UNIQUE (event_id, target)
          );
          CREATE INDEX alert_outbox_due ON alert_outbox (target, status, next_attempt_at);
          CREATE INDEX alert_outbox_request ON alert_outbox (request_id, target, status);
          CREATE INDEX alert_outbox_finished ON alert_outbox (status, updated_at);
          CREATE TABLE live_takeover (
            request_id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            staff TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            staff_seen_at TIMESTAMPTZ NOT NULL,
            ended_at TIMESTAMPTZ,
            ended_by TEXT
          );
          CREATE UNIQUE INDEX live_takeover_one_per_conversation ON live_takeover (channel, conversation_id) WHERE ended_at IS NULL;
          CREATE TABLE live_message (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            request_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            staff TEXT,
            text TEXT NOT NULL,
            crisis BOOLEAN NOT NULL DEFAULT false,
            at TIMESTAMPTZ NOT NULL
          );
          CREATE INDEX live_message_request ON live_message (request_id, id);
          CREATE TABLE staff_presence (
            login TEXT PRIMARY KEY,
            seen_at TIMESTAMPTZ NOT NULL
          );
          CREATE TABLE staff_session_revoked (
            session_id TEXT PRIMARY KEY,
            expires_at TIMESTAMPTZ NOT NULL
          );`,
  },
  {
    version: 5,
    // Rows logged before have no pseudonym: they stay listed until retention removes them.
    name: 'unanswered log linked to its conversation by a keyed pseudonym',
    sql: `ALTER TABLE unanswered ADD COLUMN conversation_pseudonym TEXT;
          CREATE INDEX unanswered_conversation ON unanswered (conversation_pseudonym);
          CREATE TABLE pseudonym_key (
            purpose TEXT PRIMARY KEY,
            key BYTEA NOT NULL
          );`,
  },
  {
    version: 6,
    // No personal data: kept METRICS_RETENTION_DAYS, not DATA_RETENTION_DAYS.
    name: 'daily counts for the staff reports',
    sql: `CREATE TABLE metrics_daily (
            day DATE NOT NULL,
            key TEXT NOT NULL,
            count BIGINT NOT NULL,
            PRIMARY KEY (day, key)
          );`,
  },
  {
    version: 7,
    // Requests stored before are English.
    name: 'handoff request language',
    sql: `ALTER TABLE handoff_request ADD COLUMN language TEXT NOT NULL DEFAULT 'en';`,
  },
  {
    version: 8,
    // The group's words, as the log keeps them: kept and purged with the log.
    name: 'staff marks on unanswered groups',
    sql: `CREATE TABLE unanswered_mark (
            group_id TEXT PRIMARY KEY,
            normalized TEXT NOT NULL,
            kind TEXT NOT NULL,
            entry_id TEXT,
            marked_by TEXT NOT NULL,
            marked_at TIMESTAMPTZ NOT NULL
          );
          CREATE INDEX unanswered_mark_normalized ON unanswered_mark (normalized);`,
  },
];

/**
 * Bring the schema (the first one on search_path) up to date. One transaction
 * under an advisory lock keyed on the schema: instances starting together
 * queue here, and each applies only what the one before it has not. Safe to
 * run any number of times. Returns the versions this call applied.
 */
/** Migrations (and waiting for another instance's) may take longer than a visitor's query is allowed. */
const SLOW_MS = 60_000;

export async function migrate(pool: Pool, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${SLOW_MS}`);
    await client.query({
      text: "SELECT pg_advisory_xact_lock(hashtext('gbac-admissions-bot:migrations:' || coalesce(current_schema(), '')))",
      query_timeout: SLOW_MS,
    } as QueryConfig);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         name TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query({ text: m.sql, query_timeout: SLOW_MS } as QueryConfig);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
