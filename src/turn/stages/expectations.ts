import { readOffer } from '../../core/conversation/expectation';
import type { TurnActions } from '../actions';
import { screeningRunning, type Stage } from '../turn';

/**
 * The open expectation meets the message (the crisis check-in has its own stage):
 * an offer is accepted only by a yes that stands alone, declined by a no, left open
 * once by a question (asked again after the answer), and otherwise lapses. Before
 * that, what no expectation can take: a message over the length limit, a screening
 * left too long, a number that is none of the choices.
 */
export const expectations =
  (a: TurnActions): Stage =>
  async (t) => {
    const { data } = t;
    if (t.length > a.deps.maxMessageChars) {
      await a.send(t, a.deps.responder.message('tooLong'));
      return 'done';
    }
    if (t.top === 'screening' && data.screeningAt && Date.now() - data.screeningAt > a.deps.screeningExpiryMs) {
      await (await t.dialogs()).cancelAllDialogs();
      t.top = undefined;
      t.depth = 0;
      data.screeningPaused = false;
      t.reply.add('ack', { text: a.deps.screening.file.expired, tag: 'screening:expired' });
    }
    if (t.outOfRange) {
      // "9" when four were offered: the same choices again, not whatever "9" might match.
      const choices = data.lastChoices!;
      await a.send(t, { ...a.message('pickNumber', { count: String(choices.length) }), choices });
      return 'done';
    }
    const e = data.expectation;
    if (e?.kind === 'did-you-mean') {
      // "None of these" means something only right after "did you mean".
      t.noneOfTheseOpen = true;
      data.expectation = undefined;
      return;
    }
    if (e?.kind !== 'offer') return;
    data.expectation = undefined;
    if (screeningRunning(t) || (e.offer === 'person' && t.top === 'handoff')) return;
    const reading = readOffer(t.u, e);
    if (reading === 'accepted') t.accepted = e.offer === 'person' ? 'talk-to-person' : 'start-screening';
    else if (reading === 'declined') t.declined = true;
    else if (reading === 'open') t.reask = { ...e, reasked: true };
    return undefined;
  };
