/**
 * `npm run kb:unanswered [limit]`: the questions that ended in the fallback,
 * most frequent first, for the knowledge-base maintainers.
 */
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/core/storage/database';
import { SqliteUnansweredLog } from '../src/core/storage/unansweredLog';

loadDotenv({ quiet: true });
const limit = Number(process.argv[2] ?? 30);
const config = loadConfig();
const db = openDatabase(config.sqlitePath);
const rows = new SqliteUnansweredLog(db).top(Number.isFinite(limit) && limit > 0 ? limit : 30);
if (rows.length === 0) {
  console.log(`No unanswered questions recorded in ${config.sqlitePath}.`);
} else {
  console.log(`Most frequent unanswered questions (${config.sqlitePath}):`);
  console.log('count  last seen            closest entry         example');
  for (const r of rows) {
    console.log(`${String(r.count).padStart(5)}  ${r.lastSeen.toISOString().slice(0, 19)}  ${(r.bestCandidate ?? '-').padEnd(20)}  ${r.example}`);
  }
}
db.close();
