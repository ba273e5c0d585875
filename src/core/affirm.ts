import { basicNormalize } from './text/normalize';

/**
 * Yes and no in the ways visitors write them ("yeah go ahead", "sure thing",
 * "nah not now"), for consent and for accepting an offer. Anything else is neither.
 */
const YES =
  /^(?:y|ye|yes|yess|yea|yeah|yep|yup|ya|yah|sure|ok|okay|k|kk|alright|all right|absolutely|definitely|of course|go ahead|go for it|lets do it|lets go|let s do it|lets start|let s start|start|please|yes please|sounds good|fine|why not|i guess|si|claro|ready|im ready|i am ready|do it)\b/;
const NO = /^(?:n|no|nah|nope|not now|not really|not today|no thanks|no thank you|later|maybe later|skip|never|dont|do not|i d rather not|id rather not|i would rather not|pass)\b/;

export function isAffirmative(text: string): boolean {
  const t = basicNormalize(text);
  return YES.test(t) && !/\b(?:not|no|dont|nah)\b/.test(t);
}

export function isNegative(text: string): boolean {
  return NO.test(basicNormalize(text));
}
