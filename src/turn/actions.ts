import type { Activity, TurnContext } from 'botbuilder';
import { HANDOFF_DIALOG, type HandoffDialog, type HandoffOptions } from '../../dialogs/handoffDialog';
import { SCREENING_DIALOG, type ScreeningDialog } from '../../dialogs/screeningDialog';
import { handoffInitiation } from '../channels/handoffEvent';
import { channelKind, renderFor } from '../channels/render';
import type { BotDependencies } from '../bot';
import type { Entry, MessageKey } from '../core/knowledge/schema';
import type { Recognition } from '../core/nlu/recognizer';
import type { Reply } from '../core/reply';
import type { ScreeningResult } from '../core/screening/screening';
import { nameBesideNumber, parseUsPhone, readCallbackDetails } from '../core/handoff/contact';
import type { HandoffReason } from '../core/handoff/handoffRequest';
import { describePreferences, type ContactPreference } from '../core/handoff/contactPreferences';
import { phrases, type Phrases } from '../core/understanding/phrases';
import { looksLikeQuestion } from '../core/understanding/segment';
import { SafetyFollowUps } from '../core/safety/followUps';
import { basicNormalize } from '../core/text/normalize';
import { logId } from '../logger';
import type { Turn } from './turn';

/** "call me back", "request a callback": a callback asked for outright, so no offer first. */
const CALLBACK_WORDS = /\b(?:call ?back|call me|have (?:someone|somebody|them|admissions) (?:call|text|contact) me|text me|contact me)\b/;

/** How long a crisis reply may wait for the staff queue's escalation (a shared store may be slow). */
const ESCALATE_WAIT_MS = 1000;

/**
 * What the stages do to the conversation: say things, start and stop the
 * screening and the handoff, forget a visitor. Shared by the stages so that each
 * stage file reads as its decision alone.
 */
export class TurnActions {
  readonly phrases: Phrases = phrases();
  /** What is said after a crisis reply (knowledge/safety/follow-ups.yaml). */
  readonly followUps = SafetyFollowUps.load();
  /** Ends an SMS reply cut to the carrier limit (read once, not per reply). */
  private readonly smsShortenedNote: string;

  constructor(
    readonly deps: BotDependencies,
    readonly screeningDialog: ScreeningDialog,
    readonly handoffDialog: HandoffDialog | undefined,
  ) {
    this.smsShortenedNote = deps.responder.message('smsShortened').text;
  }

  /** How the visitor asked to be contacted ("no texts", "text only"), kept for the callback and said back once when new. */
  notePreferences(turn: Turn, preferences: readonly ContactPreference[]): void {
    const added = preferences.filter((p) => !turn.data.contactPreferences?.includes(p));
    if (!added.length) return;
    turn.data.contactPreferences = [...(turn.data.contactPreferences ?? []), ...added];
    turn.reply.add('ack', this.message('preferencesNoted', { preferences: describePreferences(added).toLowerCase() }));
  }

  message(key: MessageKey, values: Record<string, string> = {}): Reply {
    const m = this.deps.responder.message(key);
    return { ...m, text: m.text.replace(/\{\{(\w+)\}\}/g, (all, k: string) => values[k] ?? all) };
  }

  /** The reply as the channel shows it: on SMS, parts of at most 320 characters sent in order. */
  activities(context: TurnContext, reply: Reply): Partial<Activity>[] {
    return renderFor(context, reply, { shortenedNote: this.smsShortenedNote });
  }

  /** Send one reply now; its choices are what a number typed next picks. */
  async send(turn: Pick<Turn, 'context' | 'data'>, reply: Reply): Promise<void> {
    turn.data.lastChoices = reply.choices?.length ? reply.choices : undefined;
    await turn.context.sendActivities(this.activities(turn.context, reply));
  }

  /** Send what the turn has composed so far (before a dialog asks its step, which comes last). */
  async flush(turn: Turn): Promise<void> {
    const reply = turn.reply.take();
    if (reply) await this.send(turn, reply);
  }

  /** The part of the message that answers the dialog's step goes to it, after what the turn composed so far. */
  async answerStep(turn: Turn, text: string): Promise<'done'> {
    await this.flush(turn);
    turn.context.activity.text = text;
    await (await turn.dialogs()).continueDialog();
    return 'done';
  }

  fillAdmissions(template: string): string {
    return template.replace(/\{\{admissions\}\}/g, this.deps.responder.admissionsDisplay);
  }

  /** What the guide would answer outright (small talk aside), with the message's language; undefined when nothing. */
  confidentEntry(said: string): { entry: Entry; language: Recognition['language'] } | undefined {
    const r = this.deps.recognizer.recognize(said);
    const entry = r.outcome === 'confident' && r.candidates[0] ? this.deps.responder.entry(r.candidates[0].id) : undefined;
    // Greetings and thanks are not answers to a question; "is this chat private?", "are you a bot?" are.
    const meta = entry?.kind === 'smalltalk' && !entry.action && (/\?\s*$/.test(said) || looksLikeQuestion(basicNormalize(said)));
    return entry && (entry.kind !== 'smalltalk' || meta) ? { entry, language: r.language } : undefined;
  }

  /** Would the guide answer this (and not by handing off)? */
  answerable(said: string): boolean {
    const match = this.confidentEntry(said);
    return Boolean(match && match.entry.action !== 'handoff');
  }

  async startScreening(turn: Turn, resume: boolean): Promise<void> {
    const dc = await turn.dialogs();
    turn.data.screeningPaused = false;
    turn.data.screeningAt = Date.now();
    if (resume) {
      turn.reply.add('ack', { text: this.deps.screening.file.resumed, tag: 'screening:resumed' });
      await this.flush(turn);
      await dc.repromptDialog();
      return;
    }
    await this.flush(turn);
    turn.data.lastChoices = undefined;
    this.deps.metrics?.count({ kind: 'screening', stage: 'started' });
    await dc.beginDialog(SCREENING_DIALOG);
  }

  /**
   * Connect the visitor with admissions: Bot Framework's standard handoff event
   * (so a connected contact-center channel can take over), then the handoff
   * dialog: call now, a callback request, or a live chat. Without the staff
   * queue, the admissions line alone. The event carries the minimum: why, the
   * priority and the suggested level if any.
   */
  async handOff(turn: Turn, asked: HandoffReason, ask: { callback?: boolean } = {}): Promise<void> {
    const { context, data } = turn;
    // A person asked for after a crisis response, or after a screening, keeps that context for the queue.
    const reason: HandoffReason = asked === 'asked-for-person' && data.flagged ? 'crisis-follow-up' : asked === 'asked-for-person' && data.lastScreening ? 'screening-completed' : asked;
    const handoffContext = { reason, priority: data.flagged ? 'crisis' : 'normal', suggestedLevel: data.lastScreening?.level, channel: context.activity.channelId };
    this.deps.logger.info({ event: 'handoff-initiated', reason, conversation: logId(context.activity.conversation?.id) }, 'handoff initiated');
    // A person is offered: the count of misses that leads here starts again.
    data.fallbacks = 0;
    if (!this.handoffDialog) {
      turn.reply.add('pending', this.deps.responder.message('talkToPerson'));
      await this.flush(turn);
      await context.sendActivity(handoffInitiation(context, handoffContext));
      return;
    }
    await this.flush(turn);
    const dc = await turn.dialogs();
    if (dc.activeDialog?.id === HANDOFF_DIALOG) await dc.cancelAllDialogs();
    data.lastChoices = undefined;
    const sms = channelKind(context.activity.channelId) === 'sms' ? parseUsPhone(context.activity.from?.id ?? '') : null;
    // A name, a number or a time given in this message ("Dana, 617-555-0148, after 5") is not asked for again.
    const given = readCallbackDetails(turn.said);
    if (given.preferences.length) data.contactPreferences = [...new Set([...(data.contactPreferences ?? []), ...given.preferences])];
    const known = { name: given.name ?? (given.phone ? nameBesideNumber(turn.said) : undefined), phone: given.phone, bestTime: given.bestTime };
    const callback = ask.callback || Boolean(given.phone) || CALLBACK_WORDS.test(basicNormalize(turn.said));
    const options: HandoffOptions = {
      reason,
      live: (await this.deps.staffOnline?.().catch(() => false)) ?? false,
      smsNumber: sms ?? undefined,
      callback,
      known: callback ? known : undefined,
      flagged: Boolean(data.flagged),
      language: data.language ?? 'en',
    };
    await dc.beginDialog(HANDOFF_DIALOG, options);
    // After the visible reply, so a channel that shows only the first activity shows the number.
    await context.sendActivity(handoffInitiation(context, handoffContext));
  }

  /** Everything this conversation stored goes, dialog stack included; only the reply remains. */
  async forget(turn: Turn): Promise<void> {
    const { context } = turn;
    const { deps } = this;
    const channel = context.activity.channelId ?? 'unknown';
    const conversation = context.activity.conversation?.id ?? '';
    if (turn.top) await (await turn.dialogs()).cancelAllDialogs();
    await deps.conversations.clear(context);
    // Their callback requests go too (name, number, screening summary; staff are told), and the questions they left in the unanswered log.
    await deps.handoffs?.forgetConversation(channel, conversation);
    await deps.unanswered?.forgetConversation(channel, conversation);
    for (const forget of deps.forgetElsewhere ?? []) await forget(channel, conversation);
    try {
      await deps.eraseDeleted?.();
    } catch (err) {
      // The rows are gone; only old copies in the database's log file may remain until its next checkpoint.
      deps.logger.error({ event: 'erase-deleted-failed', conversation: logId(conversation), err: (err as Error).message }, 'could not empty the database log after forget me');
    }
    turn.reply.take();
    await context.sendActivities(this.activities(context, deps.responder.message('forgotten')));
    deps.logger.info({ event: 'forget-me', conversation: logId(conversation) }, 'conversation data deleted');
  }

  /** The screening's suggestion with a person offered: at its end, and again when asked "what did you suggest?". */
  suggestionReply(result: ScreeningResult): Reply {
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

  /**
   * A crisis in a conversation that already waits in the staff queue: its request goes
   * to the top and staff are alerted. Never holds the crisis reply back for long: a
   * slow or unreachable shared store gets ESCALATE_WAIT_MS, then the reply goes out.
   */
  async escalateQueued(context: TurnContext, kind: string): Promise<void> {
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

  recordUnanswered(context: TurnContext, said: string, best: { id: string; score: number } | undefined): void {
    try {
      const a = context.activity;
      this.deps.unanswered?.record({ text: said, channel: a.channelId ?? 'unknown', conversationId: a.conversation?.id, bestCandidate: best?.id, bestScore: best?.score });
    } catch (err) {
      this.deps.logger.error({ conversation: logId(context.activity.conversation?.id), err: (err as Error).message }, 'could not record unanswered question');
    }
  }
}

