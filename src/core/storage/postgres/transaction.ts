import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** What a store needs to run SQL: the database itself or a client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Run fn inside BEGIN … COMMIT on one pooled connection; any error rolls back.
 * A connection that failed mid-transaction is destroyed, not returned to the pool.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // Checked-out clients have no pool listener: without this, a connection dropped between queries would crash the process.
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost = err;
  };
  client.on('error', onError);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(broken ?? lost);
  }
}
