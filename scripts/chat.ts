/**
 * `npm run chat`: talk to a RUNNING bot from the terminal, the way the
 * Emulator would, but with deliveryMode "expectReplies" so the replies come
 * back in the HTTP response (no callback server).
 *
 *   npm start                                   # in another terminal
 *   npm run chat
 *   npm run chat -- --channel sms
 *   npm run chat -- --url http://127.0.0.1:3978/api/messages
 *   printf 'hi\nwhat is iop\n' | npm run chat    # scripted run, exits 0 at EOF
 *
 * Type a number to pick one of the numbered choices; /quit (or Ctrl-D) ends.
 * Node built-ins only.
 */
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { conversationUpdate, messageActivity, messagesUrl, newConversation, repliesFrom, type Activity, type CardAction, type Conversation } from './lib/activity';

export const DEFAULT_URL = 'http://127.0.0.1:3978/api/messages';
export const CHANNELS = ['webchat', 'sms', 'msteams'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A button the user can pick by typing its number. */
export interface Choice {
  label: string;
  value: string;
}

export interface FormattedReplies {
  /** Ready to print, ends with a newline (empty when the bot said nothing). */
  text: string;
  /** The numbered choices, in the order printed ([1] is choices[0]). */
  choices: Choice[];
}

// ---------------------------------------------------------------- printing

function indent(text: string, first: string, rest: string): string {
  return text
    .split(/\r?\n/)
    .map((line, i) => (line ? (i === 0 ? first : rest) + line : ''))
    .join('\n');
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

type Item = { kind: 'choice'; choice: Choice } | { kind: 'line'; line: string };

/** A link becomes a line (tel: as "Call: +1877…"); a button that posts text becomes a numbered choice. */
function fromUrl(url: string, title: string | undefined): Item {
  if (/^tel:/i.test(url)) return { kind: 'line', line: `Call: ${url.replace(/^tel:/i, '')}` };
  if (/^sms:/i.test(url)) return { kind: 'line', line: `Text: ${url.replace(/^sms:/i, '')}` };
  return { kind: 'line', line: title && title !== url ? `${title}: ${url}` : `Link: ${url}` };
}

function fromCardAction(a: CardAction): Item | undefined {
  const title = asString(a.title);
  const type = (a.type ?? '').toLowerCase();
  if (type === 'openurl' || type === 'call') {
    const url = asString(a.value);
    return url ? fromUrl(url, title) : undefined;
  }
  // imBack, postBack, messageBack: tapping sends text (or value) to the bot.
  const value = asString(a.value) ?? asString(a.text) ?? asString(a.displayText) ?? title;
  if (!value) return undefined;
  return { kind: 'choice', choice: { label: title ?? value, value } };
}

function fromAdaptiveAction(a: Record<string, unknown>): Item | undefined {
  const title = asString(a.title);
  if (a.type === 'Action.OpenUrl') {
    const url = asString(a.url);
    return url ? fromUrl(url, title) : undefined;
  }
  if (a.type === 'Action.Submit' || a.type === 'Action.Execute') {
    const data = a.data as Record<string, unknown> | string | undefined;
    let value: string | undefined;
    if (typeof data === 'string') value = asString(data);
    else if (data && typeof data === 'object') {
      const teams = data.msteams as Record<string, unknown> | undefined;
      value = asString(teams?.value) ?? asString(teams?.text) ?? asString(data.text) ?? asString(data.choice) ?? asString(data.value);
    }
    value = value ?? title;
    return value ? { kind: 'choice', choice: { label: title ?? value, value } } : undefined;
  }
  return undefined;
}

/** Text of an Adaptive Card's TextBlocks, in order, looking inside containers and columns. */
function adaptiveText(elements: unknown, out: string[] = []): string[] {
  if (!Array.isArray(elements)) return out;
  for (const el of elements as Array<Record<string, unknown>>) {
    if (!el || typeof el !== 'object') continue;
    if (el.type === 'TextBlock' && asString(el.text)) out.push(el.text as string);
    if (el.type === 'RichTextBlock' && Array.isArray(el.inlines)) {
      out.push((el.inlines as Array<Record<string, unknown> | string>).map((i) => (typeof i === 'string' ? i : String(i?.text ?? ''))).join(''));
    }
    adaptiveText(el.items, out);
    if (Array.isArray(el.columns)) for (const col of el.columns as Array<Record<string, unknown>>) adaptiveText(col?.items, out);
  }
  return out;
}

/** The items an activity shows besides its text: card text lines, links and buttons. */
function attachmentItems(activity: Activity): { texts: string[]; items: Item[] } {
  const texts: string[] = [];
  const items: Item[] = [];
  for (const att of activity.attachments ?? []) {
    const content = (att.content ?? {}) as Record<string, unknown>;
    const type = att.contentType ?? '';
    if (type === 'application/vnd.microsoft.card.adaptive') {
      texts.push(...adaptiveText(content.body));
      for (const a of Array.isArray(content.actions) ? (content.actions as Array<Record<string, unknown>>) : []) {
        const item = fromAdaptiveAction(a);
        if (item) items.push(item);
      }
    } else if (/^application\/vnd\.microsoft\.card\.(hero|thumbnail)$/.test(type)) {
      for (const key of ['title', 'subtitle', 'text']) {
        const t = asString(content[key]);
        if (t) texts.push(t);
      }
      for (const b of Array.isArray(content.buttons) ? (content.buttons as CardAction[]) : []) {
        const item = fromCardAction(b);
        if (item) items.push(item);
      }
    } else {
      texts.push(`[attachment: ${type || 'unknown'}]`);
    }
  }
  return { texts, items };
}

/**
 * Turn the bot's reply activities into readable terminal text: the text, then
 * the card text, links ("Call: +1877…") and buttons as numbered choices
 * ("  [1] What is IOP?"). Numbering runs across all the replies of one turn.
 */
export function formatReplies(activities: Activity[]): FormattedReplies {
  const out: string[] = [];
  const choices: Choice[] = [];
  for (const activity of activities) {
    if (activity.type !== 'message') continue;
    const { texts, items } = attachmentItems(activity);
    const body = [asString(activity.text), ...texts].filter((t): t is string => Boolean(t));
    if (body.length === 0 && asString(activity.summary)) body.push(activity.summary as string);
    if (body.length) out.push(indent(body.join('\n'), 'Bot: ', '     '));
    else if (items.length || activity.suggestedActions?.actions?.length) out.push('Bot:');
    const all = [...items];
    for (const a of activity.suggestedActions?.actions ?? []) {
      const item = fromCardAction(a);
      if (item) all.push(item);
    }
    // Links first, then the numbered choices.
    for (const item of all) if (item.kind === 'line') out.push(`  ${item.line}`);
    for (const item of all) {
      if (item.kind !== 'choice') continue;
      choices.push(item.choice);
      out.push(`  [${choices.length}] ${item.choice.label}`);
    }
  }
  return { text: out.length ? out.join('\n') + '\n' : '', choices };
}

/** A typed number picks that choice (its value is sent); anything else is sent as typed. */
export function resolveInput(line: string, choices: readonly Choice[]): string {
  const m = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(line);
  const choice = m ? choices[Number(m[1]) - 1] : undefined;
  return choice ? choice.value : line;
}

// ---------------------------------------------------------------- talking

export class UnreachableError extends Error {}

export interface SendResult {
  status: number;
  activities: Activity[];
  /** The response body, for error messages. */
  raw: string;
}

/** POST one activity; network failures (refused, DNS, reset, timeout) throw UnreachableError. */
export async function postActivity(url: string, activity: Activity, timeoutMs = 30_000): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new UnreachableError(why);
  }
  const raw = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, activities: repliesFrom(body), raw };
}

export interface ChatOptions {
  /** The bot's /api/messages URL (a bare http://host:port gets /api/messages). */
  url?: string;
  channel?: Channel;
  input: Readable;
  output: Writable;
  /** Where the "cannot reach" line goes; defaults to output. */
  errorOutput?: Writable;
  /** Show a prompt (a terminal); otherwise each line is echoed as "You: …" so the transcript reads well. */
  interactive?: boolean;
  timeoutMs?: number;
}

/** Run a chat until the input ends. Resolves with the exit code (0, or 1 when the bot is unreachable). */
export async function runChat(options: ChatOptions): Promise<number> {
  const url = messagesUrl(options.url ?? DEFAULT_URL);
  const { input, output } = options;
  const errorOutput = options.errorOutput ?? output;
  const interactive = options.interactive ?? false;
  const conv: Conversation = newConversation(options.channel ?? 'webchat');
  let choices: Choice[] = [];

  const unreachable = (why: string) => {
    errorOutput.write(`Cannot reach the bot at ${url}: is it running? Start it with npm start (${why})\n`);
    return 1;
  };

  /** Send one activity and print the replies: "ok", "http-error", or why the bot could not be reached. */
  const turn = async (activity: Activity): Promise<'ok' | 'http-error' | { unreachable: string }> => {
    let result: SendResult;
    try {
      result = await postActivity(url, activity, options.timeoutMs);
    } catch (err) {
      if (err instanceof UnreachableError) return { unreachable: err.message };
      throw err;
    }
    if (result.status < 200 || result.status >= 300) {
      errorOutput.write(`The bot at ${url} answered HTTP ${result.status}: ${result.raw.slice(0, 300)}\n`);
      return 'http-error';
    }
    const formatted = formatReplies(result.activities);
    if (formatted.text) output.write(formatted.text);
    else if (activity.type === 'message') output.write('Bot: (no reply)\n');
    choices = formatted.choices;
    return 'ok';
  };

  // The user "joins" first, so the welcome shows; a wrong URL or a dead bot stops here.
  const first = await turn(conversationUpdate(conv));
  if (typeof first === 'object') return unreachable(first.unreachable);
  if (first === 'http-error') return 1;

  const rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive, crlfDelay: Infinity });
  if (interactive) {
    rl.setPrompt('You: ');
    rl.on('SIGINT', () => rl.close());
    rl.prompt();
  }
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line) {
        const text = resolveInput(line, choices);
        if (!interactive) output.write(text === line ? `You: ${line}\n` : `You: ${line} (${text})\n`);
        else if (text !== line) output.write(`     (${text})\n`);
        const result = await turn(messageActivity(conv, text));
        if (typeof result === 'object') return unreachable(result.unreachable);
        if (interactive) output.write('\n');
      }
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
  if (interactive) output.write('\n');
  return 0;
}

// ---------------------------------------------------------------- command line

const USAGE = `Usage: npm run chat -- [--url <url>] [--channel webchat|sms|msteams]
  --url      the bot's messages endpoint (default: $BOT_URL or ${DEFAULT_URL})
  --channel  the channel to pretend to be (default: webchat)
Type a number to pick a choice; /quit or Ctrl-D ends.`;

async function main(): Promise<void> {
  let values: { url?: string; channel?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { url: { type: 'string' }, channel: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const channel = (values.channel ?? 'webchat') as Channel;
  if (!CHANNELS.includes(channel)) {
    console.error(`Unknown channel "${values.channel}": use webchat, sms or msteams.`);
    process.exitCode = 2;
    return;
  }
  const url = values.url ?? process.env.BOT_URL ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    console.error(`Not a URL: ${url}`);
    process.exitCode = 2;
    return;
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (interactive) console.log(`Chatting with ${messagesUrl(url)} as channel "${channel}". Type /quit or Ctrl-D to leave.\n`);
  process.exitCode = await runChat({ url, channel, input: process.stdin, output: process.stdout, errorOutput: process.stderr, interactive });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`chat failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
