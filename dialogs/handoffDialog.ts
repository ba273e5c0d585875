import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult, PromptValidatorContext, WaterfallStepContext } from 'botbuilder-dialogs';
import { ComponentDialog, WaterfallDialog } from './sdk';
import { renderFor } from '../src/channels/render';
import { AnswerPrompt, promptOptions } from './answerPrompt';
import { isAffirmative, isNegative } from '../src/core/affirm';
import { extractFirstName, extractNameAndPhone, formatUsPhone, parseUsPhone, readCallbackDetails, readConsentAnswer } from '../src/core/handoff/contact';
import { readContactPreferences, type ContactPreference } from '../src/core/handoff/contactPreferences';
import { fill, type HandoffContent } from '../src/core/handoff/content';
import type { HandoffLanguage, HandoffReason, HandoffRequest } from '../src/core/handoff/handoffRequest';
import type { Choice, LinkButton, Reply } from '../src/core/reply';
import { basicNormalize } from '../src/core/text/normalize';

export const HANDOFF_DIALOG = 'handoff';
const FLOW = 'handoff.flow';
const OFFER = 'handoff.offer';
const NAME = 'handoff.name';
const PHONE = 'handoff.phone';
const TIME = 'handoff.time';
const CONSENT = 'handoff.consent';
const SHARE = 'handoff.share';
const PHONE_FLOW = 'handoff.phone-flow';

const GIVE_UP = '__give-up';
const OTHER_NUMBER = '__other-number';
/** A name and a number given together at the name step ("Sam, 617-555-0123"): the number is not asked again. */
const NAME_AND_PHONE = '__name-and-phone:';
/** The visitor changed their mind ("actually nvm", "no thanks", "i don't want to give my number"). */
const WITHDRAW = '__withdraw';
/**
 * Changing one's mind, at any step. Bare "no" is not here: it answers "this number?" (SMS)
 * and the consent in their own ways; "cancel", "never mind" alone are the bot's commands.
 */
const WITHDRAWING =
  /\b(?:nvm|never ?mind|forget (?:it|that|about it|this)|(?<!(?:before|if|in case|so|or) (?:i |we )?(?:dont |don t )?)changed? (?:my|our) minds?|no thanks?|no thank you|not interested|not anymore|stop this|cancel (?:it|that|this|the callback)|no gracias|ya no|olvidalo|olvidelo|dejalo|mejor no|cancelar)\b/;
/** Also a change of mind where a name or a number is asked for (at the time, "i don't want mornings" is an answer). */
const DECLINING = /\b(?:nah|not now|maybe later|i (?:do not|don t|dont) want|(?:i d|id|i would|i had) rather not|rather not)\b/;
/** Attempts before the bot stops re-asking and gives the admissions line. */
const MAX_ATTEMPTS = 3;
/** The optional "share your last messages?" is asked again once; still unclear, nothing is shared. */
const SHARE_ATTEMPTS = 2;

export interface HandoffOptions {
  reason: HandoffReason;
  /** Offer "chat with a person now" (live takeover on, staff online). */
  live?: boolean;
  /** On SMS the visitor's own number, in E.164: offered instead of asking for one. */
  smsNumber?: string;
  /** The visitor asked for a callback outright ("call me back"): no offer first. */
  callback?: boolean;
  /** What the visitor already gave in this conversation: not asked again. */
  known?: { name?: string; phone?: string; bestTime?: string };
  /** The conversation raised a crisis signal: the offer repeats 911 and 988. */
  flagged?: boolean;
  /** The language the visitor is answered in: the request tells staff to call back in it. */
  language?: HandoffLanguage;
}

/** What the visitor gave for a callback: only what admissions needs to call back. */
export interface CallbackDetails {
  reason: HandoffReason;
  name?: string;
  phone?: string;
  bestTime?: string;
  contactConsent?: { text: string; at: string };
  live?: boolean;
  language?: HandoffLanguage;
}

export interface HandoffDialogDeps {
  content: HandoffContent;
  /** The admissions line as written, e.g. "(877) 920-6583". */
  admissions: string;
  callButton: LinkButton;
  /** How the visitor asked to be contacted so far ("no texts", "text only"), for the consent's wording. */
  preferences?(context: TurnContext): Promise<readonly ContactPreference[]>;
  /** Commit the request to the durable queue (the bot adds priority, screening and the conversation reference). */
  createRequest(context: TurnContext, details: CallbackDetails): Promise<HandoffRequest>;
  /** The visitor's last few messages (none: the share question is not asked). */
  recent?(context: TurnContext): Promise<readonly string[]>;
  /** Add the last few messages to the filed request, with the visitor's yes; false when they could not be. */
  attachExcerpt?(context: TurnContext, requestId: string, excerpt: string[]): Promise<boolean>;
}

interface PromptOptions {
  kind: 'offer' | 'name' | 'phone' | 'time' | 'consent' | 'share';
  choices: Choice[];
  smsNumber?: string;
}

/**
 * Connecting a visitor with admissions: call now (tap-to-call; the number as
 * text on SMS), a callback request (first name, US phone in E.164, best time,
 * explicit consent), or a live chat when staff are online. The request is
 * committed before the visitor is told it was received; the visitor gets a
 * reference number. Interruptions (crisis, cancel, help) are the bot pipeline's.
 */
export class HandoffDialog extends ComponentDialog {
  /** knowledge/handoff.yaml offerWords, compiled once. */
  private readonly offerWords: Record<'callback' | 'live' | 'later' | 'call', RegExp>;

  constructor(private readonly deps: HandoffDialogDeps) {
    super(HANDOFF_DIALOG);
    const w = deps.content.offerWords;
    const whole = (source: string) => new RegExp(`\\b(?:${source})\\b`);
    this.offerWords = { callback: whole(w.callback), live: whole(w.live), later: whole(w.later), call: whole(w.call) };
    this.addDialog(new AnswerPrompt(OFFER, (p) => this.validate(p)));
    this.addDialog(new AnswerPrompt(NAME, (p) => this.validate(p)));
    this.addDialog(new AnswerPrompt(PHONE, (p) => this.validate(p)));
    this.addDialog(new AnswerPrompt(TIME, (p) => this.validate(p)));
    this.addDialog(new AnswerPrompt(CONSENT, (p) => this.validate(p)));
    this.addDialog(new AnswerPrompt(SHARE, (p) => this.validate(p)));
    this.addDialog(
      new WaterfallDialog(FLOW, [
        (s) => this.offer(s),
        (s) => this.afterOffer(s),
        (s) => this.afterName(s),
        (s) => this.afterPhone(s),
        (s) => this.afterTime(s),
        (s) => this.finish(s),
        (s) => this.afterShare(s),
      ]),
    );
    // The phone number: on SMS, "this number?" first; "a different number" asks for one.
    this.addDialog(new WaterfallDialog(PHONE_FLOW, [(s) => this.phoneFirst(s), (s) => this.phoneThen(s), (s) => s.endDialog(s.result)]));
    this.initialDialogId = FLOW;
  }

  private t(template: string, values: Record<string, string | undefined> = {}): string {
    return fill(template, { admissions: this.deps.admissions, ...values });
  }

  private async say(step: WaterfallStepContext, reply: Reply): Promise<void> {
    await step.context.sendActivities(renderFor(step.context, reply));
  }

  private ask(step: WaterfallStepContext, id: string, reply: Reply, retryText: string, options: PromptOptions): Promise<DialogTurnResult> {
    return step.prompt(id, promptOptions(reply, { ...reply, text: retryText }, step.context, options));
  }

  private async offer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as HandoffOptions;
    vals(step).options = options;
    if (options.callback) return step.next('callback');
    const o = this.deps.content.offer;
    const choices: Choice[] = [
      { label: o.callback, value: o.callback },
      ...(options.live ? [{ label: o.live, value: o.live }] : []),
      { label: o.notNow, value: o.notNow },
    ];
    // 911 and 988 with the offer only where the conversation raised a risk; a referrer asking for a person is not told to call 911.
    const text = this.t(options.flagged ? `${o.text} ${o.danger}` : o.text);
    const reply: Reply = { text, choices, links: [this.deps.callButton], tag: 'handoff:offer' };
    return this.ask(step, OFFER, reply, text, { kind: 'offer', choices });
  }

  private async afterOffer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = vals(step).options as HandoffOptions;
    const choice = step.result as string;
    const c = this.deps.content;
    if (choice === 'call') {
      await this.say(step, { text: this.t('Our admissions team is at {{admissions}}.'), links: [this.deps.callButton], tag: 'handoff:call' });
      return step.endDialog();
    }
    if (choice === 'live') {
      const request = await this.commit(step, { reason: options.reason, live: true, language: options.language });
      if (!request) return step.endDialog();
      await this.say(step, { text: this.t(c.live, { reference: request.reference }), links: [this.deps.callButton], tag: 'handoff:live' });
      return step.endDialog(request);
    }
    if (choice !== 'callback') {
      await this.say(step, { text: this.t(choice === GIVE_UP ? c.giveUp : c.notNow), links: [this.deps.callButton], tag: 'handoff:not-now' });
      return step.endDialog();
    }
    if (options.known?.name) return step.next(options.known.name);
    const ask = this.t(options.callback ? c.askNameDirect : c.askName);
    return this.ask(step, NAME, { text: ask, tag: 'handoff:name' }, this.t(c.askNameRetry), { kind: 'name', choices: [] });
  }

  private async afterName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === GIVE_UP) return this.giveUp(step);
    if (step.result === WITHDRAW) return this.withdraw(step, false);
    let given: string | undefined;
    if (typeof step.result === 'string' && step.result.startsWith(NAME_AND_PHONE)) {
      const both = JSON.parse(step.result.slice(NAME_AND_PHONE.length)) as { name: string; phone: string };
      vals(step).name = both.name;
      given = both.phone;
    } else {
      vals(step).name = step.result as string;
    }
    const options = vals(step).options as HandoffOptions;
    return step.beginDialog(PHONE_FLOW, { name: vals(step).name, smsNumber: options.smsNumber, given: given ?? options.known?.phone });
  }

  private async phoneFirst(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { name, smsNumber, given } = step.options as { name: string; smsNumber?: string; given?: string };
    const c = this.deps.content;
    if (given) return step.endDialog(given);
    if (!smsNumber) return this.askPhone(step, name);
    const choices = [
      { label: c.confirmSmsNumberYes, value: c.confirmSmsNumberYes },
      { label: c.confirmSmsNumberOther, value: c.confirmSmsNumberOther },
    ];
    const text = this.t(c.confirmSmsNumber, { name, phone: formatUsPhone(smsNumber) });
    return this.ask(step, PHONE, { text, choices, tag: 'handoff:confirm-number' }, this.t(c.askPhoneRetry), { kind: 'phone', choices, smsNumber });
  }

  private async phoneThen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== OTHER_NUMBER) return step.next(step.result);
    return this.askPhone(step, (step.options as { name: string }).name);
  }

  private async askPhone(step: WaterfallStepContext, name: string): Promise<DialogTurnResult> {
    const c = this.deps.content;
    // "text only" said earlier: the number they should text.
    const prefs = (await this.deps.preferences?.(step.context)) ?? [];
    const contact = prefs.includes('text-only') || prefs.includes('no-calls') ? 'text' : 'call';
    return this.ask(step, PHONE, { text: this.t(c.askPhone, { name, contact }), tag: 'handoff:phone' }, this.t(c.askPhoneRetry), { kind: 'phone', choices: [] });
  }

  private async afterPhone(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === WITHDRAW) return this.withdraw(step, true);
    if (step.result === GIVE_UP || step.result === OTHER_NUMBER || typeof step.result !== 'string') return this.giveUp(step);
    vals(step).phone = step.result;
    const c = this.deps.content;
    const known = (vals(step).options as HandoffOptions).known?.bestTime;
    if (known) return step.next(known);
    const choices = c.times.map((t) => ({ label: t, value: t }));
    return this.ask(step, TIME, { text: this.t(c.askTime), choices, tag: 'handoff:time' }, this.t(c.askTime), { kind: 'time', choices });
  }

  private async afterTime(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === GIVE_UP) return this.giveUp(step);
    if (step.result === WITHDRAW) return this.withdraw(step, true);
    vals(step).bestTime = step.result as string;
    const c = this.deps.content;
    const choices = [
      { label: c.consentYes, value: c.consentYes },
      { label: c.consentNo, value: c.consentNo },
    ];
    const prefs = (await this.deps.preferences?.(step.context)) ?? [];
    const how = prefs.includes('text-only') || prefs.includes('no-calls') ? 'text' : prefs.includes('no-texts') ? 'call' : 'call or text';
    vals(step).contact = how === 'text' ? 'text' : 'call';
    const text = this.t(c.consent, { phone: formatUsPhone(vals(step).phone as string), how });
    vals(step).consentText = text;
    return this.ask(step, CONSENT, { text, choices, tag: 'handoff:consent' }, text, { kind: 'consent', choices });
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.deps.content;
    if (step.result !== 'yes') {
      // Declined: nothing is kept, the number included.
      vals(step).phone = undefined;
      await this.say(step, { text: this.t(step.result === GIVE_UP ? c.giveUp : c.consentDeclined), links: [this.deps.callButton], tag: 'handoff:declined' });
      return step.endDialog();
    }
    const options = vals(step).options as HandoffOptions;
    const details: CallbackDetails = {
      reason: options.reason,
      name: vals(step).name as string,
      phone: vals(step).phone as string,
      bestTime: vals(step).bestTime as string,
      contactConsent: { text: vals(step).consentText as string, at: new Date().toISOString() },
      language: options.language,
    };
    const request = await this.commit(step, details);
    if (!request) return step.endDialog();
    const text = this.t(c.received, {
      name: details.name,
      reference: request.reference,
      phone: formatUsPhone(details.phone!),
      bestTime: details.bestTime!.toLowerCase(),
      contact: vals(step).contact ?? 'call',
    });
    await this.say(step, { text, links: [this.deps.callButton], tag: 'handoff:received' });
    // Filed first (a visitor who leaves now is still called back); then, if they wrote before, may admissions read it?
    const recent = (await this.deps.recent?.(step.context)) ?? [];
    if (!recent.length || !this.deps.attachExcerpt) return step.endDialog(request);
    vals(step).filed = { id: request.id, reference: request.reference };
    const choices = [
      { label: c.shareYes, value: c.shareYes },
      { label: c.shareNo, value: c.shareNo },
    ];
    return this.ask(step, SHARE, { text: c.share, choices, tag: 'handoff:share' }, c.share, { kind: 'share', choices });
  }

  /** Only a yes shares the last few messages: a no, or an answer still unclear, shares nothing. */
  private async afterShare(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const filed = vals(step).filed!;
    const c = this.deps.content;
    // Read now, not when asked: they are the visitor's messages before the callback steps either way.
    const excerpt = step.result === 'yes' ? [...((await this.deps.recent?.(step.context)) ?? [])] : [];
    const shared = excerpt.length > 0 && (await this.deps.attachExcerpt!(step.context, filed.id, excerpt).catch(() => false));
    await this.say(step, { text: this.t(shared ? c.shared : c.notShared), tag: shared ? 'handoff:shared' : 'handoff:not-shared' });
    return step.endDialog(filed);
  }

  /** Commit first; only a committed request is acknowledged. A failure gives the admissions line instead. */
  private async commit(step: WaterfallStepContext, details: CallbackDetails): Promise<HandoffRequest | undefined> {
    try {
      return await this.deps.createRequest(step.context, details);
    } catch {
      await this.say(step, { text: this.t(this.deps.content.failed), links: [this.deps.callButton], tag: 'handoff:failed' });
      return undefined;
    }
  }

  /** The visitor changed their mind: nothing is kept, and the way back is said (a number given is dropped too). */
  private async withdraw(step: WaterfallStepContext, hadNumber: boolean): Promise<DialogTurnResult> {
    vals(step).phone = undefined;
    const c = this.deps.content;
    await this.say(step, { text: this.t(hadNumber ? c.consentDeclined : c.notNow), links: [this.deps.callButton], tag: 'handoff:withdrawn' });
    return step.endDialog();
  }

  private async giveUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step, { text: this.t(this.deps.content.giveUp), links: [this.deps.callButton], tag: 'handoff:give-up' });
    return step.endDialog();
  }

  private async validate(p: PromptValidatorContext<string>): Promise<boolean> {
    const options = (p.options as { validations?: PromptOptions }).validations;
    const text = (p.recognized.value ?? '').trim();
    const value = options ? this.interpret(options, text) : null;
    if (value !== null) {
      p.recognized.value = value;
      return true;
    }
    if (p.attemptCount >= (options?.kind === 'share' ? SHARE_ATTEMPTS : MAX_ATTEMPTS)) {
      p.recognized.value = GIVE_UP;
      return true;
    }
    return false;
  }

  /** The prompt waiting for the visitor's answer in this dialog context, if the handoff is the active dialog. */
  static waiting(dc: DialogContext): PromptOptions | undefined {
    const inner = dc.activeDialog?.id === HANDOFF_DIALOG ? dc.child : undefined;
    const prompt = inner?.activeDialog;
    return (prompt?.state?.options as { validations?: PromptOptions } | undefined)?.validations;
  }

  /**
   * "my name is Dave, not Whatever", typed at a later step: the name on the request
   * changes. Returns the new name, or undefined when the flow has no name yet.
   */
  static correctName(dc: DialogContext, name: string): string | undefined {
    const inner = dc.activeDialog?.id === HANDOFF_DIALOG ? dc.child : undefined;
    const flow = inner?.stack.find((instance) => instance.id === FLOW);
    const values = (flow?.state as { values?: FlowValues } | undefined)?.values;
    if (!values?.name) return undefined;
    values.name = name;
    return name;
  }

  /** Would this text answer the step on screen? (Otherwise a question is a side question.) */
  accepts(dc: DialogContext, text: string): boolean {
    const options = HandoffDialog.waiting(dc);
    return options ? this.interpret(options, text.trim()) !== null : false;
  }

  /** What a reply means at each prompt, or null to re-ask. */
  interpret(options: PromptOptions, text: string): string | null {
    const n = basicNormalize(text);
    const picked = pickChoice(options.choices, text);
    const c = this.deps.content;
    // Changing one's mind, at any step but the offer (where it is "not now") and the consent (where it declines).
    const declining = WITHDRAWING.test(n) || ((options.kind === 'name' || options.kind === 'phone') && DECLINING.test(n));
    if (!picked && options.kind !== 'offer' && options.kind !== 'consent' && options.kind !== 'share' && declining && !/\d/.test(n)) return WITHDRAW;
    // At the name, "no" / "nope" is not a name: it is a no to giving one.
    if (options.kind === 'name' && isNegative(text)) return WITHDRAW;
    switch (options.kind) {
      case 'offer': {
        const words = this.offerWords;
        if (picked === c.offer.callback || words.callback.test(n)) return 'callback';
        if (picked === c.offer.live || words.live.test(n)) return 'live';
        if (picked === c.offer.notNow || isNegative(text) || WITHDRAWING.test(n) || DECLINING.test(n) || words.later.test(n)) return 'not-now';
        if (words.call.test(n)) return 'call';
        return null;
      }
      case 'name':
        // A second tap on an offer button ("Request a callback") is not a name.
        if (Object.values(c.offer).some((label) => basicNormalize(label) === n)) return null;
        // "what is iop", "can i stay anonymous": a question, not a name ("Will" on its own is a name).
        if (/^(?:what|whats|how|when|where|who|why|which|do|does|can|could|is|are|will|would|should)\s+\S/.test(n)) return null;
        {
          const name = extractFirstName(text);
          if (name) return name;
          const both = extractNameAndPhone(text);
          if (both) return NAME_AND_PHONE + JSON.stringify(both);
          // "this is Tom 617-555-0123, call after 6, no voicemail": what else came with it is read by the turn.
          const details = readCallbackDetails(text);
          return details.name && details.phone ? NAME_AND_PHONE + JSON.stringify({ name: details.name, phone: details.phone }) : null;
        }
      case 'phone': {
        if (options.smsNumber) {
          if (picked === c.confirmSmsNumberYes || isAffirmative(text) || /\b(?:this (?:one|number|phone|cell)|same|(?:im|i am) (?:texting|messaging|writing) (?:from|on)|(?:texting|messaging) (?:from|on) (?:this|now)|my cell|my phone)\b/.test(n)) return options.smsNumber;
          if (picked === c.confirmSmsNumberOther || isNegative(text) || /\b(?:different|another|other)\b/.test(n)) return OTHER_NUMBER;
        }
        // "617-555-0142 - text is better than a call": the number, with words around it.
        return parseUsPhone(text) ?? readCallbackDetails(text).phone ?? null;
      }
      case 'time':
        if (picked) return picked;
        // A phone number at the time step is not a time.
        if (parseUsPhone(text) || readCallbackDetails(text).phone) return null;
        // "no voicemail" at the time step is a preference (kept by the turn), not a time.
        if (readContactPreferences(text).length && !readCallbackDetails(text).bestTime) return null;
        // A time said with other words ("i said evenings", "asleep till 1pm, so after 2") is kept as the time alone;
        // any other short free answer ("tuesday morning") is kept as typed.
        {
          const time = readCallbackDetails(text.replace(/^\s*(?:(?:like\s+)?i\s+(?:said|told you|already said)|as i said|i meant)[,:\s]+/i, '')).bestTime;
          if (time) return time;
        }
        return text.length > 0 && text.length <= 60 && !/\?\s*$/.test(text) ? text : null;
      case 'consent': {
        if (picked === c.consentNo) return 'no';
        if (picked === c.consentYes) return 'yes';
        // "yes, but please don't text" is a yes with a condition (the turn keeps the condition).
        const read = readConsentAnswer(text);
        if (read.answer) return read.answer;
        if (read.preferences.length) return null;
        // "no", "don't text me", "not ok" decline; only then is a yes read.
        if (picked === c.consentNo || isNegative(text) || WITHDRAWING.test(n) || /\b(?:don t|dont|do not|not|never)\b/.test(n)) return 'no';
        if (picked === c.consentYes || isAffirmative(text) || /\b(?:ok|okay|sure|fine|go ahead|yes)\b/.test(n)) return 'yes';
        return null;
      }
      case 'share':
        // The same yes and no as the consent; a tapped button or its number first.
        if (picked === c.shareNo) return 'no';
        if (picked === c.shareYes) return 'yes';
        if (isNegative(text) || WITHDRAWING.test(n) || DECLINING.test(n) || /\b(?:don t|dont|do not|not|never)\b/.test(n)) return 'no';
        if (isAffirmative(text) || /\b(?:ok|okay|sure|fine|go ahead|yes|share)\b/.test(n)) return 'yes';
        return null;
    }
  }
}

/** What the flow collects between its steps. */
interface FlowValues {
  options?: HandoffOptions;
  name?: string;
  phone?: string;
  bestTime?: string;
  consentText?: string;
  /** "call", or "text" when the visitor asked for texts only. */
  contact?: string;
  /** The request filed, while the visitor is asked whether to share their last messages. */
  filed?: { id: string; reference: string };
}
const vals = (step: WaterfallStepContext): FlowValues => step.values as FlowValues;

/** A tapped label, or its number typed on SMS ("2"). */
function pickChoice(choices: Choice[], text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const digit = /^(\d{1,2})[.)]?$/.exec(t);
  if (digit) return choices[Number(digit[1]) - 1]?.value;
  return choices.find((c) => c.label.toLowerCase() === t || c.value.toLowerCase() === t)?.value;
}
