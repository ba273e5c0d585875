import type { TurnActions } from '../actions';
import type { Stage } from '../turn';

/** Nothing typed: an attachment alone, or an empty message, each gets its own polite line. */
export const empty =
  (a: TurnActions): Stage =>
  async (t) => {
    if (t.text) return;
    const hasAttachments = (t.context.activity.attachments ?? []).length > 0;
    await a.send(t, a.deps.responder.message(hasAttachments ? 'attachmentOnly' : 'empty'));
    return 'done';
  };
