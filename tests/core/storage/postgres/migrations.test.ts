import { MIGRATIONS, migrate } from '../../../../src/core/storage/postgres/migrations';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { createPgPool } from '../../../../src/core/storage/postgres/pool';
import { createSchema, freePort, schemaUrl, withAdmin, type TestSchema } from '../../../helpers/pg';

const ALL = MIGRATIONS.map((m) => m.version);

async function tablesIn(schema: string): Promise<string[]> {
  return withAdmin(async (c) => (await c.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [schema])).rows.map((r) => r.t));
}

async function recorded(schema: string): Promise<number[]> {
  return withAdmin(async (c) => (await c.query<{ v: number }>(`SELECT version AS v FROM ${schema}.schema_migrations ORDER BY 1`)).rows.map((r) => r.v));
}

describe('PostgreSQL migrations', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await createSchema('mig');
  });
  afterEach(() => schema.drop());

  it('when migrations run on an empty schema and then again, then the second run changes nothing', async () => {
    const pool = createPgPool(schema.url);
    try {
      expect(await migrate(pool)).toEqual(ALL);
      expect(await migrate(pool)).toEqual([]);
      expect(await recorded(schema.schema)).toEqual(ALL);
      expect(await tablesIn(schema.schema)).toEqual([
        'alert_outbox',
        'handoff_audit',
        'handoff_request',
        'live_message',
        'live_takeover',
        'metrics_daily',
        'pseudonym_key',
        'schema_migrations',
        'sms_opt_out',
        'staff_presence',
        'staff_session_revoked',
        'state',
        'unanswered',
        'unanswered_mark',
      ]);
    } finally {
      await pool.end();
    }
  });

  it('when two instances start at once, then each migration is applied exactly once', async () => {
    const pools = [createPgPool(schema.url), createPgPool(schema.url)];
    try {
      // Several start-ups per pool too: the advisory lock queues them all.
      const runs = await Promise.all([...pools, ...pools, ...pools].map((p) => migrate(p)));
      expect(runs.flat().sort()).toEqual(ALL);
      expect(runs.filter((r) => r.length > 0)).toHaveLength(1);
      expect(await recorded(schema.schema)).toEqual(ALL);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('when a new version ships, then only it is applied on top of the old ones', async () => {
    const pool = createPgPool(schema.url);
    try {
      await migrate(pool, MIGRATIONS.slice(0, 1));
      expect(await migrate(pool)).toEqual(ALL.slice(1));
      expect(await recorded(schema.schema)).toEqual(ALL);
    } finally {
      await pool.end();
    }
  });

  it('when a migration fails, then nothing of that run is kept and the next run starts clean', async () => {
    const pool = createPgPool(schema.url);
    try {
      await expect(migrate(pool, [...MIGRATIONS, { version: 999, name: 'broken', sql: 'CREATE TABLE nope (' }])).rejects.toThrow();
      expect(await tablesIn(schema.schema)).toEqual([]);
      expect(await migrate(pool)).toEqual(ALL);
    } finally {
      await pool.end();
    }
  });
});

describe('PgDatabase', () => {
  it('when PostgreSQL is not reachable, then queries fail and readiness says no instead of hanging', async () => {
    const db = new PgDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/test`, { tuning: { connectionTimeoutMillis: 1000 } });
    try {
      await expect(db.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED|connect/i);
      expect(await db.ping(1000)).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('when the search_path names a schema that does not exist, then start-up fails with PostgreSQL saying so', async () => {
    const db = new PgDatabase(schemaUrl('no_such_schema'));
    try {
      await expect(db.ensureSchema()).rejects.toThrow(/no schema has been selected/);
    } finally {
      await db.close();
    }
  });
});
