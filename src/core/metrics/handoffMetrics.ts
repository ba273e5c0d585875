import type { HandoffNotifier } from '../handoff/handoffService';
import type { MetricsRecorder } from './recorder';

const minutesBetween = (fromIso: string, toIso: string | undefined) => (Date.parse(toIso ?? '') - Date.parse(fromIso)) / 60_000;

/**
 * The staff queue's part of the reports: requests filed (by reason), and the minutes from
 * filing to claim and to resolution. Hears every change the queue makes (bot, console, Teams).
 */
export function handoffMetrics(metrics: MetricsRecorder): HandoffNotifier {
  return {
    notify(event) {
      if (event.type === 'created') metrics.count({ kind: 'handoff', reason: event.request.reason });
      else if (event.type === 'claimed') metrics.count({ kind: 'handoff-claimed', minutes: minutesBetween(event.request.createdAt, event.request.claimedAt ?? event.at) });
      else if (event.type === 'resolved') metrics.count({ kind: 'handoff-resolved', minutes: minutesBetween(event.request.createdAt, event.at) });
    },
  };
}
