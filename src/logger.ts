import { createHmac, randomBytes } from 'node:crypto';
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
 * The key of log pseudonyms: LOG_ID_SECRET once the app sets it, else random per
 * process. Keyed, because SMS conversation ids are phone numbers: an unkeyed hash
 * of one is reversed by trying every number (seconds).
 */
let logIdKey: Buffer = randomBytes(32);

/** Key log pseudonyms with this secret (the same on every instance, so one conversation has one id). */
export function useLogIdSecret(secret: string): void {
  logIdKey = Buffer.from(secret, 'utf8');
  recentIds.clear();
}

/**
 * A stable pseudonym of a conversation for logs (HMAC-SHA256 with the log key).
 * SMS channels put the phone number in the conversation id, so raw conversation
 * ids never go to the log.
 */
export function logId(conversationId: string | undefined): string | undefined {
  if (!conversationId) return undefined;
  let id = recentIds.get(conversationId);
  if (id === undefined) {
    // Every turn logs its conversation: remember recent pseudonyms rather than recompute each time.
    if (recentIds.size >= 10_000) recentIds.clear();
    id = createHmac('sha256', logIdKey).update(conversationId).digest('hex').slice(0, 16);
    recentIds.set(conversationId, id);
  }
  return id;
}
const recentIds = new Map<string, string>();
