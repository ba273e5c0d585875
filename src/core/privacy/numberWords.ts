/** Digits as people say them: "six one seven", "oh", "double five", "fifty-five", "eight hundred". */
const UNITS: Record<string, string> = { zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
const TEENS: Record<string, string> = {
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19',
};
const TENS: Record<string, string> = { twenty: '2', thirty: '3', forty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9' };
const REPEAT: Record<string, number> = { double: 2, triple: 3 };

export const NUMBER_WORDS: ReadonlySet<string> = new Set([...Object.keys(UNITS), ...Object.keys(TEENS), ...Object.keys(TENS), ...Object.keys(REPEAT), 'hundred']);

/** The digits a run of numerals and number words stands for ("617", "five", "fifty", "five" → "617555"). */
export function digitsOf(tokens: string[]): string {
  let out = '';
  let tens = false;
  let repeat = 1;
  for (const raw of tokens) {
    const t = raw.toLowerCase();
    if (/^\d+$/.test(t)) {
      out += t;
      tens = false;
    } else if (t in UNITS) {
      // "fifty five" is 55, not 505.
      if (tens && t !== 'oh' && t !== 'o' && t !== 'zero') out = out.slice(0, -1) + UNITS[t];
      else out += UNITS[t]!.repeat(repeat);
      tens = false;
      repeat = 1;
      continue;
    } else if (t in TEENS) {
      out += TEENS[t];
      tens = false;
    } else if (t in TENS) {
      out += `${TENS[t]}0`;
      tens = true;
      continue;
    } else if (t in REPEAT) {
      repeat = REPEAT[t]!;
      continue;
    } else if (t === 'hundred') {
      out += '00';
      tens = false;
    }
    repeat = 1;
  }
  return out;
}
