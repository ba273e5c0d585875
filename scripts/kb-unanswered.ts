/**
 * `npm run kb:unanswered [limit]`: the questions that ended in the fallback,
 * most frequent first, for the knowledge-base maintainers. Reads the store the
 * service uses: PostgreSQL when DATABASE_URL is set, SQLite otherwise.
 */
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createStores, describeStore } from '../src/stores';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const limit = Number(process.argv[2] ?? 30);
  const config = loadConfig();
  const where = describeStore(config);
  const stores = createStores({ ...config, RECORD_UNANSWERED: true }, createLogger('silent'));
  try {
    const rows = await stores.unanswered!.top(Number.isFinite(limit) && limit > 0 ? limit : 30);
    if (rows.length === 0) {
      console.log(`No unanswered questions recorded in ${where}.`);
    } else {
      console.log(`Most frequent unanswered questions (${where}):`);
      console.log('count  last seen            closest entry         example');
      for (const r of rows) {
        console.log(`${String(r.count).padStart(5)}  ${r.lastSeen.toISOString().slice(0, 19)}  ${(r.bestCandidate ?? '-').padEnd(20)}  ${r.example}`);
      }
    }
  } catch (err) {
    console.error(`Could not read the unanswered log from ${where}: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await stores.close();
  }
}

void main();
