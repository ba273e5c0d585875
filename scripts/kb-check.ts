/**
 * `npm run kb:check`: validate every knowledge file (schemas, cross-references)
 * and prove the link to the source guide. Exits 1 with one line per problem.
 */
import * as path from 'node:path';
import { CONTACT_PREFERENCES_FILE, loadContactPreferences } from '../src/core/handoff/contactPreferences';
import { checkKnowledgeBase } from '../src/core/knowledge/check';
import { KnowledgeFileError, knowledgeDir, loadKnowledgeBase } from '../src/core/knowledge/load';
import { Recognizer } from '../src/core/nlu/recognizer';
import { CrisisDetector } from '../src/core/safety/crisis';
import { Screening } from '../src/core/screening/screening';
import { loadStaffSummary, STAFF_SUMMARY_FILE } from '../src/core/screening/staffSummary';
import { phrases } from '../src/core/understanding/phrases';
import { SafetyFollowUps } from '../src/core/safety/followUps';
import { missingSpanish } from '../src/core/i18n/mirror';
import { spanishRecognizer } from '../src/core/nlu/bilingual';

const dir = process.argv[2] ?? knowledgeDir();
try {
  const kb = loadKnowledgeBase(dir);
  // Both classifiers are built (and so cached for the next start, see MODEL_CACHE_DIR).
  new Recognizer(kb);
  CrisisDetector.fromKnowledge(kb);
  const screening = Screening.fromFile(path.join(dir, 'screening.yaml'));
  loadStaffSummary(path.join(dir, STAFF_SUMMARY_FILE), screening.file);
  loadContactPreferences(path.join(dir, CONTACT_PREFERENCES_FILE));
  phrases(dir);
  SafetyFollowUps.load(dir);
  spanishRecognizer(kb)?.build();
  const report = checkKnowledgeBase(kb);
  // The English text is the source of truth; every piece of it has its Spanish (knowledge/es/).
  report.problems.push(...missingSpanish(dir, kb.faq.entries, kb.messages.messages));
  const s = report.stats;
  if (report.problems.length) {
    for (const p of report.problems) console.error(`✗ ${p}`);
    console.error(`${report.problems.length} problem(s) in ${dir}`);
    process.exit(1);
  }
  console.log(`✓ knowledge base OK: ${s.entries} entries, ${s.questions} questions, ${s.sections} sections, all ${s.faqQuestions} FAQ questions mapped`);
} catch (err) {
  if (err instanceof KnowledgeFileError) console.error(`✗ ${err.message}`);
  else console.error(`✗ ${(err as Error).message}`);
  process.exit(1);
}
