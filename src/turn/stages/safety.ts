import type { TurnActions } from '../actions';
import { screeningRunning, type Stage } from '../turn';

/**
 * Safety first: every message, every state, before anything else. A risk signal
 * gets the crisis reply of its tier, and the next message is read against the
 * check-in ("Are you safe right now?"); a screening under way is paused.
 */
export const safety =
  (a: TurnActions): Stage =>
  async (t) => {
    const { crisis, logger, live } = a.deps;
    const signal = crisis.detect(t.text.slice(0, 10_000));
    if (!signal) return;
    t.u.acts.push({ act: 'risk', signal });
    // What matched (a pattern id, a score) says much about what was written: debug only, never at info or above.
    logger.warn({ ...t.where, event: 'crisis', kind: signal.kind, screening: t.top === 'screening' }, 'crisis signal');
    logger.debug({ ...t.where, event: 'crisis-evidence', evidence: signal.evidence }, 'crisis signal evidence');
    t.data.expectation = { kind: 'check-in', crisis: signal.kind, language: signal.language, asked: false };
    t.data.flagged = { kind: signal.kind, at: Date.now() };
    if (screeningRunning(t)) t.data.screeningPaused = true;
    const response = crisis.response(signal);
    await live?.noteCrisis(t.context, t.text, response.text);
    await a.escalateQueued(t.context, signal.kind);
    t.reply.add('safety', response);
    return 'done';
  };
