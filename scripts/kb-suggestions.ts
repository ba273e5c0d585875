/**
 * `npm run kb:suggestions [file]`: the groups of unanswered questions staff marked on the
 * review page (/staff/unanswered), as a YAML review file for the content maintainer,
 * grouped by mark ("add-to-entry" with the entry id, "new-entry", "off-topic"), each with
 * its example text (hidden if it held personal details) and count. To stdout, or to the
 * file given. Reads the store the service uses: PostgreSQL when DATABASE_URL is set,
 * SQLite otherwise. The knowledge base itself is still changed in git, reviewed.
 */
import { config as loadDotenv } from 'dotenv';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config';
import { suggestionsFile } from '../src/core/storage/unansweredReview';
import { createLogger } from '../src/logger';
import { createStores, describeStore } from '../src/stores';

const HEADER = `# Questions the assistant could not answer, as admissions staff marked them (npm run kb:suggestions).
# add-to-entry: add the question to that entry's questions in knowledge/faq.yaml (or phrasings.yaml).
# new-entry: the guide may answer it, or a gap entry may be needed; closestEntry is where the matcher looked.
# off-topic: fine to decline; knowledge/off-topic.yaml if it should be declined more surely.
# Change the knowledge base in git, reviewed; then npm run kb:check and npm run eval.
`;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const out = process.argv[2];
  const config = loadConfig();
  const where = describeStore(config);
  const stores = createStores({ ...config, RECORD_UNANSWERED: true }, createLogger('silent'));
  try {
    const groups = await stores.unanswered!.review(Number.MAX_SAFE_INTEGER, { markedOnly: true });
    const yaml = HEADER + stringify(suggestionsFile(groups, where));
    if (out) {
      writeFileSync(out, yaml);
      console.log(`${groups.length} marked group(s) from ${where} written to ${out}`);
    } else {
      process.stdout.write(yaml);
    }
  } catch (err) {
    console.error(`Could not read the unanswered review from ${where}: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await stores.close();
  }
}

void main();
