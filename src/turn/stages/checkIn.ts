import { readCheckIn } from '../../core/conversation/expectation';
import { actsOf, has } from '../../core/understanding/acts';
import type { CrisisKind } from '../../core/safety/crisis';
import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * The turn after a crisis reply is read against "Are you safe right now?". Safe
 * ("yes I'm safe", "im not suicidal", "it's about my son") is acknowledged, and a
 * question asked with it is answered; not safe ("no", "idk. prob not", "i need help
 * now") gets the guidance again; anything else is handled on its own merits, with
 * the check-in asked once more after it.
 */
export const checkIn =
  (a: TurnActions): Stage =>
  async (t) => {
    const e = t.data.expectation;
    if (e?.kind !== 'check-in') return;
    const { crisis } = a.deps;
    // About someone else ("my brother sent a goodbye text"): asked about them, not the writer.
    const askAgain = () => {
      const other = e.about === 'other' ? a.followUps.file.aboutSomeoneElse.checkIn[e.language] : undefined;
      return other ? { text: other.text, choices: other.choices.map((c) => ({ ...c })), tag: 'crisis:check-in-other' } : crisis.checkIn(e.language);
    };
    const asksMore = has(t.u, 'question') || has(t.u, 'request');
    if (a.followUps.reachingOut(t.u.normalized)) {
      // "ok ill text 988": a step toward help, not an "I'm safe".
      t.data.expectation = undefined;
      t.reply.add('ack', { text: a.followUps.file.reachingOut.reply[e.language].trim(), links: [{ label: e.language === 'es' ? 'Llamar al 988' : 'Call 988', uri: 'tel:988' }], tag: 'crisis:reaching-out' });
      return asksMore ? undefined : 'done';
    }
    const read = readCheckIn(t.u, a.phrases);
    // About someone else, "ok" or "thanks" is not "they're safe": only words about them are.
    const reading = read === 'safe' && e.about === 'other' && !/\b(?:they|theyre|he|hes|she|shes|him|her|safe)\b/.test(t.u.normalized) ? 'other' : read;
    if (reading === 'unsafe') {
      t.data.expectation = { ...e, asked: false };
      const again = crisis.response({ kind: e.crisis as CrisisKind, evidence: 'follow-up', language: e.language });
      const other = e.crisis === 'suicide' && e.about === 'other' ? a.followUps.file.aboutSomeoneElse.suicide[e.language].trim() : undefined;
      t.reply.add('safety', other ? { ...again, text: other } : again);
      return 'done';
    }
    if (reading === 'safe') {
      t.data.expectation = undefined;
      const other = e.about === 'other' ? a.followUps.file.aboutSomeoneElse : undefined;
      const safe = other ? { ...crisis.safeAcknowledgement(e.language), text: other.safe[e.language].trim() } : crisis.safeAcknowledgement(e.language);
      if (asksMore) {
        // The question asked alongside is answered next; the acknowledgement comes first.
        t.reply.add('ack', { ...safe, choices: undefined });
        return;
      }
      // A person is offered (a priority request: the conversation stays flagged), never forced.
      const person = { label: e.language === 'es' ? 'Hablar con una persona' : 'Talk to a person', value: 'talk to a person' };
      const ack = { ...safe, choices: [...(safe.choices ?? []), person] };
      if (t.top === 'screening' && t.data.screeningPaused) {
        t.reply.add('ack', {
          ...ack,
          text: `${ack.text}\n\n${a.deps.screening.file.paused}`,
          choices: [{ label: 'Continue screening', value: 'continue screening' }, ...(ack.choices ?? [])],
        });
      } else if (t.top === 'handoff') {
        // Mid-callback: the step that was waiting is asked again (its own choices replace the offer of a person).
        t.reply.add('ack', { ...safe, choices: undefined });
        await a.flush(t);
        await (await t.dialogs()).repromptDialog();
      } else {
        t.reply.add('ack', ack);
      }
      return 'done';
    }
    // Asking for a person, or to be forgotten, is done at once: the offer of a person repeats 911 and 988
    // (and the request is crisis priority), and the check-in would swallow the request.
    if (actsOf(t.u, 'request').some((r) => r.command === 'talk-to-person' || r.command === 'forget-me')) {
      t.data.expectation = undefined;
      return;
    }
    if (e.asked) {
      t.data.expectation = undefined;
      return;
    }
    t.data.expectation = { ...e, asked: true };
    if (asksMore || has(t.u, 'feeling')) {
      // The question first, then "are you safe right now?" again.
      t.reply.add('pending', askAgain());
      return;
    }
    t.reply.add('safety', askAgain());
    return 'done';
  };
