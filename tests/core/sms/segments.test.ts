import fc from 'fast-check';
import { SMS_PART_MAX, SMS_TOTAL_MAX, smsSegments } from '../../../src/core/sms/segments';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const total = (parts: string[]) => parts.reduce((n, p) => n + p.length, 0);
const sentence = (n: number, word = 'word') => `${Array.from({ length: n }, () => word).join(' ')}.`;
const NOTE = 'This message was shortened. For the rest, call admissions at (877) 920-6583.';

describe('smsSegments', () => {
  it('when a text fits in one part, then it is sent as it is', () => {
    expect(smsSegments('IOP meets three days a week. Call (877) 920-6583.')).toEqual(['IOP meets three days a week. Call (877) 920-6583.']);
  });

  it('when a text is long, then it is split between sentences into parts of at most 320 characters', () => {
    const sentences = Array.from({ length: 8 }, (_, i) => `Sentence ${i + 1} ${'is about our programs '.repeat(3).trim()}.`);
    const parts = smsSegments(sentences.join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(SMS_PART_MAX);
      // Each part is whole sentences: it starts one and ends one.
      expect(part).toMatch(/^Sentence \d/);
      expect(part).toMatch(/\.$/);
    }
    expect(parts.join(' ')).toBe(sentences.join(' '));
  });

  it('when a single sentence is longer than a part, then it is split between words', () => {
    const long = sentence(100, 'recovery'); // 900 characters, no sentence break inside
    const parts = smsSegments(long);
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(SMS_PART_MAX);
      expect(words(part).every((w) => /^recovery\.?$/.test(w))).toBe(true);
    }
    expect(parts.join(' ')).toBe(long);
  });

  it('when a word is longer than a part, then only that word is cut', () => {
    const url = `https://example.org/${'a'.repeat(400)}`;
    const parts = smsSegments(`See ${url} for more.`);
    expect(parts.every((p) => p.length <= SMS_PART_MAX)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(`See${url}formore.`);
  });

  it('when sentences contain abbreviations, times or list numbers, then they are not split there', () => {
    const text = `${sentence(30)} Groups run 9 a.m. to noon, e.g. on weekdays.\n1. What is IOP?\n2. Levels of care`;
    const parts = smsSegments(text, { maxPart: 60 });
    expect(parts).toContain('Groups run 9 a.m. to noon, e.g. on weekdays.\n1. What is IOP?');
    expect(parts).toContain('2. Levels of care');
  });

  it('when a text has paragraphs and lines, then they keep their line breaks inside a part', () => {
    expect(smsSegments('First paragraph.\n\nSecond one.\nA line.')).toEqual(['First paragraph.\n\nSecond one.\nA line.']);
  });

  it('when an ending is given, then it follows the text with its own line breaks', () => {
    expect(smsSegments('What would you like to know?', { ending: '\n\nReply with a number:\n1. IOP\n2. PHP' })).toEqual([
      'What would you like to know?\n\nReply with a number:\n1. IOP\n2. PHP',
    ]);
  });

  it('when a text is over 1,600 characters, then whole sentences are dropped and the note with the admissions number takes their place', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Point ${i + 1} about the program is here.`).join(' ') + ' Call (877) 920-6583 to start.';
    const ending = '\n\nReply with a number:\n1. What is IOP?\n2. Talk to a person';
    const parts = smsSegments(text.repeat(2), { shortenedNote: NOTE, ending });
    expect(total(parts)).toBeLessThanOrEqual(SMS_TOTAL_MAX);
    expect(parts.every((p) => p.length <= SMS_PART_MAX)).toBe(true);
    const all = parts.join("\n");
    expect(all).toContain('(877) 920-6583');
    expect(all.endsWith(`${NOTE}\n\nReply with a number:\n1. What is IOP?\n2. Talk to a person`)).toBe(true);
    expect(all.startsWith('Point 1 about the program is here.')).toBe(true);
    // What was kept is whole sentences.
    expect(all.split(NOTE)[0]!.trim()).toMatch(/here\.$/);
  });

  it('when even the ending is over the total, then the reply still stays within 1,600 characters', () => {
    const ending = `\n${Array.from({ length: 200 }, (_, i) => `${i + 1}. A choice`).join('\n')}`;
    const parts = smsSegments('Pick one.', { ending, shortenedNote: NOTE });
    expect(total(parts)).toBeLessThanOrEqual(SMS_TOTAL_MAX);
    expect(parts[0]).toContain('(877) 920-6583');
  });

  it('when limits make no sense, then it refuses', () => {
    expect(() => smsSegments('x', { maxPart: 0 })).toThrow(RangeError);
    expect(() => smsSegments('x', { maxPart: 400, maxTotal: 300 })).toThrow(RangeError);
  });

  it('when any text is split, then no part is empty or over the limit, the total is within 1,600 and words are never cut', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9(),'-]{1,14}$/);
    const sentenceArb = fc.tuple(fc.array(word, { minLength: 1, maxLength: 40 }), fc.constantFrom('.', '!', '?', '')).map(([ws, end]) => ws.join(' ') + end);
    const textArb = fc.array(fc.tuple(sentenceArb, fc.constantFrom(' ', '\n', '\n\n')), { minLength: 1, maxLength: 60 }).map((xs) => xs.map(([s, sep]) => s + sep).join(''));
    fc.assert(
      fc.property(textArb, fc.integer({ min: 20, max: 320 }), (text, maxPart) => {
        const parts = smsSegments(text, { maxPart, shortenedNote: 'Call (877) 920-6583.' });
        expect(parts.every((p) => p.length > 0 && p.length <= maxPart && p === p.trim())).toBe(true);
        expect(total(parts)).toBeLessThanOrEqual(SMS_TOTAL_MAX);
        if (text.length <= SMS_TOTAL_MAX - 200) {
          // Not shortened: every word is there, whole and in order.
          expect(parts.flatMap(words)).toEqual(words(text));
        } else {
          const kept = parts.flatMap(words);
          expect(kept.slice(-3)).toEqual(['Call', '(877)', '920-6583.']);
          expect(words(text).slice(0, kept.length - 3)).toEqual(kept.slice(0, -3));
        }
      }),
      { numRuns: 300 },
    );
  });
});
