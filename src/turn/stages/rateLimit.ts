import { channelKind } from '../../channels/render';
import { smsKeyword } from '../../core/sms/keywords';
import { logId } from '../../logger';
import { CONVERSATION_ADMISSION, conversationLimitKey, type Admission } from '../../rateLimit';
import type { TurnActions } from '../actions';
import { SAFETY_READ_CHARS, type Stage } from '../turn';

/**
 * Over the per-conversation limit the visitor is asked to slow down and nothing else
 * happens: no state is read or changed. A crisis message is still answered (the
 * detector is cheap), and an SMS STOP still opts out (carrier rules); an opted-out
 * number hears nothing.
 */
export const rateLimit =
  (a: TurnActions): Stage =>
  async ({ context, text }) => {
    const act = context.activity;
    // Counted already by the channel (Direct Line counts a post before logging it), or counted here.
    const counted = context.turnState.get(CONVERSATION_ADMISSION) as Admission | undefined;
    const admission = counted ?? (await a.deps.conversationLimiter?.take(conversationLimitKey(act.channelId, act.conversation?.id)));
    if (!admission || admission.ok) return;
    if (text && a.deps.crisis.detect(text.slice(0, SAFETY_READ_CHARS))) return;
    const sms = channelKind(act.channelId) === 'sms';
    if (sms && smsKeyword(text) === 'stop') return;
    if (admission.first) a.deps.logger.warn({ event: 'rate-limited', scope: 'conversation', conversation: logId(act.conversation?.id), channel: act.channelId }, 'conversation over the rate limit');
    if (sms && (await a.deps.optOuts?.isOptedOut(act.channelId ?? 'sms', act.from?.id ?? ''))) return 'done';
    // Sent as is, not through send(): the choices the visitor was last offered stay valid.
    await context.sendActivities(a.activities(context, a.deps.responder.message('rateLimited')));
    return 'done';
  };
