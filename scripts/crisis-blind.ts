/**
 * `npx tsx scripts/crisis-blind.ts eval/crisis-blind-b.yaml`: score the crisis
 * detector on a blind set (written by someone who never saw the patterns).
 */
import * as path from 'node:path';
import { knowledgeDir, readYaml } from '../src/core/knowledge/load';
import { CrisisDetector } from '../src/core/safety/crisis';
import { evaluateCrisis, type CrisisItem } from '../src/core/safety/evaluate';

const detector = CrisisDetector.fromFile(path.join(knowledgeDir(), 'crisis.yaml'));
for (const file of process.argv.slice(2)) {
  const set = readYaml(file) as { crisis: CrisisItem[]; benign: string[] };
  const r = evaluateCrisis(detector, set.crisis, set.benign);
  console.log(`${file}: recall ${(100 * r.recall).toFixed(1)}% of ${set.crisis.length}, false alarms ${(100 * r.falsePositiveRate).toFixed(1)}% of ${set.benign.length}`);
  for (const m of r.misses) console.log(`  MISSED ${JSON.stringify(m)}`);
  for (const f of r.falseAlarms) console.log(`  false alarm ${JSON.stringify(f)}`);
}
