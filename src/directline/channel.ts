import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ActivityHandlerBase,
  type CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
// botbuilder's own dependency (same version); it does not re-export ClaimsIdentity.
import { AuthenticationConstants, ClaimsIdentity, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config';
import { logId, type Logger } from '../logger';
import { CONVERSATION_ADMISSION, conversationLimitKey, type Admission, type Limiter } from '../rateLimit';
import type { Conversation, ConversationLogs, DirectLineActivity } from './conversations';
import type { ClientActivity } from './schemas';
import { randomId } from './tokens';

/** The channel id our Direct Line turns carry; render.ts treats it as web chat (text, suggested actions, cards). */
export const DIRECTLINE_CHANNEL_ID = 'directline';

export interface ChannelDeps {
  config: Config;
  logger: Logger;
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  logs: ConversationLogs;
  /** Where the connector routes listen (loopback); the bot's proactive messages are sent there. */
  serviceUrl: () => string;
  /** The bot's per-conversation limiter (RATE_LIMIT_CONVERSATION_PER_MINUTE); undefined = no limit. */
  conversationLimiter?: Limiter;
}

/** A visitor's post: kept (its log id), or over the conversation's rate limit (nothing kept). */
export type Received = { ok: true; id: string } | { ok: false; retryAfterSeconds: number };

/** Fields that never go to the page: the serviceUrl carries the connector routes' key. */
const PRIVATE_FIELDS = ['serviceUrl', 'deliveryMode', 'callerId', 'relatesTo'] as const;

export function forThePage(activity: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...activity };
  for (const field of PRIVATE_FIELDS) delete copy[field];
  return copy;
}

/** A `value` larger than this (serialized) is not kept in the log; the bot's cards send their choice as text. */
export const MAX_KEPT_VALUE_BYTES = 1024;
/** What Web Chat puts in channelData and needs back in the echo (it matches its pending activity by clientActivityID). */
const KEPT_CHANNEL_DATA = ['clientActivityID', 'clientTimestamp'] as const;

/** At most `max` UTF-16 units, never half a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // A copy, not the slice itself: V8 keeps the whole original string alive behind a slice, so 2,000
  // kept characters of a 100,000-character post held all 100,000 (400 such posts: 38 MB more heap).
  return Buffer.from(text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max), 'utf8').toString('utf8');
}

/**
 * What the log keeps of a visitor's activity: only what the page shows or needs. The turn
 * still gets the whole activity (the bot says "one question at a time" to a long one).
 */
export function forTheLog(activity: ClientActivity, maxTextChars: number): Record<string, unknown> {
  const kept: Record<string, unknown> = { type: activity.type };
  if (activity.text !== undefined) kept.text = clip(activity.text, maxTextChars);
  if (activity.textFormat !== undefined) kept.textFormat = activity.textFormat;
  if (activity.locale !== undefined) kept.locale = activity.locale;
  if (activity.name !== undefined) kept.name = activity.name;
  if (activity.attachments?.length) kept.attachments = activity.attachments.map((a) => ({ contentType: a.contentType }));
  if (activity.value !== undefined) {
    const json = JSON.stringify(activity.value);
    if (json !== undefined && Buffer.byteLength(json) <= MAX_KEPT_VALUE_BYTES) kept.value = JSON.parse(json);
  }
  const channelData: Record<string, string> = {};
  for (const field of KEPT_CHANNEL_DATA) {
    const v = activity.channelData?.[field];
    if (typeof v === 'string' && v.length <= 64) channelData[field] = v;
  }
  if (Object.keys(channelData).length) kept.channelData = channelData;
  return kept;
}

/**
 * Direct Line as a channel of the same bot: an activity posted by the page is logged
 * (Web Chat waits for that echo), then run in-process through the same adapter and
 * pipeline as /api/messages, with deliveryMode "expectReplies" so the turn's replies
 * come back to us directly (no outbound HTTP, no Bot Framework token, with auth on or off).
 * Later (proactive) messages arrive through the connector routes on `serviceUrl`.
 */
export class DirectLineChannel {
  readonly bot: { id: string; name: string; role: 'bot' };
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  private readonly appId: string;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: ChannelDeps) {
    this.appId = deps.config.MicrosoftAppId ?? '';
    this.bot = { id: this.appId || 'gbac-admissions-bot', name: 'GBAC admissions', role: 'bot' };
    this.auth = new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: this.appId,
      MicrosoftAppPassword: deps.config.MicrosoftAppPassword ?? '',
      MicrosoftAppType: deps.config.MicrosoftAppType,
      MicrosoftAppTenantId: deps.config.MicrosoftAppTenantId ?? '',
    } as ConfigurationBotFrameworkAuthenticationOptions);
  }

  /** A new conversation: the bot hears that the visitor joined (and welcomes them). Not shown to the page. */
  start(conversation: Conversation, locale?: string): Promise<void> {
    return this.turn(conversation, {
      type: 'conversationUpdate',
      id: randomId('start-'),
      timestamp: new Date().toISOString(),
      membersAdded: [{ id: this.bot.id, name: this.bot.name }, { id: conversation.userId }],
      from: { id: conversation.userId, role: 'user' },
      ...(locale ? { locale } : {}),
    });
  }

  /**
   * The visitor's activity: counted against the conversation's rate limit first, then
   * logged (the echo Web Chat waits for), then the bot's turn. Over the limit nothing is
   * logged, but a message still reaches the bot: a crisis is answered, anything else
   * gets "please slow down" (the bot reads the admission instead of counting again).
   */
  async receive(conversation: Conversation, activity: ClientActivity): Promise<Received> {
    const limiter = this.deps.conversationLimiter;
    const admission: Admission = limiter ? await limiter.take(conversationLimitKey(DIRECTLINE_CHANNEL_ID, conversation.id)) : { ok: true };
    // from.id is always the token's user: a page cannot speak as the bot or as another visitor.
    const name = activity.from?.name;
    const envelope = {
      type: activity.type,
      from: { id: conversation.userId, ...(typeof name === 'string' ? { name } : {}), role: 'user' },
      channelId: DIRECTLINE_CHANNEL_ID,
      conversation: { id: conversation.id },
      recipient: this.bot,
    };
    if (!admission.ok) {
      if (activity.type === 'message') {
        await this.turn(conversation, { ...forThePage(activity), ...envelope, id: randomId('unlogged-'), timestamp: new Date().toISOString() }, admission);
      }
      return { ok: false, retryAfterSeconds: admission.retryAfterSeconds };
    }
    const stored = this.deps.logs.append(conversation, { ...forTheLog(activity, this.deps.config.MAX_MESSAGE_CHARS), ...envelope });
    await this.turn(conversation, { ...forThePage(activity), ...envelope, id: stored.id, timestamp: stored.timestamp }, admission);
    return { ok: true, id: stored.id };
  }

  /** An activity from the bot (a turn reply or a proactive message): logged, streamed to the page. */
  fromBot(conversation: Conversation, activity: Record<string, unknown>): DirectLineActivity {
    // Our log gives the id and time; the bot's own are not kept.
    return this.deps.logs.append(conversation, {
      ...forThePage(activity),
      id: undefined,
      timestamp: undefined,
      type: typeof activity.type === 'string' ? activity.type : 'message',
      channelId: DIRECTLINE_CHANNEL_ID,
      conversation: { id: conversation.id },
      from: this.bot,
      recipient: { id: conversation.userId, role: 'user' },
    });
  }

  /** The bot edited an activity it sent; undefined when the log no longer holds it. */
  update(conversation: Conversation, activityId: string, activity: Record<string, unknown>): DirectLineActivity | undefined {
    const changes = forThePage(activity);
    delete changes.id;
    delete changes.timestamp;
    return this.deps.logs.replace(conversation, activityId, { ...changes, from: this.bot, conversation: { id: conversation.id } });
  }

  /** One turn at a time per conversation, so state writes do not race. */
  private turn(conversation: Conversation, activity: Record<string, unknown>, admission?: Admission): Promise<void> {
    const previous = this.queues.get(conversation.id) ?? Promise.resolve();
    const run = previous.then(() => this.runTurn(conversation, activity, admission));
    const tail = run.catch(() => undefined);
    this.queues.set(conversation.id, tail);
    void tail.then(() => {
      if (this.queues.get(conversation.id) === tail) this.queues.delete(conversation.id);
    });
    return run;
  }

  private async runTurn(conversation: Conversation, activity: Record<string, unknown>, admission?: Admission): Promise<void> {
    const { adapter, bot, logger } = this.deps;
    const incoming = {
      ...activity,
      channelId: DIRECTLINE_CHANNEL_ID,
      serviceUrl: this.deps.serviceUrl(),
      conversation: { id: conversation.id },
      from: { ...(activity.from as object | undefined), id: conversation.userId, role: 'user' },
      recipient: this.bot,
      deliveryMode: 'expectReplies',
    } as unknown as Activity;
    // The buffer itself is kept (the context is revoked after the turn): it also holds onTurnError's apology.
    let replies: Array<Partial<Activity>> = [];
    try {
      await adapter.processActivityDirect(this.authenticated(), incoming, (context: TurnContext) => {
        replies = context.bufferedReplyActivities;
        // Counted already, before the post was logged: the bot must not count it twice.
        if (admission) context.turnState.set(CONVERSATION_ADMISSION, admission);
        return bot.run(context);
      });
    } catch (err) {
      // onTurnError already answered what it could; a failure here is ours, never the visitor's input.
      logger.error({ event: 'directline-turn-failed', conversation: logId(conversation.id), err: (err as Error).message }, 'direct line turn failed');
    }
    for (const reply of replies) this.fromBot(conversation, reply as Record<string, unknown>);
  }

  /**
   * The request is already authenticated by our Direct Line token, so the turn gets the
   * claims a channel's token would give (audience = this bot), and a connector factory
   * for anything the bot sends outside the buffered replies.
   */
  private authenticated(): AuthenticateRequestResult {
    const claimsIdentity = new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AudienceClaim, value: this.appId },
        { type: AuthenticationConstants.AppIdClaim, value: this.appId },
      ],
      true,
    );
    return {
      audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
      claimsIdentity,
      connectorFactory: this.auth.createConnectorFactory(claimsIdentity),
    };
  }
}
