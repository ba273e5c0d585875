import { Pool } from 'pg';

/**
 * Bounds on every wait, so a database that is down or silent fails the turn
 * (the visitor gets the apology and the admissions number) instead of hanging it.
 */
export interface PgTuning {
  /** Connecting, handshake included. */
  connectionTimeoutMillis: number;
  /** Server side: a statement running longer is cancelled. */
  statementTimeoutMillis: number;
  /** Client side: no answer at all (network gone) within this fails the query. */
  queryTimeoutMillis: number;
  /** Connections per instance. */
  max: number;
}

export const DEFAULT_PG_TUNING: PgTuning = {
  connectionTimeoutMillis: 3000,
  statementTimeoutMillis: 5000,
  queryTimeoutMillis: 7000,
  max: 10,
};

/**
 * A connection pool for `DATABASE_URL`. The pool connects lazily and replaces
 * broken connections on the next checkout, so the service starts, and recovers,
 * while PostgreSQL is briefly unreachable.
 */
export function createPgPool(url: string, tuning: Partial<PgTuning> = {}, onError: (err: Error) => void = () => undefined): Pool {
  const t = { ...DEFAULT_PG_TUNING, ...tuning };
  const pool = new Pool({
    connectionString: url,
    application_name: 'gbac-admissions-bot',
    connectionTimeoutMillis: t.connectionTimeoutMillis,
    statement_timeout: t.statementTimeoutMillis,
    query_timeout: t.queryTimeoutMillis,
    // A transaction left open by a crashed turn must not hold row locks for long.
    idle_in_transaction_session_timeout: Math.max(t.statementTimeoutMillis * 2, 10_000),
    max: t.max,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection whose server went away emits here; unhandled, it would crash the process.
  pool.on('error', onError);
  return pool;
}
