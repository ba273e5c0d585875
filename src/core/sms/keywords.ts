import { basicNormalize } from '../text/normalize';

/**
 * Carrier and TCPA keywords, matched on the whole message (SMS channel only):
 * STOP and its synonyms opt out, START/UNSTOP (or YES while opted out) opt back in,
 * HELP/INFO say who we are and how to opt out. Spanish: PARAR, ALTO, CANCELAR opt out,
 * AYUDA is HELP (the words the bot gives Spanish visitors; accents and case do not matter).
 */
export type SmsKeyword = 'stop' | 'start' | 'yes' | 'help';

const STOP = new Set(['stop', 'stopall', 'stop all', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'opt out', 'optout', 'parar', 'alto', 'cancelar']);
const HELP = new Set(['help', 'info', 'ayuda']);
const START = new Set(['start', 'unstop']);

export function smsKeyword(text: string): SmsKeyword | null {
  const t = basicNormalize(text);
  if (STOP.has(t)) return 'stop';
  if (START.has(t)) return 'start';
  if (t === 'yes') return 'yes';
  if (HELP.has(t)) return 'help';
  return null;
}
