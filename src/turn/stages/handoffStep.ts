import { HandoffDialog } from '../../../dialogs/handoffDialog';
import { actsAt, actsOf, answered, has } from '../../core/understanding/acts';
import { extractFirstName, phoneInText, readCallbackDetails } from '../../core/handoff/contact';
import { basicNormalize } from '../../core/text/normalize';

/** "my name is Dave", "its Dave not Whatever", "the name is Dave": a name given again. */
const NAME_FIX = /^(?:(?:no|sorry|oops|actually|wait)[,.!]?\s+)*(?:my name is|my name s|my names|the name is|name is|its|it s|it's|call me|i'm|im)\s+([A-Za-z][A-Za-z'-]{0,30}(?:\s+[A-Za-z][A-Za-z'-]{0,30})?)(?:[,.]?\s+not\s+\S+)?[.!]?$/i;
import { readContactPreferences } from '../../core/handoff/contactPreferences';

/** "this one", "this number is fine", "the one im texting from", "este mismo". */
const THIS_NUMBER = /\b(?:this (?:one|number|phone|cell)|same (?:one|number)|the one im (?:texting|writing|messaging) (?:from|on)|(?:im|i am) (?:texting|writing|messaging) (?:from|on) (?:it|this)|este mismo|este numero|el mismo|este|de este)\b/;
import type { TurnActions } from '../actions';
import type { Stage, Turn } from '../turn';

/**
 * A callback request under way (the handoff dialog waits for a step). Only a part
 * that answers the step goes to it; a question beside it is answered first, and the
 * step then goes on or is asked again; it is never stored as a name or a time. At
 * the offer, a "not now" or a question the guide answers leaves the offer.
 */
export const handoffStep =
  (a: TurnActions): Stage =>
  async (t) => {
    if (t.top !== 'handoff' || !a.handoffDialog) return;
    const dialog = a.handoffDialog;
    const dc = await t.dialogs();
    // "no texts, he reads my phone", "no voicemail": kept for the request, whatever step they come with.
    a.notePreferences(t, readContactPreferences(t.said));
    const step = HandoffDialog.waiting(dc);
    const parts = t.u.parts;
    const asking = (i: number) => actsAt(t.u, i).some((x) => x.act === 'question');
    const questions = parts.filter((_, i) => asking(i));
    // "my name is Dave not Whatever", at a step after the name: the name is corrected, the step asked again.
    const renamed = step && step.kind !== 'name' && step.kind !== 'offer' ? NAME_FIX.exec(t.said.trim()) : null;
    const newName = renamed ? extractFirstName(renamed[1]!) : null;
    if (newName && HandoffDialog.correctName(dc, newName)) {
      t.reply.add('ack', a.message('nameCorrected', { name: newName }));
      await a.flush(t);
      await dc.repromptDialog();
      return 'done';
    }
    // "fine. M", "ugh. Marcus": the small talk is not the name.
    // At a yes-or-no step ("ok", "sure thing"), small talk is the answer.
    const yesOrNo = step?.kind === 'offer' || step?.kind === 'consent' || step?.kind === 'share';
    const chatter = (i: number) => !yesOrNo && actsAt(t.u, i).some((x) => x.act === 'smalltalk');
    const answer = parts.find((p, i) => !asking(i) && !chatter(i) && dialog.accepts(dc, p.text));
    if (answered(t.u, 'why') && !answer && (step?.kind === 'name' || step?.kind === 'phone')) {
      // "why do you need my number?": said plainly, then the step again.
      t.reply.add('ack', a.deps.responder.message('handoffWhy'));
      await a.flush(t);
      await dc.repromptDialog();
      return 'done';
    }
    // "this one", "este mismo": the number written from, which this channel does not give (no number in the message).
    if (step?.kind === 'phone' && !step.smsNumber && THIS_NUMBER.test(t.u.normalized) && !phoneInText(t.said)) {
      t.reply.add('ack', a.deps.responder.message('numberNotSeen'));
      await a.flush(t);
      await dc.repromptDialog();
      return 'done';
    }
    const whole = !questions.length && !parts.some((_, i) => chatter(i)) && dialog.accepts(dc, t.said);

    // At the offer: "yes", "talk to a person" again, or a name and number ("1. Tom, 617-555-0163, mornings") all mean a callback.
    if (step?.kind === 'offer') {
      const details = readCallbackDetails(t.said);
      const wantsPerson = actsOf(t.u, 'request').some((r) => r.command === 'talk-to-person') || (answered(t.u, 'yes') && !questions.length && !whole);
      if (details.phone || (wantsPerson && !whole)) {
        await dc.cancelAllDialogs();
        await a.handOff(t, 'asked-for-person', { callback: true });
        return 'done';
      }
    }
    if (step?.kind === 'offer' && t.depth === 1) {
      const declined = answer && step && dialog.interpret(step, answer.text) === 'not-now';
      const leaves = !whole && !answer && questions.length > 0 && a.answerable(questions.map((q) => q.text).join(' '));
      if ((declined && questions.length) || leaves) {
        // The visitor moved on: the offer closes, and the question is answered as usual.
        await dc.cancelAllDialogs();
        t.top = undefined;
        t.depth = 0;
        if (declined) t.reply.add('ack', { text: a.fillAdmissions(a.deps.handoffContent?.notNow ?? ''), tag: 'handoff:not-now' });
        return;
      }
    }
    if (whole) return a.answerStep(t, t.said);
    // "1 but text only no calls": the number picks the choice on screen; the rest was read above (preferences).
    const numbered = step?.choices.length ? /^\s*(\d)\b[.)]?\s+\S/.exec(t.said) : null;
    // Not when the rest asks something: "2. i asked whats the difference…" is a question, not the second choice.
    if (numbered && !questions.length && step!.choices[Number(numbered[1]) - 1]) return a.answerStep(t, numbered[1]!);
    // "Linda, its about my daughter not me": the name opens the message.
    if (step?.kind === 'name' && answer !== parts[0]) {
      const lead = extractFirstName(t.said.split(/[,.;!]/)[0] ?? '');
      if (lead && !a.phrases.ack.test(basicNormalize(lead))) return a.answerStep(t, lead);
    }
    await answerSideQuestions(a, t, questions.map((q) => q.text));
    // "TINA. i just said. 978-555-0132": the name and the number of different parts go to the name step together.
    const number = step?.kind === 'name' && answer ? phoneInText(t.said) : null;
    if (answer && number && !answer.text.includes(number)) return a.answerStep(t, `${answer.text.replace(/[.!,;]+$/, '')} ${number}`);
    if (answer) return a.answerStep(t, answer.text);
    if (questions.length || has(t.u, 'feeling')) {
      if (!questions.length) t.reply.add('ack', a.deps.responder.message('feelingAck'));
      await a.flush(t);
      await dc.repromptDialog();
      return 'done';
    }
    return a.answerStep(t, t.said);
  };

/** A question asked mid-step: answered if the guide can, else honestly deferred to admissions (at most two). */
export async function answerSideQuestions(a: TurnActions, t: Turn, questions: string[], deferred = a.fillAdmissions(a.deps.handoffContent?.sideQuestion ?? '')): Promise<number> {
  let answered = 0;
  let deferredOnce = false;
  for (const q of questions.slice(0, 2)) {
    const match = a.confidentEntry(q);
    // "Start the screening" is not a side question; the rest (admissions contacts included) are answered.
    if (match && match.entry.action !== 'start-screening') {
      t.reply.add('answer', { ...a.deps.responder.answer(match.entry), choices: undefined });
      answered++;
    } else if (!deferredOnce && deferred) {
      t.reply.add('answer', { text: deferred, tag: 'side-question' });
      deferredOnce = true;
    }
  }
  return answered;
}
