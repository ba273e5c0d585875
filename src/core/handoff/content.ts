import { z } from 'zod';
import { loadYamlFile } from '../knowledge/load';

const Text = z.string().trim().min(1, { error: 'must not be empty' });

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** knowledge/handoff.yaml: what the bot says while connecting a visitor with admissions. */
export const HandoffContentSchema = z.strictObject({
  offer: z.strictObject({ text: Text, danger: Text, callNow: Text, callback: Text, live: Text, notNow: Text }),
  /** How visitors pick at the offer in their own words: regular expressions over lower-case text without accents or punctuation. */
  offerWords: z.strictObject({ callback: Text, live: Text, later: Text, call: Text }).refine((w) => Object.values(w).every((x) => isRegExp(x)), 'each must be a valid regular expression'),
  askName: Text,
  askNameDirect: Text,
  askNameRetry: Text,
  askPhone: Text,
  askPhoneRetry: Text,
  confirmSmsNumber: Text,
  confirmSmsNumberYes: Text,
  confirmSmsNumberOther: Text,
  askTime: Text,
  times: z.array(Text).min(1, { error: 'needs at least one time' }),
  consent: Text,
  consentYes: Text,
  consentNo: Text,
  consentDeclined: Text,
  /** After the request is filed, when the visitor wrote before it: may admissions see their last few messages? */
  share: Text,
  shareYes: Text,
  shareNo: Text,
  /** Said after "yes": the messages are on the request. */
  shared: Text,
  /** Said after "no", or an answer still unclear when asked again: nothing is shared. */
  notShared: Text,
  received: Text,
  live: Text,
  notNow: Text,
  giveUp: Text,
  failed: Text,
  /** A question mid-callback that the bot can't answer: said before the same step is asked again. */
  sideQuestion: Text,
});
export type HandoffContent = z.infer<typeof HandoffContentSchema>;

export function loadHandoffContent(file: string): HandoffContent {
  return loadYamlFile(file, HandoffContentSchema);
}

/** Fill {{placeholders}}; an unknown one is left visible rather than silently dropped. */
export function fill(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}
