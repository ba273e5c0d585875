import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { openDatabase } from '../../src/core/storage/database';
import { SqliteUnansweredLog } from '../../src/core/storage/unansweredLog';
import { HIDDEN_TEXT } from '../../src/core/storage/unansweredReview';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe('npm run kb:suggestions', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gbac-suggestions-'));
    file = path.join(dir, 'bot.sqlite');
    const db = openDatabase(file);
    const log = new SqliteUnansweredLog(db);
    const at = new Date();
    for (let i = 0; i < 3; i++) log.record({ text: 'what are the iop hours', channel: 'webchat', bestCandidate: 'what-is-iop' });
    log.record({ text: 'Is there a pool?', channel: 'webchat', bestCandidate: 'what-to-bring' });
    log.record({ text: 'is there a pool', channel: 'sms' });
    log.record({ text: 'call me at 617 555 0142 about the weather', channel: 'webchat' });
    log.record({ text: 'nobody marked this one', channel: 'webchat' });
    log.flush();
    log.mark('what are the iop hours', { kind: 'add-to-entry', entryId: 'what-is-iop', by: 'maria', at });
    log.mark('is there a pool', { kind: 'new-entry', by: 'devon', at });
    log.mark('call me at phone about the weather', { kind: 'off-topic', by: 'maria', at });
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ ...process.env, SQLITE_PATH: file, DATABASE_URL: '' });

  it('when staff marked groups, then the review file lists them by mark, with example text, count and entry id, and hides personal details', async () => {
    const { stdout } = await run(tsx, ['scripts/kb-suggestions.ts'], { cwd: root, env: env(), timeout: 60_000 });
    expect(stdout).toMatch(/^# Questions the assistant could not answer/);
    const review = parse(stdout);
    expect(review.from).toBe(file);
    expect(review['add-to-entry']).toEqual([expect.objectContaining({ entry: 'what-is-iop', example: 'what are the iop hours', count: 3, markedBy: 'maria' })]);
    expect(review['new-entry']).toEqual([expect.objectContaining({ example: 'is there a pool', count: 2, closestEntry: 'what-to-bring', markedBy: 'devon' })]);
    expect(review['off-topic']).toEqual([expect.objectContaining({ example: HIDDEN_TEXT, count: 1 })]);
    expect(stdout).not.toContain('nobody marked');
    expect(stdout).not.toContain('555');
  }, 60_000);

  it('when a path is given, then the review file is written there', async () => {
    const out = path.join(dir, 'suggestions.yaml');
    const { stdout } = await run(tsx, ['scripts/kb-suggestions.ts', out], { cwd: root, env: env(), timeout: 60_000 });
    expect(stdout).toContain(`3 marked group(s) from ${file} written to ${out}`);
    expect(parse(readFileSync(out, 'utf8'))['add-to-entry'][0].entry).toBe('what-is-iop');
  }, 60_000);
});
