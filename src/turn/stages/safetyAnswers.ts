import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * Questions about crisis help itself ("can I text 988?", "should I keep narcan?",
 * "is it dangerous to quit xanax cold turkey?"), answered plainly from public
 * health sources (knowledge/safety/follow-ups.yaml), in any state, before the
 * rest of the message is handled.
 */
export const safetyAnswers =
  (a: TurnActions): Stage =>
  async (t) => {
    for (const r of a.followUps.answers(t.u.normalized)) t.reply.add('safety', { text: r.answer, tag: `safety:${r.id}` });
    return undefined;
  };
