import { channelKind } from '../../channels/render';
import { smsKeyword } from '../../core/sms/keywords';
import { logId } from '../../logger';
import type { TurnActions } from '../actions';
import { screeningRunning, type Stage } from '../turn';

/**
 * SMS rules (after the safety check, which always answers): STOP opts out and
 * is confirmed once, then nothing is sent to that number; START/UNSTOP (or YES
 * while opted out) opt back in; HELP/INFO say who we are. Before the crisis
 * check-in: STOP right after a crisis message still opts out.
 */
export const smsKeywords =
  (a: TurnActions): Stage =>
  async (t) => {
    if (channelKind(t.context.activity.channelId) !== 'sms') return;
    const address = t.context.activity.from?.id ?? '';
    const channel = t.context.activity.channelId ?? 'sms';
    const optOuts = a.deps.optOuts;
    // STOP only as the whole message (carrier rule; "stop. he's fine" is not an opt-out); START also as a part ("wait i was kidding. start").
    const keyword = smsKeyword(t.text) ?? (t.u.parts.some((p) => smsKeyword(p.text) === 'start') ? 'start' : null);
    const optedOut = (await optOuts?.isOptedOut(channel, address)) ?? false;
    if (keyword === 'stop') {
      if (!optedOut) {
        await optOuts?.optOut(channel, address);
        // A callback or screening under way ends with the opt-out: START later begins afresh, not at its old step.
        if (t.top) await (await t.dialogs()).cancelAllDialogs();
        t.data.screeningPaused = false;
        t.data.expectation = undefined;
        a.deps.metrics?.count({ kind: 'sms-opt-out' });
        a.deps.logger.info({ event: 'sms-opt-out', conversation: logId(t.context.activity.conversation?.id) }, 'sms opt-out');
        await a.send(t, a.deps.responder.message('smsStopped'));
      }
      return 'done';
    }
    if (keyword === 'start' || (keyword === 'yes' && optedOut)) {
      await optOuts?.optIn(channel, address);
      await a.send(t, a.deps.responder.message('smsStarted'));
      return 'done';
    }
    if (optedOut) return 'done'; // Opted out: say nothing.
    if (keyword === 'help') {
      await a.send(t, a.deps.responder.message('smsHelp'));
      // Then the question that was waiting (a callback step, a screening question), as "help" does elsewhere.
      if (t.top === 'handoff' || screeningRunning(t)) await (await t.dialogs()).repromptDialog();
      return 'done';
    }
    return undefined;
  };
