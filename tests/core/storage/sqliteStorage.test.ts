import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../../src/core/storage/database';
import { ETagConflictError, SqliteStorage } from '../../../src/core/storage/sqliteStorage';
import { SqliteUnansweredLog, scrubPersonalData } from '../../../src/core/storage/unansweredLog';

describe('SqliteStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when state is written and the database reopened, then it is all still there', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const db = openDatabase(file);
    await new SqliteStorage(db).write({ 'conv/1': { step: 3, answers: { home: 'safe' } } });
    db.close();
    const reopened = openDatabase(file);
    const items = await new SqliteStorage(reopened).read(['conv/1', 'missing']);
    expect(items['conv/1']).toMatchObject({ step: 3, answers: { home: 'safe' } });
    expect(items['missing']).toBeUndefined();
    reopened.close();
  });

  it('when two writers hold the same eTag, then the second write fails instead of overwriting', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    await storage.write({ k: { n: 1 } });
    const a = (await storage.read(['k']))['k'];
    const b = (await storage.read(['k']))['k'];
    await storage.write({ k: { ...a, n: 2 } });
    await expect(storage.write({ k: { ...b, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['k']))['k']).toMatchObject({ n: 2 });
  });

  it('when another process wrote the row after this one cached it, then the stale write fails and the next read is fresh', async () => {
    const file = path.join(dir, 'shared.sqlite');
    const a = new SqliteStorage(openDatabase(file));
    const b = new SqliteStorage(openDatabase(file));
    await a.write({ k: { n: 1 } });
    const seenByB = (await b.read(['k']))['k'];
    const seenByA = (await a.read(['k']))['k'];
    await a.write({ k: { ...seenByA, n: 2 } });
    await expect(b.write({ k: { ...seenByB, n: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await b.read(['k']))['k']).toMatchObject({ n: 2 });
  });

  it('when an item is written with eTag "*", then it overwrites unconditionally', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    await storage.write({ k: { n: 1 } });
    await storage.write({ k: { n: 5, eTag: '*' } });
    expect((await storage.read(['k']))['k']).toMatchObject({ n: 5 });
  });

  it('when keys are deleted, then only those go', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:'));
    await storage.write({ 'webchat/conversations/a': { x: 1 }, 'sms/conversations/a': { x: 3 } });
    await storage.read(['sms/conversations/a']); // cached copies must go too
    await storage.delete(['sms/conversations/a']);
    expect(Object.keys(await storage.read(['webchat/conversations/a', 'sms/conversations/a']))).toEqual(['webchat/conversations/a']);
  });
});

describe('SqliteUnansweredLog', () => {
  it('when questions go unanswered, then the most frequent are listed first without contact details', () => {
    const log = new SqliteUnansweredLog(openDatabase(':memory:'));
    log.record({ text: 'Do you allow pets?', channel: 'webchat', bestCandidate: 'gap-other-services', bestScore: 0.2 });
    log.record({ text: 'do you allow pets', channel: 'sms' });
    log.record({ text: 'call me at 617-555-0199 about yoga', channel: 'sms' });
    const top = log.top(10);
    expect(top[0]).toMatchObject({ normalized: 'do you allow pets', count: 2 });
    expect(top.map((t) => t.example).join(' ')).not.toContain('555');
  });

  it('when questions are recorded, then they reach the database within a quarter second without a flush', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gbac-unanswered-'));
    try {
      const file = path.join(dir, 'log.sqlite');
      new SqliteUnansweredLog(openDatabase(file)).record({ text: 'do you have a pool', channel: 'webchat' });
      await new Promise((r) => setTimeout(r, 400));
      const count = openDatabase(file).prepare('SELECT COUNT(*) AS n FROM unanswered').get() as { n: number };
      expect(count.n).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when text has phones or emails, then they are scrubbed', () => {
    expect(scrubPersonalData('reach me (617) 555-0199 or a.b@example.com')).toBe('reach me [phone] or [email]');
  });
});
