import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { channelKind, render } from '../channels/render';
import type { HandoffRequest } from '../core/handoff/handoffRequest';
import type { HandoffService } from '../core/handoff/handoffService';
import type { LiveMessage, LiveTakeover, LiveTakeoverStore } from '../core/handoff/liveTakeover';
import type { Responder } from '../core/responder';
import { detectCommand } from '../core/commands';
import { smsKeyword } from '../core/sms/keywords';
import type { OptOutStore } from '../core/sms/optOuts';
import { logId, type Logger } from '../logger';
import { ApiError } from './http';

/** What the bot's turn pipeline calls while a person may be connected (src/bot.ts). */
export interface LiveHook {
  /** After the crisis check: true when a person has the conversation (the message went to them; the bot says nothing). */
  intercept(context: TurnContext, text: string): Promise<boolean>;
  /** A crisis message during a takeover: staff see it, and the guidance the bot gave. */
  noteCrisis(context: TurnContext, text: string, botReply: string): Promise<void>;
}

export interface LiveChatDeps {
  store: LiveTakeoverStore;
  handoffs: HandoffService;
  adapter: CloudAdapter;
  /** MicrosoftAppId, or '' with auth off (CloudAdapter then sends without a token). */
  appId: string;
  /** With auth off, only loopback or listed service URLs may be sent to (src/http/server.ts serviceUrlAllowed). */
  canSendTo: (serviceUrl: string | undefined) => boolean;
  responder: Responder;
  optOuts?: OptOutStore;
  logger: Logger;
  /** No poll or message from the staff member for this long: the visitor goes back to the bot. */
  idleMs: number;
}

/** The parts of a stored conversation reference a proactive message needs. */
function usableReference(request: HandoffRequest): Partial<ConversationReference> | undefined {
  const ref = request.conversationReference as Partial<ConversationReference> | null | undefined;
  if (!ref || typeof ref !== 'object') return undefined;
  if (typeof ref.serviceUrl !== 'string' || typeof ref.conversation?.id !== 'string') return undefined;
  return ref;
}

/**
 * Live takeover: staff who claimed a request chat with the visitor. Visitor
 * messages are kept (bounded) for the console; staff messages go out as proactive
 * messages on the visitor's own channel. The crisis net keeps answering throughout.
 */
export class LiveChat implements LiveHook {
  constructor(private readonly deps: LiveChatDeps) {}

  get store(): LiveTakeoverStore {
    return this.deps.store;
  }

  async intercept(context: TurnContext, text: string): Promise<boolean> {
    const a = context.activity;
    const live = await this.deps.store.liveFor(a.channelId ?? '', a.conversation?.id ?? '');
    if (!live) return false;
    if (Date.now() - Date.parse(live.staffSeenAt) > this.deps.idleMs) {
      // Nobody is watching the console: never leave a visitor talking to no one.
      if (await this.deps.store.end(live.requestId, 'system')) {
        await this.deps.store.append({ requestId: live.requestId, from: 'system', text: 'Live chat ended: no activity from staff.' });
        await this.deps.handoffs.store.addNote(live.requestId, 'system', 'live chat ended (staff idle)');
        await context.sendActivity(render(this.deps.responder.message('liveEnded'), a.channelId));
      }
      return false;
    }
    if (channelKind(a.channelId) === 'sms' && smsKeyword(text) === 'stop') {
      // STOP is the carrier's keyword, not a chat line: the bot confirms the opt-out and the takeover ends.
      await this.deps.store.append({ requestId: live.requestId, from: 'system', text: 'The visitor texted STOP (opted out of texts). Live chat ended.' });
      await this.deps.store.end(live.requestId, 'visitor');
      await this.deps.handoffs.store.addNote(live.requestId, 'visitor', 'live chat ended (SMS opt-out)');
      return false;
    }
    if (detectCommand(text) === 'forget-me') {
      // "Forget me" is the visitor's right, not a chat line: the takeover and its transcript go, and the bot confirms the deletion.
      await this.deps.store.end(live.requestId, 'visitor');
      await this.deps.store.deleteConversation(live.channel, live.conversationId);
      await this.deps.handoffs.store.addNote(live.requestId, 'visitor', 'live chat ended (forget me)');
      return false;
    }
    await this.deps.store.append({ requestId: live.requestId, from: 'visitor', text });
    this.deps.logger.info({ event: 'live-relayed', conversation: logId(a.conversation?.id) }, 'visitor message relayed to staff');
    return true;
  }

  async noteCrisis(context: TurnContext, text: string, botReply: string): Promise<void> {
    const a = context.activity;
    try {
      const live = await this.deps.store.liveFor(a.channelId ?? '', a.conversation?.id ?? '');
      if (!live) return;
      await this.deps.store.append({ requestId: live.requestId, from: 'visitor', text, crisis: true });
      await this.deps.store.append({ requestId: live.requestId, from: 'bot', text: botReply });
    } catch (err) {
      // The store is shared (PostgreSQL) and may fail: the crisis answer must still go out, so only log.
      this.deps.logger.error({ event: 'live-crisis-note-failed', conversation: logId(a.conversation?.id), err: (err as Error).message }, 'could not add a crisis line to the live transcript');
    }
  }

  /** Only the staff member who claimed the request may chat with the visitor. */
  private async claimedBy(requestId: string, staff: string): Promise<HandoffRequest> {
    const request = await this.deps.handoffs.store.get(requestId);
    if (!request) throw new ApiError(404, 'no such request');
    if (request.status !== 'claimed') throw new ApiError(409, 'claim the request before chatting', { status: request.status });
    if (request.claimedBy !== staff) throw new ApiError(403, 'only the staff member who claimed this request may chat', { claimedBy: request.claimedBy });
    return request;
  }

  async start(requestId: string, staff: string): Promise<LiveTakeover> {
    const request = await this.claimedBy(requestId, staff);
    const ref = usableReference(request);
    if (!ref || !this.deps.canSendTo(ref.serviceUrl)) throw new ApiError(409, "this visitor's channel cannot receive messages from staff");
    if (await this.optedOut(request, ref)) throw new ApiError(409, 'the visitor opted out of texts');
    const current = await this.deps.store.get(requestId);
    if (current && !current.endedAt) return current;
    const started = await this.deps.store.start(requestId, request.channel, request.conversationId, staff);
    if (!started.ok) throw new ApiError(409, 'another request of this conversation is already live', { staff: started.staff });
    try {
      await this.deliver(ref, render(this.deps.responder.message('liveStarted'), ref.channelId));
    } catch (err) {
      await this.deps.store.end(requestId, 'system');
      throw this.deliveryFailed(request, err);
    }
    await this.deps.store.append({ requestId, from: 'system', text: `${staff} joined the chat.` });
    await this.deps.handoffs.store.addNote(requestId, staff, 'live chat started');
    return started.takeover;
  }

  async send(requestId: string, staff: string, text: string): Promise<LiveMessage> {
    const request = await this.claimedBy(requestId, staff);
    const live = await this.deps.store.get(requestId);
    if (!live || live.endedAt) throw new ApiError(409, 'start the live chat first');
    const ref = usableReference(request);
    if (!ref || !this.deps.canSendTo(ref.serviceUrl)) throw new ApiError(409, "this visitor's channel cannot receive messages from staff");
    if (await this.optedOut(request, ref)) throw new ApiError(409, 'the visitor opted out of texts');
    try {
      await this.deliver(ref, { type: 'message', text });
    } catch (err) {
      throw this.deliveryFailed(request, err);
    }
    await this.deps.store.touch(requestId);
    return this.deps.store.append({ requestId, from: 'staff', staff, text });
  }

  /**
   * End a live chat (staff ended it, resolved or reopened the request): the visitor is
   * told the bot is back. Best effort: a channel that fails does not keep it live.
   */
  async end(requestId: string, actor: string): Promise<LiveTakeover | undefined> {
    const ended = await this.deps.store.end(requestId, actor);
    if (!ended) return undefined;
    await this.deps.store.append({ requestId, from: 'system', text: `${actor} ended the live chat; the assistant answers again.` });
    await this.deps.handoffs.store.addNote(requestId, actor, 'live chat ended');
    const request = await this.deps.handoffs.store.get(requestId);
    const ref = request && usableReference(request);
    if (request && ref && this.deps.canSendTo(ref.serviceUrl) && !(await this.optedOut(request, ref))) {
      try {
        await this.deliver(ref, render(this.deps.responder.message('liveEnded'), ref.channelId));
      } catch (err) {
        this.deliveryFailed(request, err);
      }
    }
    return ended;
  }

  /** The exchange since `after`, for the console; a poll by the connected staff member keeps the takeover alive. */
  async poll(requestId: string, staff: string, after: number): Promise<{ live: LiveTakeover | undefined; messages: LiveMessage[] }> {
    const request = await this.deps.handoffs.store.get(requestId);
    if (!request) throw new ApiError(404, 'no such request');
    const takeover = await this.deps.store.get(requestId);
    if (takeover && !takeover.endedAt && takeover.staff === staff) await this.deps.store.touch(requestId);
    return { live: takeover && !takeover.endedAt ? takeover : undefined, messages: await this.deps.store.messages(requestId, after) };
  }

  private async optedOut(request: HandoffRequest, ref: Partial<ConversationReference>): Promise<boolean> {
    if (channelKind(request.channel) !== 'sms' || !this.deps.optOuts) return false;
    return this.deps.optOuts.isOptedOut(request.channel, ref.user?.id ?? '');
  }

  private async deliver(ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<void> {
    await this.deps.adapter.continueConversationAsync(this.deps.appId, ref, async (context) => {
      await context.sendActivity(activity);
    });
  }

  private deliveryFailed(request: HandoffRequest, err: unknown): ApiError {
    this.deps.logger.warn(
      { event: 'live-delivery-failed', request: request.id, conversation: logId(request.conversationId), err: (err as Error).message },
      'could not deliver a live chat message',
    );
    return new ApiError(502, 'the message could not be delivered to the visitor');
  }
}
