import { HandoffDialog } from '../../../dialogs/handoffDialog';
import { describePreferences, readContactPreferences } from '../../core/handoff/contactPreferences';
import { readCallbackDetails } from '../../core/handoff/contact';
import { logId } from '../../logger';
import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/**
 * After a callback request is filed, what the visitor adds ("no voicemail", "text
 * after 3:30 only") goes on the request as a note for admissions, and they are told
 * so; never "I don't have information about that", never a second request. So too
 * while the visitor is asked whether to share their last messages (the request is
 * filed by then); that question is then asked again.
 */
export const filedRequest =
  (a: TurnActions): Stage =>
  async (t) => {
    const filed = t.data.filedRequest;
    if (!filed || !a.deps.handoffs) return undefined;
    const preferences = readContactPreferences(t.said);
    const time = readCallbackDetails(t.said).bestTime;
    if (!preferences.length && !time) return undefined;
    const dc = t.top === 'handoff' ? await t.dialogs() : undefined;
    const sharing = dc !== undefined && HandoffDialog.waiting(dc)?.kind === 'share';
    if (t.top && !sharing) return undefined;
    const what = [preferences.length ? describePreferences(preferences) : '', time ? `best time: ${time}` : ''].filter(Boolean).join('; ');
    try {
      await a.deps.handoffs.addNote(filed.id, 'visitor', what);
    } catch (err) {
      // Gone (claimed and resolved, withdrawn, forgotten): the visitor is told to tell admissions instead.
      a.deps.logger.warn({ ...t.where, event: 'handoff-note-failed', conversation: logId(t.context.activity.conversation?.id), err: (err as Error).message }, 'could not add to the filed request');
      t.reply.add('answer', a.deps.responder.message('noCallbackToCancel'));
      return 'done';
    }
    t.reply.add('answer', a.message('requestUpdated', { reference: filed.reference, what: what.charAt(0).toLowerCase() + what.slice(1) }));
    if (sharing) {
      await a.flush(t);
      await dc.repromptDialog();
    }
    return 'done';
  };
