import { randomUUID } from 'node:crypto';

/**
 * Activity builders shared by `npm run chat` and `npm run bench`: the same
 * JSON the Bot Framework Emulator posts to /api/messages, but with
 * `deliveryMode: "expectReplies"` so the replies come back in the HTTP
 * response and no callback server is needed. Node built-ins only.
 */

export interface ChannelAccount {
  id: string;
  name?: string;
  role?: string;
}

/** The subset of a Bot Framework activity these scripts send and read. */
export interface Activity {
  type: string;
  id?: string;
  timestamp?: string;
  localTimestamp?: string;
  channelId?: string;
  serviceUrl?: string;
  from?: ChannelAccount;
  recipient?: ChannelAccount;
  conversation?: { id: string };
  membersAdded?: ChannelAccount[];
  text?: string;
  textFormat?: string;
  locale?: string;
  summary?: string;
  deliveryMode?: string;
  suggestedActions?: { to?: string[]; actions: CardAction[] };
  attachments?: Attachment[];
  value?: unknown;
  [key: string]: unknown;
}

export interface CardAction {
  type: string;
  title?: string;
  value?: unknown;
  text?: string;
  displayText?: string;
}

export interface Attachment {
  contentType: string;
  content?: unknown;
}

/** Who is talking to whom, in which conversation, on which channel. */
export interface Conversation {
  id: string;
  channelId: string;
  user: ChannelAccount;
  bot: ChannelAccount;
  /** Unused with expectReplies, but real channels always send one. */
  serviceUrl: string;
}

export const CLI_USER: ChannelAccount = { id: 'cli-user', name: 'You', role: 'user' };
export const BOT: ChannelAccount = { id: 'bot', name: 'Bot', role: 'bot' };
export const CLI_SERVICE_URL = 'http://127.0.0.1:0/cli';

export function newConversation(channelId = 'webchat', overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: `cli-${randomUUID()}`,
    channelId,
    user: CLI_USER,
    bot: BOT,
    serviceUrl: CLI_SERVICE_URL,
    ...overrides,
  };
}

function base(conv: Conversation, type: string): Activity {
  return {
    type,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: conv.channelId,
    serviceUrl: conv.serviceUrl,
    from: conv.user,
    recipient: conv.bot,
    conversation: { id: conv.id },
    locale: 'en-US',
    deliveryMode: 'expectReplies',
  };
}

/** "The user joined": the bot answers with its welcome. */
export function conversationUpdate(conv: Conversation): Activity {
  return { ...base(conv, 'conversationUpdate'), membersAdded: [conv.user] };
}

/** A line typed by the user. */
export function messageActivity(conv: Conversation, text: string): Activity {
  return { ...base(conv, 'message'), text, textFormat: 'plain' };
}

/** The replies in an expectReplies response body (`{ activities: [...] }`); [] for anything else. */
export function repliesFrom(body: unknown): Activity[] {
  if (!body || typeof body !== 'object') return [];
  const activities = (body as { activities?: unknown }).activities;
  return Array.isArray(activities) ? (activities.filter((a) => a && typeof a === 'object') as Activity[]) : [];
}

/** http://host:port (no path) means the standard /api/messages endpoint. */
export function messagesUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/messages';
  return parsed.toString();
}
