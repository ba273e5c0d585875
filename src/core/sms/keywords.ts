import { basicNormalize } from '../text/normalize';

/**
 * Carrier and TCPA keywords, matched on the whole message (SMS channel only):
 * STOP and its synonyms opt out, START/UNSTOP (or YES while opted out) opt back in,
 * HELP/INFO say who we are and how to opt out.
 */
export type SmsKeyword = 'stop' | 'start' | 'yes' | 'help';

const STOP = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'opt out', 'optout']);
const START = new Set(['start', 'unstop']);

export function smsKeyword(text: string): SmsKeyword | null {
  const t = basicNormalize(text);
  if (STOP.has(t)) return 'stop';
  if (START.has(t)) return 'start';
  if (t === 'yes') return 'yes';
  if (t === 'help' || t === 'info') return 'help';
  return null;
}
