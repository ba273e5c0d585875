import { readCheckIn } from '../../core/conversation/expectation';
import { actsOf, has } from '../../core/understanding/acts';
import type { CrisisKind } from '../../core/safety/crisis';
import type { Reply } from '../../core/reply';
import type { TurnActions } from '../actions';
import { answerBesideSafety } from './answer';
import type { Stage, Turn } from '../turn';

/** A crisis episode with no message for this long is over: the next message is read as a new conversation would be. */
export const CRISIS_QUIET_MS = 30 * 60_000;

type CheckIn = Extract<NonNullable<Turn['data']['expectation']>, { kind: 'check-in' }>;

/**
 * The turns after a crisis reply, read against "Are you safe right now?" (a crisis
 * episode). Safe ("yes I'm safe", "im not suicidal", "it's about my son") is
 * acknowledged once, and a question asked with it is answered. Not safe ("no", "idk.
 * prob not", "i need help now") gets the guidance again once, then shorter: the
 * numbers, never the question again. Anything else is handled on its own merits;
 * the question is asked once, after the answer, and never twice in an episode.
 * While the answer is unclear the episode stays open (no screening, no offers); it
 * ends when the visitor is clearly safe, asks something else after answering, or
 * after 30 minutes of quiet.
 */
export const checkIn =
  (a: TurnActions): Stage =>
  async (t) => {
    const e = t.data.expectation;
    if (e?.kind !== 'check-in') return;
    if (e.since !== undefined && Date.now() - e.since > CRISIS_QUIET_MS) {
      t.data.expectation = undefined;
      return;
    }
    const asksMore = has(t.u, 'question') || has(t.u, 'request');
    if (a.followUps.reachingOut(t.u.normalized)) {
      // "ok ill text 988": a step toward help, not an "I'm safe".
      t.data.expectation = undefined;
      t.reply.add('ack', { text: a.followUps.file.reachingOut.reply[e.language].trim(), links: [{ label: e.language === 'es' ? 'Llamar al 988' : 'Call 988', uri: 'tel:988' }], tag: 'crisis:reaching-out' });
      return asksMore ? undefined : 'done';
    }
    if (e.about === 'other' && a.followUps.aboutMe(t.u.normalized)) {
      // "not them. me.": the risk is the visitor's own; said to them now, with the question about them.
      t.data.expectation = { ...e, about: 'self', asked: true };
      const own = a.deps.crisis.response({ kind: e.crisis as CrisisKind, evidence: 'follow-up', language: e.language });
      t.reply.add('safety', own);
      t.reply.add('pending', a.deps.crisis.checkIn(e.language));
      return 'done';
    }
    const read = readCheckIn(t.u, a.phrases);
    // About someone else, "ok" or "thanks" is not "they're safe": only words about them are, or the risk denied ("no se quiere matar").
    const aboutThem = actsOf(t.u, 'deny').some((d) => d.what === 'risk') || a.phrases.meta.riskOther.test(t.u.normalized) || a.phrases.safeWithin.test(t.u.normalized) || /\b(?:safe|a salvo)\b/.test(t.u.normalized);
    const reading = read === 'safe' && e.about === 'other' && !aboutThem ? 'other' : read;
    if (reading === 'unsafe') return notSafe(a, t, e);
    if (reading === 'safe') return safe(a, t, e, asksMore);
    // Asking for a person, or to be forgotten, is done at once: the offer of a person repeats 911 and 988
    // (and the request is crisis priority), and the check-in would swallow the request.
    if (actsOf(t.u, 'request').some((r) => r.command === 'talk-to-person' || r.command === 'forget-me')) {
      t.data.expectation = undefined;
      return;
    }
    // "Thank you dear. Goodnight.": a warm goodbye with the numbers, and the episode ends (never "call 911 now").
    const small = actsOf(t.u, 'smalltalk').map((x) => x.what);
    if (!asksMore && !has(t.u, 'feeling') && (small.includes('bye') || small.includes('thanks'))) {
      t.data.expectation = undefined;
      t.reply.add('safety', { text: a.followUps.file.goodbye[e.language].trim(), links: [{ label: e.language === 'es' ? 'Llamar al 988' : 'Call 988', uri: 'tel:988' }], tag: 'crisis:goodbye' });
      return 'done';
    }
    if (e.unsafe && asksMore) {
      // Answered already, and now something else is asked: the episode is over, the question is answered.
      t.data.expectation = undefined;
      return;
    }
    if (!e.asked) {
      t.data.expectation = { ...e, asked: true };
      if (asksMore || has(t.u, 'feeling')) {
        // The question first, then "are you safe right now?".
        t.reply.add('pending', askAgain(a, e));
        return;
      }
      t.reply.add('safety', askAgain(a, e));
      return 'done';
    }
    // Asked already and still unclear: the episode stays open (no screening, no offers). A question is answered;
    // anything else gets a short word that help is there, once: after it, ordinary talk is answered as it comes.
    if (asksMore || has(t.u, 'feeling') || e.nudged) return;
    t.data.expectation = { ...e, nudged: true };
    t.reply.add('safety', shortWord(a, e));
    return 'done';
  };

/** "Are you safe right now?", or about the person the visitor worries about. */
function askAgain(a: TurnActions, e: CheckIn): Reply {
  const other = e.about === 'other' ? a.followUps.file.aboutSomeoneElse.checkIn[e.language] : undefined;
  return other ? { text: other.text, choices: other.choices.map((c) => ({ ...c })), tag: 'crisis:check-in-other' } : a.deps.crisis.checkIn(e.language);
}

/** Help is there, in a few words and without a question: "I'm still here" (for thoughts of suicide), or the numbers. */
function shortWord(a: TurnActions, e: CheckIn, still = e.crisis === 'suicide' && e.about !== 'other'): Reply {
  const text = (still ? a.followUps.file.stillHere : a.followUps.file.callNow)[e.language].trim();
  return { text, links: [{ label: e.language === 'es' ? 'Llamar al 911' : 'Call 911', uri: 'tel:911' }, { label: e.language === 'es' ? 'Llamar al 988' : 'Call 988', uri: 'tel:988' }], tag: still ? 'crisis:still-here' : 'crisis:call-now' };
}

/**
 * Not safe: the first time, an emergency's guidance again (the overdose steps, why 911),
 * or the full reply after the gentler one; after that, or for thoughts of suicide, the short word (alternating "I'm still here"
 * and the numbers), never the question again.
 */
function notSafe(a: TurnActions, t: Turn, e: CheckIn): 'done' {
  const times = (e.unsafe ?? 0) + 1;
  t.data.expectation = { ...e, asked: true, unsafe: times };
  const suicide = e.crisis === 'suicide';
  // After the gentler reply (the classifier's guess), the full reply of the kind is news, not a repeat.
  if (times === 1 && (!suicide || e.gentle)) {
    const full = a.deps.crisis.response({ kind: e.crisis as CrisisKind, evidence: 'follow-up', language: e.language });
    const other = suicide && e.about === 'other' ? a.followUps.file.aboutSomeoneElse.suicide[e.language].trim() : undefined;
    t.reply.add('safety', other ? { ...full, text: other } : full);
  }
  else t.reply.add('safety', shortWord(a, e, suicide && e.about !== 'other' && times % 2 === 1));
  // "no. what do i do, he wont wake up": a question asked with it is answered under the guidance.
  answerBesideSafety(a, t);
  return 'done';
}

/** Safe: acknowledged once; the question asked with it is answered; a person is offered, never forced. */
async function safe(a: TurnActions, t: Turn, e: CheckIn, asksMore: boolean): Promise<'done' | undefined> {
  const { crisis } = a.deps;
  t.data.expectation = undefined;
  const other = e.about === 'other' ? a.followUps.file.aboutSomeoneElse : undefined;
  const ack = other ? { ...crisis.safeAcknowledgement(e.language), text: other.safe[e.language].trim() } : crisis.safeAcknowledgement(e.language);
  if (asksMore) {
    // The question asked alongside is answered next; the acknowledgement comes first.
    t.reply.add('ack', { ...ack, choices: undefined });
    return undefined;
  }
  const person = { label: e.language === 'es' ? 'Hablar con una persona' : 'Talk to a person', value: 'talk to a person' };
  const offered = { ...ack, choices: [...(ack.choices ?? []), person] };
  if (t.top === 'screening' && t.data.screeningPaused) {
    t.reply.add('ack', {
      ...offered,
      text: `${offered.text}\n\n${a.deps.screening.file.paused}`,
      choices: [{ label: 'Continue screening', value: 'continue screening' }, ...(offered.choices ?? [])],
    });
  } else if (t.top === 'handoff') {
    // Mid-callback: the step that was waiting is asked again (its own choices replace the offer of a person).
    t.reply.add('ack', { ...ack, choices: undefined });
    await a.flush(t);
    await (await t.dialogs()).repromptDialog();
  } else {
    t.reply.add('ack', offered);
  }
  return 'done';
}
