import { crisis } from '../tests/helpers/bot';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
const files = ['knowledge/safety/crisis-examples.yaml', 'tests/fixtures/crisis/holdout.yaml', ...readdirSync('eval').filter((f) => f.startsWith('crisis-blind')).map((f) => `eval/${f}`)];
let miss = 0, n = 0, fa = 0, nb = 0;
for (const f of files) {
  const d = parse(readFileSync(f, 'utf8'));
  const items = (d.messages ?? d.crisis) as Array<{ text: string; kind: string }>;
  for (const m of items) { if (typeof m !== 'object') continue; n++; const s = crisis.detect(m.text); if (!s) { miss++; console.log('MISS', f, m.kind, '|', m.text.slice(0, 150)); } }
  for (const b of (d.benign ?? []) as string[]) { nb++; if (crisis.detect(b)) fa++; }
}
const benign = parse(readFileSync('knowledge/safety/benign-examples.yaml', 'utf8')).messages as string[];
const fb = benign.filter((b) => crisis.detect(b)).length;
console.log(`crisis messages ${n}, missed ${miss}; tuned benign in crisis sets ${fa}/${nb}; benign-examples ${fb}/${benign.length}`);
