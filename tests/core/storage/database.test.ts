import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MIGRATIONS, migrate, openDatabase } from '../../../src/core/storage/database';

const bytes = (file: string) => [file, `${file}-wal`].map((f) => { try { return readFileSync(f).toString('latin1'); } catch { return ''; } }).join('');

describe('the embedded database file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when it is opened, then deleted rows are overwritten (secure_delete is on)', () => {
    const db = openDatabase(path.join(dir, 'new.sqlite'));
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.close();
  });

  it('when a file from before secure_delete is opened, then what was deleted before the upgrade is no longer in it', () => {
    const file = path.join(dir, 'old.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, MIGRATIONS.slice(0, 5));
    const insert = old.prepare('INSERT INTO state (key, value, etag, updated_at) VALUES (?, ?, 1, 0)');
    for (let i = 0; i < 20; i++) insert.run(`filler-${i}`, 'x'.repeat(200));
    // Long enough to spill onto overflow pages, which a delete hands to the free list as they are.
    insert.run('webchat/conversations/old', JSON.stringify({ name: 'Quillon', phone: '+16175550188', transcript: 'Quillon said '.repeat(800) }));
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.prepare("DELETE FROM state WHERE key = 'webchat/conversations/old'").run();
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    expect(bytes(file)).toContain('Quillon'); // still there, in free pages: deleted but not overwritten

    openDatabase(file).close();
    expect(bytes(file)).not.toContain('Quillon');
    expect(bytes(file)).not.toContain('5550188');
  });
});
