import type { TurnActions } from '../actions';
import { screeningRunning, type Stage } from '../turn';

/**
 * "What did you suggest again?": the last screening's suggestion, never an invented
 * one (mid-callback, then the same step again).
 */
export const recall =
  (a: TurnActions): Stage =>
  async (t) => {
    const handoff = t.top === 'handoff';
    if (screeningRunning(t) || !a.phrases.meta.recall.test(t.u.normalized)) return;
    const last = t.data.lastScreening;
    if (!last && handoff) return;
    if (!last) {
      t.reply.add('answer', a.deps.responder.message('noScreeningYet'));
      t.data.expectation = { kind: 'offer', offer: 'screening' };
      return 'done';
    }
    t.reply.add('answer', handoff ? { ...a.suggestionReply(last), choices: undefined } : a.suggestionReply(last));
    if (handoff) {
      await a.flush(t);
      await (await t.dialogs()).repromptDialog();
    }
    return 'done';
  };
