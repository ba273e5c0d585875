import type { Activity, TurnContext } from 'botbuilder';
import type { PromptOptions, DialogContext, DialogReason, DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from 'botbuilder-dialogs';
import { ComponentDialog, WaterfallDialog } from './sdk';
import { renderFor } from '../src/channels/render';
import { AnswerPrompt } from './answerPrompt';
import { isAffirmative, isNegative } from '../src/core/affirm';
import type { Reply } from '../src/core/reply';
import type { Question } from '../src/core/screening/schema';
import type { Screening, ScreeningAnswers, ScreeningResult } from '../src/core/screening/screening';
import { basicNormalize } from '../src/core/text/normalize';
import { phrases } from '../src/core/understanding/phrases';

export const SCREENING_DIALOG = 'screening';
const CONSENT = 'screening.consent';
const LOOP = 'screening.loop';
const ANSWER_PROMPT = 'screening.answer';

/** Special prompt results besides a choice id. */
const BACK = '__back';
const GIVE_UP = '__give-up';
/** Attempts before the bot stops re-asking and offers the admissions line. */
const MAX_ATTEMPTS = 3;

/** "back", "go back", "atrás", "cambiar mi respuesta": the words of knowledge/phrases.yaml (answers.back), the whole message. */
const BACK_WORDS = { test: (normalized: string): boolean => phrases().back.test(normalized) };

/** What the screening keeps while it runs: only what placement and handoff need. */
export interface ScreeningProgress {
  answers: ScreeningAnswers;
  /** Question ids in the order answered, for "back". */
  order: string[];
  startedAt: string;
  /** The question on screen, so the bot can tell an answer from a side question. */
  current?: string;
  /** Questions answered by what the visitor said unasked, to say back before the next question. */
  noted?: string[];
  /** After "back", the question whose answer was taken back: asked next. */
  again?: string;
  /** The visitor answers for someone else ("it's for my dad"): the questions say "they". */
  forSomeoneElse?: boolean;
}

/** Does the visitor answer for someone else? Read from the conversation when each question is asked. */
export type AnswersFor = (context: DialogContext['context']) => Promise<boolean>;

/** What the visitor said before the screening that answers its questions: question id → choice id. Taken once, when the visitor consents. */
export type TakeVolunteered = (context: DialogContext['context']) => Promise<ScreeningAnswers | undefined>;

interface AnswerPromptOptions {
  question: string;
  forSomeoneElse?: boolean;
  channelId?: string;
  leading?: Partial<Activity>[];
  retryLeading?: Partial<Activity>[];
}


/**
 * The consented self-screen: consent, then one data-driven question at a
 * time (knowledge/screening.yaml), then a suggested level of care with the
 * visitor's own reasons. Interruptions (FAQ, help, cancel, start over, talk
 * to a person, the crisis net) are handled by the bot's pipeline around it.
 */
export class ScreeningDialog extends ComponentDialog {
  constructor(
    private readonly screening: Screening,
    private readonly onComplete: (context: DialogContext['context'], result: ScreeningResult) => Promise<void>,
    private readonly takeVolunteered: TakeVolunteered = async () => undefined,
    private readonly answersFor: AnswersFor = async () => false,
  ) {
    super(SCREENING_DIALOG);
    this.addDialog(new AnswerPrompt(ANSWER_PROMPT, (p) => this.validate(p)));
    this.addDialog(new WaterfallDialog(CONSENT, [(s) => this.askConsent(s), (s) => this.afterConsent(s)]));
    this.addDialog(new WaterfallDialog(LOOP, [(s) => this.askNext(s), (s) => this.record(s)]));
    this.initialDialogId = CONSENT;
  }

  /** The screening progress on the stack, if a screening is running in this dialog context. */
  static progress(dc: DialogContext): ScreeningProgress | undefined {
    const inner = dc.activeDialog?.id === SCREENING_DIALOG ? dc.child : undefined;
    // The inner stack is [loop, prompt] while a question waits for its answer.
    const loop = inner?.stack.find((instance) => instance.id === LOOP);
    return (loop?.state?.options as ScreeningProgress | undefined) ?? undefined;
  }

  /** Would this text answer the question on screen? (Otherwise the bot may treat it as a side question.) */
  isAnswer(progress: ScreeningProgress | undefined, text: string): boolean {
    // The consent question: any yes or no ("yess", "ok sure", "nah not now"), or its number.
    if (!progress?.current) return /^\d$/.test(basicNormalize(text)) || isAffirmative(text) || isNegative(text);
    const q = this.screening.question(progress.current);
    return Boolean(q && (this.screening.parseAnswer(q, text) !== null || BACK_WORDS.test(basicNormalize(text))));
  }

  /**
   * The answers a message states unasked for questions after the one on screen ("alcohol,
   * every day, shakes in the morning" to "what are you using?"), kept as answered in the
   * order "back" undoes them; returns their question ids, to be said back.
   */
  keepUnasked(progress: ScreeningProgress, text: string): string[] {
    return this.keep(progress, this.screening.volunteered(text), progress.current);
  }

  /** Stated answers for questions after `after` (all without it) kept as answered, in the order "back" undoes them; their question ids. */
  private keep(progress: ScreeningProgress, stated: ScreeningAnswers, after?: string): string[] {
    const kept: string[] = [];
    for (const [id, choice] of this.screening.unasked(progress.answers, stated, after)) {
      progress.answers[id] = choice;
      progress.order.push(id);
      kept.push(id);
    }
    return kept;
  }

  /**
   * A dialog that sat on the screening ended (a callback asked for mid-screening): say so,
   * then the question that was waiting, so the visitor knows where they are.
   */
  override async resumeDialog(outerDc: DialogContext, reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const resumed: Reply = { text: this.screening.file.resumed, tag: 'screening:resumed' };
    await outerDc.context.sendActivities(this.say(resumed, outerDc.context));
    return super.resumeDialog(outerDc, reason, result);
  }

  private say(reply: Reply, context: TurnContext): Partial<Activity>[] {
    return renderFor(context, reply);
  }

  /** The prompt is the last part of the question (the one with the choices); earlier SMS parts lead it. */
  private promptOptions(reply: Reply, retry: Reply, question: string, context: TurnContext, forSomeoneElse = false): PromptOptions {
    const channelId = context.activity.channelId;
    const parts = this.say(reply, context);
    const retryParts = this.say(retry, context);
    return {
      prompt: parts[parts.length - 1],
      retryPrompt: retryParts[retryParts.length - 1],
      validations: { question, channelId, forSomeoneElse, leading: parts.slice(0, -1), retryLeading: retryParts.slice(0, -1) } satisfies AnswerPromptOptions,
    };
  }

  private questionReply(q: Question, prefix = '', forSomeoneElse = false): Reply {
    return {
      text: `${prefix}${this.screening.questionText(q, forSomeoneElse)}`,
      choices: q.choices.map((c) => ({ label: c.label, value: c.label })),
      tag: `screening:${q.id}`,
    };
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.screening.file.consent;
    const reply: Reply = {
      text: c.text.replace('{{retentionDays}}', String(this.retentionDays)),
      choices: [
        { label: c.yes, value: 'yes' },
        { label: c.no, value: 'not now' },
      ],
      tag: 'screening:consent',
    };
    return step.prompt(ANSWER_PROMPT, this.promptOptions(reply, { ...reply, text: `${this.screening.file.reask}` }, 'consent', step.context));
  }

  /** How long answers are kept, shown in the consent text; set by the app from configuration. */
  retentionDays = 30;

  private async afterConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== 'yes') {
      const reply: Reply = { text: this.screening.file.consent.declined, tag: 'screening:declined' };
      await step.context.sendActivities(this.say(reply, step.context));
      return step.endDialog({ declined: true });
    }
    const progress: ScreeningProgress = { answers: {}, order: [], startedAt: new Date().toISOString() };
    // What the visitor said before ("my son drinks every day") answers its questions: they are not asked, and it is said back.
    const noted = this.keep(progress, (await this.takeVolunteered(step.context)) ?? {});
    if (noted.length) progress.noted = noted;
    return step.replaceDialog(LOOP, progress);
  }

  private async askNext(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const progress = step.options as ScreeningProgress;
    const again = progress.again ? this.screening.question(progress.again) : undefined;
    progress.again = undefined;
    const next = again && progress.answers[again.id] === undefined && this.screening.applies(again, progress.answers) ? again : this.screening.nextQuestion(progress.answers);
    const noted = progress.noted && this.screening.notedText(progress.noted, progress.answers);
    progress.noted = undefined;
    // "it's for my dad" may come at any point: each question is worded for whoever it is about.
    if (await this.answersFor(step.context)) progress.forSomeoneElse = true;
    const other = Boolean(progress.forSomeoneElse);
    if (!next) {
      if (noted) await step.context.sendActivities(this.say({ text: noted, tag: 'screening:noted' }, step.context));
      const result = this.screening.result(progress.answers, new Date(progress.startedAt), new Date(), other);
      await this.onComplete(step.context, result);
      return step.endDialog(result);
    }
    progress.current = next.id;
    const reply = this.questionReply(next, noted ? `${noted}\n\n` : '', other);
    return step.prompt(ANSWER_PROMPT, this.promptOptions(reply, this.retryReply(next, other), next.id, step.context, other));
  }

  private retryReply(q: Question, forSomeoneElse = false): Reply {
    return {
      text: `${this.screening.file.reask}\n${this.screening.questionText(q, forSomeoneElse)}`,
      choices: q.choices.map((c) => ({ label: c.label, value: c.label })),
      tag: `screening:retry:${q.id}`,
    };
  }

  private async record(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const progress = step.options as ScreeningProgress;
    const value = step.result as string;
    if (value === GIVE_UP) {
      const reply: Reply = { text: this.screening.file.giveUp, tag: 'screening:give-up' };
      await step.context.sendActivities(this.say(reply, step.context));
      return step.endDialog({ gaveUp: true, progress });
    }
    if (value === BACK) {
      const previous = progress.order.pop();
      if (previous) delete progress.answers[previous];
      // The answer taken back is asked next, even one noted from what the visitor said unasked.
      progress.again = previous;
      return step.replaceDialog(LOOP, progress);
    }
    if (progress.current) {
      progress.answers[progress.current] = value;
      progress.order = progress.order.filter((id) => id !== progress.current).concat(progress.current);
      // The answer may also answer later questions ("alcohol, every day, shakes in the morning"): those are kept, not asked.
      const noted = this.keepUnasked(progress, step.context.activity.text ?? '');
      // An answer can make later answers moot (askIf): drop those so they are asked afresh if needed.
      for (const q of this.screening.questions) {
        if (progress.answers[q.id] !== undefined && !this.screening.applies(q, progress.answers)) {
          delete progress.answers[q.id];
          progress.order = progress.order.filter((id) => id !== q.id);
        }
      }
      if (noted.length) progress.noted = noted.filter((id) => progress.answers[id] !== undefined);
    }
    return step.replaceDialog(LOOP, progress);
  }

  private async validate(p: PromptValidatorContext<string>): Promise<boolean> {
    const options = (p.options as { validations?: AnswerPromptOptions }).validations;
    const text = p.recognized.value ?? '';
    const normalized = basicNormalize(text);
    if (options?.question === 'consent') {
      if (normalized === '1' || isAffirmative(text)) {
        p.recognized.value = 'yes';
        return true;
      }
      if (normalized === '2' || isNegative(text)) {
        p.recognized.value = 'no';
        return true;
      }
      return this.giveUpAfterAttempts(p);
    }
    if (BACK_WORDS.test(normalized)) {
      p.recognized.value = BACK;
      return true;
    }
    const q = options ? this.screening.question(options.question) : undefined;
    const answer = q ? this.screening.parseAnswer(q, text) : null;
    if (answer !== null) {
      p.recognized.value = answer;
      return true;
    }
    // An honest answer that is not a choice ("I don't know" where there is no "Not sure" choice, "yes" to
    // "have you tried treatment before?"): once, a gentle ask for the closest choice instead of "I didn't catch that".
    const clarification = q && p.attemptCount === 1 ? this.screening.clarification(q, text) : null;
    if (q && clarification) {
      await p.context.sendActivities(this.say(this.clarifyReply(q, clarification, options?.forSomeoneElse), p.context));
      return false;
    }
    return this.giveUpAfterAttempts(p);
  }

  private clarifyReply(q: Question, kind: 'unsure' | 'which', forSomeoneElse = false): Reply {
    const file = this.screening.file;
    return {
      text: `${file[kind] ?? file.reask}\n${this.screening.questionText(q, forSomeoneElse)}`,
      choices: q.choices.map((c) => ({ label: c.label, value: c.label })),
      tag: `screening:${kind}:${q.id}`,
    };
  }

  /** Re-ask with examples; after repeated misses, stop looping and offer the admissions line. */
  private giveUpAfterAttempts(p: PromptValidatorContext<string>): boolean {
    if (p.attemptCount >= MAX_ATTEMPTS) {
      p.recognized.value = GIVE_UP;
      return true;
    }
    return false;
  }
}
