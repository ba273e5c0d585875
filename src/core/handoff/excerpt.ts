/** The visitor's messages kept for a callback request's excerpt: this many, the latest. */
export const RECENT_MESSAGES = 4;
/** Each cut to this many characters. */
export const RECENT_CHARS = 300;

/**
 * The visitor's last few messages, kept in the conversation state (so "forget me" and retention
 * delete them with it) and shared with admissions only if the visitor says yes. Never logged.
 */
export function withRecent(recent: readonly string[] | undefined, message: string): string[] {
  const text = message.trim().slice(0, RECENT_CHARS);
  if (!text) return [...(recent ?? [])];
  return [...(recent ?? []), text].slice(-RECENT_MESSAGES);
}
