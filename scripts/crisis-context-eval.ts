/**
 * `npx tsx scripts/crisis-context-eval.ts [--list] [--out result.json] [--compare earlier.json] [--classifier name=value...] --benign FILE... --crisis FILE...`
 *
 * The crisis net measured through the whole bot, not the detector alone: every
 * message is sent as the first message of a fresh conversation (webchat), and it
 * counts as a crisis reply when the safety stage answered it (the conversation is
 * flagged; that reply always carries 988 or 911). Other replies that happen to
 * mention 988 or 911 (the welcome, a handoff) are counted apart, not as alarms.
 *
 * Files are read by path: a .txt file is one message a line (blank lines and
 * lines starting with # skipped); a .yaml file is a blind set or the holdout
 * ({ crisis: [{ text, kind }], benign: [...] }) or a corpus ({ messages: [...] }),
 * of which only the messages with a crisis kind are read after --crisis, and
 * only the plain messages after --benign.
 *
 * Prints, per file, the false alarms (--benign) or the misses (--crisis), and
 * how many crises the classifier alone caught; --list prints the messages behind
 * the numbers, --out writes every message's outcome as JSON (to compare runs).
 * --compare earlier.json says what got worse or better since that run's --out.
 * --classifier epochs=6 (any field of ClassifierOptions, repeatable) measures a
 * classifier trained with other options than DEFAULT_CLASSIFIER_OPTIONS.
 */
import type { Activity } from 'botbuilder';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CLASSIFIER_OPTIONS, type ClassifierOptions } from '../src/core/safety/classifier';
import { loadTrainingExamples } from '../src/core/safety/examples';
import { crisis as defaultCrisis, kb, testBot } from '../tests/helpers/bot';

type Role = 'benign' | 'crisis';
interface Outcome {
  text: string;
  /** The safety stage answered (the conversation is flagged). */
  alarmed: boolean;
  /** Some reply of the turn mentions 988 or 911. */
  mentions: boolean;
  /** What the detector alone says: a pattern id, classifier:0.83, or none. */
  evidence: string;
  /** The classifier's score, when it scores the message. */
  score: number | null;
}

const EMERGENCY = /\b(?:911|988)\b/;

function readMessages(file: string, role: Role): string[] {
  const raw = readFileSync(file, 'utf8');
  if (/\.txt$/i.test(file)) {
    return raw
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  }
  const doc = parseYaml(raw) as Record<string, unknown>;
  const items = [...((doc.crisis as unknown[]) ?? []), ...((doc.benign as unknown[]) ?? []), ...((doc.messages as unknown[]) ?? [])];
  return items
    .filter((m) => (role === 'crisis' ? typeof m === 'object' && m !== null && 'kind' in m : typeof m === 'string'))
    .map((m) => (typeof m === 'string' ? m : String((m as { text: unknown }).text)));
}

function parseArgs(argv: string[]) {
  const sets: Array<{ file: string; role: Role }> = [];
  let role: Role | null = null;
  let list = false;
  let out: string | null = null;
  let compare: string | null = null;
  const options: Record<string, number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--benign' || arg === '--crisis') role = arg.slice(2) as Role;
    else if (arg === '--list') list = true;
    else if (arg === '--out') out = argv[++i] ?? null;
    else if (arg === '--compare') compare = argv[++i] ?? null;
    else if (arg === '--classifier') {
      const [name, value] = (argv[++i] ?? '').split('=');
      if (!name || value === undefined || !(name in DEFAULT_CLASSIFIER_OPTIONS)) throw new Error(`--classifier name=value, name one of ${Object.keys(DEFAULT_CLASSIFIER_OPTIONS).join(', ')}`);
      options[name] = value === 'true' || value === 'false' ? value === 'true' : Number(value);
    }    else if (role) sets.push({ file: arg, role });
    else throw new Error(`${arg}: say --benign or --crisis before the files`);
  }
  if (!sets.length) throw new Error('usage: crisis-context-eval.ts [--list] [--out result.json] [--compare earlier.json] [--classifier name=value] --benign FILE... --crisis FILE...');
  return { sets, list, out, compare, options: options as Partial<ClassifierOptions> };
}

async function main() {
  const { sets, list, out, compare, options } = parseArgs(process.argv.slice(2));
  const crisis = Object.keys(options).length
    ? defaultCrisis.withClassifier(defaultCrisis.trainClassifier(loadTrainingExamples(kb), options))
    : defaultCrisis;
  const { adapter, storage } = testBot('webchat', undefined, undefined, { crisis });
  let n = 0;
  const run = async (text: string): Promise<Outcome> => {
    const conversation = `eval-${n++}`;
    await adapter.receiveActivity({ type: 'message', text, conversation: { id: conversation } } as Partial<Activity>);
    const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
    const key = `webchat/conversations/${conversation}`;
    const state = (await storage.read([key]))[key] as { admissions?: { flagged?: unknown } } | undefined;
    const signal = crisis.detect(text);
    return {
      text,
      alarmed: Boolean(state?.admissions?.flagged),
      mentions: replies.some((r) => EMERGENCY.test(String(r.text ?? ''))),
      evidence: signal?.evidence ?? 'none',
      score: crisis.classifierScore(text)?.score ?? null,
    };
  };

  const results: Record<string, { role: Role; outcomes: Outcome[] }> = {};
  const totals = { benign: { n: 0, bad: 0 }, crisis: { n: 0, bad: 0 } };
  for (const { file, role } of sets) {
    const outcomes: Outcome[] = [];
    for (const text of readMessages(file, role)) outcomes.push(await run(text));
    results[`${role}:${file}`] = { role, outcomes };
    const bad = outcomes.filter((o) => (role === 'benign' ? o.alarmed : !o.alarmed));
    totals[role].n += outcomes.length;
    totals[role].bad += bad.length;
    const pct = outcomes.length ? ((100 * bad.length) / outcomes.length).toFixed(1) : '0.0';
    const name = path.relative(process.cwd(), file) || file;
    if (role === 'benign') {
      const byClassifier = bad.filter((o) => o.evidence.startsWith('classifier:')).length;
      const mentionsOnly = outcomes.filter((o) => !o.alarmed && o.mentions).length;
      console.log(`${name}: ${outcomes.length} benign, ${bad.length} false alarms (${pct}%), ${byClassifier} of them by the classifier alone; ${mentionsOnly} other replies mention 988/911`);
    } else {
      const byClassifier = outcomes.filter((o) => o.alarmed && o.evidence.startsWith('classifier:'));
      const low = byClassifier.reduce((m, o) => Math.min(m, o.score ?? 1), 1);
      console.log(
        `${name}: ${outcomes.length} crisis, ${bad.length} missed (${pct}%), ${byClassifier.length} caught by the classifier alone (lowest score ${byClassifier.length ? low.toFixed(2) : '-'})`,
      );
    }
    if (list || role === 'crisis') {
      for (const o of bad) console.log(`    ${role === 'benign' ? 'ALARM' : 'MISS '} [${o.evidence}${o.score === null ? '' : ` ${o.score.toFixed(2)}`}] ${o.text}`);
    }
  }
  for (const role of ['benign', 'crisis'] as const) {
    const t = totals[role];
    if (t.n) console.log(`total ${role}: ${t.n}, ${role === 'benign' ? 'false alarms' : 'missed'} ${t.bad} (${((100 * t.bad) / t.n).toFixed(1)}%)`);
  }
  if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  if (compare) {
    // What changed since an earlier run (its --out): a new miss is the worst failure.
    const before = JSON.parse(readFileSync(compare, 'utf8')) as typeof results;
    for (const [key, { role, outcomes }] of Object.entries(results)) {
      const earlier = new Map((before[key]?.outcomes ?? []).map((o) => [o.text, o]));
      const bad = (o: Outcome) => (role === 'benign' ? o.alarmed : !o.alarmed);
      const worse = outcomes.filter((o) => earlier.has(o.text) && bad(o) && !bad(earlier.get(o.text)!));
      const better = outcomes.filter((o) => earlier.has(o.text) && !bad(o) && bad(earlier.get(o.text)!));
      if (!worse.length && !better.length) continue;
      console.log(`compared with ${compare}, ${key}: ${worse.length} new ${role === 'benign' ? 'false alarms' : 'MISSES'}, ${better.length} fixed`);
      if (role === 'crisis') for (const o of worse) console.log(`    NEW MISS [${o.evidence}${o.score === null ? '' : ` ${o.score.toFixed(2)}`}] ${o.text}`);
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
