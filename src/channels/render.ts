import { ActionTypes, ActivityTypes, CardFactory, type Activity, type CardAction, type TurnContext } from 'botbuilder';
import type { Reply } from '../core/reply';
import { smsSegments } from '../core/sms/segments';

/**
 * The one place where channel rules live: the core speaks in channel-neutral
 * Replies, and this turns each into an activity the channel can show.
 *  - SMS: plain text only, choices as a numbered list, no markdown.
 *  - Teams: an Adaptive Card with Submit (imBack) and OpenUrl (tel:) actions.
 *  - Web chat, Direct Line, Emulator and the rest: text, suggested actions, and a card for tap-to-call.
 */
export type ChannelKind = 'sms' | 'teams' | 'web';

const SMS_CHANNELS = new Set(['sms', 'twilio-sms', 'acs_sms', 'acssms', 'telephony-sms']);

export function channelKind(channelId: string | undefined): ChannelKind {
  const id = (channelId ?? '').toLowerCase();
  if (SMS_CHANNELS.has(id)) return 'sms';
  if (id === 'msteams') return 'teams';
  return 'web';
}

export function render(reply: Reply, channelId: string | undefined): Partial<Activity> {
  switch (channelKind(channelId)) {
    case 'sms':
      return renderSms(reply);
    case 'teams':
      return renderTeams(reply);
    default:
      return renderWeb(reply);
  }
}

export interface RenderOptions {
  /** SMS: said in place of what was cut when a reply is over the total limit (the admissions number). */
  shortenedNote?: string;
  /** SMS: the line before the numbered choices ("Reply with a number:"). */
  numberPrompt?: string;
}

/** The turn's reply translation (set in src/bot.ts for a Spanish conversation): every reply passes through it before it is rendered. */
export const REPLY_TRANSLATION = Symbol('reply translation');

/** What REPLY_TRANSLATION holds: a reply, or a line of the channel's own, in the conversation's language. */
export interface ReplyTranslation {
  reply(reply: Reply): Reply;
  text(text: string): string;
}

/** renderAll for the turn: in the conversation's language, on the turn's channel. */
export function renderFor(context: TurnContext, reply: Reply, options: RenderOptions = {}): Partial<Activity>[] {
  const t = context.turnState.get(REPLY_TRANSLATION) as ReplyTranslation | undefined;
  if (!t) return renderAll(reply, context.activity.channelId, options);
  return renderAll(t.reply(reply), context.activity.channelId, { ...options, numberPrompt: t.text(NUMBER_PROMPT), shortenedNote: options.shortenedNote && t.text(options.shortenedNote) });
}

/**
 * The activities to send for a reply, in order. SMS replies are split into
 * parts of at most 320 characters at sentence boundaries, 1,600 in all; every
 * other channel gets the single activity of render().
 */
export function renderAll(reply: Reply, channelId: string | undefined, options: RenderOptions = {}): Partial<Activity>[] {
  if (channelKind(channelId) !== 'sms') return [render(reply, channelId)];
  const { body, ending } = smsText(reply, options.numberPrompt);
  return smsSegments(body, { ending, shortenedNote: options.shortenedNote }).map((text) => ({
    type: ActivityTypes.Message,
    text,
    textFormat: 'plain',
  }));
}

/** Remove markdown that a phone would show literally. */
export function plainText(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/^#+\s*/gm, '')
    .replace(/^\s*[-*]\s+/gm, '- ');
}

function phoneFromUri(uri: string): string {
  return uri.replace(/^(tel|sms):/, '');
}

function renderSms(reply: Reply): Partial<Activity> {
  const { body, ending } = smsText(reply);
  return { type: ActivityTypes.Message, text: body + ending, textFormat: 'plain' };
}

/**
 * The SMS text: the reply as plain text, then the ending that is never cut: every
 * phone number behind a button written out, and the choices as a numbered list.
 */
/** Before the numbered choices on SMS (said in the conversation's language by renderFor). */
export const NUMBER_PROMPT = 'Reply with a number:';

function smsText(reply: Reply, numberPrompt = NUMBER_PROMPT): { body: string; ending: string } {
  const body = plainText(reply.text);
  let ending = '';
  for (const link of reply.links ?? []) {
    // SMS can't show buttons: make sure every number is written out.
    const number = phoneFromUri(link.uri);
    const digits = number.replace(/\D/g, '').slice(-10);
    if (digits && !body.replace(/\D/g, '').includes(digits)) ending += `\n${plainText(link.label)}: ${number}`;
  }
  if (reply.choices?.length) {
    ending += `\n\n${numberPrompt}\n` + reply.choices.map((c, i) => plainText(`${i + 1}. ${c.label}`)).join('\n');
  }
  return { body, ending };
}

function renderTeams(reply: Reply): Partial<Activity> {
  if (!reply.choices?.length && !reply.links?.length) return { type: ActivityTypes.Message, text: reply.text };
  const actions = [
    ...(reply.links ?? []).map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.uri })),
    ...(reply.choices ?? []).map((c) => ({
      type: 'Action.Submit',
      title: c.label,
      // imBack makes the tap read like typed text, so the same pipeline handles it.
      data: { msteams: { type: 'imBack', value: c.value } },
    })),
  ];
  const card = CardFactory.adaptiveCard({
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [{ type: 'TextBlock', text: reply.text, wrap: true }],
    actions,
  });
  return { type: ActivityTypes.Message, attachments: [card], summary: reply.text.slice(0, 200) };
}

function renderWeb(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, text: reply.text };
  if (reply.links?.length) {
    const buttons: CardAction[] = reply.links.map((l) => ({ type: ActionTypes.OpenUrl, title: l.label, value: l.uri }));
    activity.attachments = [CardFactory.heroCard('', undefined, buttons)];
  }
  if (reply.choices?.length) {
    activity.suggestedActions = {
      to: [],
      actions: reply.choices.map((c) => ({ type: ActionTypes.ImBack, title: c.label, value: c.value })),
    };
  }
  return activity;
}
