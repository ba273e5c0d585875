import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { migrate } from './migrations';
import { createPgPool, type PgTuning } from './pool';
import { withTransaction } from './transaction';

export interface PgDatabaseOptions {
  tuning?: Partial<PgTuning>;
  /** A lost idle connection (the pool replaces it); for the log. */
  onPoolError?: (err: Error) => void;
}

/**
 * The shared PostgreSQL database: a pool plus the promise that the schema is
 * up to date. Every query first waits for the migrations, which run once per
 * process and are retried by the next caller if the database was unreachable,
 * so the service can start before PostgreSQL does.
 */
export class PgDatabase {
  readonly pool: Pool;
  private migrated = false;
  private migrating: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(url: string, options: PgDatabaseOptions = {}) {
    this.pool = createPgPool(url, options.tuning, options.onPoolError);
  }

  /** Apply pending migrations (once; a failed attempt is retried by the next call). */
  ensureSchema(): Promise<void> {
    if (this.migrated) return Promise.resolve();
    this.migrating ??= migrate(this.pool).then(
      () => {
        this.migrated = true;
      },
      (err: Error) => {
        this.migrating = undefined;
        throw err;
      },
    );
    return this.migrating;
  }

  /**
   * Start-up: migrate now, and if PostgreSQL is not there yet keep trying in the
   * background (1 s, 2 s, 4 s … up to 30 s) so /readyz turns green on its own.
   */
  migrateInBackground(report: { migrated(): void; failed(err: Error, retryInMs: number): void }, delayMs = 1000): void {
    if (this.closed) return;
    this.ensureSchema().then(
      () => report.migrated(),
      (err: Error) => {
        if (this.closed) return;
        const next = Math.min(delayMs * 2, 30_000);
        report.failed(err, delayMs);
        this.retryTimer = setTimeout(() => this.migrateInBackground(report, next), delayMs).unref();
      },
    );
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<QueryResult<R>> {
    await this.ensureSchema();
    return this.pool.query<R>(text, params);
  }

  async transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.ensureSchema();
    return withTransaction(this.pool, fn);
  }

  /** Readiness: the schema is in place and a trivial query answers within timeoutMs. Never throws. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const check = this.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.pool.end();
  }
}
