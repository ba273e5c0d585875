/**
 * `npx tsx scripts/safety-eval.ts [--list] [--tiers FILE...] [--conversations FILE...] [--controls FILE...]`
 *
 * The safety net measured as the issue "safety in context" asks, on sets written
 * blind (see eval/README.md):
 * - --tiers: messages labelled by their writer with a tier (emergency, suicide,
 *   harm, withdrawal, concern). Recall: a message of the first four tiers gets the
 *   reply of one of them (the concern line does not count). Tier accuracy: the
 *   tier given is the tier labelled.
 * - --conversations: whole benign conversations ({ conversations: [{ persona,
 *   turns }] }), played turn by turn through the bot; a false alarm is a turn whose
 *   reply holds a crisis reply (any kind's paragraph). The concern line and the
 *   check-in question are counted apart.
 * - --controls: benign single messages with alarming words ({ benign: [...] }),
 *   each the first message of a fresh conversation, counted the same way.
 * --list prints the messages behind the numbers. Nothing here changes the bot.
 */
import type { Activity } from 'botbuilder';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { crisis, testBot } from '../tests/helpers/bot';
import { crisisOpenings } from './lib/crisisReplies';
import { TIERS, tierOf, type SafetyTier } from '../src/core/safety/tiers';

const TierSetSchema = z.object({ messages: z.array(z.object({ text: z.string().min(1), tier: z.enum(TIERS), who: z.string().optional() })) });
const ConversationsSchema = z.object({ conversations: z.array(z.object({ persona: z.string().optional(), turns: z.array(z.string().min(1)).min(1) })) });
const ControlsSchema = z.object({ benign: z.array(z.string().min(1)) });

type Role = 'tiers' | 'conversations' | 'controls';

function parseArgs(argv: string[]) {
  const sets: Array<{ file: string; role: Role }> = [];
  let role: Role | null = null;
  let list = false;
  for (const arg of argv) {
    if (arg === '--list') list = true;
    else if (arg === '--tiers' || arg === '--conversations' || arg === '--controls') role = arg.slice(2) as Role;
    else if (role) sets.push({ file: arg, role });
    else throw new Error(`${arg}: say --tiers, --conversations or --controls before the files`);
  }
  if (!sets.length) throw new Error('usage: safety-eval.ts [--list] --tiers FILE... --conversations FILE... --controls FILE...');
  return { sets, list };
}

const read = <T>(file: string, schema: z.ZodType<T>): T => schema.parse(parseYaml(readFileSync(file, 'utf8')));
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');

function scoreTiers(file: string, list: boolean): void {
  const { messages } = read(file, TierSetSchema);
  const caughtTiers: SafetyTier[] = ['emergency', 'suicide', 'harm', 'withdrawal'];
  let crises = 0;
  let caught = 0;
  let right = 0;
  const confusion = new Map<string, number>();
  const wrong: string[] = [];
  for (const m of messages) {
    const got = tierOf(crisis, m.text);
    if (caughtTiers.includes(m.tier)) {
      crises++;
      if (got && caughtTiers.includes(got)) caught++;
      else wrong.push(`    MISS   ${m.tier} -> ${got ?? 'none'}: ${m.text}`);
    }
    if (got === m.tier) right++;
    else if (!(caughtTiers.includes(m.tier) && !(got && caughtTiers.includes(got)))) wrong.push(`    TIER   ${m.tier} -> ${got ?? 'none'}: ${m.text}`);
    const key = `${m.tier} -> ${got ?? 'none'}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
  }
  console.log(`${file}: ${messages.length} labelled; recall ${caught}/${crises} (${pct(caught, crises)}); tier right ${right}/${messages.length} (${pct(right, messages.length)})`);
  for (const [key, n] of [...confusion].sort()) if (!key.startsWith(`${key.split(' ')[0]} -> ${key.split(' ')[0]}`)) console.log(`    ${key}: ${n}`);
  if (list) for (const w of wrong) console.log(w);
}

async function playConversations(file: string, turnsOf: string[][], list: boolean): Promise<{ turns: number; alarms: number }> {
  const openings = crisisOpenings();
  const { adapter } = testBot('webchat');
  let turns = 0;
  let alarms = 0;
  let concern = 0;
  let checkIns = 0;
  const lines: string[] = [];
  const concernLine = [crisis.source.concern.en.text, crisis.source.concern.es.text].filter((t): t is string => Boolean(t)).map((t) => t.trim().slice(0, 40));
  for (const [c, conversation] of turnsOf.entries()) {
    const id = `safety-eval-${path.basename(file)}-${c}`;
    for (const text of conversation) {
      turns++;
      await adapter.receiveActivity({ type: 'message', text, conversation: { id } } as Partial<Activity>);
      const replies = (adapter.activeQueue.splice(0) as Partial<Activity>[]).map((r) => String(r.text ?? '')).join('\n');
      if (openings.some((o) => replies.includes(o))) {
        alarms++;
        lines.push(`    ALARM   [${crisis.detect(text)?.evidence ?? 'context'}] ${text.slice(0, 220)}`);
      } else if (/Are you safe right now|¿Está a salvo/.test(replies)) {
        checkIns++;
        lines.push(`    CHECKIN ${text.slice(0, 220)}`);
      }
      if (concernLine.some((l) => replies.includes(l))) concern++;
    }
  }
  console.log(`${file}: ${turnsOf.length} conversations, ${turns} turns; false alarms ${alarms} (${pct(alarms, turns)}); check-in asked without an alarm ${checkIns}; concern line ${concern}`);
  if (list) for (const l of lines) console.log(l);
  return { turns, alarms };
}

async function main() {
  const { sets, list } = parseArgs(process.argv.slice(2));
  for (const { file, role } of sets) {
    if (role === 'tiers') scoreTiers(file, list);
    else if (role === 'conversations') await playConversations(file, read(file, ConversationsSchema).conversations.map((c) => c.turns), list);
    else await playConversations(file, read(file, ControlsSchema).benign.map((t) => [t]), list);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
