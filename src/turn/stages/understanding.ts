import { fromLegacy } from '../../core/conversation/expectation';
import { withRecent } from '../../core/handoff/excerpt';
import { understand } from '../../core/understanding/understand';
import { basicNormalize } from '../../core/text/normalize';
import type { TurnActions } from '../actions';
import { pickChoice, OUT_OF_RANGE } from '../choices';
import { screeningRunning, type Stage } from '../turn';

/**
 * The message read into parts and acts. A number typed for the choices just shown
 * ("2", "the first one") is read as that choice (a running screening and the
 * handoff dialog read their own choices). What the visitor wrote outside those
 * steps is kept as their last few messages (ConversationData.recent).
 */
export const understanding =
  (a: TurnActions): Stage =>
  async (t) => {
    fromLegacy(t.data);
    // "The same paragraph twice in a row" is about the last turn only.
    t.previousAnswer = t.data.lastAnswer;
    t.data.lastAnswer = undefined;
    const ownChoices = screeningRunning(t) || t.top === 'handoff';
    const pick = ownChoices ? undefined : pickChoice(t.text, t.data.lastChoices);
    // "9" when four were offered is answered after the safety net and the live chat (see expectations.ts).
    t.outOfRange = pick === OUT_OF_RANGE;
    if (pick && pick !== OUT_OF_RANGE) t.said = pick.value;
    const value = basicNormalize(t.text);
    t.picked = Boolean(pick && pick !== OUT_OF_RANGE) || Boolean(value && t.data.lastChoices?.some((c) => basicNormalize(c.value) === value));
    // What the visitor wrote, for the excerpt they may share with a callback; the answers to a dialog's steps are not.
    if (!ownChoices) t.data.recent = withRecent(t.data.recent, t.said);
    // Read up to the longest message answered (longer ones get "too long" after the safety net, which reads more).
    t.u = understand(t.said.slice(0, a.deps.maxMessageChars), a.phrases);
  };
