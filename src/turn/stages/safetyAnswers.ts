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
    const e = t.data.expectation;
    // An overdose under way ("i dont have narcan, where do i get it"): not "keeping naloxone at home is a good
    // idea", but the overdose steps again (911 now, stay with them), said once in this turn.
    const overdoseNow = e?.kind === 'check-in' && e.crisis === 'overdose' && !e.unsafe;
    for (const r of a.followUps.answers(t.u.normalized)) {
      t.safetyAnswered = true;
      if (overdoseNow && r.id === 'naloxone') {
        if (!t.reply.has('safety')) t.reply.add('safety', a.deps.crisis.response({ kind: 'overdose', evidence: 'follow-up', language: e.language }));
        continue;
      }
      t.reply.add('safety', { text: r.answer, tag: `safety:${r.id}` });
    }
    return undefined;
  };
