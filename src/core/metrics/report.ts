import { eachDay } from './days';
import { CLAIM_MINUTES, RESOLVE_MINUTES } from './events';
import type { MetricCount } from './recorder';

/** Median and 90th percentile of a duration histogram, in minutes (null when nothing was measured). */
export interface DurationSummary {
  count: number;
  median: number | null;
  p90: number | null;
}

/** What one day (or a whole period) counted. Counts only: no text, no phone number, no ids. */
export interface MetricsSummary {
  conversations: number;
  answers: { answered: number; didYouMean: number; declined: number; dontKnow: number };
  screenings: { started: number; completed: number; completedByLevel: Record<string, number> };
  handoffsByReason: Record<string, number>;
  minutesToClaim: DurationSummary;
  minutesToResolve: DurationSummary;
  crisisRepliesByTier: Record<string, number>;
  smsOptOuts: number;
}

export interface MetricsReport {
  from: string;
  to: string;
  timeZone: string;
  total: MetricsSummary;
  /** Every day of the period, in order (days with nothing counted have zeros). */
  days: Array<{ day: string } & MetricsSummary>;
}

/**
 * The value at quantile q of a histogram (minute bucket → how many): the nearest rank, read as
 * the bucket's lower edge (exact to the minute below an hour; see minuteBucket).
 */
export function quantile(histogram: Map<number, number>, q: number): number | null {
  const buckets = [...histogram].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [minutes, n] of buckets) {
    seen += n;
    if (seen >= rank) return minutes;
  }
  return buckets[buckets.length - 1]![0];
}

function durations(counts: Map<string, number>, prefix: string): DurationSummary {
  const histogram = new Map<number, number>();
  for (const [key, n] of counts) if (key.startsWith(prefix)) histogram.set(Number(key.slice(prefix.length)), n);
  const count = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  return { count, median: quantile(histogram, 0.5), p90: quantile(histogram, 0.9) };
}

/** The keys under a prefix, by what follows it ("handoff:fallback" → { fallback: n }). */
function byName(counts: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of counts) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = n;
  return out;
}

export function summarize(counts: Map<string, number>): MetricsSummary {
  const n = (key: string) => counts.get(key) ?? 0;
  return {
    conversations: n('conversations'),
    answers: { answered: n('answer:answered'), didYouMean: n('answer:did-you-mean'), declined: n('answer:declined'), dontKnow: n('answer:dont-know') },
    screenings: { started: n('screening:started'), completed: n('screening:completed'), completedByLevel: byName(counts, 'screening:completed:') },
    handoffsByReason: byName(counts, 'handoff:'),
    minutesToClaim: durations(counts, CLAIM_MINUTES),
    minutesToResolve: durations(counts, RESOLVE_MINUTES),
    crisisRepliesByTier: byName(counts, 'crisis:'),
    smsOptOuts: n('sms-opt-out'),
  };
}

const add = (map: Map<string, number>, key: string, count: number) => map.set(key, (map.get(key) ?? 0) + count);

/** The period's stored counts as the Reports page reads them: by day, and over the whole period. */
export function buildReport(rows: MetricCount[], from: string, to: string, timeZone: string): MetricsReport {
  const total = new Map<string, number>();
  const perDay = new Map<string, Map<string, number>>(eachDay(from, to).map((d) => [d, new Map()]));
  for (const r of rows) {
    const day = perDay.get(r.day);
    if (!day) continue;
    add(day, r.key, r.count);
    add(total, r.key, r.count);
  }
  return { from, to, timeZone, total: summarize(total), days: [...perDay].map(([day, counts]) => ({ day, ...summarize(counts) })) };
}
