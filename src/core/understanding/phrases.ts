import * as path from 'node:path';
import { z } from 'zod';
import { knowledgeDir, loadYamlFile } from '../knowledge/load';

/**
 * The phrase lists of knowledge/phrases.yaml (yes, no, unsure, safe, ack,
 * commands, denials, feelings), checked by zod and compiled into matchers.
 * The notation is the file's own: "(a|b c)" alternatives, "(a|b)?" optional,
 * "word*" a prefix. Matching is on basic-normalized text (src/core/text/normalize.ts).
 */

const MatchSchema = z.enum(['start', 'whole', 'within']);
const ListSchema = z.strictObject({ match: MatchSchema, phrases: z.array(z.string().min(1)).min(1) });

/**
 * In the file's order, which is the order they are tried: "forget me" before "stop", a person before
 * a language ("alguien que hable espanol" asks for a person). The two language requests come last.
 */
export const COMMANDS = ['forget-me', 'cancel-callback', 'help', 'start-over', 'cancel', 'talk-to-person', 'start-screening', 'none-of-these', 'language-es', 'language-en'] as const;
export type Command = (typeof COMMANDS)[number];

export const PhrasesFileSchema = z.strictObject({
  politeLead: z.string().min(1),
  politeTail: z.string().min(1),
  answers: z.strictObject({ yes: ListSchema, no: ListSchema, unsure: ListSchema, refuse: ListSchema, why: ListSchema, back: ListSchema }),
  safety: z.strictObject({ safe: ListSchema, unsafe: ListSchema, safeWithin: ListSchema }),
  smalltalk: z.strictObject({ ack: ListSchema, thanks: ListSchema, bye: ListSchema, notReady: ListSchema, greeting: ListSchema }),
  commands: z.strictObject(Object.fromEntries(COMMANDS.map((c) => [c, ListSchema])) as Record<Command, typeof ListSchema>),
  meta: z.strictObject({ remaining: ListSchema, patientDirect: ListSchema, recall: ListSchema, treatmentContext: ListSchema, someoneElse: ListSchema, withdrawalHistory: ListSchema, feared: ListSchema, presentDanger: ListSchema, answeringForOther: ListSchema, someoneElseUsing: ListSchema, firstPersonUse: ListSchema, answeringForSelf: ListSchema, thanksWords: ListSchema, riskOther: ListSchema, riskSelf: ListSchema, staffLanguage: ListSchema, notForgetMe: ListSchema, whereWereWe: ListSchema }),
  disclosures: z.strictObject({ use: ListSchema, relapse: ListSchema }),
  denials: z.strictObject({ risk: ListSchema, action: ListSchema, said: ListSchema }),
  feelings: ListSchema,
});
export type PhrasesFile = z.infer<typeof PhrasesFileSchema>;
type List = z.infer<typeof ListSchema>;

/** One phrase in the file's notation as a RegExp source (no anchors). */
export function phraseSource(phrase: string): string {
  let out = '';
  // Optional words at the start carry their space after them; the rest carry it before.
  let leading = true;
  for (const t of tokenize(phrase.trim())) {
    // "..." is up to eight words in between ("suggest ... again"): bounded, so a long message full of
    // near misses costs linear time, not a backtracking storm (two unbounded gaps took 1.9 s on 10,000 characters).
    if (t.word === '...') {
      out += leading ? '(?:\\S+ ){0,8}' : '(?: \\S+){0,8}';
      continue;
    }
    // "_" is any one word ("is _ one of your patients"); "word*" any word that starts so.
    const body = t.group ? `(?:${t.group.map(phraseSource).join('|')})` : t.word === '_' ? '\\S+' : t.word.endsWith('*') ? `${escape(t.word.slice(0, -1))}\\w*` : escape(t.word);
    if (leading && t.optional) out += `(?:${body} )?`;
    else if (leading) {
      out += body;
      leading = false;
    } else out += t.optional ? `(?: ${body})?` : ` ${body}`;
  }
  return out;
}

interface Token {
  word: string;
  group?: string[];
  optional: boolean;
}

function tokenize(phrase: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < phrase.length) {
    if (phrase[i] === ' ') {
      i++;
      continue;
    }
    if (phrase[i] === '(') {
      let depth = 0;
      let j = i;
      const alternatives: string[] = [];
      let start = i + 1;
      for (; j < phrase.length; j++) {
        if (phrase[j] === '(') depth++;
        else if (phrase[j] === ')' && --depth === 0) break;
        else if (phrase[j] === '|' && depth === 1) {
          alternatives.push(phrase.slice(start, j));
          start = j + 1;
        }
      }
      if (j >= phrase.length) throw new Error(`phrase "${phrase}": a "(" is never closed`);
      alternatives.push(phrase.slice(start, j));
      let optional = false;
      j++;
      while (phrase[j] === '?' || phrase[j] === '*' || phrase[j] === '+') {
        if (phrase[j] === '?' || phrase[j] === '*') optional = true;
        j++;
      }
      tokens.push({ word: '', group: alternatives.map((a) => a.trim()), optional });
      i = j;
      continue;
    }
    let j = i;
    while (j < phrase.length && phrase[j] !== ' ' && phrase[j] !== '(') j++;
    const word = phrase.slice(i, j);
    const plus = word.endsWith('+') && word.length > 1;
    tokens.push({ word: plus ? word.slice(0, -1) : word, optional: false });
    if (plus) tokens[tokens.length - 1]!.word += '+';
    i = j;
  }
  return tokens;
}

function escape(word: string): string {
  // "hm+" keeps its "+" (one or more); everything else is literal.
  const plus = word.endsWith('+');
  const core = (plus ? word.slice(0, -1) : word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return plus ? `${core}+` : core;
}

/** A compiled list: does this (basic-normalized) text say it? */
export class PhraseList {
  private readonly re: RegExp;
  constructor(list: List, lead = '', tail = '') {
    const body = `(?:${list.phrases.map(phraseSource).join('|')})`;
    const l = lead ? `(?:${lead} )*` : '';
    const t = tail ? `(?: ${tail})*` : '';
    this.re =
      list.match === 'whole' ? new RegExp(`^${l}${body}${t}$`) : list.match === 'start' ? new RegExp(`^${body}(?![a-z0-9])`) : new RegExp(`(?<![a-z0-9])${body}(?![a-z0-9])`);
  }
  test(normalized: string): boolean {
    return this.re.test(normalized);
  }
  /** The text with every match blanked out ("hes not suicidal, is he ok" → " , is he ok"). */
  strip(normalized: string): string {
    return normalized.replace(new RegExp(this.re.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
  }
  /** What matched ("yeah" of "yeah my son drinks"), or null. */
  match(normalized: string): string | null {
    return this.re.exec(normalized)?.[0] ?? null;
  }
}

/** Every list of the file, compiled. */
export class Phrases {
  readonly yes: PhraseList;
  readonly no: PhraseList;
  readonly unsure: PhraseList;
  readonly refuse: PhraseList;
  readonly why: PhraseList;
  readonly back: PhraseList;
  readonly safe: PhraseList;
  readonly unsafe: PhraseList;
  readonly safeWithin: PhraseList;
  readonly ack: PhraseList;
  readonly thanks: PhraseList;
  readonly bye: PhraseList;
  readonly greeting: PhraseList;
  readonly notReady: PhraseList;
  readonly commands: ReadonlyArray<readonly [Command, PhraseList]>;
  readonly meta: { remaining: PhraseList; patientDirect: PhraseList; recall: PhraseList; treatmentContext: PhraseList; someoneElse: PhraseList; withdrawalHistory: PhraseList; feared: PhraseList; presentDanger: PhraseList; answeringForOther: PhraseList; someoneElseUsing: PhraseList; firstPersonUse: PhraseList; answeringForSelf: PhraseList; thanksWords: PhraseList; riskOther: PhraseList; riskSelf: PhraseList; staffLanguage: PhraseList; notForgetMe: PhraseList; whereWereWe: PhraseList };
  readonly disclosures: { use: PhraseList; relapse: PhraseList };
  readonly denials: { risk: PhraseList; action: PhraseList; said: PhraseList };
  readonly feelings: PhraseList;

  constructor(file: PhrasesFile) {
    const lead = phraseSource(file.politeLead);
    const tail = phraseSource(file.politeTail);
    const list = (l: List) => new PhraseList(l);
    ({ yes: this.yes, no: this.no, unsure: this.unsure, refuse: this.refuse, why: this.why, back: this.back } = mapValues(file.answers, list));
    ({ safe: this.safe, unsafe: this.unsafe, safeWithin: this.safeWithin } = mapValues(file.safety, list));
    ({ ack: this.ack, thanks: this.thanks, bye: this.bye, notReady: this.notReady, greeting: this.greeting } = mapValues(file.smalltalk, list));
    this.commands = COMMANDS.map((c) => [c, new PhraseList(file.commands[c], lead, tail)] as const);
    this.meta = mapValues(file.meta, list);
    this.disclosures = mapValues(file.disclosures, list);
    this.denials = mapValues(file.denials, list);
    this.feelings = list(file.feelings);
  }

  /**
   * Does this part tell a feeling? A Spanish feeling said with "no" before its verb ("no estoy
   * preocupada", "no tengo miedo", "no me da vergüenza") is none: the phrases would find
   * "estoy preocupada" inside it.
   */
  feeling(normalized: string): boolean {
    return this.feelings.test(normalized.replace(NEGATED_FEELING, ' '));
  }

  /** A feeling and nothing more ("¿fue mi culpa?", "estoy tan cansada"), not "estoy preocupada, ¿el detox es seguro?". */
  onlyFeeling(normalized: string): boolean {
    if (!this.feeling(normalized)) return false;
    const left = this.feelings.strip(normalized);
    return !left || left.split(' ').length <= 2;
  }

  /** Is the message about substance use, recovery or treatment (not a near miss such as a juice detox)? */
  aboutTreatment(normalized: string): boolean {
    return this.meta.treatmentContext.test(normalized);
  }

  /** Does the message speak of a person other than the visitor (a relative, a client, "anyone there")? */
  aboutSomeoneElse(normalized: string): boolean {
    return this.meta.someoneElse.test(normalized);
  }

  /** Does this part ask whether a particular person is (or was) a patient? */
  asksAboutPatient(normalized: string): boolean {
    return this.meta.patientDirect.test(normalized);
  }

  /** "en español", "English please": the language the visitor asks for, if any. */
  languageAsked(normalized: string): 'es' | 'en' | undefined {
    const asked = this.languageCommand(normalized);
    return asked === 'language-es' ? 'es' : asked === 'language-en' ? 'en' : undefined;
  }

  /** The message is the language request alone ("spanish please"), with nothing else to answer. */
  onlyLanguageAsked(normalized: string): boolean {
    const asked = this.languageCommand(normalized);
    const list = asked && this.commands.find(([c]) => c === asked)?.[1];
    return Boolean(list && !list.strip(normalized).replace(/[^a-z0-9]/g, ''));
  }

  private languageCommand(normalized: string): Command | undefined {
    return this.commands.find(([c, list]) => (c === 'language-es' || c === 'language-en') && list.test(normalized))?.[0];
  }

  /** The command a message part is, if any (in the file's order: "forget me" before "stop"). */
  command(normalized: string): Command | null {
    for (const [command, list] of this.commands) {
      // "dont forget me", "they'll forget me": no deletion (meta.notForgetMe).
      if (command === 'forget-me' && this.meta.notForgetMe.test(normalized) && !list.test(this.meta.notForgetMe.strip(normalized))) continue;
      if (list.test(normalized)) return command;
    }
    return null;
  }
}

/** A Spanish "no" (nunca, tampoco, ni) before the verb that tells a feeling, with what follows it up to the feeling word. */
const NEGATED_FEELING =
  /(?<![a-z0-9])(?:no|nunca|tampoco|ni) (?:me |nos |te |le |les )?(?:siento|sentimos|sentia|estoy|estamos|esta|estan|ando|andamos|he estado|hemos estado|tengo|tenemos|da|dan|daba)(?: (?:muy|tan|nada|para nada|tanto|tanta|mucho|mucha|un poco|un poco de|ya|tampoco))* \S+/g;

function mapValues<T extends Record<string, List>>(o: T, f: (l: List) => PhraseList): { [K in keyof T]: PhraseList } {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) as { [K in keyof T]: PhraseList };
}

let shared: Phrases | undefined;

/** The phrases of knowledge/phrases.yaml, read once per process. */
export function phrases(dir?: string): Phrases {
  if (dir === undefined || dir === knowledgeDir()) return (shared ??= new Phrases(loadYamlFile(path.join(knowledgeDir(), 'phrases.yaml'), PhrasesFileSchema)));
  return new Phrases(loadYamlFile(path.join(dir, 'phrases.yaml'), PhrasesFileSchema));
}
