import { deriveKey } from '../../../../src/core/privacy/pseudonym';
import { MIGRATIONS, migrate } from '../../../../src/core/storage/postgres/migrations';
import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgUnansweredLog } from '../../../../src/core/storage/postgres/pgUnansweredLog';
import { createPgPool } from '../../../../src/core/storage/postgres/pool';
import { createSchema, freePort, usePgSchema, withAdmin } from '../../../helpers/pg';

const schema = usePgSchema('unanswered');
let dbs: PgDatabase[] = [];

function database(url = schema().url): PgDatabase {
  const db = new PgDatabase(url);
  dbs.push(db);
  return db;
}

afterEach(async () => {
  await Promise.all(dbs.map((d) => d.close()));
  dbs = [];
  await withAdmin((c) => c.query(`TRUNCATE ${schema().schema}.unanswered`).catch(() => undefined));
});

const stored = () => withAdmin(async (c) => (await c.query<{ text: string }>(`SELECT text FROM ${schema().schema}.unanswered ORDER BY id`)).rows.map((r) => r.text));

describe('PgUnansweredLog', () => {
  it('when questions go unanswered on two instances, then the most frequent are listed first without contact details', async () => {
    const a = new PgUnansweredLog(database());
    const b = new PgUnansweredLog(database());
    a.record({ text: 'Do you allow pets?', channel: 'webchat', bestCandidate: 'gap-other-services', bestScore: 0.2 });
    b.record({ text: 'do you allow pets', channel: 'sms' });
    a.record({ text: 'call me at 617-555-0199 about yoga', channel: 'sms' });
    await b.flush();
    const top = await a.top(10);
    expect(top[0]).toMatchObject({ normalized: 'do you allow pets', count: 2, lastSeen: expect.any(Date) });
    expect(top).toHaveLength(2);
    expect(top.map((t) => t.example).join(' ')).not.toContain('555');
    expect(await a.top(1)).toHaveLength(1);
  });

  it('when questions are recorded, then they reach the database on their own, without a flush', async () => {
    new PgUnansweredLog(database()).record({ text: 'do you have a pool', channel: 'webchat' });
    // The batch timer is a quarter second; the deadline only keeps a broken build from waiting forever.
    for (let waited = 0; (await stored()).length === 0 && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).toEqual(['do you have a pool']);
  });

  it('when the log is flushed at shutdown, then nothing buffered is lost', async () => {
    const db = database();
    const log = new PgUnansweredLog(db);
    for (let i = 0; i < 40; i++) log.record({ text: `question ${i}`, channel: 'webchat' });
    await log.flush();
    await db.close();
    expect(await stored()).toHaveLength(40);
  });

  it('when a question holds a NUL character, then it is stored without it', async () => {
    const log = new PgUnansweredLog(database());
    log.record({ text: 'is there\u0000 a gym', channel: 'webchat' });
    expect((await log.top(5))[0]).toMatchObject({ example: 'is there a gym' });
  });

  it('when PostgreSQL is unreachable, then the failed write is reported, not thrown at the visitor', async () => {
    const errors: Error[] = [];
    const log = new PgUnansweredLog(database(`postgres://postgres@127.0.0.1:${await freePort()}/test`), (err) => errors.push(err));
    expect(() => log.record({ text: 'anything', channel: 'webchat' })).not.toThrow();
    await expect(log.flush()).rejects.toThrow();
    for (let i = 0; i < 32; i++) log.record({ text: `q${i}`, channel: 'webchat' }); // a full batch writes at once, in the background
    await log.flush().catch(() => undefined);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('when a visitor says "forget me" on another instance, then their questions go, stored or buffered, linked only by a keyed pseudonym', async () => {
    const a = new PgUnansweredLog(database());
    const b = new PgUnansweredLog(database());
    a.record({ text: 'do you allow pets', channel: 'sms', conversationId: '+16175550142' });
    a.record({ text: 'is there a gym', channel: 'webchat', conversationId: 'someone-else' });
    await a.flush();
    b.record({ text: 'is there a pool', channel: 'sms', conversationId: '+16175550142' });
    // Instance b buffers one of them; instance a wrote the other: one key (kept in the database) links both.
    expect(await b.forgetConversation('sms', '+16175550142')).toBe(1);
    await b.flush();
    expect(await stored()).toEqual(['is there a gym']);
    const raw = await withAdmin(async (c) => JSON.stringify((await c.query(`SELECT * FROM ${schema().schema}.unanswered`)).rows));
    expect(raw).not.toContain('6175550142');
    expect(raw).toMatch(/"conversation_pseudonym":"[0-9a-f]{64}"/);
  });

  it('when the key comes from LOG_ID_SECRET, then an instance with the same secret finds the rows and one with another secret does not', async () => {
    const key = deriveKey('a-log-id-secret-of-32-characters!', 'unanswered-conversation');
    const writer = new PgUnansweredLog(database(), undefined, key);
    writer.record({ text: 'is there a pool', channel: 'sms', conversationId: '+16175550142' });
    await writer.flush();
    const other = new PgUnansweredLog(database(), undefined, deriveKey('another-secret-of-32-characters!!', 'unanswered-conversation'));
    expect(await other.forgetConversation('sms', '+16175550142')).toBe(0);
    expect(await new PgUnansweredLog(database(), undefined, key).forgetConversation('sms', '+16175550142')).toBe(1);
    expect(await stored()).toEqual([]);
  });
});

describe('PgUnansweredLog on a database from before the conversation link', () => {
  it('when the schema is migrated, then questions logged before are still listed', async () => {
    const old = await createSchema('unanswered_old');
    const pool = createPgPool(old.url);
    try {
      await migrate(pool, MIGRATIONS.filter((m) => m.version <= 4));
      await pool.query("INSERT INTO unanswered (text, normalized, channel, created_at) VALUES ('do you allow pets', 'do you allow pets', 'webchat', now())");
      const log = new PgUnansweredLog(database(old.url));
      log.record({ text: 'do you allow pets', channel: 'webchat', conversationId: 'new' });
      expect(await log.top(10)).toEqual([expect.objectContaining({ normalized: 'do you allow pets', count: 2 })]);
      expect(await log.forgetConversation('webchat', 'new')).toBe(1);
      expect(await log.top(10)).toEqual([expect.objectContaining({ count: 1 })]);
    } finally {
      await pool.end();
      await Promise.all(dbs.map((d) => d.close()));
      dbs = [];
      await old.drop();
    }
  });
});
