/**
 * `npm run eval`: score the recognizer and the crisis detector on the
 * project's own labelled sets (eval/ and tests/fixtures/crisis/), which are
 * kept apart from the training phrases in knowledge/.
 */
import * as path from 'node:path';
import { knowledgeDir, loadKnowledgeBase, readYaml } from '../src/core/knowledge/load';
import { evaluateIntents, unseenOnly, type LabelledQuestion } from '../src/core/nlu/evaluate';
import { DEFAULT_THRESHOLDS, Recognizer } from '../src/core/nlu/recognizer';
import { CrisisDetector } from '../src/core/safety/crisis';
import { evaluateCrisis, loadBenignCorpus, loadCrisisCorpus, loadHoldout } from '../src/core/safety/evaluate';

const root = path.resolve(__dirname, '..');
const pct = (n: number, d: number) => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;

const kb = loadKnowledgeBase(knowledgeDir());
const recognizer = new Recognizer(kb);
const set = readYaml(path.join(root, 'eval', 'intents.yaml')) as { inScope: LabelledQuestion[]; offTopic: string[]; spanish: string[] };
// Phrasings identical to a training question (short ones coincide) are left out: they would flatter the score.
const training = [...kb.faq.entries.flatMap((e) => e.questions), ...kb.offTopic.examples];
const inScope = unseenOnly(set.inScope, training);
const offTopic = unseenOnly(set.offTopic, training);
const r = evaluateIntents(recognizer, inScope, offTopic, set.spanish);

console.log('Intent matching (eval/intents.yaml)');
console.log(`  scored                    ${inScope.length} in-scope, ${offTopic.length} off-topic (${set.inScope.length - inScope.length + set.offTopic.length - offTopic.length} identical to training phrases left out)`);
console.log(`  top-1 accuracy            ${pct(r.top1, r.inScope)}  (${r.top1}/${r.inScope}; target ≥ 90%)`);
console.log(`  answered outright, right  ${pct(r.confidentCorrect, r.inScope)}  (the rest of top-1 went through "did you mean")`);
console.log(`  answered outright, wrong  ${r.confidentWrong}`);
console.log(`  off-topic rejection       ${pct(r.offTopicRejected, r.offTopic)}  (${r.offTopicRejected}/${r.offTopic}; target ≥ 90%)`);
console.log(`  Spanish detected          ${pct(r.spanishDetected, r.spanish)}  (${r.spanishDetected}/${r.spanish})`);
if (r.confusions.length) {
  console.log('  confusions (expected → got, score, outcome):');
  for (const c of r.confusions) console.log(`    ${c.expected} → ${c.got} ${c.score.toFixed(2)} ${c.outcome}: ${c.text}`);
}
if (r.falseAccepts.length) {
  console.log('  off-topic answered as if in scope:');
  for (const f of r.falseAccepts) console.log(`    → ${f.got} ${f.score.toFixed(2)}: ${f.text}`);
}
for (const s of r.spanishMissed) console.log(`  Spanish not detected: ${s}`);

if (process.argv.includes('--sweep')) {
  // Calibration: how the outcomes move with the thresholds (DEFAULT_THRESHOLDS in src/core/nlu/recognizer.ts).
  console.log('\n  threshold sweep (answered-right, top-1, off-topic declined, answered-wrong):');
  for (const confident of [0.35, 0.4, 0.45, 0.5, 0.55]) {
    for (const ambiguous of [0.2, 0.25, 0.3]) {
      const t = { ...DEFAULT_THRESHOLDS, confident, ambiguous };
      const s = evaluateIntents(new Recognizer(kb, t), inScope, offTopic);
      const mark = confident === DEFAULT_THRESHOLDS.confident && ambiguous === DEFAULT_THRESHOLDS.ambiguous ? '  ← current' : '';
      console.log(`    confident ${confident} ambiguous ${ambiguous}: ${pct(s.confidentCorrect, s.inScope)} ${pct(s.top1, s.inScope)} ${pct(s.offTopicRejected, s.offTopic)} ${s.confidentWrong}${mark}`);
    }
  }
}

const crisis = CrisisDetector.fromFile(path.join(kb.dir, 'crisis.yaml'));
const fixtures = path.join(root, 'tests', 'fixtures', 'crisis');
const c = evaluateCrisis(crisis, loadCrisisCorpus(path.join(fixtures, 'crisis.yaml')), loadBenignCorpus(path.join(fixtures, 'benign.yaml')));
console.log('\nCrisis detection (tests/fixtures/crisis/crisis.yaml and benign.yaml)');
console.log(`  recall                    ${(100 * c.recall).toFixed(1)}%  (target 100%)`);
console.log(`  false-positive rate       ${(100 * c.falsePositiveRate).toFixed(2)}%  (target < 3%)`);
for (const m of c.misses) console.log(`  MISSED: ${JSON.stringify(m)}`);
for (const f of c.falseAlarms) console.log(`  false alarm: ${JSON.stringify(f)}`);
for (const k of c.kindMismatches) console.log(`  kind mismatch: ${JSON.stringify(k)}`);

const holdout = loadHoldout(path.join(fixtures, 'holdout.yaml'));
const h = evaluateCrisis(crisis, holdout.crisis, holdout.benign);
console.log('\nCrisis detection, holdout (tests/fixtures/crisis/holdout.yaml)');
console.log(`  recall                    ${(100 * h.recall).toFixed(1)}%`);
console.log(`  false-positive rate       ${(100 * h.falsePositiveRate).toFixed(2)}%`);
for (const m of h.misses) console.log(`  MISSED: ${JSON.stringify(m)}`);

// Blind sets: written by people who never saw the patterns. A was used to tune; B and C were measured first (B 97.5%, C 76%), then their misses became concepts.
for (const name of ['crisis-blind-a.yaml', 'crisis-blind-b.yaml', 'crisis-blind-c.yaml']) {
  const blind = loadHoldout(path.join(root, 'eval', name));
  const b = evaluateCrisis(crisis, blind.crisis, blind.benign);
  console.log(`\nCrisis detection, eval/${name}: recall ${(100 * b.recall).toFixed(1)}% of ${blind.crisis.length}, false alarms ${(100 * b.falsePositiveRate).toFixed(1)}% of ${blind.benign.length}`);
  for (const m of b.misses) console.log(`  MISSED: ${JSON.stringify(m)}`);
}
