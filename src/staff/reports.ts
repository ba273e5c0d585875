import { z } from 'zod';
import { addDays, daysBetween, isDay } from '../core/metrics/days';
import type { MetricsRecorder } from '../core/metrics/recorder';
import { buildReport, type MetricsReport } from '../core/metrics/report';
import type { UnansweredLog } from '../core/storage/unansweredLog';
import { ApiError } from './http';

/** What the Reports page reads: the daily counts, and the unanswered log's groups (counts only). */
export interface ReportsSource {
  metrics: MetricsRecorder;
  unanswered?: UnansweredLog;
  /** How long the unanswered log keeps questions (DATA_RETENTION_DAYS): its groups cover that, not the period. */
  unansweredKeptDays: number;
}

/** The longest period one report covers: a year, leap day included. */
export const MAX_REPORT_DAYS = 366;
/** The period when none is given: the last 30 days, today included. */
export const DEFAULT_REPORT_DAYS = 30;
/** How many unanswered groups the report lists. */
const TOP_UNANSWERED = 10;

const Day = z.string().refine(isDay, { error: 'must be a date written YYYY-MM-DD' });

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD, both optional (to: today; from: 30 days up to to); at most a year. */
export function periodSchema(today: string) {
  return z
    .object({ from: Day.optional(), to: Day.optional() })
    .transform(({ from, to }) => {
      const end = to ?? (from && from > today ? from : today);
      return { from: from ?? addDays(end, 1 - DEFAULT_REPORT_DAYS), to: end };
    })
    .superRefine(({ from, to }, ctx) => {
      if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after to (${from} is after ${to})` });
      else if (daysBetween(from, to) > MAX_REPORT_DAYS)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is ${daysBetween(from, to)} days; a report covers at most ${MAX_REPORT_DAYS} days (a year)` });
    });
}

export interface ReportView extends MetricsReport {
  /** The questions the bot could not answer, grouped: how often, and the entry each came closest to (never the question's text). */
  unanswered: { enabled: boolean; keptDays: number; groups: Array<{ count: number; closestEntry: string | null }> };
}

/** The report of a checked period. Counts only: no message text, no phone number, no conversation or request id. */
export async function reportView(source: ReportsSource, period: { from: string; to: string }): Promise<ReportView> {
  const [rows, top] = await Promise.all([source.metrics.read(period.from, period.to), source.unanswered?.top(TOP_UNANSWERED) ?? []]);
  return {
    ...buildReport(rows, period.from, period.to, source.metrics.timeZone),
    unanswered: {
      enabled: Boolean(source.unanswered),
      keptDays: source.unansweredKeptDays,
      groups: top.map((g) => ({ count: g.count, closestEntry: g.bestCandidate })),
    },
  };
}

/** Reports need the daily counts; a console built without them (tests) answers 404. */
export function requireReports(source: ReportsSource | undefined): ReportsSource {
  if (!source) throw new ApiError(404, 'reports are not available');
  return source;
}
