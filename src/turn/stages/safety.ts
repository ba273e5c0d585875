import { HandoffDialog } from '../../../dialogs/handoffDialog';
import { ScreeningDialog } from '../../../dialogs/screeningDialog';
import { actsAt, actsOf } from '../../core/understanding/acts';
import { denialText } from '../../core/understanding/understand';
import type { CrisisSignal } from '../../core/safety/crisis';
import { whoIsAtRisk } from '../../core/safety/followUps';
import { CRISIS_QUIET_MS } from './checkIn';
import { basicNormalize } from '../../core/text/normalize';
import type { TurnActions } from '../actions';
import { answerBesideSafety } from './answer';
import { SAFETY_READ_CHARS, screeningRunning, type Stage, type Turn } from '../turn';

/**
 * Safety first: every message, every state, before anything else. A risk signal
 * gets the crisis reply of its tier, and the next message is read against the
 * check-in ("Are you safe right now?"); a screening under way is paused.
 *
 * The signal is read with the message's acts: words of risk inside a denial ("hes
 * not suicidal, hes not overdosing") raise nothing unless risk remains once the
 * denial is set aside; the classifier's guess alone (no pattern matched) raises
 * nothing when what is left of the message, once the parts that plainly do
 * something else are set aside, raises nothing.
 */
export const safety =
  (a: TurnActions): Stage =>
  async (t) => {
    const { crisis, logger, live } = a.deps;
    const detected = crisis.detect(t.text.slice(0, SAFETY_READ_CHARS));
    if (!detected) return concern(a, t);
    // A Spanish conversation is answered in Spanish, even when the message itself says little ("988?", "overdose").
    const signal: CrisisSignal = t.data.language === 'es' ? { ...detected, language: 'es' } : detected;
    if (await ordinary(a, t, signal)) return;
    const fear = feared(a, t, signal);
    // Someday ("im scared he'll overdose one day"): a concern, the answer with one safety line. Soon ("tonight"): the risk of using again.
    if (fear === 'someday') return concern(a, t, signal);
    if (signal.kind === 'withdrawal' || fear === 'soon' || (await toldAtWithdrawalQuestion(a, t, signal))) return withdrawal(a, t, { ...signal, kind: 'withdrawal' });
    // "the ambulance took him", "were on with 911": help is there; the check-in stage acknowledges it, no "call 911 now" again.
    if (t.data.expectation?.kind === 'check-in' && a.followUps.reachingOut(basicNormalize(t.text))) return;
    if (aftermath(a, t, signal)) return;
    t.u.acts.push({ act: 'risk', signal });
    // What matched (a pattern id, a score) says much about what was written: debug only, never at info or above.
    logger.warn({ ...t.where, event: 'crisis', kind: signal.kind, screening: t.top === 'screening' }, 'crisis signal');
    logger.debug({ ...t.where, event: 'crisis-evidence', evidence: signal.evidence }, 'crisis signal evidence');
    const gentle = signal.evidence.startsWith('classifier:');
    const previous = t.data.expectation;
    // The same crisis paragraph twice in a row reads as not listening: the second time, shorter, with other ways to reach help.
    // Only for thoughts of suicide: an overdose or a withdrawal emergency needs its instructions again, in full.
    const again = signal.kind === 'suicide' && previous?.kind === 'check-in' && previous.crisis === signal.kind && Boolean(previous.gentle) === gentle;
    // Who is at risk is read where the risk is said: "my wife left me. i dont see the point anymore" is the visitor's own.
    const riskParts = t.u.parts.length > 1 ? t.u.parts.filter((p) => crisis.detect(p.text)).map((p) => p.normalized) : [];
    // Violence: whoever is named is the threat, and the one to ask "are you safe?" is the visitor ("my dad threw a chair").
    const about = signal.kind === 'violence' ? 'self' : whoIsAtRisk(a.phrases, riskParts, t.u.normalized || basicNormalize(t.text));
    t.data.expectation = { kind: 'check-in', crisis: signal.kind, language: signal.language, asked: false, gentle, about, since: Date.now() };
    t.data.flagged = { kind: signal.kind, at: Date.now() };
    if (screeningRunning(t)) t.data.screeningPaused = true;
    const template = crisis.response(signal);
    // Someone else's thoughts of suicide: said to the worried person (911 for them, 988 for advice), not "I'm sorry you're hurting".
    const full = signal.kind === 'suicide' && about === 'other' ? { ...template, text: a.followUps.file.aboutSomeoneElse.suicide[signal.language].trim() } : template;
    const response = again ? { ...full, text: a.followUps.file.stillHere[signal.language].trim(), tag: 'crisis:still-here' } : full;
    await live?.noteCrisis(t.context, t.text, response.text);
    await a.escalateQueued(t.context, signal.kind);
    t.reply.add('safety', response);
    a.deps.metrics?.count({ kind: 'crisis', tier: signal.kind });
    // The question asked alongside is answered after the safety text, never dropped.
    answerBesideSafety(a, t);
    return 'done';
  };

/**
 * The same crisis told again as its aftermath, soon after the reply ("ambulance took him hes ok
 * they gave him narcan", "hes at the hospital now", "what treatment after an overdose?"): help is
 * there, so no "call 911 now" again. Said once that help being there is the
 * right step (when it says so), and the rest of the message is answered as usual.
 */
function aftermath(a: TurnActions, t: Turn, signal: CrisisSignal): boolean {
  const last = t.data.flagged;
  if (!last || last.kind !== signal.kind || Date.now() - last.at > CRISIS_QUIET_MS) return false;
  const n = t.u.normalized || basicNormalize(t.text);
  const helpThere = a.followUps.reachingOut(n);
  // Only help being there, or the crisis word alone ("after an overdose"): "hes ok. he took more" still alarms.
  if (!helpThere && !WORD_ONLY.has(signal.evidence)) return false;
  if (helpThere) {
    const language = signal.language;
    t.reply.add('ack', { text: a.followUps.file.reachingOut.reply[language].trim(), links: [{ label: language === 'es' ? 'Llamar al 988' : 'Call 988', uri: 'tel:988' }], tag: 'crisis:reaching-out' });
  }
  if (t.data.expectation?.kind === 'check-in') t.data.expectation = undefined;
  return true;
}

/** Said again after this long: a conversation about the shakes gets the guidance once, not on every message. */
const WITHDRAWAL_REPEAT_MS = 30 * 60_000;
/** The concern line at most this often. */
const CONCERN_REPEAT_MS = 30 * 60_000;

/**
 * Withdrawal risk, not an emergency now ("quitting a fifth a day cold turkey", "dope
 * sick", "got out of detox and want to use"): the guidance (a doctor or admissions
 * before stopping, detox by referral, 911 for the severe signs), then the rest of the
 * turn as usual. No "are you safe right now?", and a screening goes on: at its
 * withdrawal question, "the shakes every morning" is an answer, with the guidance above it.
 */
async function withdrawal(a: TurnActions, t: Turn, signal: CrisisSignal): Promise<undefined> {
  const now = Date.now();
  t.data.flagged = { kind: signal.kind, at: now };
  a.deps.logger.warn({ ...t.where, event: 'crisis', kind: signal.kind, screening: t.top === 'screening' }, 'withdrawal risk');
  a.deps.metrics?.count({ kind: 'crisis', tier: signal.kind });
  if (t.data.withdrawalWarned && now - t.data.withdrawalWarned < WITHDRAWAL_REPEAT_MS) {
    // Said a moment ago: a short reminder, never "I don't have information" to someone describing withdrawal.
    t.reply.add('safety', { text: a.followUps.file.withdrawalAgain[signal.language].trim(), links: [{ label: signal.language === 'es' ? 'Llamar a GBAC' : 'Call GBAC admissions', uri: 'tel:+18779206583' }], tag: 'crisis:withdrawal-again' });
    return undefined;
  }
  t.data.withdrawalWarned = now;
  await a.escalateQueued(t.context, signal.kind);
  t.reply.add('safety', a.deps.crisis.response(signal));
  return undefined;
}

/**
 * A concern without a crisis ("I'm scared he'll overdose one day", "she OD'd last
 * year"): the turn goes on as usual, with one safety line under the answer.
 */
function concern(a: TurnActions, t: Turn, feared?: CrisisSignal): undefined {
  const now = Date.now();
  if (t.data.expectation?.kind === 'check-in') return undefined;
  if (t.data.concernNoted && now - t.data.concernNoted < CONCERN_REPEAT_MS) return undefined;
  const found = feared ?? a.deps.crisis.concern(t.text.slice(0, SAFETY_READ_CHARS));
  if (!found) return undefined;
  t.data.concernNoted = now;
  t.reply.add('note', { text: a.deps.crisis.concernLine(t.data.language === 'es' ? 'es' : found.language), tag: 'safety:concern' });
  return undefined;
}

/** Under this many words, the classifier's guess alone must reach SHORT_MESSAGE_BAR. */
const SHORT_MESSAGE_WORDS = 6;
const SHORT_MESSAGE_BAR = 0.95;
/**
 * In Spanish the classifier has far fewer ordinary messages to learn from than crisis ones, so
 * ordinary worry ("ya no sé qué hacer", "no vive conmigo") scored 0.76–0.85. The patterns catch 238 of
 * the 244 Spanish crises of the blind sets; the classifier alone caught the other 6, each at 0.93 or more.
 */
const SPANISH_CLASSIFIER_BAR = 0.9;

/** Patterns that match the word itself (any mention): beside a denial, a mention is not a risk. */
const WORD_ONLY = new Set(['sui-word', 'od-word']);

/**
 * Is this signal a false alarm, read with what the message does? Only what is
 * explained otherwise is set aside, and the rest is checked again: a denial ("no
 * one is suicidal"), a question the guide answers ("is there an after-work
 * option?"), a short answer to the step on screen ("Mike", "every day").
 */
async function ordinary(a: TurnActions, t: Turn, signal: CrisisSignal): Promise<boolean> {
  const { crisis } = a.deps;
  if (actsOf(t.u, 'deny').some((d) => d.what === 'risk')) {
    // "no one is suicidal. i just asked if its private": the denial set aside, is any risk left?
    // Read as the denials are ("no, me quiero morir" keeps its risk).
    const rest = a.phrases.denials.risk.strip(denialText(t.text.slice(0, SAFETY_READ_CHARS)));
    const left = crisis.detect(rest);
    // What is left only names the word ("why do you keep giving me the suicide line?? nobody is suicidal"): no risk either.
    if (!left || WORD_ONLY.has(left.evidence)) return true;
  }
  // The patterns are never second-guessed beyond a denial; the classifier's guess is.
  if (!signal.evidence.startsWith('classifier:')) return false;
  // "can you delete this convo, i dont want anything saved": a privacy request, not a cry for help.
  if (actsOf(t.u, 'request').some((r) => r.command === 'forget-me')) return true;
  // A few words give the classifier little to go on ("dana. i just said" scored 0.90): alone, outside a crisis
  // conversation, it must be nearly certain. Every classifier-only crisis of the blind sets has 6 words or more.
  const words = t.text.trim().split(/\s+/).length;
  const score = Number(signal.evidence.slice('classifier:'.length));
  if (words < SHORT_MESSAGE_WORDS && score < SHORT_MESSAGE_BAR && t.data.expectation?.kind !== 'check-in') return true;
  if (signal.language === 'es' && score < SPANISH_CLASSIFIER_BAR && t.data.expectation?.kind !== 'check-in') return true;
  const explained = (i: number): boolean => {
    const p = t.u.parts[i]!;
    const acts = actsAt(t.u, i);
    if (acts.some((x) => x.act === 'deny' || x.act === 'smalltalk' || x.act === 'request')) return true;
    return p.interrogative && a.answerable(p.text);
  };
  // Only a message explained throughout: a fragment checked alone can lose the signal of the whole.
  const rest = t.u.parts.filter((_, i) => !explained(i)).map((p) => p.text);
  if (!rest.length) return true;
  return rest.length === 1 && t.u.parts.length === 1 && (await answersStep(a, t, rest[0]!));
}

/**
 * An overdose feared, not happening ("im scared she'll use and OD tonight", "what if he overdoses"):
 * the risk of using again, whose reply says don't use alone and keep naloxone close, not "call 911
 * now". Any sign of it happening now keeps the emergency; thoughts of suicide are never this.
 */
function feared(a: TurnActions, t: Turn, signal: CrisisSignal): 'someday' | 'soon' | undefined {
  if (signal.kind !== 'overdose' && !(signal.kind === 'suicide' && /overdose/.test(signal.evidence))) return undefined;
  const n = t.u.normalized || basicNormalize(t.text);
  // The visitor's own intent (meta.riskSelf: "i want to die", "ill end it") is never a fear.
  if (!a.phrases.meta.feared.test(n) || a.phrases.meta.presentDanger.test(n) || a.phrases.meta.riskSelf.test(n)) return undefined;
  return SOON.test(n) ? 'soon' : 'someday';
}

/** A feared overdose close at hand: the risk of using again tonight, with its naloxone advice. */
const SOON = /\b(?:tonight|today|this weekend|right after|when (?:he|she|they) gets? out|(?:has|got|have) (?:some )?(?:stuff|dope|pills|it) on|esta noche|hoy)\b/;

/** The screening's questions about stopping: a past seizure told there is an answer (withdrawal: yes), not an emergency now. */
const WITHDRAWAL_QUESTIONS = new Set(['withdrawal', 'medical']);

/**
 * A withdrawal emergency told as what happened before, or might happen, when the
 * person stops ("when i ran out i was shaking, scared i'd have a seizure"), in
 * answer to the screening's withdrawal question: the withdrawal guidance (detox
 * first) and the answer recorded, not "call 911 now".
 */
async function toldAtWithdrawalQuestion(a: TurnActions, t: Turn, signal: CrisisSignal): Promise<boolean> {
  if (signal.kind !== 'withdrawal-emergency' || !screeningRunning(t)) return false;
  const current = ScreeningDialog.progress(await t.dialogs())?.current;
  return Boolean(current && WITHDRAWAL_QUESTIONS.has(current)) && a.phrases.meta.withdrawalHistory.test(t.u.normalized || basicNormalize(t.text));
}

/** Does a short text answer the step on screen (a name, a number, a screening choice)? */
async function answersStep(a: TurnActions, t: Turn, text: string): Promise<boolean> {
  if (text.split(/\s+/).length > 8) return false;
  if (t.top === 'handoff' && a.handoffDialog) {
    const dc = await t.dialogs();
    return HandoffDialog.waiting(dc)?.kind !== 'time' && a.handoffDialog.accepts(dc, text);
  }
  if (screeningRunning(t)) {
    const dc = await t.dialogs();
    return a.screeningDialog.isAnswer(ScreeningDialog.progress(dc), text);
  }
  return false;
}
