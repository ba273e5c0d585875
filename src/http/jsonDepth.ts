/**
 * Objects and arrays nested deeper than this are refused before JSON.parse. Real
 * activities (Adaptive Cards included) stay far below it; a body of 20,000 nested
 * brackets parses fine but later overflows the stack wherever it is serialized again
 * (a Direct Line transcript read answered 500).
 */
export const MAX_JSON_DEPTH = 64;

/** True when the JSON text nests objects/arrays deeper than `limit` (strings are skipped; one linear pass). */
export function nestedTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
