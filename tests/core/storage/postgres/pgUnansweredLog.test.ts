import { PgDatabase } from '../../../../src/core/storage/postgres/pgDatabase';
import { PgUnansweredLog } from '../../../../src/core/storage/postgres/pgUnansweredLog';
import { freePort, usePgSchema, withAdmin } from '../../../helpers/pg';

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
});
