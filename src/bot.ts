import { ActivityHandler, ActivityTypes, StatusCodes, TurnContext, type Activity, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import type { DialogContext, DialogState } from 'botbuilder-dialogs';
import { DialogSet } from '../dialogs/sdk';
import { HANDOFF_DIALOG, HandoffDialog, type CallbackDetails, type HandoffOptions } from '../dialogs/handoffDialog';
import { SCREENING_DIALOG, ScreeningDialog } from '../dialogs/screeningDialog';
import { handoffInitiation } from './channels/handoffEvent';
import { renderAll } from './channels/render';
import type { ConversationStore } from './conversationStore';
import { isAffirmative } from './core/affirm';
import { basicNormalize } from './core/text/normalize';
import { detectCommand, type Command } from './core/commands';
import type { Recognition, Recognizer } from './core/nlu/recognizer';
import type { Entry } from './core/knowledge/schema';
import type { Reply } from './core/reply';
import type { Screening, ScreeningResult } from './core/screening/screening';
import type { Responder } from './core/responder';
import type { CrisisDetector } from './core/safety/crisis';
import type { UnansweredLog } from './core/storage/unansweredLog';
import { smsKeyword } from './core/sms/keywords';
import type { OptOutStore } from './core/sms/optOuts';
import type { HandoffService } from './core/handoff/handoffService';
import type { HandoffContent } from './core/handoff/content';
import { parseUsPhone } from './core/handoff/contact';
import type { HandoffReason, HandoffRequest } from './core/handoff/handoffRequest';
import type { StaffTurnHandler } from './channels/teamsAlerts';
import { channelKind } from './channels/render';
import { classifyCheckInAnswer } from './core/safety/checkIn';
import type { LiveHook } from './staff/live';
import { logId, type Logger } from './logger';
import { CONVERSATION_ADMISSION, conversationLimitKey, type Admission, type Limiter } from './rateLimit';

/** What the bot remembers about a conversation between turns (durable, in conversation state). */
export interface ConversationData {
  welcomed?: boolean;
  /** The choices last offered, so "2" (typed on SMS) means the second one. */
  lastChoices?: Array<{ label: string; value: string }>;
  /** A "did you mean" is waiting for an answer. */
  didYouMeanOpen?: boolean;
  /** Fallbacks in a row; two in a row offer a person (handoff trigger). */
  fallbacks?: number;
  crisis?: { kind: string; at: number; language: 'en' | 'es'; checkInAsked: boolean };
  /** Set by any crisis signal and kept (the check-in does not clear it): a handoff from this conversation goes first. */
  flagged?: { kind: string; at: number };
  /** The screening is on hold after a crisis message, until the visitor asks to continue. */
  screeningPaused?: boolean;
  /** When the screening last moved, for expiry. */
  screeningAt?: number;
  /** The last answer offered the self-screen: a plain "yes" now starts it. */
  screeningOffered?: boolean;
  /** The last completed screening, for the admissions handoff. */
  lastScreening?: ScreeningResult;
  /** The last reply was the fallback, which offers to connect the visitor: a plain "yes" now asks for a person. */
  personOffered?: boolean;
}

export interface BotDependencies {
  conversations: ConversationStore;
  recognizer: Recognizer;
  responder: Responder;
  crisis: CrisisDetector;
  unanswered?: UnansweredLog;
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


/** How long a crisis reply may wait for the staff queue's escalation (a shared store may be slow). */
const ESCALATE_WAIT_MS = 1000;

/**
 * The admissions bot. Every message goes through one pipeline, in this order:
 *  1. safety check (crisis and emergencies),
 *  2. global commands (help, start over, cancel, talk to a person),
 *  3. the active dialog,
 *  4. intent match,
 *  5. "did you mean" or the honest fallback.
 */
export class AdmissionsBot extends ActivityHandler {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly screeningDialog: ScreeningDialog;
  private readonly handoffDialog?: HandoffDialog;
  /** Ends an SMS reply cut to the carrier limit (read once, not per reply). */
  private readonly smsShortenedNote: string;

  constructor(private readonly deps: BotDependencies) {
    super();
    this.smsShortenedNote = deps.responder.message('smsShortened').text;
    this.data = deps.conversations.createProperty<ConversationData>('admissions');
    this.dialogState = deps.conversations.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState);
    this.screeningDialog = new ScreeningDialog(deps.screening, (context, result) => this.screeningCompleted(context, result));
    this.screeningDialog.retentionDays = deps.retentionDays;
    this.dialogs.add(this.screeningDialog);
    if (deps.handoffs && deps.handoffContent) {
      this.handoffDialog = new HandoffDialog({
        content: deps.handoffContent,
        admissions: deps.responder.admissionsDisplay,
        callButton: deps.responder.callAdmissions,
        createRequest: (context, details) => this.createRequest(context, details),
      });
      this.dialogs.add(this.handoffDialog);
    }
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
      await this.send(context, data, this.deps.responder.message('welcome'));
    }
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

  private async send(context: TurnContext, data: ConversationData, reply: Reply): Promise<void> {
    data.lastChoices = reply.choices?.length ? reply.choices : undefined;
    await context.sendActivities(this.activities(context, reply));
  }

  /** The reply as the channel shows it: on SMS, parts of at most 320 characters sent in order. */
  private activities(context: TurnContext, reply: Reply): Partial<Activity>[] {
    return renderAll(reply, context.activity.channelId, { shortenedNote: this.smsShortenedNote });
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

  private async handleMessage(context: TurnContext): Promise<void> {
    const { responder, crisis, logger } = this.deps;
    const data = await this.data.get(context, {});
    const raw = this.incomingText(context);
    const text = raw.trim();
    const where = { conversation: logId(context.activity.conversation?.id), channel: context.activity.channelId };

    if (await this.overLimit(context, text)) return;

    if (!text) {
      const hasAttachments = (context.activity.attachments ?? []).length > 0;
      await this.send(context, data, responder.message(hasAttachments ? 'attachmentOnly' : 'empty'));
      return;
    }

    // A DialogContext is costly to build (the SDK's memory scopes); most turns have no dialog, so build it on demand.
    let dcPromise: Promise<DialogContext> | undefined;
    const dialogs: Dialogs = () => (dcPromise ??= this.dialogs.createContext(context));
    // The top of the stack (its last entry, as in DialogContext.activeDialog) is the dialog being
    // answered: a handoff can sit on a screening.
    const stack = (await this.dialogState.get(context))?.dialogStack;
    const top = stack?.[stack.length - 1]?.id;
    let screening = top === SCREENING_DIALOG;
    const handoff = top === HANDOFF_DIALOG;

    // 1. Safety first: every message, every state, before anything else.
    const signal = crisis.detect(text.slice(0, 10_000));
    if (signal) {
      // What matched (a pattern id, a score) says much about what was written: debug only, never at info or above.
      logger.warn({ ...where, event: 'crisis', kind: signal.kind, screening }, 'crisis signal');
      logger.debug({ ...where, event: 'crisis-evidence', evidence: signal.evidence }, 'crisis signal evidence');
      data.crisis = { kind: signal.kind, at: Date.now(), language: signal.language, checkInAsked: false };
      data.flagged = { kind: signal.kind, at: Date.now() };
      data.didYouMeanOpen = false;
      if (screening) data.screeningPaused = true;
      const response = crisis.response(signal);
      await this.deps.live?.noteCrisis(context, text, response.text);
      await this.escalateQueued(context, signal.kind);
      await this.send(context, data, response);
      return;
    }
    // A person has the conversation (live takeover): the message goes to them and the bot says nothing.
    if (await this.deps.live?.intercept(context, text)) return;
    // Carrier keywords before the crisis check-in: STOP right after a crisis message still opts out
    // (and an opted-out number is not asked anything), START still opts back in.
    const inDialog = handoff || (screening && !data.screeningPaused);
    if (channelKind(context.activity.channelId) === 'sms' && (await this.handleSms(context, dialogs, data, text, inDialog, Boolean(top)))) return;
    if (data.crisis && (await this.handleCrisisFollowUp(context, dialogs, data, text, screening, handoff))) return;

    if (text.length > this.deps.maxMessageChars) {
      await this.send(context, data, responder.message('tooLong'));
      return;
    }

    if (screening && data.screeningAt && Date.now() - data.screeningAt > this.deps.screeningExpiryMs) {
      await (await dialogs()).cancelAllDialogs();
      screening = false;
      data.screeningPaused = false;
      await this.send(context, data, { text: this.deps.screening.file.expired, tag: 'screening:expired' });
    }
    const running = screening && !data.screeningPaused;

    // The last choices answered by number ("2", "2."), by order ("the first one") or by their label typed
    // out (a running screening and the handoff dialog read their own).
    const pick = running || handoff ? undefined : pickChoice(text, data.lastChoices);
    if (pick === OUT_OF_RANGE) {
      // "9" when four were offered: the same choices again, not whatever "9" might match.
      const choices = data.lastChoices!;
      const ask = responder.message('pickNumber');
      await this.send(context, data, { ...ask, text: ask.text.replace('{{count}}', String(choices.length)), choices });
      return;
    }
    const said = pick ? pick.value : text;

    // 2. Global commands. A "yes" right after the self-screen was offered accepts the offer, and
    // right after the fallback's "I can connect you with them now" asks for a person.
    const offered = data.screeningOffered;
    const personOffered = data.personOffered;
    data.screeningOffered = false;
    data.personOffered = false;
    const command =
      offered && !running && isAffirmative(said) ? 'start-screening' : personOffered && !running && !handoff && isAffirmative(said) ? 'talk-to-person' : detectCommand(said);
    // Inside the handoff dialog, "chat with a person" is one of its own choices, not a new handoff.
    if (command && (command !== 'none-of-these' || data.didYouMeanOpen) && !(handoff && command === 'talk-to-person')) {
      await this.handleCommand(context, dialogs, data, command, screening, handoff);
      return;
    }

    // "What did you suggest again?": the last screening's suggestion, never an invented one (mid-callback,
    // then the same step again).
    if (!running && RECALL.test(basicNormalize(said)) && (data.lastScreening || !handoff)) {
      data.didYouMeanOpen = false;
      if (data.lastScreening) {
        await this.send(context, data, handoff ? { ...this.suggestionReply(data.lastScreening), choices: undefined } : this.suggestionReply(data.lastScreening));
        if (handoff) await (await dialogs()).repromptDialog();
      } else {
        await this.send(context, data, responder.message('noScreeningYet'));
        data.screeningOffered = true;
      }
      return;
    }

    // The handoff dialog: a question ("do you take insurance?") is answered and the same step asked again.
    // At its first step (the offer), a visitor who moves on to a question the guide answers has left
    // the offer: it closes and the question is answered as usual.
    let handoffOpen = handoff;
    if (handoff && (stack?.length ?? 0) === 1) {
      const dc = await dialogs();
      if (HandoffDialog.waiting(dc)?.kind === 'offer' && !this.handoffDialog?.accepts(dc, said) && this.answerable(said)) {
        await dc.cancelAllDialogs();
        handoffOpen = false;
      }
    }
    if (handoffOpen) {
      const dc = await dialogs();
      if (QUESTION.test(said) && !this.handoffDialog?.accepts(dc, said)) {
        // A question that is not an answer to the step: answered if the guide can, else honestly
        // deferred to admissions; either way the same step again, and it costs no attempt.
        if (!(await this.answerSideQuestion(context, data, said))) {
          const deferred = fillAdmissions(this.deps.handoffContent?.sideQuestion ?? '', responder.admissionsDisplay);
          await this.send(context, data, { text: deferred, tag: 'handoff:side-question' });
        }
        await dc.repromptDialog();
        return;
      }
      context.activity.text = said;
      await dc.continueDialog();
      return;
    }

    // 3. The active dialog. A side question mid-screening is answered, then the same question is asked again.
    if (running) {
      const dc = await dialogs();
      const progress = ScreeningDialog.progress(dc);
      // "what is iop?" mentions a choice's word but is a question, not an answer.
      // A statement about oneself ("ive been to rehab twice") that is not a choice is the dialog's to clarify, not a side question.
      const asking = (QUESTION.test(said) || ASKS.test(said)) && !STATEMENT.test(said);
      const sideQuestion = asking || (!this.screeningDialog.isAnswer(progress, said) && !ABOUT_ONESELF.test(said));
      if (sideQuestion && (await this.answerSideQuestion(context, data, said))) {
        await this.send(context, data, { text: this.deps.screening.file.resumed, tag: 'screening:resumed' });
        data.screeningAt = Date.now();
        await dc.repromptDialog();
        return;
      }
      context.activity.text = said;
      data.screeningAt = Date.now();
      await dc.continueDialog();
      return;
    }

    // Only emoji or punctuation, or "ok" / "got it" after an answer: not a question the bot failed to understand.
    const wordless = !/[\p{L}\p{N}]/u.test(said);
    if (wordless || ACKNOWLEDGEMENT.test(basicNormalize(said))) {
      data.didYouMeanOpen = false;
      await this.send(context, data, responder.message(wordless ? 'emojiOnly' : 'acknowledged'));
      return;
    }

    // 4. Intent match.
    data.didYouMeanOpen = false;
    const recognition = this.deps.recognizer.recognize(said);
    const best = recognition.candidates[0];
    logger.info({ ...where, event: 'turn', outcome: recognition.outcome, intent: best?.id, score: best ? round(best.score) : 0, language: recognition.language }, 'turn');

    // Every answer is in English: a Spanish question, however clearly matched ("dan suboxone o
    // metadona?"), gets the Spanish reply with the admissions line rather than an English answer.
    if (recognition.language === 'es') {
      await this.send(context, data, responder.message('spanish'));
      return;
    }

    if (recognition.outcome === 'confident' && best) {
      const entry = responder.entry(best.id);
      if (entry) {
        data.fallbacks = 0;
        if (entry.action === 'welcome') await this.send(context, data, responder.message('welcome'));
        else if (entry.action === 'help') await this.send(context, data, responder.message('help'));
        else if (entry.action === 'start-screening') await this.startScreening(context, dialogs, data, screening);
        else if (entry.action === 'handoff' && TALK_TO_PERSON.test(said)) await this.handOff(context, dialogs, data, 'asked-for-person');
        else {
          await this.send(context, data, responder.answer(entry));
          data.screeningOffered = entry.offerScreening;
        }
        return;
      }
    }

    // 5. "Did you mean" or the fallback. A "did you mean" is a miss too: one followed by a
    // fallback is two in a row, and a person is offered.
    if (recognition.outcome === 'ambiguous') {
      data.didYouMeanOpen = true;
      data.fallbacks = (data.fallbacks ?? 0) + 1;
      await this.send(context, data, responder.didYouMean(recognition.candidates));
      return;
    }
    data.fallbacks = (data.fallbacks ?? 0) + 1;
    if (data.fallbacks >= 2 && this.handoffDialog) {
      // Two in a row: the bot can't help here, so a person is offered.
      data.fallbacks = 0;
      this.recordUnanswered(context, said, best);
      await this.send(context, data, { ...responder.message('fallback'), choices: undefined, links: undefined });
      await this.handOff(context, dialogs, data, 'fallback');
      return;
    }
    this.recordUnanswered(context, said, best);
    await this.send(context, data, responder.message('fallback'));
    // The fallback says "or I can connect you with them now": a "yes" next asks for a person.
    data.personOffered = true;
  }

  /**
   * A crisis in a conversation that already waits in the staff queue: its request goes
   * to the top and staff are alerted. Never holds the crisis reply back for long: a
   * slow or unreachable shared store gets ESCALATE_WAIT_MS, then the reply goes out.
   */
  private async escalateQueued(context: TurnContext, kind: string): Promise<void> {
    const { handoffs, logger } = this.deps;
    if (!handoffs) return;
    const a = context.activity;
    const conversation = logId(a.conversation?.id);
    const escalation = handoffs.escalate(a.channelId ?? '', a.conversation?.id ?? '', kind).then(
      (changed) => {
        if (changed.length) logger.warn({ event: 'handoff-escalated', conversation, kind, requests: changed.map((r) => r.reference) }, 'queued request raised to crisis priority');
      },
      (err: Error) => logger.error({ event: 'handoff-escalate-failed', conversation, err: err.message }, 'could not raise the queued request to crisis priority'),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([escalation, new Promise<void>((resolve) => (timer = setTimeout(resolve, ESCALATE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * Over the per-conversation limit the visitor is asked to slow down and nothing else
   * happens: no state is read or changed. A crisis message is still answered (the
   * detector is cheap), and an SMS STOP still opts out (carrier rules); an opted-out
   * number hears nothing. Returns true when the turn is over.
   */
  private async overLimit(context: TurnContext, text: string): Promise<boolean> {
    const a = context.activity;
    // Counted already by the channel (Direct Line counts a post before logging it), or counted here.
    const counted = context.turnState.get(CONVERSATION_ADMISSION) as Admission | undefined;
    const admission = counted ?? (await this.deps.conversationLimiter?.take(conversationLimitKey(a.channelId, a.conversation?.id)));
    if (!admission || admission.ok) return false;
    if (text && this.deps.crisis.detect(text.slice(0, 10_000))) return false;
    const sms = channelKind(a.channelId) === 'sms';
    if (sms && smsKeyword(text) === 'stop') return false;
    if (admission.first) this.deps.logger.warn({ event: 'rate-limited', scope: 'conversation', conversation: logId(a.conversation?.id), channel: a.channelId }, 'conversation over the rate limit');
    if (sms && (await this.deps.optOuts?.isOptedOut(a.channelId ?? 'sms', a.from?.id ?? ''))) return true;
    // Sent as is, not through send(): the choices the visitor was last offered stay valid.
    await context.sendActivities(this.activities(context, this.deps.responder.message('rateLimited')));
    return true;
  }

  private recordUnanswered(context: TurnContext, said: string, best: { id: string; score: number } | undefined): void {
    try {
      const a = context.activity;
      this.deps.unanswered?.record({ text: said, channel: a.channelId ?? 'unknown', conversationId: a.conversation?.id, bestCandidate: best?.id, bestScore: best?.score });
    } catch (err) {
      this.deps.logger.error({ conversation: logId(context.activity.conversation?.id), err: (err as Error).message }, 'could not record unanswered question');
    }
  }

  /** What the guide would answer outright (small talk aside), with the message's language; undefined when nothing. */
  private confidentEntry(said: string): { entry: Entry; language: Recognition['language'] } | undefined {
    const r = this.deps.recognizer.recognize(said);
    const entry = r.outcome === 'confident' && r.candidates[0] ? this.deps.responder.entry(r.candidates[0].id) : undefined;
    return entry && entry.kind !== 'smalltalk' ? { entry, language: r.language } : undefined;
  }

  /** Would the guide answer this (in English, and not by handing off)? */
  private answerable(said: string): boolean {
    const match = this.confidentEntry(said);
    return Boolean(match && match.language !== 'es' && match.entry.action !== 'handoff');
  }

  /** A confident FAQ answer to a question asked in the middle of a dialog; false when there is none. */
  private async answerSideQuestion(context: TurnContext, data: ConversationData, said: string): Promise<boolean> {
    const match = this.confidentEntry(said);
    // "Start the screening" is not a side question; the rest (admissions contacts included) are answered.
    if (!match || match.entry.action === 'start-screening') return false;
    await this.send(context, data, { ...this.deps.responder.answer(match.entry), choices: undefined });
    return true;
  }

  /**
   * SMS rules (after the safety check, which always answers): STOP opts out and
   * is confirmed once, then nothing is sent to that number; START/UNSTOP (or YES
   * while opted out) opt back in; HELP/INFO say who we are. Returns true when handled.
   */
  private async handleSms(context: TurnContext, dialogs: Dialogs, data: ConversationData, text: string, inDialog: boolean, dialogOpen: boolean): Promise<boolean> {
    const address = context.activity.from?.id ?? '';
    const channel = context.activity.channelId ?? 'sms';
    const optOuts = this.deps.optOuts;
    const keyword = smsKeyword(text);
    const optedOut = (await optOuts?.isOptedOut(channel, address)) ?? false;
    if (keyword === 'stop') {
      if (!optedOut) {
        await optOuts?.optOut(channel, address);
        // A callback or screening under way ends with the opt-out: START later begins afresh, not at its old step.
        if (dialogOpen) await (await dialogs()).cancelAllDialogs();
        data.screeningPaused = false;
        this.deps.logger.info({ event: 'sms-opt-out', conversation: logId(context.activity.conversation?.id) }, 'sms opt-out');
        await this.send(context, data, this.deps.responder.message('smsStopped'));
      }
      return true;
    }
    if (keyword === 'start' || (keyword === 'yes' && optedOut)) {
      await optOuts?.optIn(channel, address);
      await this.send(context, data, this.deps.responder.message('smsStarted'));
      return true;
    }
    if (optedOut) return true; // Opted out: say nothing.
    if (keyword === 'help') {
      await this.send(context, data, this.deps.responder.message('smsHelp'));
      // Then the question that was waiting (a callback step, a screening question), as "help" does elsewhere.
      if (inDialog) await (await dialogs()).repromptDialog();
      return true;
    }
    return false;
  }

  private async startScreening(context: TurnContext, dialogs: Dialogs, data: ConversationData, running: boolean): Promise<void> {
    const dc = await dialogs();
    data.screeningPaused = false;
    data.screeningAt = Date.now();
    if (running) {
      await this.send(context, data, { text: this.deps.screening.file.resumed, tag: 'screening:resumed' });
      await dc.repromptDialog();
      return;
    }
    data.lastChoices = undefined;
    await dc.beginDialog(SCREENING_DIALOG);
  }

  /**
   * Connect the visitor with admissions: Bot Framework's standard handoff event
   * (so a connected contact-center channel can take over), then the handoff
   * dialog: call now, a callback request, or a live chat. Without the staff
   * queue, the admissions line alone. The event carries the minimum: why, the
   * priority and the suggested level if any.
   */
  private async handOff(context: TurnContext, dialogs: Dialogs, data: ConversationData, asked: HandoffReason): Promise<void> {
    // A person asked for after a crisis response, or after a screening, keeps that context for the queue.
    const reason: HandoffReason = asked === 'asked-for-person' && data.flagged ? 'crisis-follow-up' : asked === 'asked-for-person' && data.lastScreening ? 'screening-completed' : asked;
    const handoffContext = {
      reason,
      priority: data.flagged ? 'crisis' : 'normal',
      suggestedLevel: data.lastScreening?.level,
      channel: context.activity.channelId,
    };
    this.deps.logger.info({ event: 'handoff-initiated', reason, conversation: logId(context.activity.conversation?.id) }, 'handoff initiated');
    // A person is offered: the count of misses that leads here starts again.
    data.fallbacks = 0;
    if (!this.handoffDialog) {
      await this.send(context, data, this.deps.responder.message('talkToPerson'));
      await context.sendActivity(handoffInitiation(context, handoffContext));
      return;
    }
    const dc = await dialogs();
    if (dc.activeDialog?.id === HANDOFF_DIALOG) await dc.cancelAllDialogs();
    data.lastChoices = undefined;
    const sms = channelKind(context.activity.channelId) === 'sms' ? parseUsPhone(context.activity.from?.id ?? '') : null;
    const options: HandoffOptions = {
      reason,
      live: (await this.deps.staffOnline?.().catch(() => false)) ?? false,
      smsNumber: sms ?? undefined,
    };
    await dc.beginDialog(HANDOFF_DIALOG, options);
    // After the visible reply, so a channel that shows only the first activity shows the number.
    await context.sendActivity(handoffInitiation(context, handoffContext));
  }

  /** Commit a request to the staff queue, with what admissions needs: priority, screening, and how to reply. */
  private async createRequest(context: TurnContext, details: CallbackDetails): Promise<HandoffRequest> {
    const data = await this.data.get(context, {});
    const a = context.activity;
    const request = await this.deps.handoffs!.create({
      reason: details.reason,
      priority: data.flagged ? 'crisis' : 'normal',
      channel: a.channelId ?? 'unknown',
      conversationId: a.conversation?.id ?? '',
      conversationReference: TurnContext.getConversationReference(a),
      name: details.name,
      phone: details.phone,
      bestTime: details.bestTime,
      contactConsent: details.contactConsent,
      screening: data.lastScreening,
    });
    // No name or number in the log: the reference is enough to find it.
    this.deps.logger.info(
      { event: 'handoff-created', reason: request.reason, priority: request.priority, live: Boolean(details.live), conversation: logId(a.conversation?.id) },
      'handoff request committed',
    );
    return request;
  }

  /** The suggestion, with the visitor's reasons and the next steps; kept for the admissions handoff. */
  private async screeningCompleted(context: TurnContext, result: ScreeningResult): Promise<void> {
    const data = await this.data.get(context, {});
    data.lastScreening = result;
    data.screeningAt = undefined;
    // The suggested level is health information: debug only.
    this.deps.logger.debug({ event: 'screening-completed', level: result.level, rule: result.rule, questions: result.questionsAsked }, 'screening completed');
    await this.send(context, data, this.suggestionReply(result));
  }

  /** The screening's suggestion with a person offered: at its end, and again when asked "what did you suggest?". */
  private suggestionReply(result: ScreeningResult): Reply {
    return {
      text: this.deps.screening.suggestionText(result),
      links: [this.deps.responder.callAdmissions],
      choices: [
        { label: 'Talk to a person', value: 'talk to a person' },
        { label: 'Ask another question', value: 'help' },
      ],
      tag: `screening:result:${result.level}`,
    };
  }

  private async handleCommand(context: TurnContext, dialogs: Dialogs, data: ConversationData, command: Command, screening: boolean, handoff: boolean): Promise<void> {
    const { responder } = this.deps;
    data.didYouMeanOpen = false;
    switch (command) {
      case 'help':
        if ((screening && !data.screeningPaused) || handoff) {
          // The general menu's buttons would compete with the question that follows: its text alone.
          await this.send(context, data, { ...responder.message('help'), choices: undefined });
          await (await dialogs()).repromptDialog();
          return;
        }
        await this.send(context, data, responder.message('help'));
        return;
      case 'start-over':
        data.fallbacks = 0;
        if (screening || handoff) await (await dialogs()).cancelAllDialogs();
        if (screening) {
          // The screening begins again: its first question follows, not "what would you like to know?".
          await this.send(context, data, responder.message('startOverScreening'));
          await this.startScreening(context, dialogs, data, false);
          return;
        }
        await this.send(context, data, responder.message('startOver'));
        return;
      case 'cancel':
        if (handoff) {
          // Leaving the handoff also leaves any screening paused under it: cancel means stop.
          await (await dialogs()).cancelAllDialogs();
          data.screeningPaused = false;
          await this.send(context, data, { text: fillAdmissions(this.deps.handoffContent?.notNow ?? '', responder.admissionsDisplay), links: [responder.callAdmissions], tag: 'handoff:cancelled' });
        } else if (screening) {
          await (await dialogs()).cancelAllDialogs();
          data.screeningPaused = false;
          await this.send(context, data, { text: this.deps.screening.file.cancelled, tag: 'screening:cancelled' });
        } else {
          await this.send(context, data, responder.message('cancel'));
        }
        return;
      case 'start-screening':
        if (handoff) await (await dialogs()).cancelAllDialogs();
        await this.startScreening(context, dialogs, data, screening);
        return;
      case 'forget-me': {
        const channel = context.activity.channelId ?? 'unknown';
        const conversation = context.activity.conversation?.id ?? '';
        // Everything this conversation stored goes, dialog stack included; only the reply remains.
        if (screening || handoff) await (await dialogs()).cancelAllDialogs();
        await this.deps.conversations.clear(context);
        // Their callback requests go too (name, number, screening summary; staff are told), and the questions they left in the unanswered log.
        await this.deps.handoffs?.forgetConversation(channel, conversation);
        await this.deps.unanswered?.forgetConversation(channel, conversation);
        for (const forget of this.deps.forgetElsewhere ?? []) await forget(channel, conversation);
        try {
          await this.deps.eraseDeleted?.();
        } catch (err) {
          // The rows are gone; only old copies in the database's log file may remain until its next checkpoint.
          this.deps.logger.error({ event: 'erase-deleted-failed', conversation: logId(conversation), err: (err as Error).message }, 'could not empty the database log after forget me');
        }
        await context.sendActivities(this.activities(context, responder.message('forgotten')));
        this.deps.logger.info({ event: 'forget-me', conversation: logId(conversation) }, 'conversation data deleted');
        return;
      }
      case 'talk-to-person':
        await this.handOff(context, dialogs, data, 'asked-for-person');
        return;
      case 'none-of-these':
        if (!this.handoffDialog) {
          await this.send(context, data, responder.message('noneOfThese'));
          return;
        }
        await this.send(context, data, { ...responder.message('noneOfThese'), choices: undefined });
        await this.handOff(context, dialogs, data, 'fallback');
        return;
    }
  }

  /**
   * The turn after a crisis response checks in before anything else. A clear
   * "I'm safe" is acknowledged; a "no" or "help" repeats the emergency guidance;
   * anything else gets the check-in question once, then the conversation goes on.
   */
  private async handleCrisisFollowUp(context: TurnContext, dialogs: Dialogs, data: ConversationData, text: string, screening: boolean, handoff: boolean): Promise<boolean> {
    const c = data.crisis!;
    // "2" on SMS (or "the second one") answers the check-in's numbered choices ("2. I need help now").
    const pick = pickChoice(text, data.lastChoices);
    const picked = pick === OUT_OF_RANGE ? undefined : pick;
    const answer = classifyCheckInAnswer(picked ? picked.value : text);
    if (answer === 'safe') {
      data.crisis = undefined;
      const safe = this.deps.crisis.safeAcknowledgement(c.language);
      // A person is offered (a priority request: the conversation stays flagged), never forced.
      const person = { label: c.language === 'es' ? 'Hablar con una persona' : 'Talk to a person', value: 'talk to a person' };
      const ack = { ...safe, choices: [...(safe.choices ?? []), person] };
      if (screening && data.screeningPaused) {
        await this.send(context, data, {
          ...ack,
          text: `${ack.text}\n\n${this.deps.screening.file.paused}`,
          choices: [{ label: 'Continue screening', value: 'continue screening' }, ...(ack.choices ?? [])],
        });
      } else if (handoff) {
        // Mid-callback: the step that was waiting is asked again (its own choices replace the offer of a person).
        await this.send(context, data, { ...safe, choices: undefined });
        await (await dialogs()).repromptDialog();
      } else {
        await this.send(context, data, ack);
      }
      return true;
    }
    if (answer === 'unsafe') {
      // Not safe: the guidance again, and the next message is met with the check-in again.
      c.checkInAsked = false;
      await this.send(context, data, this.deps.crisis.response({ kind: c.kind as never, evidence: 'follow-up', language: c.language }));
      return true;
    }
    // Asking for a person, or to be forgotten, is done at once: the offer of a person repeats 911 and 988
    // (and the request is crisis priority), and the check-in would swallow the request.
    const command = detectCommand(picked ? picked.value : text);
    if (command === 'talk-to-person' || command === 'forget-me') {
      data.crisis = undefined;
      return false;
    }
    if (!c.checkInAsked) {
      c.checkInAsked = true;
      await this.send(context, data, this.deps.crisis.checkIn(c.language));
      return true;
    }
    data.crisis = undefined;
    return false;
  }
}

/** The turn's DialogContext, built on first use. */
type Dialogs = () => Promise<DialogContext>;

/** "how do I reach admissions" is answered; "I want to talk to someone" is handed off. */
const TALK_TO_PERSON = /\b(?:talk|speak|chat|connect)\b.*\b(?:person|someone|somebody|human|admissions|staff|counselor|agent)\b|\bcall me\b/i;

/** "When I stop I get the shakes": starts like a question, but is an answer (no question mark). */
const STATEMENT = /^\s*(?:when|whenever|if)\s+(?:i|he|she|they|we|my|his|her|their|it|its|im|i'm)\b(?!.*\?\s*$)/i;
const QUESTION = /\?\s*$|^\s*(?:what|whats|what's|how|when|where|who|why|which|do you|does|can i|can you|could|is there|are there|will|would|should)\b/i;
/** A question word anywhere ("my son needs help, what is iop"). */
const ASKS = /\b(?:what|whats|what's|how|where|which|why|do you|do u|does it|can i|can you|can u|is there|are there)\b/i;
/** A statement about the visitor or the person they ask for: an answer in their own words. */
const ABOUT_ONESELF = /^\s*(?:i|i'm|im|i've|ive|i'd|id|my|me|we|we've|weve|our|he|he's|hes|she|she's|shes|they|they've|theyve|yes|yeah|yep|ya|no|nah|nope)\b/i;

/** "ok", "got it", "cool", "sounds good" on their own: the visitor read the answer. */
const ACKNOWLEDGEMENT =
  /^(?:ok|okay|k|kk|okie|cool|ok cool|got it|gotcha|alright|all right|i see|ok i see|noted|understood|makes sense|that makes sense|sounds good|great|perfect|nice|good to know|awesome|ok great|oh ok|ah ok|hmm ok|ok got it)$/;

/** "What did you suggest again?", "what was my result?": the last screening's suggestion. */
const RECALL =
  /\b(?:did you (?:suggest|recommend|say)|you (?:suggested|recommended)|(?:(?:was|were) (?:my|the)|(?:is|are) my) (?:screening )?(?:result|results|suggestion|recommendation|outcome)|my (?:screening )?(?:results?|suggestion|recommendation|outcome)|(?:suggest|suggested|suggestion|recommend|recommended|recommendation)\b.*\bagain)\b/;

const OUT_OF_RANGE = Symbol('out of range');
const ORDINALS: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5 };

/**
 * Which of the last choices the visitor means: "2" / "2." (SMS numbers), "the first one",
 * "option 2", "the last one", or the label as shown ("Detox"). OUT_OF_RANGE for a number
 * that is not one of them; undefined when the text is not a pick.
 */
function pickChoice(text: string, choices: Array<{ label: string; value: string }> | undefined): { label: string; value: string } | typeof OUT_OF_RANGE | undefined {
  if (!choices?.length) return undefined;
  const bare = /^\s*#?(\d{1,2})\s*[.)]?\s*$/.exec(text);
  const t = basicNormalize(text);
  const said = /^(?:(?:the|number|option|choice|no)\s+)*(\d{1,2}|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)(?:\s+(?:one|option|choice))?(?:\s+please)?$/.exec(t);
  const n = bare ? Number(bare[1]) : said ? (said[1] === 'last' ? choices.length : (ORDINALS[said[1]!] ?? Number(said[1]))) : undefined;
  if (n !== undefined) return choices[n - 1] ?? OUT_OF_RANGE;
  return choices.find((c) => basicNormalize(c.label) === t);
}

function fillAdmissions(template: string, admissions: string): string {
  return template.replace(/\{\{admissions\}\}/g, admissions);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
