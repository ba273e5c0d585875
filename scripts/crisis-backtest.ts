/**
 * `npx tsx scripts/crisis-backtest.ts`: the honest estimate of what the crisis
 * classifier adds on phrasing nobody has seen. It rebuilds the safety net as it
 * was (git history) just before each blind set was first measured: patterns and
 * examples of that commit, a classifier trained on those examples. Then it
 * scores the blind set that commit had not seen: recall / false alarms of the
 * patterns, and of patterns + classifier at each threshold.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { knowledgeDir, loadKnowledgeBase } from '../src/core/knowledge/load';
import { CrisisDetector } from '../src/core/safety/crisis';
import { alarmRate, loadBenignCorpus, loadCrisisCorpus, loadHoldout } from '../src/core/safety/evaluate';

const root = path.resolve(__dirname, '..');
/** Commit before each blind set was measured, and the sets it had not seen. */
const STATES: Array<{ commit: string; sets: string[] }> = [
  { commit: '2a5c4a0', sets: ['crisis-blind-a', 'crisis-blind-b'] },
  { commit: 'ed2b5cc', sets: ['crisis-blind-c'] },
];
const SWEEP = [0.5, 0.6, 0.7, 0.8, 0.9];
const kb = loadKnowledgeBase(knowledgeDir());
const show = (commit: string, file: string) => execFileSync('git', ['show', `${commit}:${file}`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

for (const { commit, sets } of STATES) {
  const dir = mkdtempSync(path.join(tmpdir(), `backtest-${commit}-`));
  for (const [to, from] of [['crisis.yaml', 'knowledge/crisis.yaml'], ['crisis.yaml.examples', 'tests/fixtures/crisis/crisis.yaml'], ['benign.yaml.examples', 'tests/fixtures/crisis/benign.yaml']] as const) {
    writeFileSync(path.join(dir, to), show(commit, from));
  }
  const detector = CrisisDetector.fromFile(path.join(dir, 'crisis.yaml'));
  const examples = [
    ...loadCrisisCorpus(path.join(dir, 'crisis.yaml.examples')).map((m) => ({ text: m.text, label: m.kind })),
    ...[...loadBenignCorpus(path.join(dir, 'benign.yaml.examples')), ...kb.faq.entries.flatMap((e) => e.questions), ...kb.offTopic.examples].map((text) => ({ text, label: 'none' as const })),
  ];
  const model = detector.trainClassifier(examples);
  for (const name of sets) {
    const set = loadHoldout(path.join(root, 'eval', `${name}.yaml`));
    const hitsC = set.crisis.map((m) => detector.detectByPatterns(m.text) !== null);
    const hitsB = set.benign.map((t) => detector.detectByPatterns(t) !== null);
    const scoresC = set.crisis.map((m) => model.score(detector.prepare(m.text)).score);
    const scoresB = set.benign.map((t) => model.score(detector.prepare(t)).score);
    console.log(`${name} with the net of ${commit} (${examples.length} examples): patterns ${pct(alarmRate(scoresC.map(() => 0), hitsC, 2))} / ${pct(alarmRate(scoresB.map(() => 0), hitsB, 2))}`);
    for (const t of SWEEP) {
      console.log(`  threshold ${t}: patterns + classifier ${pct(alarmRate(scoresC, hitsC, t))} / ${pct(alarmRate(scoresB, hitsB, t))}   classifier alone ${pct(alarmRate(scoresC, null, t))} / ${pct(alarmRate(scoresB, null, t))}`);
    }
  }
}
