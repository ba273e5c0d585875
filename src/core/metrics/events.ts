/**
 * What the bot counts, per day, for the staff Reports page. Every event is a kind and a word or
 * two from a closed list (an outcome, a level, a reason, a tier), never anything a visitor wrote:
 * no text, no phone number, no conversation id. Durations carry minutes only, no request id.
 */
export type AnswerOutcome = 'answered' | 'did-you-mean' | 'declined' | 'dont-know';

export type MetricEvent =
  /** The first message of a conversation. */
  | { kind: 'conversation' }
  /** How a question was met: answered outright, "did you mean", declined (off-topic), or "I don't know". */
  | { kind: 'answer'; outcome: AnswerOutcome }
  | { kind: 'screening'; stage: 'started' | 'completed'; level?: string }
  /** A request filed in the staff queue, by its reason. */
  | { kind: 'handoff'; reason: string }
  /** A crisis reply, by its tier (the signal's kind). */
  | { kind: 'crisis'; tier: string }
  | { kind: 'sms-opt-out' }
  /** Minutes from a request's filing to its claim, or to its resolution. */
  | { kind: 'handoff-claimed' | 'handoff-resolved'; minutes: number };

/** Key prefixes of the two duration histograms. */
export const CLAIM_MINUTES = 'claim-minutes:';
export const RESOLVE_MINUTES = 'resolve-minutes:';

/** A word from a closed list, as a key part; anything else (it should not happen) is "other", so no free text is ever stored. */
function part(word: string | undefined): string {
  return word && /^[a-z0-9][a-z0-9._-]{0,47}$/i.test(word) ? word.toLowerCase() : 'other';
}

/**
 * The minute a duration is counted under: to the minute below an hour, then in 5-minute steps
 * below 4 hours, 15-minute steps below a day, hours below a week, then days. So a day's
 * histogram has a few hundred keys at most, and a median or 90th percentile is read from it.
 */
export function minuteBucket(minutes: number): number {
  const m = Number.isFinite(minutes) ? Math.max(0, Math.floor(minutes)) : 0;
  const step = m < 60 ? 1 : m < 240 ? 5 : m < 1440 ? 15 : m < 10_080 ? 60 : 1440;
  return m - (m % step);
}

/** The daily keys an event adds one to (a completed screening with a level adds to both its total and its level). */
export function metricKeys(event: MetricEvent): string[] {
  switch (event.kind) {
    case 'conversation':
      return ['conversations'];
    case 'answer':
      return [`answer:${part(event.outcome)}`];
    case 'screening':
      return event.stage === 'completed' && event.level ? ['screening:completed', `screening:completed:${part(event.level)}`] : [`screening:${part(event.stage)}`];
    case 'handoff':
      return [`handoff:${part(event.reason)}`];
    case 'crisis':
      return [`crisis:${part(event.tier)}`];
    case 'sms-opt-out':
      return ['sms-opt-out'];
    case 'handoff-claimed':
      return [`${CLAIM_MINUTES}${minuteBucket(event.minutes)}`];
    case 'handoff-resolved':
      return [`${RESOLVE_MINUTES}${minuteBucket(event.minutes)}`];
  }
}
