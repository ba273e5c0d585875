import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/** A person has the conversation (live takeover): the message goes to them and the bot says nothing. */
export const liveTakeover =
  (a: TurnActions): Stage =>
  async (t) => ((await a.deps.live?.intercept(t.context, t.text)) ? 'done' : undefined);
