import type { Config } from './config';
import type { AlertOutbox } from './core/handoff/alertOutbox';
import type { HandoffStore } from './core/handoff/handoffRequest';
import type { LiveTakeoverStore, StaffSessionStore } from './core/handoff/liveTakeover';
import { SqliteAlertOutbox } from './core/handoff/sqliteAlertOutbox';
import { SqliteLiveTakeoverStore, SqliteStaffSessionStore } from './core/handoff/sqliteLiveTakeoverStore';
import { SqliteHandoffStore } from './core/handoff/sqliteHandoffStore';
import { SqliteOptOutStore, type OptOutStore } from './core/sms/optOuts';
import { openDatabase, truncateWal, type SqliteDatabase } from './core/storage/database';
import { PgAlertOutbox } from './core/storage/postgres/pgAlertOutbox';
import { PgDatabase } from './core/storage/postgres/pgDatabase';
import { PgLiveTakeoverStore } from './core/storage/postgres/pgLiveTakeoverStore';
import { PgStaffSessionStore } from './core/storage/postgres/pgStaffSessionStore';
import { PgHandoffStore } from './core/storage/postgres/pgHandoffStore';
import { PgOptOutStore } from './core/storage/postgres/pgOptOutStore';
import { PgStorage } from './core/storage/postgres/pgStorage';
import { PgUnansweredLog } from './core/storage/postgres/pgUnansweredLog';
import type { PgTuning } from './core/storage/postgres/pool';
import { SqliteStorage, type KeyValueStorage } from './core/storage/sqliteStorage';
import { PSEUDONYM_PURPOSE, SqliteUnansweredLog, type UnansweredLog } from './core/storage/unansweredLog';
import type { Logger } from './logger';
import type { Purger } from './core/retention';
import { sqlitePurgers } from './core/storage/sqliteRetention';
import { deriveKey } from './core/privacy/pseudonym';
import { pgPurgers } from './core/storage/postgres/pgRetention';
import { MetricsRecorder, type MetricsStore } from './core/metrics/recorder';
import { SqliteMetricsStore } from './core/storage/sqliteMetrics';
import { PgMetricsStore } from './core/storage/postgres/pgMetrics';

/** Everything the service keeps durably, behind store interfaces: SQLite by default, PostgreSQL with DATABASE_URL. */
export interface Stores {
  kind: 'sqlite' | 'postgresql';
  storage: KeyValueStorage;
  handoffs: HandoffStore;
  optOuts: OptOutStore;
  /** Live takeover state and transcripts (every instance must see the same). */
  takeovers: LiveTakeoverStore;
  /** Staff console presence and logged-out sessions. */
  staffSessions: StaffSessionStore;
  /** Pending and finished staff alerts (webhook, Teams), leased by whichever instance is free. */
  alertOutbox: AlertOutbox;
  /** Daily counts for the staff Reports page (kept METRICS_RETENTION_DAYS). */
  metrics: MetricsRecorder;
  /** Undefined when RECORD_UNANSWERED is off. */
  unanswered?: UnansweredLog;
  /** SQLite only: the embedded database (benchmarks and tests look at it). */
  db?: SqliteDatabase;
  /** PostgreSQL only: the shared database (pool and migrations). */
  pg?: PgDatabase;
  /** What retention deletes, and how, in this store. */
  purgers: Purger[];
  /**
   * After "forget me" and each retention purge: leave no copy of what was deleted in the
   * database files where the store can (SQLite: secure_delete zeroed the rows; this empties the WAL).
   */
  eraseDeleted(): Promise<void>;
  /** The database answers (within about a second); never throws. */
  ready(): Promise<boolean>;
  /** Write what is buffered, then close the database. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL timeouts and pool size (tests shorten them). */
  pgTuning?: Partial<PgTuning>;
}

/** Where the data lives, for logs and scripts: never the password. */
export function describeStore(config: Config): string {
  if (!config.DATABASE_URL) return config.sqlitePath;
  const url = new URL(config.DATABASE_URL);
  return `postgresql://${url.host}${url.pathname}`;
}

/**
 * The key of the unanswered log's conversation pseudonyms: from LOG_ID_SECRET when set, so the database
 * alone cannot link a row to a phone number; otherwise the store keeps a random one (auth off: no SMS).
 */
function unansweredKey(config: Config): Buffer | undefined {
  return config.LOG_ID_SECRET ? deriveKey(config.LOG_ID_SECRET, PSEUDONYM_PURPOSE) : undefined;
}

export function createStores(config: Config, logger: Logger, options: StoreOptions = {}): Stores {
  const onUnansweredError = (err: Error) => logger.error({ event: 'unanswered-log-failed', err: err.message }, 'could not write the unanswered log');
  return config.DATABASE_URL ? postgresStores(config, config.DATABASE_URL, logger, options, onUnansweredError) : sqliteStores(config, logger, onUnansweredError);
}

/** The report counts, batched in memory and written every few seconds; a failed write is retried with the next. */
function metricsRecorder(store: MetricsStore, config: Config, logger: Logger): MetricsRecorder {
  return new MetricsRecorder(store, {
    timeZone: config.METRICS_TIME_ZONE,
    onError: (err) => logger.warn({ event: 'metrics-write-failed', err: err.message }, 'could not write the report counts; retrying with the next batch'),
  });
}

function sqliteStores(config: Config, logger: Logger, onUnansweredError: (err: Error) => void): Stores {
  const db = openDatabase(config.sqlitePath);
  const unanswered = config.RECORD_UNANSWERED ? new SqliteUnansweredLog(db, onUnansweredError, unansweredKey(config)) : undefined;
  const storage = new SqliteStorage(db);
  const handoffs = new SqliteHandoffStore(db);
  const metrics = metricsRecorder(new SqliteMetricsStore(db), config, logger);
  return {
    kind: 'sqlite',
    storage,
    handoffs,
    metrics,
    purgers: [...sqlitePurgers(db, storage, handoffs), metrics.purger(config.METRICS_RETENTION_DAYS)],
    optOuts: new SqliteOptOutStore(db),
    takeovers: new SqliteLiveTakeoverStore(db),
    staffSessions: new SqliteStaffSessionStore(db),
    alertOutbox: new SqliteAlertOutbox(db),
    unanswered,
    db,
    async eraseDeleted() {
      truncateWal(db);
    },
    async ready() {
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      unanswered?.flush();
      await metrics.close();
      db.close();
    },
  };
}

function postgresStores(config: Config, url: string, logger: Logger, options: StoreOptions, onUnansweredError: (err: Error) => void): Stores {
  const pg = new PgDatabase(url, {
    tuning: options.pgTuning,
    onPoolError: (err) => logger.warn({ event: 'pg-connection-lost', err: err.message }, 'a PostgreSQL connection was lost; the pool reconnects'),
  });
  // Migrate at start-up, but do not wait for it: if PostgreSQL is not up yet the service
  // still starts (/readyz says 503, turns fail politely) and keeps trying in the background.
  pg.migrateInBackground({
    migrated: () => logger.info({ event: 'pg-schema-ready' }, 'PostgreSQL schema up to date'),
    failed: (err, retryInMs) => logger.warn({ event: 'pg-unavailable', err: err.message, retryInMs }, 'PostgreSQL not reachable yet; retrying'),
  });
  const unanswered = config.RECORD_UNANSWERED ? new PgUnansweredLog(pg, onUnansweredError, unansweredKey(config)) : undefined;
  const handoffs = new PgHandoffStore(pg);
  const metrics = metricsRecorder(new PgMetricsStore(pg), config, logger);
  return {
    kind: 'postgresql',
    storage: new PgStorage(pg),
    handoffs,
    metrics,
    purgers: [...pgPurgers(pg, handoffs), metrics.purger(config.METRICS_RETENTION_DAYS)],
    optOuts: new PgOptOutStore(pg),
    takeovers: new PgLiveTakeoverStore(pg),
    staffSessions: new PgStaffSessionStore(pg),
    alertOutbox: new PgAlertOutbox(pg),
    unanswered,
    pg,
    // Nothing to do per deletion: a VACUUM would not reliably clear the bytes (they stay in page free space
    // until overwritten), VACUUM FULL locks the tables, and the WAL is PostgreSQL's own (README, "Where deleted data can still be").
    eraseDeleted: async () => undefined,
    ready: () => pg.ping(1000),
    async close() {
      try {
        await unanswered?.flush();
      } catch (err) {
        onUnansweredError(err as Error);
      }
      await metrics.close();
      await pg.close();
    },
  };
}
