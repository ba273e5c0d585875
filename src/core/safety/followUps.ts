import * as path from 'node:path';
import { z } from 'zod';
import { knowledgeDir, loadYamlFile } from '../knowledge/load';
import { phraseSource, type Phrases } from '../understanding/phrases';

/**
 * knowledge/safety/follow-ups.yaml: what the bot says after a crisis reply when
 * the visitor answers it in their own words. A step toward help ("ok ill text
 * 988") is recognised, a second identical crisis paragraph is replaced by a
 * shorter one, and questions about crisis help itself ("can I text 988?",
 * "should I keep narcan?") are answered plainly, with their public sources.
 */
const Bilingual = z.strictObject({ en: z.string().min(10), es: z.string().min(10) });
const CheckIn = z.strictObject({ text: z.string().min(10), choices: z.array(z.strictObject({ label: z.string().min(1), value: z.string().min(1) })).min(1) });

/**
 * Whose risk a crisis message is about, read in the parts that carry the risk (basic-normalized):
 * someone else's when they are named there and the visitor speaks of no risk of their own
 * (knowledge/phrases.yaml, meta.riskOther and meta.riskSelf). "my wife left. i dont see the point
 * anymore" is the visitor's: the risk is in the second sentence, which names nobody else.
 */
export function whoIsAtRisk(p: Phrases, riskParts: readonly string[], whole: string): 'self' | 'other' {
  const text = riskParts.length ? riskParts.join(' ') : whole;
  if (p.meta.riskSelf.test(text)) return 'self';
  return p.meta.riskOther.test(text) ? 'other' : 'self';
}

export const FollowUpsFileSchema = z.strictObject({
  reachingOut: z.strictObject({ phrases: z.array(z.string().min(3)).min(1), notReachingOut: z.array(z.string().min(3)).default([]), reply: Bilingual }),
  stillHere: Bilingual,
  /** After the guidance was said again: the numbers first, no question. */
  callNow: Bilingual,
  /** Withdrawal risk again within 30 minutes of the full guidance: a short reminder. */
  withdrawalAgain: Bilingual,
  /** A goodbye or thanks while the check-in is open: warm, with the numbers; the episode ends. */
  goodbye: Bilingual,
  /** A question the guide cannot answer during a crisis episode, by the episode's kind. */
  unknownInCrisis: z.strictObject({ emergency: Bilingual, suicide: Bilingual, withdrawal: Bilingual }),
  /** "not them. me.": after a reply about someone else, the risk is the visitor's own. */
  aboutMe: z.array(z.string().min(2)).default([]),
  aboutSomeoneElse: z.strictObject({
    suicide: Bilingual,
    checkIn: z.strictObject({ en: CheckIn, es: CheckIn }),
    safe: Bilingual,
  }),
  resources: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        phrases: z.array(z.string().min(3)).min(1),
        /** Messages that share the phrases' words but ask something else ("do you treat xanax and alcohol?"). */
        notWhen: z.array(z.string().min(3)).default([]),
        answer: z.string().min(20),
        sources: z.array(z.string().url()).min(1),
      }),
    )
    .min(1),
});
export type FollowUpsFile = z.infer<typeof FollowUpsFileSchema>;

const within = (phrases: string[]) => new RegExp(`(?<![a-z0-9])(?:${phrases.map(phraseSource).join('|')})(?![a-z0-9])`);

export class SafetyFollowUps {
  private readonly reaching: RegExp;
  private readonly refusing: RegExp | null;
  private readonly me: RegExp | null;
  private readonly resources: Array<{ id: string; re: RegExp; not: RegExp | null; answer: string }>;

  constructor(readonly file: FollowUpsFile) {
    this.reaching = within(file.reachingOut.phrases);
    this.refusing = file.reachingOut.notReachingOut.length ? within(file.reachingOut.notReachingOut) : null;
    this.me = file.aboutMe.length ? within(file.aboutMe) : null;
    this.resources = file.resources.map((r) => ({ id: r.id, re: within(r.phrases), not: r.notWhen.length ? within(r.notWhen) : null, answer: r.answer.trim() }));
  }

  /** "ok ill text 988", "were on with 911": a step toward help (basic-normalized text). */
  reachingOut(normalized: string): boolean {
    return this.reaching.test(normalized) && !this.refusing?.test(normalized);
  }

  /** "not them. me.", "its me": the risk is the writer's own (basic-normalized text). */
  aboutMe(normalized: string): boolean {
    return this.me?.test(normalized) ?? false;
  }

  /** What to say to a question the guide cannot answer, asked during a crisis episode of this kind. */
  unknownInCrisis(kind: string, language: 'en' | 'es'): string {
    const group = kind === 'suicide' || kind === 'violence' ? 'suicide' : kind === 'withdrawal' ? 'withdrawal' : 'emergency';
    return this.file.unknownInCrisis[group][language].trim();
  }

  /** The answers to questions about crisis help in this (basic-normalized) text, at most two. */
  answers(normalized: string): Array<{ id: string; answer: string }> {
    return this.resources
      .filter((r) => r.re.test(normalized) && !r.not?.test(normalized))
      .map(({ id, answer }) => ({ id, answer }))
      .slice(0, 2);
  }

  /** The file's lists, compiled once per process for the shipped folder (every bot shares them). */
  static load(dir: string = knowledgeDir()): SafetyFollowUps {
    if (dir === knowledgeDir()) return (shared ??= new SafetyFollowUps(loadYamlFile(path.join(dir, 'safety', 'follow-ups.yaml'), FollowUpsFileSchema)));
    return new SafetyFollowUps(loadYamlFile(path.join(dir, 'safety', 'follow-ups.yaml'), FollowUpsFileSchema));
  }
}

let shared: SafetyFollowUps | undefined;
