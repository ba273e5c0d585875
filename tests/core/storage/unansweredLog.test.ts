import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deriveKey } from '../../../src/core/privacy/pseudonym';
import { MIGRATIONS, migrate, openDatabase } from '../../../src/core/storage/database';
import { SqliteUnansweredLog } from '../../../src/core/storage/unansweredLog';

const KEY = deriveKey('a-log-id-secret-of-32-characters!', 'unanswered-conversation');
const SMS = '+16175550142';

describe('the unanswered log and "forget me" (SQLite)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-unanswered-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a visitor says "forget me", then the questions they asked go, stored or still buffered, and other visitors\' stay', () => {
    const db = openDatabase(':memory:');
    const log = new SqliteUnansweredLog(db, undefined, KEY);
    log.record({ text: 'do you allow pets', channel: 'sms', conversationId: SMS });
    log.record({ text: 'is there a pool', channel: 'sms', conversationId: SMS });
    log.record({ text: 'is there a gym', channel: 'webchat', conversationId: 'someone-else' });
    log.flush();
    log.record({ text: 'can i bring my cat', channel: 'sms', conversationId: SMS });

    expect(log.forgetConversation('sms', SMS)).toBe(2);
    log.flush();
    expect(log.top(10).map((q) => q.example)).toEqual(['is there a gym']);
    // The link is a keyed pseudonym: the id (a phone number on SMS) is nowhere in the table.
    const stored = JSON.stringify(db.prepare('SELECT * FROM unanswered').all());
    expect(stored).not.toContain('6175550142');
    expect(stored).not.toContain('someone-else');
    expect(stored).toMatch(/"conversation_pseudonym":"[0-9a-f]{64}"/);
  });

  it('when no secret is configured, then the key is kept in the database, so "forget me" after a restart still finds the rows', () => {
    const file = path.join(dir, 'restart.sqlite');
    const before = openDatabase(file);
    const first = new SqliteUnansweredLog(before);
    first.record({ text: 'is there a pool', channel: 'webchat', conversationId: 'c-restart' });
    first.flush();
    before.close();

    const restarted = openDatabase(file);
    const log = new SqliteUnansweredLog(restarted);
    expect(log.forgetConversation('webchat', 'c-restart')).toBe(1);
    expect(log.top(10)).toEqual([]);
    restarted.close();
  });

  it('when a database from before the link is migrated, then its logged questions are still listed, and "forget me" leaves them to retention', () => {
    const file = path.join(dir, 'old.sqlite');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 5));
    old.prepare("INSERT INTO unanswered (text, normalized, channel, created_at) VALUES ('do you allow pets', 'do you allow pets', 'webchat', ?)").run(Date.now());
    old.close();

    const db = openDatabase(file);
    const log = new SqliteUnansweredLog(db, undefined, KEY);
    log.record({ text: 'do you allow pets', channel: 'webchat', conversationId: 'new' });
    log.flush();
    expect(log.top(10)).toEqual([expect.objectContaining({ normalized: 'do you allow pets', count: 2 })]);
    expect(log.forgetConversation('webchat', 'new')).toBe(1);
    expect(log.top(10)).toEqual([expect.objectContaining({ count: 1 })]);
    db.close();
  });
});
