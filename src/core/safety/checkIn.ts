import { basicNormalize } from '../text/normalize';
import { phrases } from '../understanding/phrases';

export type CheckInAnswer = 'safe' | 'unsafe' | 'other';

/**
 * Read the visitor's answer to "Are you safe right now?" after a crisis response, on
 * the whole message (knowledge/phrases.yaml, safety.safe and safety.unsafe). The turn
 * reads it in context, part by part (src/core/conversation/expectation.ts).
 */
export function classifyCheckInAnswer(text: string): CheckInAnswer {
  const t = basicNormalize(text);
  if (phrases().safe.test(t)) return 'safe';
  if (phrases().unsafe.test(t)) return 'unsafe';
  return 'other';
}
