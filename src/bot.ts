import { ActivityHandler, ActivityTypes, StatusCodes, TurnContext, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import type { DialogContext, DialogState } from 'botbuilder-dialogs';
import { DialogSet } from '../dialogs/sdk';
import { HandoffDialog, type CallbackDetails } from '../dialogs/handoffDialog';
import { ScreeningDialog } from '../dialogs/screeningDialog';
import type { ConversationStore } from './conversationStore';
import type { IntentRecognizer } from './core/nlu/bilingual';
import type { Catalogue } from './core/i18n/catalogue';
import type { Reply } from './core/reply';
import { REPLY_TRANSLATION, type ReplyTranslation } from './channels/render';
import type { Screening, ScreeningAnswers, ScreeningResult } from './core/screening/screening';
import type { Responder } from './core/responder';
import type { CrisisDetector } from './core/safety/crisis';
import type { UnansweredLog } from './core/storage/unansweredLog';
import type { MetricsRecorder } from './core/metrics/recorder';
import type { OptOutStore } from './core/sms/optOuts';
import type { HandoffService } from './core/handoff/handoffService';
import type { HandoffContent } from './core/handoff/content';
import type { HandoffRequest } from './core/handoff/handoffRequest';
import { ReplyComposer } from './core/conversation/composer';
import type { StaffTurnHandler } from './channels/teamsAlerts';
import type { LiveHook } from './staff/live';
import { logId, type Logger } from './logger';
import type { Limiter } from './rateLimit';
import { TurnActions } from './turn/actions';
import { turnPipeline } from './turn/pipeline';
import { readLimit, type ConversationData, type Turn } from './turn/turn';

export type { ConversationData } from './turn/turn';

export interface BotDependencies {
  conversations: ConversationStore;
  recognizer: IntentRecognizer;
  /** English -> Spanish for a Spanish conversation's replies (knowledge/es/); without it, every reply is in English. */
  catalogue?: Catalogue;
  responder: Responder;
  crisis: CrisisDetector;
  unanswered?: UnansweredLog;
  /** Daily counts for the staff Reports page (conversations, answers, screenings, crisis replies, opt-outs). */
  metrics?: MetricsRecorder;
  /** SMS opt-outs (STOP); without it, keywords are answered but not remembered. */
  optOuts?: OptOutStore;
  /** The durable staff queue; without it, a handoff gives the admissions line only. */
  handoffs?: HandoffService;
  /** What the handoff dialog says (knowledge/handoff.yaml); with `handoffs`, it turns on callbacks. */
  handoffContent?: HandoffContent;
  /** Live takeover is on and staff are online: "chat with a person now" is offered. */
  staffOnline?: () => Promise<boolean>;
  /** Staff alerts in Teams: the bot added to the admissions team, Claim pressed on an alert card. */
  staffTurns?: StaffTurnHandler;
  /** Live takeover (HANDOFF_LIVE): while staff chat with the visitor, the bot stays silent but for the crisis net. */
  live?: LiveHook;
  /** "Forget me" also deletes these (live-chat transcripts and the like), by channel and conversation id. */
  forgetElsewhere?: Array<(channel: string, conversationId: string) => Promise<unknown>>;
  /** After "forget me" has deleted everything: leave no copy in the database files (the SQLite WAL). */
  eraseDeleted?: () => Promise<void>;
  logger: Logger;
  screening: Screening;
  maxMessageChars: number;
  /** An abandoned screening is closed after this long. */
  screeningExpiryMs: number;
  /** How long answers are kept (said in the consent text). */
  retentionDays: number;
  /** Messages per conversation (RATE_LIMIT_CONVERSATION_PER_MINUTE); undefined = no limit. */
  conversationLimiter?: Limiter;
}


/**
 * The admissions bot: a thin adapter from Bot Framework turns to the turn's
 * stages (src/turn/pipeline.ts): understanding, safety, live takeover, SMS
 * keywords, the open expectation, commands, the dialogs, answers, and one
 * composed reply. State is saved after every turn.
 */
export class AdmissionsBot extends ActivityHandler {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly screeningDialog: ScreeningDialog;
  private readonly handoffDialog?: HandoffDialog;
  private readonly actions: TurnActions;
  private readonly pipeline: ReturnType<typeof turnPipeline>;

  constructor(private readonly deps: BotDependencies) {
    super();
    this.data = deps.conversations.createProperty<ConversationData>('admissions');
    this.dialogState = deps.conversations.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    this.screeningDialog = new ScreeningDialog(
      deps.screening,
      (context, result) => this.screeningCompleted(context, result),
      (context) => this.takeVolunteered(context),
      async (context) => Boolean((await this.data.get(context, {})).answeringForOther),
    );
    this.screeningDialog.retentionDays = deps.retentionDays;
    this.dialogs.add(this.screeningDialog);
    if (deps.handoffs && deps.handoffContent) {
      this.handoffDialog = new HandoffDialog({
        content: deps.handoffContent,
        admissions: deps.responder.admissionsDisplay,
        callButton: deps.responder.callAdmissions,
        createRequest: (context, details) => this.createRequest(context, details),
        preferences: async (context) => (await this.data.get(context, {})).contactPreferences ?? [],
        recent: async (context) => (await this.data.get(context, {})).recent ?? [],
        attachExcerpt: (_context, id, excerpt) => deps.handoffs!.attachExcerpt(id, excerpt),
      });
      this.dialogs.add(this.handoffDialog);
    }
    this.actions = new TurnActions(deps, this.screeningDialog, this.handoffDialog);
    this.pipeline = turnPipeline(this.actions);
  }

  /**
   * Messages and joins go straight to their handlers: the SDK's event chain
   * (Turn → Message → Dialog handlers, each a few promises deep) costs more than
   * the rest of a short turn, and this bot registers none of those handlers.
   */
  protected override async onTurnActivity(context: TurnContext): Promise<void> {
    const type = context.activity.type;
    if (type === ActivityTypes.Message) return this.handleMessage(context);
    if (type === ActivityTypes.ConversationUpdate) return this.welcomeNewMembers(context);
    return super.onTurnActivity(context);
  }

  /** A visitor (not the bot) joined: the welcome, once per conversation. */
  private async welcomeNewMembers(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient?.id;
    const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
    if (!joined) return;
    const data = await this.data.get(context, {});
    if (!data.welcomed) {
      data.welcomed = true;
      // Before any message, the channel's locale ("es-US") says the language of the welcome.
      if (!data.language && /^es\b/i.test(context.activity.locale ?? '')) data.language = 'es';
      this.speakIn(context, data);
      await this.actions.send({ context, data }, this.deps.responder.message('welcome'));
    }
  }

  /** Whatever is said this turn, by a stage or a dialog, is said in the conversation's language (read when sent: a message can switch it). */
  private speakIn(context: TurnContext, data: ConversationData): void {
    const catalogue = this.deps.catalogue;
    if (!catalogue) return;
    const translation: ReplyTranslation = {
      reply: (r: Reply) => (data.language === 'es' ? catalogue.translateReply(r) : r),
      text: (s: string) => (data.language === 'es' ? catalogue.translate(s) : s),
    };
    context.turnState.set(REPLY_TRANSLATION, translation);
  }

  /** Save state after every turn, even when a handler threw part-way. */
  async run(context: TurnContext): Promise<void> {
    try {
      // Staff, not visitors: only Teams installs and card buttons without typed text (text always meets the safety check).
      if (await this.deps.staffTurns?.handleTurn(context)) return;
      await super.run(context);
    } finally {
      await this.deps.conversations.saveChanges(context);
    }
  }

  /**
   * The bot implements no invoke (its cards send messages). The SDK would answer 501 (a
   * server failure to any monitor), or throw on an adaptiveCard/action without a value;
   * a 400 with a JSON error says what it is.
   */
  protected override async onInvokeActivity(): Promise<InvokeResponse> {
    return { status: StatusCodes.BAD_REQUEST, body: { error: 'this invoke is not supported' } };
  }

  /** Text typed, or the text behind a card button (Teams Action.Submit sends it in value). */
  private incomingText(context: TurnContext): string {
    const a = context.activity;
    // Teams writes an @mention into the text ("<at>GBAC Admissions</at> what is iop"): the name is not the question.
    if (typeof a.text === 'string' && a.text.includes('<at>')) return a.text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ');
    if (typeof a.text === 'string' && a.text.trim()) return a.text;
    const value = a.value as Record<string, unknown> | undefined;
    if (value && typeof value === 'object') {
      for (const key of ['text', 'choice', 'value']) {
        const v = value[key];
        if (typeof v === 'string') return v;
      }
    }
    return typeof a.text === 'string' ? a.text : '';
  }

  /** One message through the turn's stages (src/turn/pipeline.ts). */
  private async handleMessage(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    if (!data.counted) {
      // The conversation's first message (or the first since "forget me" or retention cleared it).
      data.counted = true;
      this.deps.metrics?.count({ kind: 'conversation' });
    }
    const whole = this.incomingText(context).trim();
    // The one pass over the whole message: every stage reads at most this (a longer one is "too long" anyway).
    const text = whole.slice(0, readLimit(this.deps.maxMessageChars));
    // A DialogContext is costly to build (the SDK's memory scopes); most turns have no dialog, so build it on demand.
    let dcPromise: Promise<DialogContext> | undefined;
    const stack = (await this.dialogState.get(context))?.dialogStack;
    this.speakIn(context, data);
    const turn: Turn = {
      context,
      data,
      text,
      length: whole.length,
      said: text,
      u: { text, normalized: '', parts: [], acts: [] },
      reply: new ReplyComposer(),
      dialogs: () => (dcPromise ??= this.dialogs.createContext(context)),
      top: stack?.[stack.length - 1]?.id,
      depth: stack?.length ?? 0,
      where: { conversation: logId(context.activity.conversation?.id), channel: context.activity.channelId },
    };
    await this.pipeline.run(turn);
  }

  /** Commit a request to the staff queue, with what admissions needs: priority, screening, and how to reply. */
  private async createRequest(context: TurnContext, details: CallbackDetails): Promise<HandoffRequest> {
    const data = await this.data.get(context, {});
    const a = context.activity;
    const request = await this.deps.handoffs!.create({
      reason: details.reason,
      priority: data.flagged ? 'crisis' : 'normal',
      channel: a.channelId ?? 'unknown',
      language: details.language ?? 'en',
      conversationId: a.conversation?.id ?? '',
      conversationReference: TurnContext.getConversationReference(a),
      name: details.name,
      phone: details.phone,
      bestTime: details.bestTime,
      contactConsent: details.contactConsent,
      contactPreferences: details.contactConsent && data.contactPreferences?.length ? data.contactPreferences : undefined,
      screening: data.lastScreening,
    });
    data.contactPreferences = undefined;
    // What the visitor adds later ("no voicemail", "after 3:30 only") goes on this request as a note.
    data.filedRequest = { id: request.id, reference: request.reference };
    // No name or number in the log: the reference is enough to find it.
    this.deps.logger.info(
      { event: 'handoff-created', reason: request.reason, priority: request.priority, live: Boolean(details.live), conversation: logId(a.conversation?.id) },
      'handoff request committed',
    );
    return request;
  }

  /** What the visitor told before the screening, taken as its answers when they consent (and no longer kept apart). */
  private async takeVolunteered(context: TurnContext): Promise<ScreeningAnswers | undefined> {
    const data = await this.data.get(context, {});
    const stated = data.volunteered;
    data.volunteered = undefined;
    return stated;
  }

  /** The suggestion, with the visitor's reasons and the next steps; kept for the admissions handoff. */
  private async screeningCompleted(context: TurnContext, result: ScreeningResult): Promise<void> {
    const data = await this.data.get(context, {});
    data.lastScreening = result;
    data.screeningAt = undefined;
    // Counted by level only (no conversation id): the Reports page's screenings by suggested level.
    this.deps.metrics?.count({ kind: 'screening', stage: 'completed', level: result.level });
    // The suggested level is health information: debug only.
    this.deps.logger.debug({ event: 'screening-completed', level: result.level, rule: result.rule, questions: result.questionsAsked }, 'screening completed');
    await this.actions.send({ context, data }, this.actions.suggestionReply(result));
  }
}
