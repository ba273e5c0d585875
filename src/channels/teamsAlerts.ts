import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { SERVICE_STATE_PREFIX } from '../core/retention';
import type { OutboxItem } from '../core/handoff/alertOutbox';
import { describeError, type AlertChannel, type DeliveryResult } from '../core/handoff/alertDispatcher';
import { alertSummary, deletedSummary, plainText, type AlertSummary, type DeletedSummary } from '../core/handoff/alertSummary';
import type { HandoffEvent, HandoffService } from '../core/handoff/handoffService';
import type { KeyValueStorage } from '../core/storage/sqliteStorage';
import type { Logger } from '../logger';
import { alertCard, CLAIM_ACTION, deletedCard } from './teamsAlertCard';

/** A turn the bot hands over before the visitor pipeline; true when it was fully handled. */
export interface StaffTurnHandler {
  handleTurn(context: TurnContext): Promise<boolean>;
}

/** Durable, in the state store (SQLite today, PostgreSQL later), under fixed keys. */
export const CHANNEL_KEY = `${SERVICE_STATE_PREFIX}teams/channel`;
export const cardKey = (requestId: string) => `${SERVICE_STATE_PREFIX}teams/cards/${requestId}`;

interface StoredChannel {
  reference: Partial<ConversationReference> & { conversation: { id: string } };
  teamId: string;
  at: string;
}
interface PostedCard {
  activityId: string;
  conversationId: string;
}
/** The request's latest card (claims update it), and the ones an escalation posted it after. */
interface StoredCard extends PostedCard {
  earlier?: PostedCard[];
}
interface TeamsPayload {
  summary: AlertSummary | DeletedSummary;
}
interface TeamInfo {
  id?: string;
  aadGroupId?: string;
}

export interface TeamsAlertsOptions {
  adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  /** The bot's app id ("" with auth off). */
  appId: string;
  storage: KeyValueStorage;
  handoffs: HandoffService;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** Only this team's channel gets alerts (its thread id or its AAD group id). */
  teamId?: string;
  publicBaseUrl?: string;
  /** Per attempt; the connector itself retries a few times within one attempt. */
  timeoutMs?: number;
}

const SENT: ReadonlySet<HandoffEvent['type']> = new Set(['created', 'claimed', 'resolved', 'reopened', 'escalated', 'withdrawn', 'deleted']);

/** A Teams thread id ("19:…@thread.skype;messageid=123") without the message part: the channel itself. */
export function channelConversationId(id: string): string {
  return id.split(';')[0]!;
}

/** A card button pressed (no typed text: any text goes through the visitor pipeline, safety check first). */
export function isStaffCardAction(activity: Partial<Activity>): boolean {
  const value = activity.value as { action?: unknown } | undefined;
  return (
    activity.channelId === 'msteams' &&
    activity.type === 'message' &&
    !(typeof activity.text === 'string' && activity.text.trim()) &&
    typeof value?.action === 'string' &&
    value.action.startsWith('handoff.')
  );
}

function teamOf(activity: Partial<Activity>): TeamInfo | undefined {
  const team = (activity.channelData as { team?: TeamInfo } | undefined)?.team;
  return team && typeof team.id === 'string' ? team : undefined;
}

/**
 * Staff alerts in a Teams channel: remembers the channel the bot was added to,
 * posts each new request there as an Adaptive Card (Claim, Open), updates the
 * card when the request is claimed, resolved or withdrawn, and handles Claim pressed on it.
 */
export class TeamsAlerts implements AlertChannel, StaffTurnHandler {
  readonly target = 'teams' as const;
  private readonly timeoutMs: number;

  constructor(private readonly options: TeamsAlertsOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  wants(event: HandoffEvent): boolean {
    return SENT.has(event.type);
  }

  payload(event: HandoffEvent): string {
    const summary = event.type === 'deleted' ? deletedSummary(event.request) : alertSummary(event.request, this.options.publicBaseUrl);
    const payload: TeamsPayload = { summary };
    return JSON.stringify(payload);
  }

  // --- delivery (from the outbox, in the background) -----------------------

  async deliver(item: OutboxItem, signal: AbortSignal): Promise<DeliveryResult> {
    const { summary } = JSON.parse(item.payload) as TeamsPayload;
    const channel = await this.channel();
    if (!channel) return { ok: false, retry: false, error: 'no Teams channel: add the bot to the admissions team' };
    try {
      if (summary.status === 'deleted') {
        await this.erase(summary, channel, signal);
        return { ok: true };
      }
      // An escalation is a new post (it notifies the channel) that later updates go to, not a quiet edit.
      if (item.event === 'created' || item.event === 'escalated') {
        let activityId: string | undefined;
        await this.proactive(channel.reference, signal, async (ctx) => {
          // A new post in the channel (POST …/conversations/{channel}/activities): ctx.sendActivity would make it a reply
          // to the proactive turn's made-up activity id. The reference has no activityId, so no replyToId is set.
          const card = TurnContext.applyConversationReference(
            {
              type: 'message',
              attachments: [alertCard(summary)],
              // The notification preview: no name, no level.
              summary: `${summary.priority === 'crisis' ? 'CRISIS ' : ''}admissions request ${summary.reference}`,
            },
            channel.reference,
          );
          const [sent] = await ctx.adapter.sendActivities(ctx, [card]);
          activityId = sent?.id;
        });
        if (activityId) {
          const previous = await this.card(summary.id);
          const earlier = previous ? [...(previous.earlier ?? []), { activityId: previous.activityId, conversationId: previous.conversationId }] : undefined;
          const card: StoredCard = { activityId, conversationId: channel.reference.conversation.id, earlier };
          await this.options.storage.write({ [cardKey(summary.id)]: card });
          // "Forget me" may have come while this card was on its way (its 'deleted' alert found no card): erase it now.
          if (await this.deletedMeanwhile(summary.id)) {
            // The post succeeded: a failure here must not make the outbox post it again.
            await this.erase(deletedSummary(summary), channel, signal).catch((err: unknown) =>
              this.options.logger.warn({ event: 'teams-card-erase-failed', reference: summary.reference, err: describeError(err) }, 'could not mark a deleted request\'s card'),
            );
          }
        }
        return { ok: true };
      }
      const card = await this.card(summary.id);
      if (!card) return { ok: false, retry: false, error: 'no card to update (the new-request card was not posted)' };
      const reference = { ...channel.reference, conversation: { ...channel.reference.conversation, id: card.conversationId } };
      await this.proactive(reference, signal, async (ctx) => {
        await ctx.updateActivity({ type: 'message', id: card.activityId, attachments: [alertCard(summary)] });
      });
      return { ok: true };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (typeof status === 'number' && status > 0) {
        return { ok: false, retry: status === 429 || status >= 500, error: `Teams HTTP ${status}` };
      }
      const error = describeError(err);
      return { ok: false, retry: true, error: error === 'timeout' ? `timeout after ${this.timeoutMs} ms` : error };
    }
  }

  private deletedMeanwhile(requestId: string): Promise<boolean> {
    return this.options.handoffs.store.get(requestId).then(
      (request) => !request,
      () => false,
    );
  }

  private async card(requestId: string): Promise<StoredCard | undefined> {
    return (await this.options.storage.read([cardKey(requestId)]))[cardKey(requestId)] as StoredCard | undefined;
  }

  /** Every card posted for a deleted request now says so, without the name; then the card ids go too. */
  private async erase(summary: DeletedSummary, channel: StoredChannel, signal: AbortSignal): Promise<void> {
    const card = await this.card(summary.id);
    if (!card) return; // never posted: nothing in Teams to take back
    for (const posted of [card, ...(card.earlier ?? [])]) {
      const reference = { ...channel.reference, conversation: { ...channel.reference.conversation, id: posted.conversationId } };
      await this.proactive(reference, signal, async (ctx) => {
        await ctx.updateActivity({ type: 'message', id: posted.activityId, attachments: [deletedCard(summary)] });
      });
    }
    await this.options.storage.delete([cardKey(summary.id)]);
  }

  /**
   * Run in the channel's conversation. An error inside the logic is kept and
   * rethrown here: the adapter would otherwise hand it to onTurnError, which
   * swallows it and posts the visitors' apology in the staff channel.
   */
  private async proactive(reference: Partial<ConversationReference>, signal: AbortSignal, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    await this.within(
      signal,
      this.options.adapter.continueConversationAsync(this.options.appId, reference, async (ctx) => {
        try {
          await logic(ctx);
        } catch (err) {
          failure = err ?? new Error('failed');
        }
      }),
    );
    if (failure) throw failure;
  }

  /** The connector takes no abort signal: race it against the attempt's timeout and shutdown. */
  private within<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), this.timeoutMs);
      onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([work, stop]).finally(() => {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    });
  }

  private async channel(): Promise<StoredChannel | undefined> {
    return (await this.options.storage.read([CHANNEL_KEY]))[CHANNEL_KEY] as StoredChannel | undefined;
  }

  // --- turns (the bot added to or removed from a team, Claim pressed) -------

  async handleTurn(context: TurnContext): Promise<boolean> {
    const a = context.activity;
    if (a.channelId !== 'msteams') return false;
    if (a.type === 'conversationUpdate' || a.type === 'installationUpdate') {
      await this.membership(context);
      return false; // the bot's own conversationUpdate handling still runs
    }
    if (isStaffCardAction(a)) {
      await this.cardAction(context);
      return true;
    }
    return false;
  }

  private async membership(context: TurnContext): Promise<void> {
    const a = context.activity;
    const team = teamOf(a);
    if (!team?.id) return; // a personal or group chat, not a team
    const botId = a.recipient?.id;
    const action = a.action ?? '';
    const added = a.type === 'installationUpdate' ? action.startsWith('add') : (a.membersAdded ?? []).some((m) => m.id === botId);
    const removed = a.type === 'installationUpdate' ? action === 'remove' : (a.membersRemoved ?? []).some((m) => m.id === botId);
    const current = await this.channel();
    if (removed) {
      if (current?.teamId === team.id) {
        await this.options.storage.delete([CHANNEL_KEY]);
        this.options.logger.warn({ event: 'teams-alerts-channel-removed' }, 'the bot was removed from the admissions team: Teams alerts are off until it is added again');
      }
      return;
    }
    if (!added) return;
    const wanted = this.options.teamId;
    if (wanted && team.id !== wanted && team.aadGroupId !== wanted) {
      this.options.logger.info({ event: 'teams-alerts-other-team' }, 'bot added to a team that is not TEAMS_ADMISSIONS_TEAM_ID: no alerts there');
      return;
    }
    if (!wanted && current && current.teamId !== team.id) {
      // Without TEAMS_ADMISSIONS_TEAM_ID the first team keeps the alerts: another team installing the app must not divert them.
      this.options.logger.warn({ event: 'teams-alerts-other-team' }, 'bot added to a second team: alerts stay with the first (set TEAMS_ADMISSIONS_TEAM_ID to choose)');
      return;
    }
    const reference = TurnContext.getConversationReference(a) as StoredChannel['reference'];
    // No activityId: a post must start a new thread in the channel, not reply to the install event.
    delete reference.activityId;
    reference.conversation = { ...reference.conversation, id: channelConversationId(reference.conversation.id) };
    const stored: StoredChannel = { reference, teamId: team.id, at: new Date().toISOString() };
    await this.options.storage.write({ [CHANNEL_KEY]: stored });
    this.options.logger.info({ event: 'teams-alerts-channel-set' }, 'Teams alerts will be posted in this team');
  }

  private async cardAction(context: TurnContext): Promise<void> {
    const a = context.activity;
    const value = a.value as { action?: string; requestId?: unknown };
    const reply = (text: string) => context.sendActivity({ type: 'message', text });
    if (value.action !== CLAIM_ACTION) {
      await reply('That button is not one I know.');
      return;
    }
    const channel = await this.channel();
    if (!channel || channelConversationId(a.conversation?.id ?? '') !== channelConversationId(channel.reference.conversation.id)) {
      await reply('Requests can only be claimed in the admissions channel where they were posted.');
      return;
    }
    const requestId = typeof value.requestId === 'string' && value.requestId.length <= 100 ? value.requestId : undefined;
    const staff = plainText(a.from?.name, 80) ?? a.from?.aadObjectId ?? a.from?.id ?? 'Teams user';
    const result = requestId ? await this.options.handoffs.claim(requestId, staff) : { ok: false as const };
    this.options.logger.info({ event: 'teams-claim', ok: result.ok }, 'claim from Teams');
    // Claimed: the card update comes from the queue's own "claimed" event, the same path as a claim in the console.
    if (result.ok) return;
    if (result.status === 'claimed' && result.claimedBy === staff) await reply('You have already claimed this request.');
    else if (result.status === 'claimed') await reply(`Already claimed by ${result.claimedBy ?? 'someone else'}.`);
    else if (result.status) await reply(`This request is ${result.status}; there is nothing to claim.`);
    else await reply('I could not find that request; it may have been deleted.');
  }
}
