import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PgDatabase } from '../../src/core/storage/postgres/pgDatabase';
import { PgUnansweredLog } from '../../src/core/storage/postgres/pgUnansweredLog';
import { usePgSchema } from '../helpers/pg';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const schema = usePgSchema('kbun');

describe('npm run kb:unanswered with DATABASE_URL', () => {
  it('when questions were recorded in PostgreSQL, then the script lists them from there, most frequent first', async () => {
    const db = new PgDatabase(schema().url);
    const log = new PgUnansweredLog(db);
    log.record({ text: 'Do you take my insurance?', channel: 'webchat', at: new Date(Date.now() - 60_000) });
    log.record({ text: 'do you take my insurance', channel: 'sms', bestCandidate: 'gap-insurance' });
    log.record({ text: 'is there a pool', channel: 'webchat' });
    await log.flush();
    await db.close();

    const { stdout } = await run(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/kb-unanswered.ts', '5'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: schema().url, SQLITE_PATH: ':memory:' },
      timeout: 60_000,
    });
    expect(stdout).toContain('(postgresql://127.0.0.1:5432/test)');
    const lines = stdout.split('\n').filter((l) => /^\s+\d+\s/.test(l));
    expect(lines[0]).toMatch(/^\s+2 .*gap-insurance/);
    expect(lines[1]).toMatch(/^\s+1 .*is there a pool/);
  }, 60_000);
});
