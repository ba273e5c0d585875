import fc from 'fast-check';
import { scrubPersonalData as scrub } from '../../../src/core/privacy/scrub';

// A fixed seed keeps CI repeatable (FC_SEED explores others; a failure prints its seed).
const RUNS = { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261207) };
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const ordinal = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** Text around the personal data, and how it is joined: the scrubber must leave it exactly as it was. */
function around(prefixes: string[], suffixes: string[]) {
  return fc.record({ before: fc.constantFrom(...prefixes), after: fc.constantFrom(...suffixes) });
}
const join = (before: string, middle: string, after: string) => `${before}${before ? ' ' : ''}${middle}${after && !/^[.,?!]/.test(after) ? ' ' : ''}${after}`;

// --- phone numbers -------------------------------------------------------------

const spell = (digits: string, zero: string) => [...digits].map((d) => (d === '0' ? zero : DIGIT_WORDS[Number(d)]!)).join(' ');
const phoneNumber = fc.record({
  area: fc.integer({ min: 201, max: 989 }).map(String),
  exchange: fc.integer({ min: 200, max: 999 }).map(String),
  line: fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)),
});
const written = fc
  .record({
    n: phoneNumber,
    sep: fc.constantFrom('', ' ', '-', '.', ' - ', ' . ', '/', '_', '  ', ' -- '),
    parens: fc.boolean(),
    country: fc.constantFrom('', '1', '+1', '1 ', '+1 ', '1-', '+1-'),
  })
  .map(({ n, sep, parens, country }) => ({ digits: n.exchange + n.line, text: `${country}${parens ? `(${n.area})${sep === '' ? '' : ' '}` : n.area + sep}${n.exchange}${sep}${n.line}` }));
const spelled = fc
  .record({ n: phoneNumber, zero: fc.constantFrom('zero', 'oh', 'o'), sep: fc.constantFrom(' ', ', ', ' - '), mixed: fc.constantFrom('none', 'area', 'line') })
  .map(({ n, zero, sep, mixed }) => ({
    digits: n.exchange + n.line,
    text: [mixed === 'area' ? n.area : spell(n.area, zero), spell(n.exchange, zero), mixed === 'line' ? n.line : spell(n.line, zero)].join(sep),
  }));
const phoneContext = around(['', 'call me at', 'my number is', 'you can text', 'cell:', 'reach me on', 'my phone is'], ['', 'thanks', 'or text me', 'please call after work', '?', '.']);

// --- the rest ------------------------------------------------------------------

const email = fc
  .record({
    local: fc.stringMatching(/^[a-z][a-z0-9]{2,10}(?:[._][a-z0-9]{1,6})?$/),
    domain: fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/),
    tld: fc.constantFrom('com', 'net', 'org', 'edu', 'us', 'io'),
    form: fc.constantFrom('@', ' @ ', ' at ', ' (at) ', ' [at] ', 'at-dot'),
  })
  // A local part ending in ".ca" or ".us" reads as a domain itself: "email me at a00.ca at a0.com" is ambiguous to a person too.
  .filter(({ local, domain }) => !['at', 'dot'].includes(local) && !['at', 'dot'].includes(domain) && !/\.[a-z]{2,3}$/.test(local))
  .map(({ local, domain, tld, form }) => ({
    parts: [local, domain],
    text: form === 'at-dot' ? `${local} at ${domain}.${tld}` : form.includes('at') ? `${local}${form}${domain}${form.replace('at', 'dot')}${tld}` : `${local}${form}${domain}.${tld}`,
  }));
const ssn = fc
  .record({ a: fc.integer({ min: 1, max: 899 }), b: fc.integer({ min: 1, max: 99 }), c: fc.integer({ min: 1, max: 9999 }), sep: fc.constantFrom('-', ' ', '.', ' - ', '  ') })
  .map(({ a, b, c, sep }) => ({ digits: `${pad(a, 3)}${pad(b)}${pad(c, 4)}`, text: `${pad(a, 3)}${sep}${pad(b)}${sep}${pad(c, 4)}` }));
const day = fc.record({ m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), y: fc.integer({ min: 1940, max: 2012 }) });
const fullDate = fc
  .record({ date: day, form: fc.integer({ min: 0, max: 10 }) })
  .map(({ date: { m, d, y }, form }) => {
    const month = MONTHS[m - 1]!;
    return [
      `${m}/${d}/${y}`,
      `${pad(m)}/${pad(d)}/${y}`,
      `${m}-${d}-${y}`,
      `${m}.${d}.${y}`,
      `${m}/${d}/${pad(y % 100)}`,
      `${y}-${pad(m)}-${pad(d)}`,
      `${month} ${d}, ${y}`,
      `${month.toLowerCase()} ${ordinal(d)} ${y}`,
      `${d} ${month} ${y}`,
      `${month.slice(0, 3)}. ${d} ${y}`,
      `the ${ordinal(d)} of ${month} ${y}`,
    ][form]!;
  });
const yearlessBirthday = fc
  .record({ date: day, form: fc.integer({ min: 0, max: 4 }) })
  .map(({ date: { m, d }, form }) => [`${m}/${d}`, `${MONTHS[m - 1]} ${d}`, `${MONTHS[m - 1]!.toLowerCase()} ${ordinal(d)}`, `the ${ordinal(d)} of ${MONTHS[m - 1]}`, `${d} ${MONTHS[m - 1]}`][form]!);
const street = fc
  .record({
    number: fc.integer({ min: 1, max: 9999 }),
    name: fc.constantFrom('Main', 'Elm', 'Washington', 'Blue Hill', 'Dorchester', 'Commonwealth', 'oak', 'maple', 'Martin Luther King'),
    suffix: fc.constantFrom('Street', 'St', 'St.', 'Avenue', 'Ave', 'Road', 'Rd', 'Boulevard', 'Blvd', 'Lane', 'Drive', 'Highway', 'street', 'ave'),
    unit: fc.constantFrom('', ' Apt 4', ', Apt 2B', ' Unit 12', ' #3'),
  })
  .map(({ number, name, suffix, unit }) => ({ parts: [String(number), name], text: `${number} ${name} ${suffix}${unit}` }));
const FIRST_NAMES = ['Linda', 'Maria', 'Sam', 'Tyler', 'Jessica', 'Oksana', 'Aaliyah', 'Priya', 'Zebulon', 'DeShawn', 'Jose', 'Mohammed', 'Wei', 'Brandon', 'Ashley', 'Kevin', 'Destiny', 'Hope'];
const SURNAMES = ['Smith', 'Rodriguez', 'Nguyen', 'Okafor', 'Kowalczyk'];

// --- what must stay ------------------------------------------------------------

const ORDINARY = [
  'do you take masshealth',
  'how many days a week is IOP',
  'is it 3 to 5 days',
  'how long is detox, 5 to 7 days?',
  'what are the hours, 9 to 5?',
  'is PHP 5 days a week 6 hours a day',
  'is the 12 step program required',
  'is the 12 step way the only way',
  'do you have groups at 5:30',
  'can i start on 7/15',
  'what is the 24/7 line',
  'it costs $1,500 right?',
  'i have been sober for 90 days',
  'i use 2 or 3 times a day',
  'we are 2 blocks from Main Street, is there parking',
  'I was born in Boston and live in Quincy',
  'is it open on my birthday',
  "I'm worried about my son",
  "i'm looking for detox",
  'im tryna get into iop',
  'this is for my daughter',
  'this is my first time asking',
  "I'm an alcoholic and i need help",
  "I'm not sure what level i need",
  "I'm scared",
  'im in Quincy',
  "I'm from Lynn",
  "it's a lot to take in",
  'its ok if not',
  'my son is 17',
  'my daughter has a job',
  'call me back tomorrow',
  'call me at the office',
  'can i email you',
  'do you accept Tufts or BCBS?',
  'what is MAT',
  'i am 34 and drink every day',
  'my name is not important',
  'how far are you from Route 9',
];
const templated = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })).map(([a, b]) => `${a} to ${b} days a week`),
  fc.integer({ min: 1, max: 7 }).map((n) => `is iop ${n} days a week?`),
  fc.integer({ min: 1, max: 12 }).map((h) => `can i come at ${h}pm`),
  fc.integer({ min: 1, max: 12 }).map((h) => `is it ${h} hours a day`),
  fc.integer({ min: 1, max: 999 }).map((n) => `i have been clean ${n} days`),
  fc.integer({ min: 1, max: 99 }).map((n) => `does it cost $${n},000`),
  fc.constantFrom(...ORDINARY),
);

describe('scrubPersonalData', () => {
  it('when a phone number is written with any separators, parentheses or country code, then it is replaced and the words around it are kept', () => {
    fc.assert(fc.property(written, phoneContext, (p, c) => expect(scrub(join(c.before, p.text, c.after))).toBe(join(c.before, '[phone]', c.after))), RUNS);
  });

  it('when a phone number is spelled out, in part or in full, then it is replaced', () => {
    fc.assert(fc.property(spelled, phoneContext, (p, c) => expect(scrub(join(c.before, p.text, c.after))).toBe(join(c.before, '[phone]', c.after))), RUNS);
  });

  it('when an email is written or spelled out ("at … dot"), then it is replaced', () => {
    const context = around(['', 'email me at', 'my email is', 'write to', 'contact:'], ['', 'thanks', 'any time', '.']);
    fc.assert(fc.property(email, context, (e, c) => expect(scrub(join(c.before, e.text, c.after))).toBe(join(c.before, '[email]', c.after))), RUNS);
  });

  it('when a social security number is given grouped, or as nine digits after "ssn", then it is replaced', () => {
    fc.assert(fc.property(ssn, fc.constantFrom('', 'my ssn is', 'social security number:'), (s, before) => expect(scrub(join(before, s.text, ''))).toBe(join(before, '[ssn]', ''))), RUNS);
    fc.assert(fc.property(ssn, fc.constantFrom('ssn', 'my ssn is', 'social security number:', 'SSN#'), (s, before) => expect(scrub(`${before} ${s.digits}`)).toBe(`${before} [ssn]`)), RUNS);
  });

  it('when a full date is given, then it is replaced; after "born", "birthday" or "DOB" even without a year', () => {
    const context = around(['', 'my appointment was on', 'since', 'i started on'], ['', 'thanks', '.']);
    fc.assert(fc.property(fullDate, context, (d, c) => expect(scrub(join(c.before, d, c.after))).toBe(join(c.before, '[date]', c.after))), RUNS);
    const birth = fc.constantFrom('born on', 'i was born', 'dob', 'DOB:', 'date of birth is', 'my birthday is', 'birthdate');
    fc.assert(fc.property(fc.oneof(fullDate, yearlessBirthday), birth, (d, before) => expect(scrub(`${before} ${d}`)).toBe(`${before} [date of birth]`)), RUNS);
  });

  it('when a street address is given, then it is replaced', () => {
    // No full stop after it: "Ave." may be the abbreviation's own dot, and either reading is fine.
    const context = around(['', 'I live at', 'we are at', 'send it to', 'my address is'], ['', 'in Quincy', ', thanks']);
    fc.assert(fc.property(street, context, (s, c) => expect(scrub(join(c.before, s.text, c.after))).toBe(join(c.before, '[address]', c.after))), RUNS);
  });

  it('when a visitor gives their name ("my name is…", "I\'m…", "this is…"), then the name is replaced', () => {
    const intro = fc.constantFrom('my name is', 'My name is', "hi, I'm", 'I’m', 'I am', 'this is', 'hi this is', 'me llamo', "my son's name is");
    const after = fc.constantFrom('', ' and i need help', ', my son drinks', ' here', '. Do you take MassHealth?');
    fc.assert(
      fc.property(intro, fc.constantFrom(...FIRST_NAMES), fc.option(fc.constantFrom(...SURNAMES)), after, (i, first, last, rest) => {
        const out = scrub(`${i} ${first}${last ? ` ${last}` : ''}${rest}`);
        expect(out).toBe(`${i} [name]${rest}`);
      }),
      RUNS,
    );
    // Typed in lower case: a known name, or a word no dictionary has where a name would end.
    fc.assert(
      fc.property(fc.constantFrom('im', 'hi im', 'this is'), fc.constantFrom('linda', 'maria', 'tyler', 'jessica', 'oksana', 'aaliyah', 'priya'), fc.constantFrom('', ', my son drinks', ' and i need help'), (i, name, rest) =>
        expect(scrub(`${i} ${name}${rest}`)).toBe(`${i} [name]${rest}`),
      ),
      RUNS,
    );
  });

  it('when the text is an ordinary question about the programs, numbers and all, then it is kept exactly', () => {
    fc.assert(fc.property(templated, (q) => expect(scrub(q)).toBe(q)), RUNS);
    for (const q of ORDINARY) expect(scrub(q)).toBe(q);
  });

  it.each([
    ['617 - 555 - 0199', '[phone]'],
    ['john at gmail dot com', '[email]'],
    ['my name is Linda Smith', 'my name is [name]'],
    ["I'm Linda", "I'm [name]"],
    ['this is Maria', 'this is [name]'],
    ['six one seven five five five oh one nine nine', '[phone]'],
    ['my ssn is 123-45-6789', 'my ssn is [ssn]'],
    ['dob 04/12/1985', 'dob [date of birth]'],
    ['I live at 12 Oak Ave Apt 3, Quincy MA 02169', 'I live at [address], Quincy MA [number]'],
  ])('when the probe typed %j, then it is stored as %j', (typed, stored) => {
    expect(scrub(typed)).toBe(stored);
  });
});
