import { basicNormalize } from '../core/text/normalize';
import type { Choice } from '../core/reply';

export const OUT_OF_RANGE = Symbol('out of range');
const ORDINALS: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5 };

/**
 * Which of the last choices the visitor means: "2" / "2." (SMS numbers), "the first one",
 * "option 2", "the last one", or the label as shown ("Detox"). OUT_OF_RANGE for a number
 * that is not one of them; undefined when the text is not a pick.
 */
export function pickChoice(text: string, choices: Choice[] | undefined): Choice | typeof OUT_OF_RANGE | undefined {
  if (!choices?.length) return undefined;
  // "2", "2.", "1 obviously", "3 i guess": a number with a filler word or two is still the pick.
  const bare = /^\s*#?(\d{1,2})\s*[.)]?\s*(?:(?:obviously|obv|obvi|duh|please|pls|plz|i guess|i think|probably|thanks|thx|ty|lol|lmao|then|ok|okay|k|like i said|i said)[.!]?\s*)*$/i.exec(text);
  const t = basicNormalize(text);
  const said = /^(?:(?:the|number|option|choice|no)\s+)*(\d{1,2}|first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)(?:\s+(?:one|option|choice))?(?:\s+please)?$/.exec(t);
  const n = bare ? Number(bare[1]) : said ? (said[1] === 'last' ? choices.length : (ORDINALS[said[1]!] ?? Number(said[1]))) : undefined;
  if (n !== undefined) return choices[n - 1] ?? OUT_OF_RANGE;
  return choices.find((c) => basicNormalize(c.label) === t);
}
