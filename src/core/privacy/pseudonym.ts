import { createHmac } from 'node:crypto';

/**
 * A keyed pseudonym of a conversation (HMAC-SHA256, hex), stored instead of its
 * id so rows can be found again ("forget me") without keeping the id: SMS
 * conversation ids are phone numbers, and without the key nobody can recompute it.
 */
export function conversationPseudonym(key: Buffer, channel: string, conversationId: string): string {
  return createHmac('sha256', key).update(`${channel}\n${conversationId}`).digest('hex');
}

/** One key per purpose from one secret: log pseudonyms and stored ones cannot be matched to each other. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`gbac-admissions-bot/${purpose}`).digest();
}
