import { basicNormalize } from './text/normalize';
import { phrases } from './understanding/phrases';

/**
 * Yes and no in the ways visitors write them ("yeah go ahead", "sure thing",
 * "nah not now"), for consent and for accepting an offer. Anything else is neither.
 * The words are knowledge/phrases.yaml's (answers.yes, answers.no).
 */
export function isAffirmative(text: string): boolean {
  const t = basicNormalize(text);
  return phrases().yes.test(t) && !/\b(?:not|no|dont|nah)\b/.test(t);
}

export function isNegative(text: string): boolean {
  return phrases().no.test(basicNormalize(text));
}
