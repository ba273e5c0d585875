import { HandoffDialog } from '../../../dialogs/handoffDialog';
import { actsOf, has, substantiveParts } from '../../core/understanding/acts';
import type { Command } from '../../core/understanding/phrases';
import { readCallbackDetails } from '../../core/handoff/contact';
import type { TurnActions } from '../actions';
import { screeningRunning, type Stage, type Turn } from '../turn';

/** Seven digits, or digits said as words: only then can a message hold a phone number (a cheap test first). */
const MAY_HOLD_NUMBER = /\d(?:\D*\d){6}|\b(?:one|two|three|four|five|six|seven|eight|nine|oh|zero)\b/i;

/** When a message holds several commands, the one that matters most ("fine. forget me. start over" forgets). */
const PRECEDENCE: Command[] = ['forget-me', 'cancel-callback', 'cancel', 'start-over', 'talk-to-person', 'start-screening', 'help', 'none-of-these'];

/**
 * The visitor's requests, in any part of the message, in every state: forget me,
 * cancel, start over, a person, the screening, help. A denial of something the bot
 * started ("I didn't ask for a callback") stops it. An offer accepted by the last
 * stage runs here as its command.
 */
export const commands =
  (a: TurnActions): Stage =>
  async (t) => {
    if (actsOf(t.u, 'deny').some((d) => d.what === 'action')) {
      await denyAction(a, t);
      if (!substantiveParts(t.u).some((p) => p.interrogative)) return 'done';
      return;
    }
    // A phone number typed outside a callback ("Dana Whitfield, 617-555-0148, after 5"): they want a call.
    const volunteersNumber = !t.top && !t.accepted && MAY_HOLD_NUMBER.test(t.said) && !chosen(t) && Boolean(readCallbackDetails(t.said).phone);
    if (volunteersNumber && a.handoffDialog) {
      await a.handOff(t, 'asked-for-person', { callback: true });
      return 'done';
    }
    const command = t.accepted ?? chosen(t);
    if (!command) {
      if (t.declined && !substantiveParts(t.u).length) {
        t.reply.add('ack', a.deps.responder.message('offerDeclined'));
        return 'done';
      }
      return;
    }
    await run(a, t, command);
    return 'done';
  };

function chosen(t: Turn): Command | undefined {
  const asked = new Set(actsOf(t.u, 'request').map((r) => r.command));
  const asks = has(t.u, 'question');
  // "stop. he is not overdosing now. can we finish the questions": a stop word beside more is not a stop.
  const saysMore = substantiveParts(t.u).length > 0 || [...asked].some((c) => c !== 'cancel' && c !== 'start-over');
  return PRECEDENCE.find(
    (c) =>
      asked.has(c) &&
      // "help" beside a question is not a request for the menu; "none of these" only answers "did you mean".
      !(c === 'help' && asks) &&
      !((c === 'cancel' || c === 'start-over') && saysMore) &&
      !(c === 'none-of-these' && !t.noneOfTheseOpen) &&
      // Inside the handoff dialog, "chat with a person" is one of its own choices, not a new handoff.
      !(c === 'talk-to-person' && t.top === 'handoff'),
  );
}

/** "I didn't ask for a callback", "I never wanted the questions": stop it, say sorry. */
async function denyAction(a: TurnActions, t: Turn): Promise<void> {
  if (t.top === 'handoff' || screeningRunning(t)) {
    await (await t.dialogs()).cancelAllDialogs();
    t.top = undefined;
    t.depth = 0;
    t.data.screeningPaused = false;
    t.reply.add('ack', a.deps.responder.message('deniedAction'));
    return;
  }
  t.reply.add('ack', a.deps.responder.message('deniedSaidAck'));
}

async function run(a: TurnActions, t: Turn, command: Command): Promise<void> {
  const { responder } = a.deps;
  const { data } = t;
  const screening = t.top === 'screening';
  const handoff = t.top === 'handoff';
  // The request is filed by the time the visitor is asked whether to share their last messages.
  const filed = handoff && (command === 'cancel' || command === 'cancel-callback') && HandoffDialog.waiting(await t.dialogs())?.kind === 'share';
  switch (command) {
    case 'help':
      if (screeningRunning(t) || handoff) {
        // The general menu's buttons would compete with the question that follows: its text alone.
        t.reply.add('answer', { ...responder.message('help'), choices: undefined });
        await a.flush(t);
        await (await t.dialogs()).repromptDialog();
        return;
      }
      t.reply.add('answer', responder.message('help'));
      return;
    case 'start-over':
      data.fallbacks = 0;
      data.expectation = undefined;
      if (t.top) await (await t.dialogs()).cancelAllDialogs();
      if (screening) {
        // The screening begins again: its first question follows, not "what would you like to know?".
        t.reply.add('ack', responder.message('startOverScreening'));
        t.top = undefined;
        await a.startScreening(t, false);
        return;
      }
      t.reply.add('answer', responder.message('startOver'));
      return;
    case 'cancel':
      data.expectation = undefined;
      if (filed) {
        // "cancel" at the share question: nothing is shared; the request stays (cancelling it is "cancel my callback").
        await (await t.dialogs()).cancelAllDialogs();
        data.screeningPaused = false;
        t.reply.add('answer', { text: a.fillAdmissions(a.deps.handoffContent?.notShared ?? ''), tag: 'handoff:not-shared' });
      } else if (handoff) {
        // Leaving the handoff also leaves any screening paused under it: cancel means stop.
        await (await t.dialogs()).cancelAllDialogs();
        data.screeningPaused = false;
        t.reply.add('answer', { text: a.fillAdmissions(a.deps.handoffContent?.notNow ?? ''), links: [responder.callAdmissions], tag: 'handoff:cancelled' });
      } else if (screening) {
        await (await t.dialogs()).cancelAllDialogs();
        data.screeningPaused = false;
        t.reply.add('answer', { text: a.deps.screening.file.cancelled, tag: 'screening:cancelled' });
      } else {
        t.reply.add('answer', responder.message('cancel'));
      }
      return;
    case 'start-screening':
      if (handoff) {
        await (await t.dialogs()).cancelAllDialogs();
        t.top = undefined;
      }
      await a.startScreening(t, screening && t.top === 'screening');
      return;
    case 'forget-me':
      await a.forget(t);
      return;
    case 'cancel-callback': {
      if (filed) await (await t.dialogs()).cancelAllDialogs();
      else if (handoff) {
        // A request not filed yet: stopping the steps is enough.
        await (await t.dialogs()).cancelAllDialogs();
        data.screeningPaused = false;
        t.reply.add('answer', { text: a.fillAdmissions(a.deps.handoffContent?.notNow ?? ''), links: [responder.callAdmissions], tag: 'handoff:cancelled' });
        return;
      }
      const act = t.context.activity;
      const withdrawn = (await a.deps.handoffs?.cancelByVisitor(act.channelId ?? 'unknown', act.conversation?.id ?? '')) ?? [];
      data.contactPreferences = undefined;
      t.reply.add('answer', withdrawn.length ? a.message('callbackCancelled', { reference: withdrawn.map((r) => r.reference).join(', ') }) : responder.message('noCallbackToCancel'));
      return;
    }
    case 'talk-to-person':
      await a.handOff(t, 'asked-for-person');
      return;
    case 'none-of-these':
      if (!a.handoffDialog) {
        t.reply.add('answer', responder.message('noneOfThese'));
        return;
      }
      t.reply.add('answer', { ...responder.message('noneOfThese'), choices: undefined });
      await a.handOff(t, 'fallback');
      return;
  }
}
