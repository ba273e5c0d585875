/**
 * `npx tsx scripts/first-contact-eval.ts [--list] FILE...`
 *
 * Questions measured as a visitor meets the bot: each message is the first of a fresh
 * conversation, played through the whole turn (understanding, safety, the answer
 * stage, the composer), and the reply is read for what it says. For each in-scope
 * question (`intent`, and `also` for a second question in the same message):
 * - right: the reply gives the labelled entry's answer (both answers for two questions);
 * - checked: "I think you're asking about…" with the labelled answer (counted as right);
 * - did you mean: a menu (right when the labelled entry is among its buttons; not counted as right);
 * - don't know: the fallback, or a gap's "I don't have information" for a topic the guide covers;
 * - wrong: another entry's answer and not the labelled one;
 * - other: none of these (a flow started, an acknowledgement…).
 * Off-topic messages are declined when no program answer is given. Sets follow the
 * shape of eval/intents-blind-*.yaml. Nothing here changes the bot.
 */
import type { Activity } from 'botbuilder';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { catalogue, kb, screening, testBot } from '../tests/helpers/bot';
import { detectLanguage } from '../src/core/nlu/language';
import { words } from '../src/core/text/normalize';
import { basicNormalize } from '../src/core/text/normalize';
import { crisisOpenings } from './lib/crisisReplies';

const SetSchema = z.object({
  inScope: z.array(z.object({ text: z.string().min(1), intent: z.string(), also: z.string().optional(), facts: z.string().optional() })),
  offTopic: z.array(z.string().min(1)).default([]),
  spanish: z.array(z.string()).default([]),
});

type Outcome = 'right' | 'checked' | 'right, in English' | 'did-you-mean (right among)' | 'did-you-mean' | "don't know" | 'wrong' | 'crisis' | 'other';
const ORDER: Outcome[] = ['right', 'checked', 'right, in English', 'did-you-mean (right among)', 'did-you-mean', "don't know", 'wrong', 'crisis', 'other'];

const entries = kb.faq.entries;
const byId = new Map(entries.map((e) => [e.id, e]));
/** A stretch of an entry's answer that only that answer says (words 3–12: the opening "Yes." may be dropped). */
const keyOf = (answer: string) => basicNormalize(answer).split(' ').slice(2, 12).join(' ');
// Each answer is known in English and, through knowledge/es/, in Spanish.
const keys = entries.flatMap((e) => [{ id: e.id, key: keyOf(e.answer) }, { id: e.id, key: keyOf(catalogue.translate(e.answer)) }]);
const opening = (text: string) => basicNormalize(text).split(' ').slice(0, 8).join(' ');
const bothLanguages = (text: string) => [opening(text), opening(catalogue.translate(text))];
const message = (k: keyof typeof kb.messages.messages) => bothLanguages(kb.messages.messages[k].text);
const FALLBACK = message('fallback');
const DID_YOU_MEAN = message('didYouMean');
const CHECK = new RegExp(`I think you're asking about|${catalogue.translate(kb.messages.messages.answerCheck.text).split('{{')[0]!.trim().slice(0, 24)}`, 'i');
const isSpanish = (text: string) => detectLanguage(text, words(basicNormalize(text))) === 'es';
const CRISIS = crisisOpenings();
/** What an entry that starts something says instead of its answer: the welcome, the thanks, the screening's consent, the admissions line. */
const SAYS_INSTEAD: Record<string, string[]> = {
  greeting: message('welcome'),
  thanks: [...message('thanks'), ...message('bye')],
  'find-program': bothLanguages(screening.file.consent.text),
  'contact-admissions': message('talkToPerson'),
};

function buttonsOf(activities: Partial<Activity>[]): string {
  return JSON.stringify(activities.map((a) => [a.suggestedActions, a.attachments]));
}

function classify(text: string, buttons: string, intent: string, also?: string): { outcome: Outcome; answered: string[] } {
  const said = basicNormalize(text);
  const answered = keys.filter((k) => said.includes(k.key) || (SAYS_INSTEAD[k.id] ?? []).some((x) => said.includes(x))).map((k) => k.id);
  const wanted = [intent, ...(also ? [also] : [])];
  const isGap = (id: string) => byId.get(id)?.kind === 'gap';
  if (wanted.every((id) => answered.includes(id)) || (answered.includes(intent) && !also)) return { outcome: CHECK.test(text) ? 'checked' : 'right', answered };
  if (CRISIS.some((o) => text.includes(o)) && !answered.length) return { outcome: 'crisis', answered };
  if (DID_YOU_MEAN.some((m) => said.includes(m))) {
    const title = byId.get(intent)?.title ?? '\u0000';
    return { outcome: buttons.includes(title) || buttons.includes(catalogue.translate(title)) ? 'did-you-mean (right among)' : 'did-you-mean', answered };
  }
  if (FALLBACK.some((m) => said.includes(m)) || (answered.some(isGap) && !wanted.some(isGap))) return { outcome: "don't know", answered };
  if (answered.some((id) => !wanted.includes(id))) return { outcome: 'wrong', answered };
  return { outcome: 'other', answered };
}

async function run(file: string, list: boolean): Promise<void> {
  const set = SetSchema.parse(parseYaml(readFileSync(file, 'utf8')));
  const unknown = set.inScope.flatMap((q) => [q.intent, q.also ?? q.intent]).filter((id) => !byId.has(id));
  if (unknown.length) throw new Error(`${file}: unknown ids ${[...new Set(unknown)].join(', ')}`);
  const { adapter } = testBot('webchat');
  let n = 0;
  const turn = async (text: string) => {
    await adapter.receiveActivity({ type: 'message', text, conversation: { id: `first-contact-${n++}` } } as Partial<Activity>);
    const activities = adapter.activeQueue.splice(0) as Partial<Activity>[];
    return { text: activities.map((r) => String(r.text ?? '')).join('\n'), buttons: buttonsOf(activities) };
  };
  const counts = new Map<Outcome, number>(ORDER.map((o) => [o, 0]));
  const lines: string[] = [];
  let pairs = 0;
  let pairsBoth = 0;
  for (const q of set.inScope) {
    const reply = await turn(q.text);
    const read = classify(reply.text, reply.buttons, q.intent, q.also);
    const { answered } = read;
    // A Spanish question is answered right only in Spanish.
    const outcome: Outcome = (read.outcome === 'right' || read.outcome === 'checked') && isSpanish(q.text) && !isSpanish(reply.text) ? 'right, in English' : read.outcome;
    counts.set(outcome, counts.get(outcome)! + 1);
    if (q.also) {
      pairs++;
      if (answered.includes(q.intent) && answered.includes(q.also)) pairsBoth++;
    }
    if (outcome !== 'right' && outcome !== 'checked') {
      lines.push(`  ${outcome.padEnd(26)} ${q.intent}${q.also ? `+${q.also}` : ''} -> ${answered.join('+') || '-'}: ${q.text}`);
      if (outcome === 'other') lines.push(`  ${''.padEnd(26)} said: ${reply.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  let declined = 0;
  for (const text of set.offTopic) {
    const reply = await turn(text);
    const said = basicNormalize(reply.text);
    const answeredProgram = keys.some((k) => said.includes(k.key) && byId.get(k.id)?.kind === 'answer');
    if (!answeredProgram && (!isSpanish(text) || isSpanish(reply.text))) declined++;
    else lines.push(`  off-topic answered          -> ${keys.filter((k) => said.includes(k.key)).map((k) => k.id).join('+')}: ${text}`);
  }
  const total = set.inScope.length;
  const pct = (x: number, d = total) => `${((100 * x) / Math.max(d, 1)).toFixed(1)}%`;
  const right = counts.get('right')! + counts.get('checked')!;
  console.log(`${file}: ${total} in-scope, first contact`);
  console.log(`  answered right        ${pct(right)} (${right}; of them "I think you're asking about…" ${counts.get('checked')}; target >= 90%)`);
  console.log(`  answered wrong        ${pct(counts.get('wrong')!)} (${counts.get('wrong')}; target <= 2%)`);
  console.log(`  told "I don't know"   ${counts.get("don't know")} (target 0)`);
  console.log(`  did you mean          ${counts.get('did-you-mean (right among)')! + counts.get('did-you-mean')!} (right entry among the buttons: ${counts.get('did-you-mean (right among)')})`);
  if (counts.get('right, in English')) console.log(`  right, but in English ${counts.get('right, in English')}`);
  console.log(`  crisis reply          ${counts.get('crisis')}`);
  console.log(`  other                 ${counts.get('other')}`);
  console.log(`  two questions         ${pairsBoth}/${pairs} got both answers`);
  console.log(`  off-topic declined    ${pct(declined, set.offTopic.length)} (${declined}/${set.offTopic.length}; target >= 95%)`);
  if (list) console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const list = args.includes('--list');
  const files = args.filter((a) => a !== '--list');
  if (!files.length) throw new Error('usage: first-contact-eval.ts [--list] FILE...');
  for (const file of files) await run(file, list);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
