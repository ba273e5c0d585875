import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * The reply goes out: an offer left open by a question is asked again, briefly,
 * after the answer (unless the answer made a new offer), then everything composed.
 */
export const compose =
  (a: TurnActions): Stage =>
  async (t) => {
    if (t.reask?.kind === 'offer' && !t.data.expectation && !t.top) {
      t.reply.add('pending', a.deps.responder.message(t.reask.offer === 'person' ? 'offerPersonAgain' : 'offerScreeningAgain'));
      t.data.expectation = t.reask;
    }
    await a.flush(t);
  };
