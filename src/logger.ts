import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Message text and phone numbers are protected health
 * information here: code logs ids, counts and outcomes at info level, never
 * what a visitor wrote. The redact list is a second line of defence.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gbac-admissions-bot' },
      redact: {
        paths: ['text', '*.text', 'activity.text', 'phone', '*.phone', 'body', 'req.body', 'headers.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * A stable, non-reversible id for logs. SMS channels put the phone number in the
 * conversation id, so raw conversation ids never go to the log.
 */
export function logId(conversationId: string | undefined): string | undefined {
  if (!conversationId) return undefined;
  let id = recentIds.get(conversationId);
  if (id === undefined) {
    // Every turn logs its conversation: remember recent hashes rather than rehash each time.
    if (recentIds.size >= 10_000) recentIds.clear();
    id = createHash('sha256').update(conversationId).digest('hex').slice(0, 16);
    recentIds.set(conversationId, id);
  }
  return id;
}
const recentIds = new Map<string, string>();
