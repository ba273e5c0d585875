import { ScreeningDialog, type ScreeningProgress } from '../../../dialogs/screeningDialog';
import { actsAt, actsOf, answered, has } from '../../core/understanding/acts';
import { basicNormalize } from '../../core/text/normalize';
import type { Screening } from '../../core/screening/screening';
import type { TurnActions } from '../actions';
import { screeningRunning, type Stage, type Turn } from '../turn';
import { answerSideQuestions } from './handoffStep';

/** Statements about oneself are answers in one's own words, for the dialog to read or clarify. */
const ABOUT_ONESELF = /^(?:i|im|ive|id|my|me|we|weve|our|he|hes|she|shes|they|theyve|yes|yeah|yep|ya|no|nah|nope)\b/;

/**
 * A screening question waits. The part that answers it goes to the screening; a
 * question beside it is answered first ("every day… how many more questions" keeps
 * both); "why do you need to know?" is explained; a correction of an earlier answer
 * ("I said nah to withdrawal") changes that answer; then the question on screen again.
 */
export const screeningStep =
  (a: TurnActions): Stage =>
  async (t) => {
    if (!screeningRunning(t)) return;
    const dc = await t.dialogs();
    const progress = ScreeningDialog.progress(dc);
    const sd = a.screeningDialog;
    const screening = a.deps.screening;
    t.data.screeningAt = Date.now();
    const remaining = t.u.parts.filter((p) => a.phrases.meta.remaining.test(p.normalized));
    // "mostly?", "maybe a few times a week?": an answer said as a question; "does that count?", "is that bad?": a
    // question about the answer itself. Neither is a side question for admissions ("I don't have that information").
    const aboutTheAnswer = (i: number) => {
      const p = t.u.parts[i]!;
      const words = p.normalized.split(' ').length;
      // A word or two with a question mark ("mostly?", "like daily?") is a try at an answer, asked again with its choices.
      // A hedged answer said as a question ("maybe few times a week?") is an answer; "are there evening groups?" is a question.
      const hedged = /^(?:maybe|like|probably|prob|i guess|i think|um|uh|idk|i dunno|not sure|kinda|kind of|sort of)\b/.test(p.normalized);
      return words <= 2 || (hedged && sd.isAnswer(progress, p.text.replace(/\?/g, ''))) || (words <= 6 && ABOUT_THE_ANSWER.test(p.normalized));
    };
    const asking = (i: number) => actsAt(t.u, i).some((x) => x.act === 'question') && !remaining.includes(t.u.parts[i]!) && !aboutTheAnswer(i);
    const answers = t.u.parts.filter((p, i) => !asking(i) && !remaining.includes(p) && sd.isAnswer(progress, p.text.replace(/\?/g, '')));
    // "are there evening groups?" names a choice but is a question, not an answer.
    const questions = t.u.parts.filter((_, i) => asking(i));

    // At the consent, "it's not me, it's my son": the questions turn to them, asked once more in a few words (the dialog still waits for the yes).
    if (!progress?.current && !sd.isAnswer(progress, t.said) && (a.phrases.meta.answeringForOther.test(t.u.normalized) || a.phrases.meta.someoneElseUsing.test(t.u.normalized))) {
      t.data.answeringForOther = true;
      t.reply.add('pending', a.deps.responder.message('consentForOther'));
      return 'done';
    }
    // "where were we": the question on screen again, not our location.
    if (a.phrases.meta.whereWereWe.test(t.u.normalized)) return reprompt(a, t);
    if (progress && actsOf(t.u, 'deny').some((d) => d.what === 'said') && correct(screening, progress, t.said)) {
      t.reply.add('ack', a.deps.responder.message('answerCorrected'));
      return reprompt(a, t);
    }
    if (remaining.length && progress) {
      const left = screening.questions.filter((q) => screening.applies(q, progress.answers) && progress.answers[q.id] === undefined).length;
      t.reply.add('ack', a.message('screeningRemaining', { count: String(Math.max(left, 1)) }));
    }
    if (answered(t.u, 'refuse') && !answers.length && !questions.length) {
      t.reply.add('ack', a.deps.responder.message('screeningSkip'));
      return reprompt(a, t);
    }
    if (answered(t.u, 'why') && !answers.length) {
      t.reply.add('ack', a.deps.responder.message('screeningWhy'));
      return reprompt(a, t);
    }
    // The whole message answers ("yes, every day"): the screening reads it whole, as before.
    if (!questions.length && sd.isAnswer(progress, t.said)) return a.answerStep(t, t.said);
    const answeredNow = await answerSideQuestions(a, t, questions.map((q) => q.text), a.deps.responder.message('sideQuestion').text);
    if (answers.length) {
      // A statement beside the answer and the question may answer later questions ("every day. she gets the shakes. how long is iop?").
      const told = t.u.parts.filter((p) => !answers.includes(p) && !questions.includes(p) && !remaining.includes(p));
      if (progress?.current) note(a, t, progress, told.map((p) => p.text).join('. '));
      return a.answerStep(t, answers.map((p) => p.text).join('. '));
    }
    if (questions.length || remaining.length) return reprompt(a, t, answeredNow > 0);
    // Not an answer to the question on screen, but to later ones ("she gets sick and sweaty if she runs out" to "how often?"): noted, and the question asked again.
    if (progress?.current && note(a, t, progress, t.said)) return reprompt(a, t);
    // Not an answer and not a question: a question typed like a statement ("insurance") is answered if the guide can.
    if (!ABOUT_ONESELF.test(basicNormalize(t.said)) && (await answerSideQuestions(a, t, [t.said], '')) > 0) return reprompt(a, t, true);
    if (has(t.u, 'feeling') && !has(t.u, 'answer')) {
      t.reply.add('ack', a.deps.responder.message('feelingAck'));
      return reprompt(a, t);
    }
    // A story that answers nothing ("nvm she was nodding off at red lights"): heard, then the question again, never "didn't catch that".
    if (t.said.split(/\s+/).length >= 7 && !has(t.u, 'answer')) {
      t.reply.add('ack', a.deps.responder.message('disclosureAck'));
      return reprompt(a, t);
    }
    return a.answerStep(t, t.said);
  };

/** A short question about the answer just given: "does that count?", "is that bad?", "is that a lot?", "what counts as strong?". */
const ABOUT_THE_ANSWER = /\b(?:does|do|would|is|was|are) (?:that|this|it|those|these) (?:count|matter|bad|a lot|normal|enough|too much|serious|ok|okay|a problem|what you mean)\b|\bwhat counts as\b|\bdoes (?:that|this|it) mean\b/;

/** Later questions the text answers unasked are kept, and said back; true when there were any. */
function note(a: TurnActions, t: Turn, progress: ScreeningProgress, text: string): boolean {
  const kept = a.screeningDialog.keepUnasked(progress, text);
  const said = a.deps.screening.notedText(kept, progress.answers);
  if (said) t.reply.add('ack', { text: said, tag: 'screening:noted' });
  return Boolean(said);
}

async function reprompt(a: TurnActions, t: Turn, resumed = false): Promise<'done'> {
  if (resumed) t.reply.add('pending', { text: a.deps.screening.file.resumed, tag: 'screening:resumed' });
  await a.flush(t);
  await (await t.dialogs()).repromptDialog();
  return 'done';
}

/**
 * "I said nah to withdrawal": an earlier answer named by its topic, read again from
 * the rest of the message. Returns true when an answer changed.
 */
function correct(screening: Screening, progress: ScreeningProgress, said: string): boolean {
  const text = basicNormalize(said);
  for (const id of [...progress.order].reverse()) {
    const q = screening.question(id);
    if (!q) continue;
    const names = [q.id.replace(/-/g, ' '), q.dimension, ...q.topics].map(basicNormalize).filter(Boolean);
    const named = names.find((n) => new RegExp(`\\b${n}\\w*`).test(text));
    if (!named) continue;
    const rest = text.replace(new RegExp(`\\b${named}\\w*`, 'g'), ' ').replace(/\b(?:i|we)\s+(?:said|told you|meant|answered)\b|\b(?:to|about|for|the|on|wait|actually|sorry|oops|hold on|um|uh|my bad)\b/g, ' ');
    const value = screening.parseAnswer(q, rest);
    if (value === null || value === progress.answers[id]) continue;
    progress.answers[id] = value;
    // Later answers this one makes moot are dropped, to be asked afresh if needed.
    for (const other of screening.questions) {
      if (progress.answers[other.id] !== undefined && !screening.applies(other, progress.answers)) {
        delete progress.answers[other.id];
        progress.order = progress.order.filter((x) => x !== other.id);
      }
    }
    return true;
  }
  return false;
}
